"""tls: a side-effect-free TLS 1.3 engine with blocking-socket and asyncio shells.

    import tls, x509
    roots = x509.load_pem_certificates(open("roots.pem", "rb").read())
    config = tls.ClientConfig(authenticator=tls.authenticator.chain_of_trust(roots))
    with tls.connect("example.com", 443, config) as conn:
        conn.sendall(b"GET / HTTP/1.0\r\nHost: example.com\r\n\r\n")
        print(conn.recv())

``tls.engine`` is the pure state machine underneath (``client``/``server``/
``handle``/``send``/``close``/``key_update``/``info``); ``tls.io.aio`` the asyncio shell.
"""

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
