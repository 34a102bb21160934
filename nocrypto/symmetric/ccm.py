"""AES-CCM (NIST SP 800-38C, RFC 3610): CBC-MAC then CTR, on top of an AES key object.

The mode logic is small and not on a hot path beyond the AES calls, so it stays in
Python for both backends: it is handed either the pure-Python ``AES`` or the kernel's
``AES`` (any object with ``encrypt_block``, ``cbc_mac`` and ``ctr32``).  Its timing
behaviour is therefore that of the AES underneath; the message lengths, which CCM
encodes in the clear anyway, are the only values it branches on.  The tag comparison is
a single XOR of two integers.

Decryption must run CTR before it can recompute the MAC over the plaintext; the
recovered plaintext is dropped (never returned or written out) when the tag fails.
"""

from __future__ import annotations

from typing import Protocol

from nocrypto._errors import AuthenticationError
from nocrypto.symmetric._util import BytesLike, as_bytes, ct_equal, write_into

__all__ = ["CCM"]


class BlockCipher(Protocol):
    def encrypt_block(self, block: BytesLike) -> bytes: ...
    def cbc_mac(self, data: BytesLike) -> bytes: ...
    def ctr32(self, counter_block: BytesLike, data: BytesLike) -> bytes: ...


def _pad16(b: bytes) -> bytes:
    return b + bytes(-len(b) % 16)


def _encode_aad(a: bytes) -> bytes:
    # SP 800-38C A.2.2: the length prefix grows with the associated data.
    n = len(a)
    if n == 0:
        return b""
    if n < 0xFF00:
        head = n.to_bytes(2, "big")
    elif n < 1 << 32:
        head = b"\xff\xfe" + n.to_bytes(4, "big")
    else:
        head = b"\xff\xff" + n.to_bytes(8, "big")
    return _pad16(head + a)


class CCM:
    """An AES-CCM key with a fixed tag length (4, 6, 8, 10, 12, 14 or 16 bytes)."""

    __slots__ = ("_aes", "tag_length")

    def __init__(self, aes: BlockCipher, tag_length: int = 16) -> None:
        if tag_length not in (4, 6, 8, 10, 12, 14, 16):
            raise ValueError(f"CCM tag length must be 4, 6, ..., 16 bytes, not {tag_length}")
        self._aes = aes
        self.tag_length = tag_length

    def _check(self, nonce: bytes, length: int) -> int:
        if not 7 <= len(nonce) <= 13:
            raise ValueError(f"CCM nonce must be 7 to 13 bytes long, not {len(nonce)}")
        q = 15 - len(nonce)
        # The counter runs on the 32-bit inc32 of ``ctr32``, which equals CCM's q-byte
        # counter as long as it does not wrap: 2^32 blocks, far beyond memory anyway.
        if (q < 8 and length >= 1 << (8 * q)) or length > (1 << 36) - 32:
            raise ValueError(f"CCM message too long for a {len(nonce)}-byte nonce")
        return q

    def _mac(self, nonce: bytes, q: int, aad: bytes, plaintext: bytes) -> bytes:
        flags = (0x40 if aad else 0) | (((self.tag_length - 2) // 2) << 3) | (q - 1)
        b0 = bytes([flags]) + nonce + len(plaintext).to_bytes(q, "big")
        return self._aes.cbc_mac(b0 + _encode_aad(aad) + _pad16(plaintext))

    def _ctr(self, nonce: bytes, q: int, data: bytes) -> tuple[bytes, bytes]:
        # Counter block i is flags(q-1) || N || [i]_q; S0 masks the tag, S1.. the payload.
        a0 = bytes([q - 1]) + nonce + bytes(q)
        s0 = self._aes.encrypt_block(a0)
        a1 = a0[:-1] + b"\x01"
        return s0, self._aes.ctr32(a1, data)

    def seal(self, nonce: BytesLike, plaintext: BytesLike, aad: BytesLike = b"") -> bytes:
        n = as_bytes(nonce, "nonce")
        p = as_bytes(plaintext, "plaintext")
        a = as_bytes(aad, "aad")
        q = self._check(n, len(p))
        t = self._mac(n, q, a, p)
        s0, c = self._ctr(n, q, p)
        tag = (int.from_bytes(t, "big") ^ int.from_bytes(s0, "big")).to_bytes(16, "big")
        return c + tag[: self.tag_length]

    def open(self, nonce: BytesLike, ciphertext_and_tag: BytesLike, aad: BytesLike = b"") -> bytes:
        n = as_bytes(nonce, "nonce")
        d = as_bytes(ciphertext_and_tag, "ciphertext")
        a = as_bytes(aad, "aad")
        tl = self.tag_length
        if len(d) < tl:
            raise AuthenticationError("CCM input shorter than its tag")
        c, tag = d[:-tl], d[-tl:]
        q = self._check(n, len(c))
        s0, p = self._ctr(n, q, c)
        t = self._mac(n, q, a, p)
        expected = (int.from_bytes(t, "big") ^ int.from_bytes(s0, "big")).to_bytes(16, "big")
        if not ct_equal(expected[:tl], tag):
            raise AuthenticationError("CCM tag mismatch")
        return p

    def seal_into(
        self, nonce: BytesLike, plaintext: BytesLike, aad: BytesLike, out: BytesLike
    ) -> int:
        return write_into(out, self.seal(nonce, plaintext, aad))

    def open_into(
        self, nonce: BytesLike, ciphertext_and_tag: BytesLike, aad: BytesLike, out: BytesLike
    ) -> int:
        return write_into(out, self.open(nonce, ciphertext_and_tag, aad))
