"""ChaCha20, Poly1305 and their AEAD (RFC 8439), plus HChaCha20 for XChaCha20, in pure Python.

ChaCha20 is an add-rotate-xor design, so it has no secret-indexed tables; Poly1305 uses
CPython big integers.  Timing limits of this reference: CPython's integer operations
take time that depends on the size of their operands (an accumulator that happens to be
small is handled faster), so neither part is strictly constant time.  The Cython kernel
uses fixed-width limbs and no data-dependent branches.

Speed: the blocks of one message are independent, so all of them are computed at once.
Each of the sixteen state words becomes one big integer holding that word of every block
in its own 64-bit lane; an addition's carry spills into the empty upper half of its lane
and is masked off.  CPython then runs each quarter-round step over all blocks in C.
"""

from __future__ import annotations

from nocrypto._errors import AuthenticationError
from nocrypto.symmetric._util import BytesLike, as_bytes, ct_equal, write_into

__all__ = ["ChaCha20Poly1305", "chacha20_xor", "hchacha20", "poly1305_mac"]

_SIGMA = (0x61707865, 0x3320646E, 0x79622D32, 0x6B206574)  # "expand 32-byte k"
_P1305 = (1 << 130) - 5
_CLAMP = 0x0FFFFFFC0FFFFFFC0FFFFFFC0FFFFFFF
TAG_SIZE = 16


def _rounds(x: list[int], m: int) -> None:
    """Twenty ChaCha rounds on lane-packed words; ``m`` keeps the low 32 bits of each lane."""

    def qr(a: int, b: int, c: int, d: int) -> None:
        xa, xb, xc, xd = x[a], x[b], x[c], x[d]
        xa = (xa + xb) & m
        xd ^= xa
        xd = ((xd << 16) | (xd >> 16)) & m
        xc = (xc + xd) & m
        xb ^= xc
        xb = ((xb << 12) | (xb >> 20)) & m
        xa = (xa + xb) & m
        xd ^= xa
        xd = ((xd << 8) | (xd >> 24)) & m
        xc = (xc + xd) & m
        xb ^= xc
        xb = ((xb << 7) | (xb >> 25)) & m
        x[a], x[b], x[c], x[d] = xa, xb, xc, xd

    for _ in range(10):
        qr(0, 4, 8, 12)
        qr(1, 5, 9, 13)
        qr(2, 6, 10, 14)
        qr(3, 7, 11, 15)
        qr(0, 5, 10, 15)
        qr(1, 6, 11, 12)
        qr(2, 7, 8, 13)
        qr(3, 4, 9, 14)


def _words(b: bytes) -> list[int]:
    return [int.from_bytes(b[i : i + 4], "little") for i in range(0, len(b), 4)]


def chacha20_keystream(key: bytes, counter: int, nonce: bytes, nblocks: int) -> bytes:
    """``nblocks`` 64-byte ChaCha20 blocks starting at block ``counter`` (RFC 8439 2.3)."""
    if nblocks == 0:
        return b""
    lane = b"\x01" + bytes(7)
    rep = int.from_bytes(lane * nblocks, "little")
    m = 0xFFFFFFFF * rep
    init = [w * rep for w in _SIGMA + tuple(_words(key))]
    ctr = int.from_bytes(
        b"".join(((counter + j) & 0xFFFFFFFF).to_bytes(8, "little") for j in range(nblocks)),
        "little",
    )
    init.append(ctr)
    init.extend(w * rep for w in _words(nonce))
    x = list(init)
    _rounds(x, m)
    out = bytearray(64 * nblocks)
    n8 = 8 * nblocks
    for k in range(16):
        wb = ((x[k] + init[k]) & m).to_bytes(n8, "little")
        for b in range(4):
            out[4 * k + b :: 64] = wb[b::8]
    return bytes(out)


def chacha20_xor(key: BytesLike, counter: int, nonce: BytesLike, data: BytesLike) -> bytes:
    """XOR ``data`` with the ChaCha20 keystream (32-byte key, 12-byte nonce)."""
    k = as_bytes(key, "key")
    n = as_bytes(nonce, "nonce")
    d = as_bytes(data, "data")
    if len(k) != 32 or len(n) != 12:
        raise ValueError("ChaCha20 needs a 32-byte key and a 12-byte nonce")
    if not d:
        return b""
    nblocks = (len(d) + 63) // 64
    if counter + nblocks > 1 << 32:
        raise ValueError("ChaCha20 block counter would wrap (message too long)")
    ks = chacha20_keystream(k, counter, n, nblocks)
    size = len(d)
    return (int.from_bytes(d, "little") ^ int.from_bytes(ks[:size], "little")).to_bytes(
        size, "little"
    )


def hchacha20(key: BytesLike, nonce16: BytesLike) -> bytes:
    """HChaCha20 (draft-irtf-cfrg-xchacha 2.2): a 32-byte subkey from a key and 16 bytes."""
    k = as_bytes(key, "key")
    n = as_bytes(nonce16, "nonce")
    if len(k) != 32 or len(n) != 16:
        raise ValueError("HChaCha20 needs a 32-byte key and a 16-byte nonce")
    x = list(_SIGMA) + _words(k) + _words(n)
    _rounds(x, 0xFFFFFFFF)
    return b"".join(w.to_bytes(4, "little") for w in x[0:4] + x[12:16])


def poly1305_mac(key: BytesLike, msg: BytesLike) -> bytes:
    """The Poly1305 one-time authenticator (RFC 8439 2.5)."""
    k = as_bytes(key, "key")
    if len(k) != 32:
        raise ValueError("Poly1305 needs a 32-byte one-time key")
    m = as_bytes(msg, "message")
    r = int.from_bytes(k[:16], "little") & _CLAMP
    s = int.from_bytes(k[16:], "little")
    acc = 0
    frm = int.from_bytes
    full = len(m) - len(m) % 16
    hibit = 1 << 128
    for i in range(0, full, 16):
        acc = (acc + (frm(m[i : i + 16], "little") | hibit)) * r % _P1305
    if full != len(m):
        tail = m[full:]
        acc = (acc + (frm(tail, "little") | (1 << (8 * len(tail))))) * r % _P1305
    return ((acc + s) & ((1 << 128) - 1)).to_bytes(16, "little")


def _mac_data(aad: bytes, ciphertext: bytes) -> bytes:
    return (
        aad
        + bytes(-len(aad) % 16)
        + ciphertext
        + bytes(-len(ciphertext) % 16)
        + len(aad).to_bytes(8, "little")
        + len(ciphertext).to_bytes(8, "little")
    )


class ChaCha20Poly1305:
    """The RFC 8439 AEAD under one 32-byte key; 12-byte nonces, 16-byte tags."""

    __slots__ = ("_key",)

    def __init__(self, key: BytesLike) -> None:
        k = as_bytes(key, "key")
        if len(k) != 32:
            raise ValueError(f"ChaCha20-Poly1305 key must be 32 bytes long, not {len(k)}")
        self._key = k

    def _nonce(self, nonce: BytesLike) -> bytes:
        n = as_bytes(nonce, "nonce")
        if len(n) != 12:
            raise ValueError(f"ChaCha20-Poly1305 nonce must be 12 bytes long, not {len(n)}")
        return n

    def seal(self, nonce: BytesLike, plaintext: BytesLike, aad: BytesLike = b"") -> bytes:
        n = self._nonce(nonce)
        a = as_bytes(aad, "aad")
        otk = chacha20_keystream(self._key, 0, n, 1)[:32]
        c = chacha20_xor(self._key, 1, n, plaintext)
        return c + poly1305_mac(otk, _mac_data(a, c))

    def open(self, nonce: BytesLike, ciphertext_and_tag: BytesLike, aad: BytesLike = b"") -> bytes:
        n = self._nonce(nonce)
        d = as_bytes(ciphertext_and_tag, "ciphertext")
        a = as_bytes(aad, "aad")
        if len(d) < TAG_SIZE:
            raise AuthenticationError("ChaCha20-Poly1305 input shorter than its tag")
        c, tag = d[:-TAG_SIZE], d[-TAG_SIZE:]
        otk = chacha20_keystream(self._key, 0, n, 1)[:32]
        if not ct_equal(poly1305_mac(otk, _mac_data(a, c)), tag):
            raise AuthenticationError("ChaCha20-Poly1305 tag mismatch")
        return chacha20_xor(self._key, 1, n, c)

    def seal_into(
        self, nonce: BytesLike, plaintext: BytesLike, aad: BytesLike, out: BytesLike
    ) -> int:
        return write_into(out, self.seal(nonce, plaintext, aad))

    def open_into(
        self, nonce: BytesLike, ciphertext_and_tag: BytesLike, aad: BytesLike, out: BytesLike
    ) -> int:
        return write_into(out, self.open(nonce, ciphertext_and_tag, aad))
