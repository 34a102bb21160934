"""X448 Diffie-Hellman (RFC 7748).

``x448(k, u)`` is the raw function of RFC 7748 section 5: it accepts every 56-byte u
(twist points, low-order points and non-canonical encodings alike, as the RFC asks) and
may return 56 zero bytes.  Protocols must refuse that result (RFC 7748 section 6.1,
RFC 8446 section 7.4.2): ``exchange`` does so and is what TLS uses.

- ``x448(scalar, u)``: X448(scalar, u), the u-coordinate of [clamp(scalar)]u, 56 bytes;
- ``public_key(scalar)``: X448(scalar, 5), the public key of a 56-byte private scalar;
- ``exchange(scalar, peer)``: the shared secret, InvalidKeyError when it is all zero;
- ``generate()``: a fresh (private scalar, public key) pair.

The Cython kernel is constant time (radix-2^56 field, branch-free ladder and swap); the
pure-Python fallback is not (see ``nocrypto.edwards.montgomery``).  The checks around the
ladder are ``nocrypto.edwards._util.MontgomeryDH``, shared with ``nocrypto.x25519``.
"""

from __future__ import annotations

from nocrypto._backend import kernel
from nocrypto.edwards import montgomery as _reference
from nocrypto.edwards._util import MontgomeryDH, is_all_zero

_impl = kernel("nocrypto.edwards._montgomery_cy") or _reference
# Key generation goes through the Edwards fixed-base table and the RFC 7748 4-isogeny
# when the kernel is built: several times faster than the ladder, and constant time.
_fixed_base = kernel("nocrypto.edwards._ed448_cy")

__all__ = ["BASE_POINT", "exchange", "generate", "is_all_zero", "public_key", "x448"]

KEY_LENGTH = 56
BASE_POINT = (5).to_bytes(56, "little")

_dh = MontgomeryDH(
    "X448", BASE_POINT, _impl.x448, _fixed_base.x448_base if _fixed_base is not None else None
)
x448 = _dh.function
public_key = _dh.public_key
exchange = _dh.exchange
generate = _dh.generate
