"""X25519 Diffie-Hellman (RFC 7748).

``x25519(k, u)`` is the raw function of RFC 7748 section 5: it accepts every 32-byte u
(twist points, low-order points and non-canonical encodings alike, as the RFC asks) and
may return 32 zero bytes.  Protocols must refuse that result (RFC 7748 section 6.1,
RFC 8446 section 7.4.2): ``exchange`` does so and is what TLS uses.

- ``x25519(scalar, u)``: X25519(scalar, u), the u-coordinate of [clamp(scalar)]u, 32 bytes;
- ``public_key(scalar)``: X25519(scalar, 9), the public key of a 32-byte private scalar;
- ``exchange(scalar, peer)``: the shared secret, InvalidKeyError when it is all zero;
- ``generate()``: a fresh (private scalar, public key) pair.

The Cython kernel is constant time (branch-free ladder and swap, on a radix-2^64 MULX/ADX
field when the CPU has BMI2 and ADX, else on the portable radix-2^51 field); the
pure-Python fallback is not (see ``nocrypto.edwards.montgomery``).  The checks around the
ladder are ``nocrypto.edwards._util.MontgomeryDH``, shared with ``nocrypto.x448``.
"""

from __future__ import annotations

from nocrypto._backend import kernel
from nocrypto.edwards import montgomery as _reference
from nocrypto.edwards._util import MontgomeryDH, is_all_zero

_impl = kernel("nocrypto.edwards._montgomery_cy") or _reference
# Key generation goes through the Edwards fixed-base table when the kernel is built:
# three times faster than the ladder, and just as constant time.
_fixed_base = kernel("nocrypto.edwards._ed25519_cy")

__all__ = ["BASE_POINT", "exchange", "generate", "is_all_zero", "public_key", "x25519"]

KEY_LENGTH = 32
BASE_POINT = (9).to_bytes(32, "little")

_dh = MontgomeryDH(
    "X25519", BASE_POINT, _impl.x25519, _fixed_base.x25519_base if _fixed_base is not None else None
)
x25519 = _dh.function
public_key = _dh.public_key
exchange = _dh.exchange
generate = _dh.generate
