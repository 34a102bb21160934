"""RFC 7748 X25519 and X448: the readable pure-Python Montgomery ladder.

Side-channel limits of this reference (the Cython kernel ``_montgomery_cy`` has none of
these): Python integers are variable-length, so multiplication, reduction and the
modular inversion take time that depends on the values; the conditional swap is done
with arithmetic masks but the interpreter's big-integer code under it is not constant
time.  Use it where timing cannot be observed, or as the specification to test against.
"""

from __future__ import annotations

P25519 = 2**255 - 19
A24_25519 = 121665  # (486662 - 2) / 4, RFC 7748 section 5
P448 = 2**448 - 2**224 - 1
A24_448 = 39081  # (156326 - 2) / 4


def clamp25519(k: bytes) -> int:
    """decodeScalar25519: clear the cofactor bits, set bit 254."""
    n = int.from_bytes(k, "little")
    n &= ~7
    n &= ~(1 << 255)
    return n | (1 << 254)


def clamp448(k: bytes) -> int:
    """decodeScalar448: clear the two low bits, set bit 447."""
    n = int.from_bytes(k, "little")
    n &= ~3
    return n | (1 << 447)


def _cswap(swap: int, a: int, b: int) -> tuple[int, int]:
    # Mask form of the RFC's cswap; see the module docstring for why it is not constant time.
    mask = -swap
    t = mask & (a ^ b)
    return a ^ t, b ^ t


def ladder(k: int, u: int, bits: int, p: int, a24: int) -> int:
    """x-coordinate of [k]u on the Montgomery curve with constant a24, RFC 7748 section 5."""
    x1 = u
    x2, z2, x3, z3 = 1, 0, u, 1
    swap = 0
    for t in reversed(range(bits)):
        k_t = (k >> t) & 1
        swap ^= k_t
        x2, x3 = _cswap(swap, x2, x3)
        z2, z3 = _cswap(swap, z2, z3)
        swap = k_t
        a = x2 + z2
        aa = a * a % p
        b = x2 - z2
        bb = b * b % p
        e = aa - bb
        c = x3 + z3
        d = x3 - z3
        da = d * a % p
        cb = c * b % p
        x3 = (da + cb) ** 2 % p
        z3 = x1 * (da - cb) ** 2 % p
        x2 = aa * bb % p
        z2 = e * (aa + a24 * e) % p
    x2, x3 = _cswap(swap, x2, x3)
    z2, z3 = _cswap(swap, z2, z3)
    # z2 ** (p - 2) is 0 when z2 is 0, giving the all-zero output RFC 7748 expects.
    return x2 * pow(z2, p - 2, p) % p


def x25519(k: bytes, u: bytes) -> bytes:
    """X25519(k, u) of RFC 7748 on 32-byte strings (lengths checked by the caller)."""
    # The top bit of u is masked and non-canonical u (>= p) is reduced, as section 5 says.
    un = (int.from_bytes(u, "little") & ((1 << 255) - 1)) % P25519
    return ladder(clamp25519(k), un, 255, P25519, A24_25519).to_bytes(32, "little")


def x448(k: bytes, u: bytes) -> bytes:
    """X448(k, u) of RFC 7748 on 56-byte strings (lengths checked by the caller)."""
    un = int.from_bytes(u, "little") % P448
    return ladder(clamp448(k), un, 448, P448, A24_448).to_bytes(56, "little")
