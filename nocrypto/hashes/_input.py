"""Argument checking shared by the hash, MAC and KDF code."""

from __future__ import annotations

BytesLike = bytes | bytearray | memoryview


def as_bytes(value: object, what: str = "data") -> bytes:
    """``value`` as ``bytes``; ``TypeError`` naming ``what`` for anything not bytes-like.

    ``str`` is refused on purpose: hashing text needs an explicit encoding.
    """
    if isinstance(value, bytes):
        return value
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    raise TypeError(f"{what} must be bytes, bytearray or memoryview, not {type(value).__name__}")
