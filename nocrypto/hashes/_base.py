"""The buffering shared by the Merkle-Damgard hashes (SHA-1 and SHA-2).

A subclass supplies the initial chaining value and ``_compress(state, data, end)``,
which runs the compression function over ``data[0:end]`` (a whole number of blocks)
and returns the new chaining value.  Everything here is independent of the message
content except the lengths, which are public.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import ClassVar

from nocrypto.hashes._input import as_bytes


class MerkleDamgard:
    """A hashlib-like object: ``update``, ``digest``, ``hexdigest``, ``copy``."""

    name: ClassVar[str]
    digest_size: ClassVar[int]
    block_size: ClassVar[int]
    _iv: ClassVar[tuple[int, ...]]
    _word_bytes: ClassVar[int]  # 4 for SHA-1/SHA-256, 8 for SHA-512: width of the length field / 2
    _compress: Callable[[tuple[int, ...], bytes, int], tuple[int, ...]]  # a staticmethod

    # _lock: one object may be shared by threads (as hashlib's may): each method runs
    # whole, never interleaved with another thread's update.
    __slots__ = ("_state", "_pending", "_length", "_lock")

    def __init__(self, data: bytes | bytearray | memoryview = b"") -> None:
        self._state = self._iv
        self._pending = b""
        self._length = 0
        self._lock = threading.Lock()
        if data:
            self.update(data)

    def update(self, data: bytes | bytearray | memoryview) -> None:
        data = as_bytes(data)
        with self._lock:
            self._length += len(data)
            buf = self._pending + data if self._pending else data
            end = len(buf) - len(buf) % self.block_size
            if end:
                self._state = self._compress(self._state, buf, end)
            self._pending = buf[end:]

    def copy(self) -> MerkleDamgard:
        other = object.__new__(type(self))
        with self._lock:
            other._state = self._state
            other._pending = self._pending
            other._length = self._length
        other._lock = threading.Lock()
        return other

    def digest(self) -> bytes:
        # Padding: 0x80, zeros, then the bit length in 2*word_bytes big-endian bytes.
        bs = self.block_size
        length_bytes = 2 * self._word_bytes
        with self._lock:
            state, pending, length = self._state, self._pending, self._length
        tail = pending + b"\x80"
        tail += bytes(-(len(tail) + length_bytes) % bs)
        tail += (length * 8).to_bytes(length_bytes, "big")
        state = self._compress(state, tail, len(tail))
        out = b"".join(w.to_bytes(self._word_bytes, "big") for w in state)
        return out[: self.digest_size]

    def hexdigest(self) -> str:
        return self.digest().hex()
