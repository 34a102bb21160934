"""Typed, immutable TLS 1.3 handshake messages and extensions (RFC 8446 §4).

The reader produces these values and the writer serialises them; neither does any
protocol logic.  Unknown extensions are kept as :class:`RawExtension` so the
writer reproduces them byte for byte.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields, is_dataclass
from typing import Any, TypeVar

T = TypeVar("T")

# RFC 8446 §4.1.3: the ServerHello.random that marks a HelloRetryRequest.
HELLO_RETRY_REQUEST_RANDOM = bytes.fromhex(
    "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c"
)
# RFC 8446 §4.1.3: last 8 bytes of ServerHello.random when a 1.3 server negotiates older.
DOWNGRADE_TLS12 = b"DOWNGRD\x01"
DOWNGRADE_TLS11 = b"DOWNGRD\x00"

TLS13 = 0x0304
TLS12 = 0x0303


# ---- extensions -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RawExtension:
    type: int
    data: bytes


@dataclass(frozen=True, slots=True)
class ServerName:
    host_name: bytes  # RFC 6066: exactly one host_name entry


@dataclass(frozen=True, slots=True)
class ServerNameAck:
    """An empty server_name in EncryptedExtensions: the server used our SNI."""


@dataclass(frozen=True, slots=True)
class SupportedGroups:
    groups: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SignatureAlgorithms:
    schemes: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SignatureAlgorithmsCert:
    schemes: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class KeyShareEntry:
    group: int
    key_exchange: bytes


@dataclass(frozen=True, slots=True)
class KeyShareClientHello:
    shares: tuple[KeyShareEntry, ...]


@dataclass(frozen=True, slots=True)
class KeyShareServerHello:
    share: KeyShareEntry


@dataclass(frozen=True, slots=True)
class KeyShareHelloRetryRequest:
    selected_group: int


@dataclass(frozen=True, slots=True)
class SupportedVersionsClientHello:
    versions: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SupportedVersionsServerHello:
    selected_version: int


@dataclass(frozen=True, slots=True)
class Cookie:
    cookie: bytes


@dataclass(frozen=True, slots=True)
class ApplicationLayerProtocolNegotiation:
    protocols: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class RecordSizeLimit:
    limit: int


@dataclass(frozen=True, slots=True)
class Padding:
    length: int  # RFC 7685: zero bytes


@dataclass(frozen=True, slots=True)
class PskIdentity:
    identity: bytes
    obfuscated_ticket_age: int


@dataclass(frozen=True, slots=True)
class PreSharedKeyClientHello:
    """RFC 8446 §4.2.11: must be the last extension of the ClientHello."""

    identities: tuple[PskIdentity, ...]
    binders: tuple[bytes, ...]

    def binders_length(self) -> int:
        """Bytes the binders list takes on the wire (cut off for the binder hash)."""
        return 2 + sum(1 + len(b) for b in self.binders)


@dataclass(frozen=True, slots=True)
class PreSharedKeyServerHello:
    selected_identity: int


PSK_DHE_KE = 1  # PskKeyExchangeMode (RFC 8446 §4.2.9)


@dataclass(frozen=True, slots=True)
class PskKeyExchangeModes:
    modes: tuple[int, ...]


Extension = (
    RawExtension
    | ServerName
    | ServerNameAck
    | SupportedGroups
    | SignatureAlgorithms
    | SignatureAlgorithmsCert
    | KeyShareClientHello
    | KeyShareServerHello
    | KeyShareHelloRetryRequest
    | SupportedVersionsClientHello
    | SupportedVersionsServerHello
    | Cookie
    | ApplicationLayerProtocolNegotiation
    | RecordSizeLimit
    | Padding
    | PskKeyExchangeModes
    | PreSharedKeyClientHello
    | PreSharedKeyServerHello
)


def find(extensions: tuple[Extension, ...], kind: type[T]) -> T | None:
    """The extension of class ``kind`` in ``extensions``, or None."""
    for e in extensions:
        if type(e) is kind:
            return e  # type: ignore[return-value]
    return None


# ---- handshake messages ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClientHello:
    legacy_version: int
    random: bytes
    legacy_session_id: bytes
    cipher_suites: tuple[int, ...]
    legacy_compression_methods: bytes
    extensions: tuple[Extension, ...]


@dataclass(frozen=True, slots=True)
class ServerHello:
    legacy_version: int
    random: bytes
    legacy_session_id_echo: bytes
    cipher_suite: int
    legacy_compression_method: int
    extensions: tuple[Extension, ...]


@dataclass(frozen=True, slots=True)
class HelloRetryRequest:
    """A ServerHello whose random is HELLO_RETRY_REQUEST_RANDOM (RFC 8446 §4.1.4)."""

    legacy_version: int
    legacy_session_id_echo: bytes
    cipher_suite: int
    legacy_compression_method: int
    extensions: tuple[Extension, ...]


@dataclass(frozen=True, slots=True)
class EncryptedExtensions:
    extensions: tuple[Extension, ...]


@dataclass(frozen=True, slots=True)
class CertificateRequest:
    certificate_request_context: bytes
    extensions: tuple[Extension, ...]


@dataclass(frozen=True, slots=True)
class CertificateEntry:
    cert_data: bytes
    extensions: tuple[Extension, ...]


@dataclass(frozen=True, slots=True)
class Certificate:
    certificate_request_context: bytes
    certificate_list: tuple[CertificateEntry, ...]


@dataclass(frozen=True, slots=True)
class CertificateVerify:
    algorithm: int
    signature: bytes


@dataclass(frozen=True, slots=True)
class Finished:
    verify_data: bytes


@dataclass(frozen=True, slots=True)
class NewSessionTicket:
    ticket_lifetime: int
    ticket_age_add: int
    ticket_nonce: bytes
    ticket: bytes
    extensions: tuple[Extension, ...]


@dataclass(frozen=True, slots=True)
class EndOfEarlyData:
    pass


@dataclass(frozen=True, slots=True)
class KeyUpdate:
    request_update: bool


HandshakeMessage = (
    ClientHello
    | ServerHello
    | HelloRetryRequest
    | EncryptedExtensions
    | CertificateRequest
    | Certificate
    | CertificateVerify
    | Finished
    | NewSessionTicket
    | EndOfEarlyData
    | KeyUpdate
)


# ---- cheaper construction ----------------------------------------------------------
# A frozen dataclass's generated __init__ stores each field through
# object.__setattr__ (looked up and called per field), which makes building these
# values (some sixty per handshake, both sides) a visible cost.  The __init__ made
# here takes the same parameters and stores each field through its slot's descriptor
# directly: the same instance, about half the time.  Equality, hashing, repr,
# immutability and dataclasses.replace are untouched.


def _fast_init(cls: type) -> None:
    names = [f.name for f in fields(cls)]
    assert all(f.default is MISSING and f.default_factory is MISSING for f in fields(cls))
    assert not hasattr(cls, "__post_init__"), "the generated __init__ would skip it"
    namespace: dict[str, Any] = {f"_set_{n}": cls.__dict__[n].__set__ for n in names}
    body = "".join(f"    _set_{n}(self, {n})\n" for n in names) or "    pass\n"
    source = f"def __init__(self{''.join(', ' + n for n in names)}):\n{body}"
    exec(compile(source, f"<{cls.__name__}.__init__>", "exec"), namespace)  # noqa: S102
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    generated = cls.__dict__["__init__"]
    init.__annotations__ = dict(generated.__annotations__)
    init.__doc__ = generated.__doc__
    setattr(cls, "__init__", init)  # noqa: B010


for _cls in list(globals().values()):
    if isinstance(_cls, type) and is_dataclass(_cls) and _cls.__module__ == __name__:
        _fast_init(_cls)
del _cls
