"""Raw AES: the block function and CBC without padding.

These are building blocks (TLS 1.2 CBC suites, key wrapping, tests), not a way to
encrypt data safely on their own: CBC has no integrity and the caller does the padding.
The Cython kernel (AES-NI, or a constant-time bitsliced path) is used when built; the
pure-Python reference uses lookup tables and is not constant time (see
``nocrypto.symmetric.aes``).
"""

from __future__ import annotations

from typing import Any

from nocrypto._backend import kernel
from nocrypto.symmetric import aes as _aes_py
from nocrypto.symmetric._util import BytesLike

__all__ = ["AES", "aes_cbc_decrypt", "aes_cbc_encrypt"]

_aes_k = kernel("nocrypto.symmetric._aes_cy")


class AES:
    """An expanded AES key (16, 24 or 32 bytes; ``ValueError`` otherwise)."""

    __slots__ = ("_impl",)
    block_size = 16

    def __init__(self, key: BytesLike) -> None:
        self._impl: Any = _aes_k.AES(key) if _aes_k is not None else _aes_py.AES(key)

    def encrypt_block(self, block: BytesLike) -> bytes:
        """Encrypt exactly one 16-byte block."""
        return self._impl.encrypt_block(block)  # type: ignore[no-any-return]

    def decrypt_block(self, block: BytesLike) -> bytes:
        """Decrypt exactly one 16-byte block."""
        return self._impl.decrypt_block(block)  # type: ignore[no-any-return]

    def cbc_encrypt(self, iv: BytesLike, data: BytesLike) -> bytes:
        return self._impl.cbc_encrypt(iv, data)  # type: ignore[no-any-return]

    def cbc_decrypt(self, iv: BytesLike, data: BytesLike) -> bytes:
        return self._impl.cbc_decrypt(iv, data)  # type: ignore[no-any-return]


def aes_cbc_encrypt(key: BytesLike, iv: BytesLike, data: BytesLike) -> bytes:
    """CBC-encrypt ``data`` (a multiple of 16 bytes, else ``ValueError``); no padding."""
    return AES(key).cbc_encrypt(iv, data)


def aes_cbc_decrypt(key: BytesLike, iv: BytesLike, data: BytesLike) -> bytes:
    """CBC-decrypt ``data`` (a multiple of 16 bytes, else ``ValueError``); no padding removed."""
    return AES(key).cbc_decrypt(iv, data)
