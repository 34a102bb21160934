"""AES-GCM (NIST SP 800-38D) in pure Python: the readable reference.

GHASH multiplies by the hash key H through sixteen 256-entry tables per key
(``T[i][b] = (b * x^(8i)) * H``), so a block costs sixteen lookups instead of 128
shift-and-add steps.

Side channels: the tables are indexed by bytes of the running GHASH state, which
depends on H and on the data, and the AES underneath uses table lookups too (see
``nocrypto.symmetric.aes``).  This path is NOT constant time; it leaks through the
cache to a co-located attacker.  Use the Cython kernel (AES-NI + PCLMULQDQ, or its
bitsliced, table-free portable path) where that matters.  The tag comparison is a
single XOR of two integers, not an early-exit byte loop.
"""

from __future__ import annotations

from nocrypto._errors import AuthenticationError
from nocrypto.symmetric._util import BytesLike, as_bytes, ct_equal, write_into
from nocrypto.symmetric.aes import AES

__all__ = ["GCM", "TAG_SIZE"]

TAG_SIZE = 16
_R = 0xE1 << 120
_MAX_PLAINTEXT = (1 << 36) - 32  # SP 800-38D 5.2.1.1: at most 2^39 - 256 bits


def gf128_mul(x: int, y: int) -> int:
    """Multiply two GHASH field elements (SP 800-38D Algorithm 1), bit by bit."""
    z = 0
    v = y
    for i in range(127, -1, -1):
        if (x >> i) & 1:
            z ^= v
        v = (v >> 1) ^ _R if v & 1 else v >> 1
    return z


def _tables(h: int) -> list[list[int]]:
    # P[k] = H * x^k; byte i of a block (big-endian) holds the coefficients of
    # x^(8i) .. x^(8i+7), most significant bit first.
    p = [h]
    for _ in range(127):
        v = p[-1]
        p.append((v >> 1) ^ _R if v & 1 else v >> 1)
    tables = []
    for i in range(16):
        t = [0] * 256
        for j in range(8):
            t[1 << j] = p[8 * i + 7 - j]
        for b in range(1, 256):
            low = b & -b
            if b != low:
                t[b] = t[low] ^ t[b ^ low]
        tables.append(t)
    return tables


class GHASH:
    """The GHASH universal hash under one key H."""

    __slots__ = ("_t",)

    def __init__(self, h: bytes) -> None:
        self._t = _tables(int.from_bytes(h, "big"))

    def update(self, y: int, data: bytes) -> int:
        """Absorb ``data`` (zero-padded to whole blocks) into the state ``y``."""
        t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13, t14, t15 = self._t
        n = len(data)
        if n % 16:
            data = data + bytes(16 - n % 16)
        frm = int.from_bytes
        for i in range(0, len(data), 16):
            y ^= frm(data[i : i + 16], "big")
            y = (
                t0[y >> 120]
                ^ t1[(y >> 112) & 255]
                ^ t2[(y >> 104) & 255]
                ^ t3[(y >> 96) & 255]
                ^ t4[(y >> 88) & 255]
                ^ t5[(y >> 80) & 255]
                ^ t6[(y >> 72) & 255]
                ^ t7[(y >> 64) & 255]
                ^ t8[(y >> 56) & 255]
                ^ t9[(y >> 48) & 255]
                ^ t10[(y >> 40) & 255]
                ^ t11[(y >> 32) & 255]
                ^ t12[(y >> 24) & 255]
                ^ t13[(y >> 16) & 255]
                ^ t14[(y >> 8) & 255]
                ^ t15[y & 255]
            )
        return y


class GCM:
    """An AES-GCM key: the expanded AES key and the GHASH tables, built once."""

    __slots__ = ("_aes", "_ghash")

    def __init__(self, key: BytesLike) -> None:
        self._aes = AES(key)
        self._ghash = GHASH(self._aes.encrypt_block(bytes(16)))

    def _j0(self, nonce: bytes) -> bytes:
        if len(nonce) == 12:
            return nonce + b"\x00\x00\x00\x01"
        if not nonce:
            raise ValueError("GCM nonce must not be empty")
        # SP 800-38D 7.1 step 2: other nonce lengths are hashed into J0.
        y = self._ghash.update(0, nonce)
        y = self._ghash.update(y, (8 * len(nonce)).to_bytes(16, "big"))
        return y.to_bytes(16, "big")

    def _tag(self, j0: bytes, aad: bytes, ciphertext: bytes) -> bytes:
        g = self._ghash
        y = g.update(0, aad)
        y = g.update(y, ciphertext)
        y = g.update(
            y, (len(aad) * 8).to_bytes(8, "big") + (len(ciphertext) * 8).to_bytes(8, "big")
        )
        return (y ^ self._aes.encrypt_int(int.from_bytes(j0, "big"))).to_bytes(16, "big")

    @staticmethod
    def _inc32(j0: bytes) -> bytes:
        return j0[:12] + ((int.from_bytes(j0[12:], "big") + 1) & 0xFFFFFFFF).to_bytes(4, "big")

    def seal(self, nonce: BytesLike, plaintext: BytesLike, aad: BytesLike = b"") -> bytes:
        """Encrypt and authenticate: ``ciphertext || 16-byte tag``."""
        n = as_bytes(nonce, "nonce")
        p = as_bytes(plaintext, "plaintext")
        a = as_bytes(aad, "aad")
        if len(p) > _MAX_PLAINTEXT:
            raise ValueError("GCM plaintext longer than 2^36 - 32 bytes")
        j0 = self._j0(n)
        c = self._aes.ctr32(self._inc32(j0), p)
        return c + self._tag(j0, a, c)

    def open(self, nonce: BytesLike, ciphertext_and_tag: BytesLike, aad: BytesLike = b"") -> bytes:
        """Verify then decrypt; raises ``AuthenticationError`` and releases nothing on failure."""
        n = as_bytes(nonce, "nonce")
        d = as_bytes(ciphertext_and_tag, "ciphertext")
        a = as_bytes(aad, "aad")
        if len(d) < TAG_SIZE:
            raise AuthenticationError("GCM input shorter than its tag")
        c, tag = d[:-TAG_SIZE], d[-TAG_SIZE:]
        j0 = self._j0(n)
        if not ct_equal(self._tag(j0, a, c), tag):
            raise AuthenticationError("GCM tag mismatch")
        return self._aes.ctr32(self._inc32(j0), c)

    def seal_into(
        self, nonce: BytesLike, plaintext: BytesLike, aad: BytesLike, out: BytesLike
    ) -> int:
        """``seal`` writing into ``out`` (len(plaintext) + 16 bytes); returns that length."""
        return write_into(out, self.seal(nonce, plaintext, aad))

    def open_into(
        self, nonce: BytesLike, ciphertext_and_tag: BytesLike, aad: BytesLike, out: BytesLike
    ) -> int:
        """``open`` writing the plaintext into ``out``; nothing is written on failure."""
        return write_into(out, self.open(nonce, ciphertext_and_tag, aad))
