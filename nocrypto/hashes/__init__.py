"""Hash functions with hashlib-like objects: SHA-1, SHA-2, SHA-3 and SHAKE.

``hashes.sha256(b"data")`` returns an object with ``update``, ``digest``, ``hexdigest``,
``copy``, ``name``, ``digest_size`` and ``block_size``; the SHAKE objects take the
output length in ``digest(length)``.  ``hashes.new(name, data)`` looks a hash up by its
hashlib name.

Each family has a pure-Python reference (``sha1_ref``, ``sha2``, ``sha3``; the SHA-1 module has a
suffix because ``sha1`` is the constructor) and a Cython
kernel (``_sha1_cy``, ``_sha2_cy``, ``_sha3_cy``) with the same classes; the kernel is
used unless it is not built or ``NOCRYPTO_BACKEND=python``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nocrypto._backend import kernel
from nocrypto.hashes import sha1_ref as _sha1_py
from nocrypto.hashes import sha2 as _sha2_py
from nocrypto.hashes import sha3 as _sha3_py

_sha1: Any = kernel("nocrypto.hashes._sha1_cy") or _sha1_py
_sha2: Any = kernel("nocrypto.hashes._sha2_cy") or _sha2_py
_sha3: Any = kernel("nocrypto.hashes._sha3_cy") or _sha3_py

sha1: Callable[..., Any] = _sha1.SHA1
sha224: Callable[..., Any] = _sha2.SHA224
sha256: Callable[..., Any] = _sha2.SHA256
sha384: Callable[..., Any] = _sha2.SHA384
sha512: Callable[..., Any] = _sha2.SHA512
sha3_256: Callable[..., Any] = _sha3.SHA3_256
sha3_512: Callable[..., Any] = _sha3.SHA3_512
shake128: Callable[..., Any] = _sha3.SHAKE128
shake256: Callable[..., Any] = _sha3.SHAKE256

_BY_NAME: dict[str, Callable[..., Any]] = {
    "sha1": sha1,
    "sha224": sha224,
    "sha256": sha256,
    "sha384": sha384,
    "sha512": sha512,
    "sha3_256": sha3_256,
    "sha3_512": sha3_512,
    "shake128": shake128,
    "shake256": shake256,
}

#: The hashlib names ``new`` accepts.
algorithms_available: frozenset[str] = frozenset(_BY_NAME)

#: Output lengths in bytes of the fixed-length hashes (what HMAC/HKDF call HashLen).
DIGEST_SIZES: dict[str, int] = {
    "sha1": 20,
    "sha224": 28,
    "sha256": 32,
    "sha384": 48,
    "sha512": 64,
    "sha3_256": 32,
    "sha3_512": 64,
}


def lookup(name: str) -> Callable[..., Any]:
    """The constructor for the hash called ``name`` (a hashlib name, any case)."""
    ctor = _BY_NAME.get(name) if type(name) is str else None
    if ctor is not None:  # the usual spelling: no case folding
        return ctor
    if not isinstance(name, str):
        raise TypeError(f"hash name must be a str, not {type(name).__name__}")
    try:
        return _BY_NAME[name.lower()]
    except KeyError:
        known = ", ".join(sorted(_BY_NAME))
        raise ValueError(f"unknown hash {name!r}; choose from {known}") from None


def new(name: str, data: bytes | bytearray | memoryview = b"") -> Any:
    """A new hash object for ``name``, fed ``data``; ``ValueError`` for an unknown name."""
    return lookup(name)(data)


__all__ = [
    "DIGEST_SIZES",
    "algorithms_available",
    "lookup",
    "new",
    "sha1",
    "sha224",
    "sha256",
    "sha384",
    "sha512",
    "sha3_256",
    "sha3_512",
    "shake128",
    "shake256",
]
