"""Client and server configuration: immutable, checked once when built.

An impossible configuration raises :class:`ConfigError` at construction, never
in the middle of a handshake.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tls import authenticator, certificates
from tls.authenticator import Authenticator
from tls.wire.cipher_suite import SUITES, CipherSuite
from tls.wire.messages import TLS13
from tls.wire.named_group import NamedGroup
from tls.wire.signature_scheme import HANDSHAKE_FORBIDDEN, SCHEMES, SignatureScheme


class ConfigError(ValueError):
    """The configuration cannot work; raised when it is built."""


DEFAULT_CIPHER_SUITES = (
    CipherSuite.TLS_AES_128_GCM_SHA256,
    CipherSuite.TLS_AES_256_GCM_SHA384,
    CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
)
DEFAULT_GROUPS = (
    NamedGroup.x25519,
    NamedGroup.secp256r1,
    NamedGroup.secp384r1,
    NamedGroup.secp521r1,
    NamedGroup.x448,
    NamedGroup.ffdhe2048,
    NamedGroup.ffdhe3072,
    NamedGroup.ffdhe4096,
)
# A server prefers the hybrid post-quantum group (draft-ietf-tls-ecdhe-mlkem) when the
# client sent a share for it, as browsers do.  Preference is only among the shares the
# client sent, so a client sharing x25519 alone still gets x25519 with no
# HelloRetryRequest: listing the hybrid first costs such clients nothing.  Clients keep
# DEFAULT_GROUPS (an ML-KEM share is 1.2 KB in every ClientHello).
DEFAULT_SERVER_GROUPS = (NamedGroup.X25519MLKEM768, *DEFAULT_GROUPS)
DEFAULT_SIGNATURE_SCHEMES = (
    SignatureScheme.ecdsa_secp256r1_sha256,
    SignatureScheme.ecdsa_secp384r1_sha384,
    SignatureScheme.ecdsa_secp521r1_sha512,
    SignatureScheme.ed25519,
    SignatureScheme.ed448,
    SignatureScheme.rsa_pss_rsae_sha256,
    SignatureScheme.rsa_pss_rsae_sha384,
    SignatureScheme.rsa_pss_rsae_sha512,
    SignatureScheme.rsa_pss_pss_sha256,
    SignatureScheme.rsa_pss_pss_sha384,
    SignatureScheme.rsa_pss_pss_sha512,
)
# RFC 8446 §4.2.3: PKCS#1 v1.5 may still sign certificates.
DEFAULT_CERT_SIGNATURE_SCHEMES = DEFAULT_SIGNATURE_SCHEMES + (
    SignatureScheme.rsa_pkcs1_sha256,
    SignatureScheme.rsa_pkcs1_sha384,
    SignatureScheme.rsa_pkcs1_sha512,
)


def _enum_tuple(values: Sequence[Any], enum: Any, what: str) -> tuple:
    out = []
    for v in values:
        try:
            out.append(enum[v] if isinstance(v, str) else enum(v))
        except (KeyError, ValueError):
            raise ConfigError(f"unknown {what}: {v!r}") from None
    if len(set(out)) != len(out):
        raise ConfigError(f"duplicate {what} in {values!r}")
    return tuple(out)


def _alpn(protocols: Sequence[str | bytes]) -> tuple[bytes, ...]:
    out = tuple(p.encode("ascii") if isinstance(p, str) else bytes(p) for p in protocols)
    for p in out:
        if not 1 <= len(p) <= 255:
            raise ConfigError("an ALPN protocol name is 1..255 bytes")
    return out


def _common(cfg: Any) -> None:
    object.__setattr__(
        cfg, "cipher_suites", _enum_tuple(cfg.cipher_suites, CipherSuite, "cipher suite")
    )
    for s in cfg.cipher_suites:
        if s not in SUITES:
            raise ConfigError(f"{s.name} is not a TLS 1.3 AEAD suite this stack implements")
    object.__setattr__(cfg, "groups", _enum_tuple(cfg.groups, NamedGroup, "group"))
    schemes = _enum_tuple(cfg.signature_schemes, SignatureScheme, "signature scheme")
    for s in schemes:
        if s in HANDSHAKE_FORBIDDEN or s not in SCHEMES:
            raise ConfigError(f"{s.name} may not sign a TLS 1.3 handshake")
    object.__setattr__(cfg, "signature_schemes", schemes)
    object.__setattr__(cfg, "alpn_protocols", _alpn(cfg.alpn_protocols))
    if not cfg.cipher_suites:
        raise ConfigError("no cipher suites")
    if not cfg.groups:
        raise ConfigError("no groups")
    if not cfg.signature_schemes:
        raise ConfigError("no signature schemes")
    if tuple(cfg.versions) != (TLS13,):
        raise ConfigError("this engine speaks TLS 1.3 only (versions=(0x0304,))")
    object.__setattr__(cfg, "versions", tuple(cfg.versions))
    if cfg.record_size_limit is not None and not 64 <= cfg.record_size_limit <= (1 << 14) + 1:
        raise ConfigError("record_size_limit must be within 64..16385 (RFC 8449)")
    if cfg.padding_block < 0 or cfg.padding_block > 1 << 14:
        raise ConfigError("padding_block must be within 0..16384")


@dataclass(frozen=True)
class ClientConfig:
    authenticator: Authenticator
    alpn_protocols: Sequence[str | bytes] = ()
    cipher_suites: Sequence[Any] = DEFAULT_CIPHER_SUITES
    groups: Sequence[Any] = DEFAULT_GROUPS
    # Groups we send a key share for in the first ClientHello (others via HRR).
    key_share_groups: Sequence[Any] = (NamedGroup.x25519,)
    signature_schemes: Sequence[Any] = DEFAULT_SIGNATURE_SCHEMES
    versions: Sequence[int] = (TLS13,)
    middlebox_compatibility: bool = True  # RFC 8446 §D.4
    grease: bool = True  # RFC 8701
    record_size_limit: int | None = None
    padding_block: int = 0  # pad protected records to a multiple of this many bytes
    # Client certificates [(chain, private_key)], offered when a server asks (§4.4.2).
    certificates: Sequence[Any] = ()
    credentials: tuple[Any, ...] = field(default=(), init=False)

    def __post_init__(self) -> None:
        if not callable(self.authenticator):
            raise ConfigError("authenticator must come from tls.authenticator")
        if authenticator.purpose_of(self.authenticator) == "client":
            raise ConfigError("a client's authenticator checks servers: purpose='server'")
        _common(self)
        shares = _enum_tuple(self.key_share_groups, NamedGroup, "key share group")
        for g in shares:
            if g not in self.groups:
                raise ConfigError(f"key share group {g.name} is not among groups")
        object.__setattr__(self, "key_share_groups", shares)
        object.__setattr__(self, "credentials", _credentials(self.certificates))


def _credentials(pairs: Sequence[Any]) -> tuple[ServerCredential, ...]:
    creds = []
    for item in pairs:
        try:
            chain, key = item
        except (TypeError, ValueError):
            raise ConfigError("certificates is a list of (chain, private_key) pairs") from None
        if isinstance(chain, bytes | bytearray) or not isinstance(chain, Sequence):
            chain = [chain]
        if not chain:
            raise ConfigError("empty certificate chain")
        if not hasattr(key, "sign") or not hasattr(key, "algorithm"):
            raise ConfigError("private key must be an x509 private key")
        ders = tuple(certificates.to_der(c) for c in chain)
        try:
            names = certificates.dns_names(chain[0])
        except Exception as exc:
            raise ConfigError(f"leaf certificate unreadable: {exc}") from None
        creds.append(ServerCredential(ders, key, names))
    return tuple(creds)


@dataclass(frozen=True, slots=True)
class ServerCredential:
    """One certificate chain (DER, leaf first), its private key and the leaf's DNS names."""

    chain: tuple[bytes, ...]
    private_key: certificates.PrivateKey
    names: tuple[str, ...]


@dataclass(frozen=True)
class ServerConfig:
    certificates: Sequence[Any]  # [(chain, private_key)]: chain of DER bytes or x509 certs
    alpn_protocols: Sequence[str | bytes] = ()
    cipher_suites: Sequence[Any] = DEFAULT_CIPHER_SUITES
    groups: Sequence[Any] = DEFAULT_SERVER_GROUPS
    signature_schemes: Sequence[Any] = DEFAULT_SIGNATURE_SCHEMES
    versions: Sequence[int] = (TLS13,)
    # Send a cookie in HelloRetryRequest and insist on it back (RFC 8446 §4.2.2).
    hello_retry_cookie: bool = True
    record_size_limit: int | None = None
    padding_block: int = 0
    # Ask clients for a certificate (RFC 8446 §4.3.2) and check it with this
    # authenticator (chain_of_trust(roots, purpose="client")); it is given no name.
    client_authenticator: Authenticator | None = None
    require_client_certificate: bool = False
    # NewSessionTickets sent after each full handshake (0: no resumption), their
    # lifetime, and the key sealing them (random per config when not given).
    session_tickets: int = 2
    ticket_lifetime: int = 7200
    ticket_key: bytes | None = field(default=None, repr=False)
    credentials: tuple[ServerCredential, ...] = field(default=(), init=False)

    def __post_init__(self) -> None:
        _common(self)
        creds = _credentials(self.certificates)
        if not creds:
            raise ConfigError("a server needs at least one certificate chain and key")
        object.__setattr__(self, "credentials", creds)
        if not 0 <= self.session_tickets <= 8:
            raise ConfigError("session_tickets must be within 0..8")
        if not 0 < self.ticket_lifetime <= 604800:  # RFC 8446 §4.6.1: at most 7 days
            raise ConfigError("ticket_lifetime must be within 1..604800 seconds")
        if self.ticket_key is None:
            from nocrypto import rng

            object.__setattr__(self, "ticket_key", rng.entropy(32))
        elif len(self.ticket_key) != 32:
            raise ConfigError("ticket_key must be 32 bytes")
        if self.require_client_certificate and self.client_authenticator is None:
            raise ConfigError("require_client_certificate needs a client_authenticator")
        if self.client_authenticator is not None and not callable(self.client_authenticator):
            raise ConfigError("client_authenticator must come from tls.authenticator")
        if authenticator.purpose_of(self.client_authenticator) == "server":
            # A certificate issued for serverAuth is no client identity (RFC 5280 §4.2.1.12).
            raise ConfigError("client_authenticator needs chain_of_trust(roots, purpose='client')")
