"""How a client decides to trust the server's certificate chain.

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


def chain_of_trust(
    roots: Sequence[Any], time: float | None = None, check_hostname: bool = True
) -> Authenticator:
    """Validate the chain to one of ``roots`` and (unless ``check_hostname`` is
    False) the leaf against the server name."""
    import x509

    root_certs = tuple(
        x509.Certificate.from_der(r) if isinstance(r, bytes | bytearray) else r for r in roots
    )

    def authenticate(
        chain: tuple[bytes, ...], server_name: str | None, now: float
    ) -> certificates.PublicKey:
        try:
            parsed = [x509.Certificate.from_der(der) for der in chain]
        except Exception as exc:
            raise PeerError(Reason.bad_certificate, f"certificate unreadable: {exc}") from None
        when = datetime.datetime.fromtimestamp(time if time is not None else now, datetime.UTC)
        name: Any = server_name if check_hostname else None
        if name is not None and certificates.is_ip_address(name):
            name = ipaddress.ip_address(name)
        verifier = x509.Verifier(root_certs, intermediates=tuple(parsed[1:]), time=when)
        try:
            verifier.verify(parsed[0], name=name)
        except x509.ValidationError as exc:
            raise PeerError(_validation_reason(exc.reason), str(exc)) from None
        return parsed[0].public_key()

    return authenticate


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
