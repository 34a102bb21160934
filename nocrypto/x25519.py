"""X25519 Diffie-Hellman (RFC 7748).

``x25519(k, u)`` is the raw function of RFC 7748 section 5: it accepts every 32-byte u
(twist points, low-order points and non-canonical encodings alike, as the RFC asks) and
may return 32 zero bytes.  Protocols must refuse that result (RFC 7748 section 6.1,
RFC 8446 section 7.4.2): ``exchange`` does so and is what TLS uses.

The Cython kernel is constant time (radix-2^51 field, branch-free ladder and swap); the
pure-Python fallback is not (see ``nocrypto.edwards.montgomery``).
"""

from __future__ import annotations

from nocrypto._backend import kernel
from nocrypto._errors import InvalidKeyError
from nocrypto.edwards import montgomery as _reference
from nocrypto.edwards._util import as_bytes, entropy, is_all_zero

_impl = kernel("nocrypto.edwards._montgomery_cy") or _reference
# Key generation goes through the Edwards fixed-base table when the kernel is built:
# three times faster than the ladder, and just as constant time.
_fixed_base = kernel("nocrypto.edwards._ed25519_cy")

__all__ = ["BASE_POINT", "exchange", "generate", "is_all_zero", "public_key", "x25519"]

KEY_LENGTH = 32
BASE_POINT = (9).to_bytes(32, "little")


def x25519(scalar: bytes, u: bytes) -> bytes:
    """X25519(scalar, u): the u-coordinate of [clamp(scalar)]u, 32 bytes."""
    k = as_bytes("scalar", scalar, KEY_LENGTH)
    return _impl.x25519(k, as_bytes("u", u, KEY_LENGTH))


def public_key(scalar: bytes) -> bytes:
    """The public key X25519(scalar, 9) belonging to the 32-byte private ``scalar``."""
    k = as_bytes("scalar", scalar, KEY_LENGTH)
    if _fixed_base is not None:
        return bytes(_fixed_base.x25519_base(k))
    return _impl.x25519(k, BASE_POINT)


def exchange(scalar: bytes, peer: bytes) -> bytes:
    """The shared secret with ``peer``; InvalidKeyError when it is all zero (a low-order peer)."""
    k = as_bytes("scalar", scalar, KEY_LENGTH)
    if not isinstance(peer, (bytes, bytearray, memoryview)) or len(peer) != KEY_LENGTH:
        raise InvalidKeyError("an X25519 public key is 32 bytes")
    shared = _impl.x25519(k, bytes(peer))
    if is_all_zero(shared):
        raise InvalidKeyError("X25519 shared secret is all zero: the peer sent a low-order point")
    return shared


def generate() -> tuple[bytes, bytes]:
    """A fresh (private scalar, public key) pair."""
    scalar = entropy(KEY_LENGTH)
    return scalar, public_key(scalar)
