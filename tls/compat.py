"""An ``ssl``-module-compatible surface over puretls, so that code written for
``ssl`` (http.client, urllib, asyncio streams, ...) runs over the pure engine.

:class:`SSLContext` subclasses ``ssl.SSLContext`` (asyncio and http.client check
for that type) but keeps its own trust roots, certificate chains and ALPN list and
builds a :class:`tls.ClientConfig` / :class:`tls.ServerConfig` when a connection
is wrapped.  ``wrap_socket`` returns a blocking :class:`SSLSocket`; ``wrap_bio``
returns an :class:`SSLObject` driven through ``ssl.MemoryBIO`` pairs, which is
what asyncio uses.  Only TLS 1.3 is spoken.
"""

from __future__ import annotations

import os
import socket
import ssl
import time
from pathlib import Path
from typing import Any

from tls import authenticator, engine
from tls.config import ClientConfig, ServerConfig
from tls.failures import Failure, Reason
from tls.io.blocking import TLSError, TLSSocket

PROTOCOL_TLS_CLIENT = ssl.PROTOCOL_TLS_CLIENT
PROTOCOL_TLS_SERVER = ssl.PROTOCOL_TLS_SERVER
TLSVersion = ssl.TLSVersion
CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED = ssl.CERT_NONE, ssl.CERT_OPTIONAL, ssl.CERT_REQUIRED
Purpose = ssl.Purpose
SSLError = ssl.SSLError

DEFAULT_CA_FILES = (
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/cert.pem",
)
_CERT_REASONS = {
    Reason.bad_certificate,
    Reason.unsupported_certificate,
    Reason.certificate_expired,
    Reason.certificate_revoked,
    Reason.unknown_ca,
    Reason.certificate_unknown,
}


def _ssl_error(failure: Failure | None, message: str = "") -> ssl.SSLError:
    """The ``ssl`` exception a caller of the ``ssl`` module expects for ``failure``."""
    text = message or str(failure)
    if failure is not None and failure.reason in _CERT_REASONS and not failure.sent_by_peer:
        err: ssl.SSLError = ssl.SSLCertVerificationError(1, text)
        err.verify_message = failure.detail  # type: ignore[attr-defined]
        return err
    return ssl.SSLError(1, text)


def _load_pem_certs(data: bytes, skip_unreadable: bool = False) -> list[Any]:
    """Certificates in a PEM bundle; system bundles may hold a few that strict DER
    parsing refuses, which are then left out rather than failing the whole load."""
    import x509
    from x509 import pem

    out = []
    for block in pem.decode_all(data):
        if block.label not in ("CERTIFICATE", "TRUSTED CERTIFICATE"):
            continue
        try:
            out.append(x509.Certificate.from_der(block.der))
        except Exception:
            if not skip_unreadable:
                raise
    return out


class SSLContext(ssl.SSLContext):
    """``ssl.SSLContext`` whose connections are made by puretls."""

    def __init__(self, protocol: int = PROTOCOL_TLS_CLIENT, *args: Any, **kwargs: Any) -> None:
        self._roots: list[Any] = []
        self._chains: list[tuple[list[Any], Any]] = []
        self._alpn: list[str] = []

    # -- what the ssl API configures ------------------------------------------------

    def load_verify_locations(
        self, cafile: Any = None, capath: Any = None, cadata: Any = None
    ) -> None:
        if cafile is not None:
            self._roots += _load_pem_certs(Path(cafile).read_bytes(), skip_unreadable=True)
        if capath is not None:
            for entry in sorted(Path(capath).iterdir()):
                if entry.is_file():
                    try:
                        self._roots += _load_pem_certs(entry.read_bytes(), True)
                    except Exception:  # capath holds hash links and such; skip non-PEM
                        continue
        if cadata is not None:
            import x509

            if isinstance(cadata, str):
                self._roots += _load_pem_certs(cadata.encode())
            else:
                self._roots.append(x509.Certificate.from_der(bytes(cadata)))

    def load_default_certs(self, purpose: Any = Purpose.SERVER_AUTH) -> None:
        self.set_default_verify_paths()

    def set_default_verify_paths(self) -> None:
        cafile = os.environ.get("SSL_CERT_FILE") or next(
            (f for f in DEFAULT_CA_FILES if os.path.exists(f)), None
        )
        if cafile:
            self.load_verify_locations(cafile)

    def load_cert_chain(self, certfile: Any, keyfile: Any = None, password: Any = None) -> None:
        import x509

        chain = _load_pem_certs(Path(certfile).read_bytes())
        key_data = Path(keyfile or certfile).read_bytes()
        if callable(password):
            password = password()
        if isinstance(password, str):
            password = password.encode()
        self._chains.append((chain, x509.load_pem_private_key(key_data, password=password)))

    def set_alpn_protocols(self, alpn_protocols: Any) -> None:
        self._alpn = list(alpn_protocols)

    def get_ca_certs(self, binary_form: bool = False) -> list[Any]:
        return [c.to_der() for c in self._roots] if binary_form else [{} for _ in self._roots]

    # -- configs ---------------------------------------------------------------------

    def _client_config(self) -> ClientConfig:
        if self.verify_mode == CERT_NONE:
            auth = authenticator.insecure_no_verification()
        else:
            auth = authenticator.chain_of_trust(self._roots, check_hostname=self.check_hostname)
        return ClientConfig(
            authenticator=auth, alpn_protocols=self._alpn, certificates=self._chains
        )

    def _server_config(self) -> ServerConfig:
        client_auth = None
        if self.verify_mode != CERT_NONE:
            client_auth = authenticator.chain_of_trust(self._roots, purpose="client")
        return ServerConfig(
            certificates=self._chains,
            alpn_protocols=self._alpn,
            client_authenticator=client_auth,
            require_client_certificate=self.verify_mode == CERT_REQUIRED,
        )

    # -- wrapping ----------------------------------------------------------------------

    def wrap_socket(  # type: ignore[override]
        self,
        sock: socket.socket,
        server_side: bool = False,
        do_handshake_on_connect: bool = True,
        suppress_ragged_eofs: bool = True,
        server_hostname: str | None = None,
        session: Any = None,
    ) -> SSLSocket:
        if server_side:
            state = engine.server(self._server_config())
            out = SSLSocket(sock, state, b"", self, True, None)
        else:
            if self.check_hostname and not server_hostname:
                raise ValueError("check_hostname requires server_hostname")
            state, hello = engine.client(
                self._client_config(), server_hostname, time.time(), session=session
            )
            out = SSLSocket(sock, state, hello, self, False, server_hostname)
        if do_handshake_on_connect:
            out.do_handshake()
        return out

    def wrap_bio(  # type: ignore[override]
        self,
        incoming: ssl.MemoryBIO,
        outgoing: ssl.MemoryBIO,
        server_side: bool = False,
        server_hostname: str | None = None,
        session: Any = None,
    ) -> SSLObject:
        if not server_side and self.check_hostname and not server_hostname:
            # ssl's wrap_bio leaves this to the handshake; here it would mean no name check.
            raise ValueError("check_hostname requires server_hostname")
        return SSLObject(self, incoming, outgoing, server_side, server_hostname, session)


def create_default_context(
    purpose: Any = Purpose.SERVER_AUTH,
    *,
    cafile: Any = None,
    capath: Any = None,
    cadata: Any = None,
) -> SSLContext:
    """Like ``ssl.create_default_context``: verification on, system roots by default."""
    if purpose == Purpose.SERVER_AUTH:
        ctx = SSLContext(PROTOCOL_TLS_CLIENT)
    else:
        ctx = SSLContext(PROTOCOL_TLS_SERVER)
    if cafile or capath or cadata:
        ctx.load_verify_locations(cafile, capath, cadata)
    elif purpose == Purpose.SERVER_AUTH:
        ctx.load_default_certs(purpose)
    return ctx


# ---- connection objects --------------------------------------------------------------


class _Describe:
    """The ssl-style accessors shared by SSLSocket and SSLObject."""

    context: SSLContext
    server_side: bool
    server_hostname: str | None

    def _engine_state(self) -> engine.State:
        raise NotImplementedError

    def version(self) -> str | None:
        return engine.info(self._engine_state())["version"]

    def cipher(self) -> tuple[str, str, int] | None:
        suite = engine.info(self._engine_state())["cipher_suite"]
        if suite is None:
            return None
        bits = 256 if "256" in suite or "CHACHA20" in suite else 128
        return (suite, "TLSv1.3", bits)

    def shared_ciphers(self) -> None:
        return None

    def compression(self) -> None:
        return None

    def selected_alpn_protocol(self) -> str | None:
        return engine.info(self._engine_state())["alpn_protocol"]

    def selected_npn_protocol(self) -> None:
        return None

    @property
    def session_reused(self) -> bool:
        return bool(engine.info(self._engine_state())["resumed"])

    def getpeercert(self, binary_form: bool = False) -> Any:
        chain = engine.info(self._engine_state())["peer_certificates"]
        if not chain:
            return None
        if binary_form:
            return chain[0]
        import x509

        cert = x509.Certificate.from_der(chain[0])
        names = {"dns": "DNS", "ip": "IP Address", "email": "email", "uri": "URI"}
        return {
            "subject": tuple(((k, v),) for k, v in _name_pairs(cert.subject)),
            "issuer": tuple(((k, v),) for k, v in _name_pairs(cert.issuer)),
            "subjectAltName": tuple(
                (names[kind], str(value)) for kind, value in cert.subject_alt_names if kind in names
            ),
            "notBefore": cert.not_valid_before.strftime("%b %d %H:%M:%S %Y GMT"),
            "notAfter": cert.not_valid_after.strftime("%b %d %H:%M:%S %Y GMT"),
            "serialNumber": f"{cert.serial_number:X}",
            "version": cert.version,
        }

    def get_channel_binding(self, cb_type: str = "tls-unique") -> None:
        return None  # tls-unique does not exist in TLS 1.3 (RFC 8446 §C.5)


def _name_pairs(name: Any) -> list[tuple[str, str]]:
    short = {
        "CN": "commonName",
        "O": "organizationName",
        "OU": "organizationalUnitName",
        "C": "countryName",
        "L": "localityName",
        "ST": "stateOrProvinceName",
    }
    pairs = []
    for part in name.rfc4514_string().split(","):
        key, _, value = part.partition("=")
        pairs.append((short.get(key.strip(), key.strip()), value))
    return pairs


class SSLSocket(TLSSocket, _Describe):
    """What ``SSLContext.wrap_socket`` returns: a puretls blocking socket with the
    ``ssl.SSLSocket`` accessors."""

    def __init__(
        self,
        sock: socket.socket,
        state: engine.State,
        hello: bytes,
        context: SSLContext,
        server_side: bool,
        server_hostname: str | None,
    ) -> None:
        super().__init__(sock, state, hello)
        self.context = context
        self.server_side = server_side
        self.server_hostname = server_hostname

    def _engine_state(self) -> engine.State:
        return self.state

    def do_handshake(self, block: bool = False) -> None:
        try:
            super().do_handshake()
        except TLSError as exc:
            raise _ssl_error(exc.failure, str(exc)) from None

    def recv(self, bufsize: int = 65536, flags: int = 0) -> bytes:
        try:
            return super().recv(bufsize)
        except TLSError as exc:
            if exc.failure is None:  # ragged EOF: tolerated like suppress_ragged_eofs
                return b""
            raise _ssl_error(exc.failure, str(exc)) from None

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        return super().recv_into(buffer, nbytes)

    def pending(self) -> int:
        return super().pending()

    def getsockname(self) -> Any:
        return self._sock.getsockname()

    def setsockopt(self, *args: Any) -> None:
        self._sock.setsockopt(*args)


class SSLObject(_Describe):
    """What ``SSLContext.wrap_bio`` returns: the engine between two ``ssl.MemoryBIO``s."""

    def __init__(
        self,
        context: SSLContext,
        incoming: ssl.MemoryBIO,
        outgoing: ssl.MemoryBIO,
        server_side: bool,
        server_hostname: str | None,
        session: Any = None,
    ) -> None:
        self.context = context
        self.server_side = server_side
        self.server_hostname = server_hostname
        self._incoming = incoming
        self._outgoing = outgoing
        self._plaintext = bytearray()
        self._peer_closed = False
        self.session: Any = None
        if server_side:
            self._state = engine.server(context._server_config())
        else:
            self._state, hello = engine.client(
                context._client_config(), server_hostname, time.time(), session=session
            )
            outgoing.write(hello)

    def _engine_state(self) -> engine.State:
        return self._state

    def _pump(self) -> None:
        data = self._incoming.read()
        if not data:
            return
        step = engine.handle(self._state, data, time.time())
        self._state = step.state
        if step.send:
            self._outgoing.write(step.send)
        self._plaintext += step.data
        if step.peer_closed:
            self._peer_closed = True
        if step.session is not None:
            self.session = step.session
        if step.failure is not None:
            raise _ssl_error(step.failure)

    def do_handshake(self) -> None:
        self._pump()
        if not engine.is_established(self._state):
            if self._incoming.eof:
                raise ssl.SSLEOFError(8, "EOF during the handshake")
            raise ssl.SSLWantReadError(2, "the handshake needs more data")

    def read(self, len: int = 1024, buffer: Any = None) -> Any:
        self._pump()
        if not self._plaintext:
            if self._peer_closed:
                return 0 if buffer is not None else b""
            if self._incoming.eof:
                raise ssl.SSLEOFError(8, "EOF occurred in violation of protocol")
            raise ssl.SSLWantReadError(2, "no application data yet")
        chunk = bytes(self._plaintext[:len])
        del self._plaintext[:len]
        if buffer is not None:
            memoryview(buffer)[: len_(chunk)] = chunk
            return len_(chunk)
        return chunk

    def write(self, data: Any) -> int:
        self._state, records = engine.send(self._state, bytes(data))
        self._outgoing.write(records)
        return len_(data)

    def pending(self) -> int:
        return len_(self._plaintext)

    def unwrap(self) -> None:
        if not self._state.write_closed:
            self._state, records = engine.close(self._state)
            self._outgoing.write(records)
        self._pump()
        if not self._peer_closed and not self._incoming.eof:
            raise ssl.SSLWantReadError(2, "awaiting the peer's close_notify")

    def verify_client_post_handshake(self) -> None:
        raise ssl.SSLError(1, "post-handshake authentication is not supported")


len_ = len  # ``read`` takes a parameter named ``len``, as ssl.SSLObject.read does
