"""Glue between TLS and ``x509``: certificate bytes, names and keys.

TLS never parses ASN.1; everything certificate-shaped goes through ``x509``.
"""

from __future__ import annotations

import functools
import ipaddress
from typing import Any, Protocol


class PublicKey(Protocol):
    algorithm: str
    curve: str | None

    def verify(self, signature: bytes, message: bytes, algorithm: str) -> bool: ...


class PrivateKey(Protocol):
    algorithm: str
    curve: str | None

    def sign(self, message: bytes, algorithm: str) -> bytes: ...


def to_der(cert: Any) -> bytes:
    """DER bytes of a certificate given as bytes or an ``x509.Certificate``."""
    if isinstance(cert, bytes | bytearray | memoryview):
        return bytes(cert)
    return bytes(cert.to_der())


def parse(der: bytes) -> Any:
    import x509

    return x509.Certificate.from_der(der)


def leaf_public_key(der: bytes) -> PublicKey:
    return parse(der).public_key()


def dns_names(cert: Any) -> tuple[str, ...]:
    """The DNS subjectAltNames of ``cert`` (lower case), for choosing a chain by SNI."""
    if isinstance(cert, bytes | bytearray | memoryview):
        cert = parse(bytes(cert))
    return tuple(v.lower() for kind, v in cert.subject_alt_names if kind == "dns")


def name_matches(pattern: str, name: str) -> bool:
    """RFC 6125 matching of one DNS name, with a single left-most wildcard label."""
    pattern, name = pattern.lower().rstrip("."), name.lower().rstrip(".")
    if pattern == name:
        return True
    if pattern.startswith("*.") and "." in name:
        return name.split(".", 1)[1] == pattern[2:]
    return False


@functools.lru_cache(maxsize=512)
def is_ip_address(name: str) -> bool:
    """Whether ``name`` is an IP address literal (remembered: a client asks about the same
    few names on every connection, and a failed parse costs an exception)."""
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
