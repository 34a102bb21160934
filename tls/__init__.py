"""tls: a side-effect-free TLS 1.3/1.2 engine with socket, asyncio and ssl-compatible shells."""
