"""Small helpers shared by the pure-Python symmetric primitives."""

from __future__ import annotations

from typing import TypeAlias

BytesLike: TypeAlias = bytes | bytearray | memoryview


def as_bytes(b: BytesLike, what: str) -> bytes:
    if isinstance(b, bytes):
        return b
    if isinstance(b, bytearray | memoryview):
        return bytes(b)
    raise TypeError(f"{what} must be bytes, bytearray or memoryview, not {type(b).__name__}")


def ct_equal(a: bytes, b: bytes) -> bool:
    """Compare two equal-length secrets without stopping at the first difference.

    CPython gives no hard guarantee, but one XOR over two same-size integers and a test
    against zero does not branch on where the inputs differ.
    """
    if len(a) != len(b):
        return False
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")) == 0


def write_into(out: BytesLike, data: bytes) -> int:
    """Copy ``data`` to the start of the caller's writable buffer ``out``; return its length."""
    view = memoryview(out)
    if view.readonly:
        raise TypeError("output buffer must be writable (a bytearray or writable memoryview)")
    view = view.cast("B")
    if len(view) < len(data):
        raise ValueError(f"output buffer holds {len(view)} bytes but {len(data)} are needed")
    view[: len(data)] = data
    return len(data)
