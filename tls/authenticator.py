"""How a peer's certificate chain is trusted: the server's by a client, a client's by a server.

An authenticator is a pure function ``(chain_der, server_name, now) -> PublicKey``:
it returns the leaf's public key (used to check CertificateVerify) or raises
:class:`tls.failures.PeerError` with the reason the chain was refused.
"""

from __future__ import annotations

import datetime
import ipaddress
from collections.abc import Callable, Sequence
from typing import Any

from tls import certificates, crypto
from tls.failures import PeerError, Reason

Authenticator = Callable[[tuple[bytes, ...], "str | None", float], certificates.PublicKey]


# x509.ValidationError.reason -> the alert RFC 8446 §6.2 names for it.
_REASONS = {
    "no_path": Reason.unknown_ca,
    "not_a_ca": Reason.unknown_ca,
    "path_length": Reason.unknown_ca,
    "name_constraints": Reason.unknown_ca,
    "expired": Reason.certificate_expired,
    "not_yet_valid": Reason.certificate_expired,
    "revoked": Reason.certificate_revoked,
    "unsupported_algorithm": Reason.unsupported_certificate,
    "weak_key": Reason.unsupported_certificate,
    "weak_signature": Reason.unsupported_certificate,
    "name_mismatch": Reason.certificate_unknown,
    "key_usage": Reason.certificate_unknown,
    "extended_key_usage": Reason.certificate_unknown,
    "policy": Reason.certificate_unknown,
}


def _validation_reason(reason: object) -> Reason:
    """Map an ``x509.ValidationError.reason`` to the TLS alert it deserves."""
    return _REASONS.get(str(reason), Reason.bad_certificate)


def _leaf_key(chain: tuple[bytes, ...]) -> certificates.PublicKey:
    try:
        return certificates.leaf_public_key(chain[0])
    except Exception as exc:  # x509 parse errors of every kind mean one thing here
        raise PeerError(Reason.bad_certificate, f"leaf certificate unreadable: {exc}") from None


PURPOSES = ("server", "client")


# Parsed certificates by their DER bytes.  A server presents the same chain to every
# client, so a client making many connections would otherwise decode it each time.
# Only what is a pure function of the bytes is remembered — the parse, and on the
# parsed certificate a successful signature check and the outcome of each profile rule
# that reads nothing but the certificate (x509.verify) — never a verdict: every
# handshake still checks validity at its own time, names, usages, the path's
# constraints and policies.
_PARSED: dict[bytes, Any] = {}
_PARSED_MAX = 256


def _parse(der: bytes) -> Any:
    import x509

    der = bytes(der)
    cert = _PARSED.get(der)
    if cert is None:
        cert = x509.Certificate.from_der(der)
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()  # crude but bounded; a busy client re-parses once
        _PARSED[der] = cert
    return cert


class ChainOfTrust:
    """The authenticator :func:`chain_of_trust` returns (see there).

    ``needs_server_name`` tells ``engine.client`` that a connection without a
    server name cannot be authenticated by it, so that such a connection is
    refused when it is created instead of silently skipping the name check."""

    def __init__(
        self, roots: Sequence[Any], time: float | None, check_hostname: bool, purpose: str
    ) -> None:
        import x509

        self.roots = tuple(
            x509.Certificate.from_der(bytes(r)) if isinstance(r, bytes | bytearray) else r
            for r in roots
        )
        self.time = time
        self.needs_server_name = check_hostname
        self.purpose = purpose
        # A Verifier of the roots and options, made at the first handshake; each
        # handshake derives its own from it (Verifier.for_chain) with the peer's
        # intermediates and the handshake's time, so the roots are indexed only once.
        self._verifier: Any = None

    def _template(self) -> Any:
        import x509

        verifier = self._verifier
        if verifier is None:
            verifier = self._verifier = x509.Verifier(
                self.roots,
                # RFC 5280 §4.2.1.12: a server certificate must allow serverAuth, a
                # client certificate clientAuth (when the leaf has an EKU at all).
                extended_key_usage=[self.purpose],
                # RFC 8446 §4.4.2.2 / RFC 5280 §4.2.1.3: the TLS 1.3 leaf signs
                # CertificateVerify, so a keyUsage present must allow digitalSignature.
                key_usage=["digitalSignature"],
            )
        return verifier

    def __call__(
        self, chain: tuple[bytes, ...], server_name: str | None, now: float
    ) -> certificates.PublicKey:
        import x509

        if self.needs_server_name and not server_name:
            # engine.client refuses this up front; a caller reaching here directly
            # must not get a chain accepted for whatever host it names.
            raise PeerError(Reason.certificate_unknown, "no server name to check the leaf against")
        try:
            parsed = [_parse(der) for der in chain]
        except Exception as exc:
            raise PeerError(Reason.bad_certificate, f"certificate unreadable: {exc}") from None
        when = datetime.datetime.fromtimestamp(
            self.time if self.time is not None else now, datetime.UTC
        )
        name: Any = server_name if self.needs_server_name else None
        if name is not None and certificates.is_ip_address(name):
            name = ipaddress.ip_address(name)
        verifier = self._template().for_chain(parsed[1:], when)
        try:
            verifier.verify(parsed[0], name=name)
        except x509.ValidationError as exc:
            raise PeerError(_validation_reason(exc.reason), str(exc)) from None
        return parsed[0].public_key()


def chain_of_trust(
    roots: Sequence[Any],
    time: float | None = None,
    check_hostname: bool | None = None,
    purpose: str = "server",
) -> Authenticator:
    """Validate the chain to one of ``roots`` for ``purpose`` ("server": the
    authenticator of a ClientConfig; "client": the ``client_authenticator`` of a
    ServerConfig) and, for a server, the leaf against the server name.

    ``check_hostname`` defaults to True for purpose "server" (a client then must
    give ``engine.client`` a server name) and is always False for "client"."""
    if purpose not in PURPOSES:
        raise ValueError(f"purpose must be 'server' or 'client', not {purpose!r}")
    if check_hostname is None:
        check_hostname = purpose == "server"
    if check_hostname and purpose == "client":
        raise ValueError("a client certificate has no host name to check (purpose='client')")
    return ChainOfTrust(roots, time, bool(check_hostname), purpose)


def needs_server_name(auth: Any) -> bool:
    """True when ``auth`` checks the leaf against the server name (so needs one)."""
    return bool(getattr(auth, "needs_server_name", False))


def purpose_of(auth: Any) -> str | None:
    """The purpose ("server" or "client") of a :func:`chain_of_trust` authenticator."""
    return getattr(auth, "purpose", None)


def fingerprint(sha256_hex: str) -> Authenticator:
    """Trust exactly the leaf certificate whose SHA-256 is ``sha256_hex`` (pinning)."""
    expected = bytes.fromhex(sha256_hex.replace(":", ""))
    if len(expected) != 32:
        raise ValueError("fingerprint must be a SHA-256 digest (64 hex digits)")

    def authenticate(
        chain: tuple[bytes, ...], server_name: str | None, now: float
    ) -> certificates.PublicKey:
        if not crypto.constant_time_equal(crypto.digest("sha256", chain[0]), expected):
            raise PeerError(Reason.bad_certificate, "leaf fingerprint does not match")
        return _leaf_key(chain)

    return authenticate


def insecure_no_verification() -> Authenticator:
    """Accept any certificate (the handshake signature is still checked).  Tests only."""

    def authenticate(
        chain: tuple[bytes, ...], server_name: str | None, now: float
    ) -> certificates.PublicKey:
        return _leaf_key(chain)

    return authenticate
