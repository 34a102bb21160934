"""Authenticated encryption: AES-GCM, AES-CCM, ChaCha20-Poly1305 and XChaCha20-Poly1305.

Every class takes its key once (the expanded AES key and the GHASH key powers are kept),
then offers::

    seal(nonce, plaintext, aad=b"") -> ciphertext || tag
    open(nonce, ciphertext_and_tag, aad=b"") -> plaintext   # raises AuthenticationError
    seal_into(nonce, plaintext, aad, out) -> int   # writes len(plaintext) + tag bytes
    open_into(nonce, ciphertext_and_tag, aad, out) -> int   # writes len(plaintext) bytes
    seal_framed(nonce, prefix, plaintext, suffix=b"") -> prefix || ciphertext || tag

``seal_framed`` is the layout of records whose header travels in clear in front of the
ciphertext and is authenticated as the additional data (TLS 1.3, DTLS 1.3): the AEAD
input is ``plaintext || suffix`` (TLS 1.3 puts the content type there) and the
additional data is ``prefix``.  The kernels build it in one new ``bytes`` object, copying
the plaintext once and encrypting it in place.
``seal_into``/``open_into`` write into the start of a caller-supplied writable buffer
(``bytearray`` or writable ``memoryview``) so a record layer can reuse one buffer and
avoid copies; ``out`` may not overlap the input.  ``open``/``open_into`` verify the tag
before any plaintext leaves: on failure they raise ``nocrypto.AuthenticationError`` and
``out`` is left as it was (GCM and ChaCha20-Poly1305 authenticate before decrypting;
CCM, which must decrypt to authenticate, does so into a private buffer first).

The Cython kernels are used when built: AES-GCM on VAES/VPCLMULQDQ (AVX-512) or
AES-NI/PCLMULQDQ when the CPU has them, else on a constant-time bitsliced AES with a
constant-time carry-less multiply; ChaCha20-Poly1305 on AVX-512/AVX2 or portable C.
``NOCRYPTO_BACKEND=python`` forces the pure-Python references, which use lookup tables
and are not constant time (see ``nocrypto.symmetric.aes`` and ``.gcm``).
Bytes arguments accept ``bytes``, ``bytearray`` and ``memoryview``; a key of the wrong
length raises ``ValueError``.
"""

from __future__ import annotations

from typing import Any

from nocrypto._backend import kernel
from nocrypto.symmetric import ccm as _ccm
from nocrypto.symmetric import chacha20poly1305 as _chacha_py
from nocrypto.symmetric import gcm as _gcm_py
from nocrypto.symmetric._util import BytesLike, as_bytes
from nocrypto.symmetric.aes import AES as _AESPy

__all__ = ["AESCCM", "AESGCM", "ChaCha20Poly1305", "XChaCha20Poly1305"]

_gcm_k = kernel("nocrypto.symmetric._gcm_cy")
_aes_k = kernel("nocrypto.symmetric._aes_cy")
_chacha_k = kernel("nocrypto.symmetric._chacha20poly1305_cy")
_ccm_k = kernel("nocrypto.symmetric._ccm_cy")


class _AEAD:
    __slots__ = ("_impl",)
    _impl: Any

    def seal(self, nonce: BytesLike, plaintext: BytesLike, aad: BytesLike = b"") -> bytes:
        """Encrypt and authenticate; returns ``ciphertext || tag``."""
        return self._impl.seal(nonce, plaintext, aad)  # type: ignore[no-any-return]

    def open(self, nonce: BytesLike, ciphertext_and_tag: BytesLike, aad: BytesLike = b"") -> bytes:
        """Verify the tag, then decrypt; raises ``AuthenticationError`` on any mismatch."""
        return self._impl.open(nonce, ciphertext_and_tag, aad)  # type: ignore[no-any-return]

    def seal_into(
        self, nonce: BytesLike, plaintext: BytesLike, aad: BytesLike, out: BytesLike
    ) -> int:
        """``seal`` into the start of the writable buffer ``out``; returns the bytes written."""
        return self._impl.seal_into(nonce, plaintext, aad, out)  # type: ignore[no-any-return]

    def seal_framed(
        self, nonce: BytesLike, prefix: BytesLike, plaintext: BytesLike, suffix: BytesLike = b""
    ) -> bytes:
        """``prefix || seal(nonce, plaintext || suffix, aad=prefix)`` (see the module text)."""
        fast = getattr(getattr(self, "_impl", None), "seal_framed", None)
        if fast is not None and type(nonce) is type(prefix) is type(suffix) is bytes:
            return fast(nonce, prefix, plaintext, suffix)  # type: ignore[no-any-return]
        nonce, prefix, suffix = (
            as_bytes(nonce, "nonce"),
            as_bytes(prefix, "prefix"),
            as_bytes(suffix, "suffix"),
        )
        if fast is not None:
            return fast(nonce, prefix, plaintext, suffix)  # type: ignore[no-any-return]
        body = b"".join((as_bytes(plaintext, "plaintext"), suffix))
        return prefix + self.seal(nonce, body, prefix)

    def open_into(
        self, nonce: BytesLike, ciphertext_and_tag: BytesLike, aad: BytesLike, out: BytesLike
    ) -> int:
        """``open`` into the start of ``out``; returns the plaintext length."""
        return self._impl.open_into(nonce, ciphertext_and_tag, aad, out)  # type: ignore[no-any-return]


class AESGCM(_AEAD):
    """AES-GCM (SP 800-38D) with 16-, 24- or 32-byte keys and 16-byte tags.

    Any non-empty nonce length is accepted (12 bytes is the fast, recommended one; other
    lengths go through GHASH as the standard prescribes).
    """

    __slots__ = ()
    tag_size = 16

    def __init__(self, key: BytesLike) -> None:
        self._impl = _gcm_k.GCM(key) if _gcm_k is not None else _gcm_py.GCM(key)


class AESCCM(_AEAD):
    """AES-CCM (SP 800-38C, RFC 3610); nonces of 7 to 13 bytes, tags of 4 to 16 bytes."""

    __slots__ = ()

    def __init__(self, key: BytesLike, tag_length: int = 16) -> None:
        if _ccm_k is not None:
            self._impl = _ccm_k.CCM(key, tag_length)
        else:
            aes = _aes_k.AES(key) if _aes_k is not None else _AESPy(key)
            self._impl = _ccm.CCM(aes, tag_length)

    @property
    def tag_size(self) -> int:
        return self._impl.tag_length  # type: ignore[no-any-return]


class ChaCha20Poly1305(_AEAD):
    """The RFC 8439 AEAD: 32-byte key, 12-byte nonce, 16-byte tag."""

    __slots__ = ()
    tag_size = 16

    def __init__(self, key: BytesLike) -> None:
        if _chacha_k is not None:
            self._impl = _chacha_k.ChaCha20Poly1305(key)
        else:
            self._impl = _chacha_py.ChaCha20Poly1305(key)


class XChaCha20Poly1305(_AEAD):
    """XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha): a 24-byte nonce, safe to pick at random.

    HChaCha20 turns the key and the first 16 nonce bytes into a per-message subkey; the
    rest is ChaCha20-Poly1305 with the nonce ``0000 || nonce[16:24]``.
    """

    __slots__ = ("_key",)
    tag_size = 16

    def __init__(self, key: BytesLike) -> None:
        k = as_bytes(key, "key")
        if len(k) != 32:
            raise ValueError(f"XChaCha20-Poly1305 key must be 32 bytes long, not {len(k)}")
        self._key = k

    def _inner(self, nonce: BytesLike) -> tuple[Any, bytes]:
        n = as_bytes(nonce, "nonce")
        if len(n) != 24:
            raise ValueError(f"XChaCha20-Poly1305 nonce must be 24 bytes long, not {len(n)}")
        hchacha = _chacha_k.hchacha20 if _chacha_k is not None else _chacha_py.hchacha20
        return ChaCha20Poly1305(hchacha(self._key, n[:16])), bytes(4) + n[16:]

    def seal(self, nonce: BytesLike, plaintext: BytesLike, aad: BytesLike = b"") -> bytes:
        inner, n = self._inner(nonce)
        return inner.seal(n, plaintext, aad)

    def open(self, nonce: BytesLike, ciphertext_and_tag: BytesLike, aad: BytesLike = b"") -> bytes:
        inner, n = self._inner(nonce)
        return inner.open(n, ciphertext_and_tag, aad)

    def seal_into(
        self, nonce: BytesLike, plaintext: BytesLike, aad: BytesLike, out: BytesLike
    ) -> int:
        inner, n = self._inner(nonce)
        return inner.seal_into(n, plaintext, aad, out)

    def open_into(
        self, nonce: BytesLike, ciphertext_and_tag: BytesLike, aad: BytesLike, out: BytesLike
    ) -> int:
        inner, n = self._inner(nonce)
        return inner.open_into(n, ciphertext_and_tag, aad, out)
