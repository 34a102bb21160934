"""SHA3-256, SHA3-512, SHAKE128 and SHAKE256 (FIPS 202), in pure Python.

The state is 25 lanes of 64 bits, lane ``x + 5*y`` holding A[x, y].  The round
constants and rotation offsets are derived at import from their definitions in
FIPS 202 (3.2.2 and 3.2.5) rather than typed in, so the tables cannot carry a typo.

Side channels: Keccak has no data-dependent branches or table lookups at all; in
CPython only the usual caveat of variable-length integer arithmetic applies.
"""

from __future__ import annotations

import struct
import threading
from typing import ClassVar

from nocrypto.hashes._input import as_bytes

_M64 = 0xFFFFFFFFFFFFFFFF


def _rc_bit(t: int) -> int:
    """FIPS 202 Algorithm 5: output bit t of the degree-8 LFSR."""
    if t % 255 == 0:
        return 1
    r = 0x01
    for _ in range(t % 255):
        r <<= 1
        if r & 0x100:
            r ^= 0x171  # x^8 + x^6 + x^5 + x^4 + 1
    return r & 1


def _round_constants() -> tuple[int, ...]:
    out = []
    for ir in range(24):
        rc = 0
        for j in range(7):
            rc |= _rc_bit(j + 7 * ir) << ((1 << j) - 1)
        out.append(rc)
    return tuple(out)


def _rho_pi() -> tuple[tuple[int, int, int], ...]:
    """(source lane, destination lane, rotation) for the combined rho and pi steps."""
    rot = [0] * 25
    x, y = 1, 0
    for t in range(24):  # FIPS 202 Algorithm 2
        rot[x + 5 * y] = ((t + 1) * (t + 2) // 2) % 64
        x, y = y, (2 * x + 3 * y) % 5
    # pi: A'[x, y] = A[(x + 3y) mod 5, x], i.e. A[x, y] moves to (y, 2x + 3y).
    return tuple(
        (x + 5 * y, y + 5 * ((2 * x + 3 * y) % 5), rot[x + 5 * y])
        for y in range(5)
        for x in range(5)
    )


_RC = _round_constants()
_RHO_PI = _rho_pi()


def keccak_f1600(a: list[int]) -> None:
    """Keccak-f[1600] on the lane list ``a`` in place (FIPS 202 3.3)."""
    m = _M64
    rho_pi = _RHO_PI
    b = [0] * 25
    for rc in _RC:
        # theta
        c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20]
        c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21]
        c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22]
        c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23]
        c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24]
        d = (
            c4 ^ ((c1 << 1 | c1 >> 63) & m),
            c0 ^ ((c2 << 1 | c2 >> 63) & m),
            c1 ^ ((c3 << 1 | c3 >> 63) & m),
            c2 ^ ((c4 << 1 | c4 >> 63) & m),
            c3 ^ ((c0 << 1 | c0 >> 63) & m),
        )
        # rho and pi
        for src, dst, r in rho_pi:
            v = a[src] ^ d[src % 5]
            b[dst] = (v << r | v >> (64 - r)) & m if r else v
        # chi: A[x] = B[x] ^ (~B[x+1] & B[x+2]) along each row
        for y in range(0, 25, 5):
            b0, b1, b2, b3, b4 = b[y], b[y + 1], b[y + 2], b[y + 3], b[y + 4]
            a[y] = b0 ^ (~b1 & b2)
            a[y + 1] = b1 ^ (~b2 & b3)
            a[y + 2] = b2 ^ (~b3 & b4)
            a[y + 3] = b3 ^ (~b4 & b0)
            a[y + 4] = b4 ^ (~b0 & b1)
        # iota
        a[0] ^= rc


class Keccak:
    """The sponge: absorb with ``update``, squeeze with ``digest`` (the object is not consumed)."""

    name: ClassVar[str]
    digest_size: ClassVar[int]  # 0 for the XOFs, as in hashlib
    block_size: ClassVar[int]  # the rate in bytes
    _suffix: ClassVar[int]  # domain separation bits plus the first padding bit

    # _lock: one object may be shared by threads (as hashlib's may): each method runs
    # whole, never interleaved with another thread's update.
    __slots__ = ("_lanes", "_pending", "_lock")

    def __init__(self, data: bytes | bytearray | memoryview = b"") -> None:
        self._lanes = [0] * 25
        self._pending = b""
        self._lock = threading.Lock()
        if data:
            self.update(data)

    def update(self, data: bytes | bytearray | memoryview) -> None:
        data = as_bytes(data)
        rate = self.block_size
        with self._lock:
            buf = self._pending + data if self._pending else data
            end = len(buf) - len(buf) % rate
            if end:
                _absorb(self._lanes, buf, end, rate)
            self._pending = buf[end:]

    def copy(self) -> Keccak:
        other = object.__new__(type(self))
        with self._lock:
            other._lanes = list(self._lanes)
            other._pending = self._pending
        other._lock = threading.Lock()
        return other

    def _squeeze(self, length: int) -> bytes:
        rate = self.block_size
        with self._lock:
            lanes = list(self._lanes)
            pending = self._pending
        # pad10*1 with the domain bits: suffix byte, zeros, final 0x80 (may share a byte).
        last = bytearray(pending)
        last.append(self._suffix)
        last.extend(bytes(rate - len(last)))
        last[-1] |= 0x80
        _absorb(lanes, bytes(last), rate, rate)
        out = bytearray()
        words = rate // 8
        lane_struct = struct.Struct(f"<{words}Q")
        while True:
            out += lane_struct.pack(*lanes[:words])
            if len(out) >= length:
                return bytes(out[:length])
            keccak_f1600(lanes)


def _absorb(lanes: list[int], data: bytes, end: int, rate: int) -> None:
    words = rate // 8
    unpack = struct.Struct(f"<{words}Q").unpack_from
    for off in range(0, end, rate):
        for i, w in enumerate(unpack(data, off)):
            lanes[i] ^= w
        keccak_f1600(lanes)


class _FixedSHA3(Keccak):
    __slots__ = ()
    _suffix = 0x06  # SHA-3 domain bits 01, then the pad's first 1

    def digest(self) -> bytes:
        return self._squeeze(self.digest_size)

    def hexdigest(self) -> str:
        return self.digest().hex()


class _Shake(Keccak):
    __slots__ = ()
    _suffix = 0x1F  # SHAKE domain bits 1111, then the pad's first 1
    digest_size = 0

    def digest(self, length: int) -> bytes:
        if not isinstance(length, int) or isinstance(length, bool):
            raise TypeError(f"length must be an int, not {type(length).__name__}")
        if length < 0:
            raise ValueError("length must be non-negative")
        return self._squeeze(length)

    def hexdigest(self, length: int) -> str:
        return self.digest(length).hex()


class SHA3_256(_FixedSHA3):  # noqa: N801 (the standard's name)
    name = "sha3_256"
    digest_size = 32
    block_size = 136
    __slots__ = ()


class SHA3_512(_FixedSHA3):  # noqa: N801
    name = "sha3_512"
    digest_size = 64
    block_size = 72
    __slots__ = ()


class SHAKE128(_Shake):
    name = "shake128"
    block_size = 168
    __slots__ = ()


class SHAKE256(_Shake):
    name = "shake256"
    block_size = 136
    __slots__ = ()
