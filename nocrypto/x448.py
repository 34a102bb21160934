"""X448 Diffie-Hellman (RFC 7748).

``x448(k, u)`` is the raw function of RFC 7748 section 5: it accepts every 56-byte u
(twist points, low-order points and non-canonical encodings alike, as the RFC asks) and
may return 56 zero bytes.  Protocols must refuse that result (RFC 7748 section 6.1,
RFC 8446 section 7.4.2): ``exchange`` does so and is what TLS uses.

The Cython kernel is constant time (radix-2^56 field, branch-free ladder and swap); the
pure-Python fallback is not (see ``nocrypto.edwards.montgomery``).
"""

from __future__ import annotations

from nocrypto._backend import kernel
from nocrypto._errors import InvalidKeyError
from nocrypto.edwards import montgomery as _reference
from nocrypto.edwards._util import as_bytes, entropy, is_all_zero

_impl = kernel("nocrypto.edwards._montgomery_cy") or _reference
# Key generation goes through the Edwards fixed-base table and the RFC 7748 4-isogeny
# when the kernel is built: several times faster than the ladder, and constant time.
_fixed_base = kernel("nocrypto.edwards._ed448_cy")

__all__ = ["BASE_POINT", "exchange", "generate", "is_all_zero", "public_key", "x448"]

KEY_LENGTH = 56
BASE_POINT = (5).to_bytes(56, "little")


def x448(scalar: bytes, u: bytes) -> bytes:
    """X448(scalar, u): the u-coordinate of [clamp(scalar)]u, 56 bytes."""
    k = as_bytes("scalar", scalar, KEY_LENGTH)
    return _impl.x448(k, as_bytes("u", u, KEY_LENGTH))


def public_key(scalar: bytes) -> bytes:
    """The public key X448(scalar, 5) belonging to the 56-byte private ``scalar``."""
    k = as_bytes("scalar", scalar, KEY_LENGTH)
    if _fixed_base is not None:
        return bytes(_fixed_base.x448_base(k))
    return _impl.x448(k, BASE_POINT)


def exchange(scalar: bytes, peer: bytes) -> bytes:
    """The shared secret with ``peer``; InvalidKeyError when it is all zero (a low-order peer)."""
    k = as_bytes("scalar", scalar, KEY_LENGTH)
    if not isinstance(peer, (bytes, bytearray, memoryview)) or len(peer) != KEY_LENGTH:
        raise InvalidKeyError("an X448 public key is 56 bytes")
    shared = _impl.x448(k, bytes(peer))
    if is_all_zero(shared):
        raise InvalidKeyError("X448 shared secret is all zero: the peer sent a low-order point")
    return shared


def generate() -> tuple[bytes, bytes]:
    """A fresh (private scalar, public key) pair."""
    scalar = entropy(KEY_LENGTH)
    return scalar, public_key(scalar)
