"""SHA-1 (FIPS 180-4 6.1), in pure Python.

SHA-1 is broken for collision resistance; it is here because TLS 1.2 HMAC-SHA1 record
protection, HKDF/HMAC test suites and old certificates still need it.  Do not use it
for new signatures.

Side channels: as for ``sha2``, no branch or table index depends on the data; CPython's
variable-length integers give no stronger timing guarantee than that.
"""

from __future__ import annotations

import struct

from nocrypto.hashes._base import MerkleDamgard

_M32 = 0xFFFFFFFF
_BLOCK = struct.Struct(">16I")


def compress(state: tuple[int, ...], data: bytes, end: int) -> tuple[int, ...]:
    """FIPS 180-4 6.1.2 over the 64-byte blocks of ``data[0:end]``."""
    m, unpack = _M32, _BLOCK.unpack_from
    h0, h1, h2, h3, h4 = state
    for off in range(0, end, 64):
        w = list(unpack(data, off))
        for t in range(16, 80):
            x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]
            w.append((x << 1 | x >> 31) & m)
        a, b, c, d, e = h0, h1, h2, h3, h4
        # Four groups of 20 rounds, each with its own function f and constant K.
        for t in range(0, 20):
            tmp = ((a << 5 | a >> 27) & m) + (d ^ (b & (c ^ d))) + e + 0x5A827999 + w[t]
            e, d, c, b, a = d, c, (b << 30 | b >> 2) & m, a, tmp & m
        for t in range(20, 40):
            tmp = ((a << 5 | a >> 27) & m) + (b ^ c ^ d) + e + 0x6ED9EBA1 + w[t]
            e, d, c, b, a = d, c, (b << 30 | b >> 2) & m, a, tmp & m
        for t in range(40, 60):
            tmp = ((a << 5 | a >> 27) & m) + ((b & c) | (d & (b | c))) + e + 0x8F1BBCDC + w[t]
            e, d, c, b, a = d, c, (b << 30 | b >> 2) & m, a, tmp & m
        for t in range(60, 80):
            tmp = ((a << 5 | a >> 27) & m) + (b ^ c ^ d) + e + 0xCA62C1D6 + w[t]
            e, d, c, b, a = d, c, (b << 30 | b >> 2) & m, a, tmp & m
        h0 = (h0 + a) & m
        h1 = (h1 + b) & m
        h2 = (h2 + c) & m
        h3 = (h3 + d) & m
        h4 = (h4 + e) & m
    return (h0, h1, h2, h3, h4)


class SHA1(MerkleDamgard):
    name = "sha1"
    digest_size = 20
    block_size = 64
    _word_bytes = 4
    _iv = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0)  # FIPS 180-4 5.3.1
    _compress = staticmethod(compress)
    __slots__ = ()
