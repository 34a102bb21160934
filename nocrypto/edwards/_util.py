"""Argument checks and entropy shared by the Curve25519/Curve448 and ML-KEM public modules."""

from __future__ import annotations

from nocrypto import rng


def as_bytes(name: str, value: object, length: int | None = None) -> bytes:
    """``value`` as ``bytes``; TypeError for a non-bytes-like, ValueError for a wrong length."""
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise TypeError(f"{name} must be bytes-like, not {type(value).__name__}")
    b = bytes(value)
    if length is not None and len(b) != length:
        raise ValueError(f"{name} must be {length} bytes long, got {len(b)}")
    return b


def entropy(n: int) -> bytes:
    """``n`` bytes from nocrypto's entropy source, for fresh private keys."""
    return bytes(rng.entropy(n))


def is_all_zero(value: bytes) -> bool:
    """True when every byte is zero, without stopping at the first non-zero byte."""
    acc = 0
    for byte in value:
        acc |= byte
    return acc == 0
