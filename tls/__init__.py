"""tls: a side-effect-free TLS 1.3 engine with socket, asyncio and ssl-compatible shells."""

from tls import authenticator, engine
from tls.config import ClientConfig, ConfigError, ServerConfig
from tls.failures import Failure, Reason
from tls.io.blocking import TLSError, TLSSocket, connect, wrap_client, wrap_server

__all__ = [
    "ClientConfig",
    "ConfigError",
    "Failure",
    "Reason",
    "ServerConfig",
    "TLSError",
    "TLSSocket",
    "authenticator",
    "engine",
    "connect",
    "wrap_client",
    "wrap_server",
]
