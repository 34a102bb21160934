"""RFC 8032 edwards25519 group arithmetic: the readable pure-Python reference.

The public ``nocrypto.ed25519`` module does the hashing; this module offers the group
and scalar operations it needs (the ``_ed25519_cy`` kernel offers the same):

- ``scalarmult_base(a)``: encoding of [a]B for a 32-byte little-endian scalar, and
  ``scalarmult_base_pair(a, r)``: both encodings of a signature's A and R at once;
- ``sc_reduce(h)``: a 64-byte little-endian integer modulo L, as 32 bytes;
- ``sc_muladd(k, a, r)``: (k * a + r) mod L for a 64-byte k and 32-byte a and r;
- ``verify_equation(A, R, S, k)``: the cofactorless check encode([S]B - [k]A) == R, with
  S < L and A a canonical point encoding required (RFC 8032 section 5.1.7).

Side-channel limits of this reference: Python integers are variable-length and the
scalar multiplication is plain double-and-add, so signing and key generation leak the
secret scalar through timing and memory access.  Only the kernel is constant time.
"""

from __future__ import annotations

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)

Point = tuple[int, int, int, int]  # extended coordinates (X, Y, Z, T), x = X/Z, y = Y/Z, xy = T/Z

IDENTITY: Point = (0, 1, 1, 0)


def _recover_x(y: int, sign: int) -> int | None:
    # RFC 8032 section 5.1.3: x^2 = (y^2 - 1) / (d y^2 + 1).
    u = (y * y - 1) % P
    v = (D * y * y + 1) % P
    x = u * pow(v, 3, P) * pow(u * pow(v, 7, P), (P - 5) // 8, P) % P
    vxx = v * x * x % P
    if vxx == (-u) % P:
        x = x * SQRT_M1 % P
    elif vxx != u:
        return None
    if x == 0 and sign:
        return None
    if x & 1 != sign:
        x = P - x
    return x


def decode(s: bytes) -> Point | None:
    """The point a 32-byte string encodes, or None for a non-canonical or off-curve string."""
    n = int.from_bytes(s, "little")
    sign, y = n >> 255, n & ((1 << 255) - 1)
    if y >= P:
        return None
    x = _recover_x(y, sign)
    if x is None:
        return None
    return (x, y, 1, x * y % P)


def encode(pt: Point) -> bytes:
    x, y, z, _ = pt
    zi = pow(z, P - 2, P)
    x, y = x * zi % P, y * zi % P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def add(p: Point, q: Point) -> Point:
    # RFC 8032 section 5.1.4, complete for a = -1.
    x1, y1, z1, t1 = p
    x2, y2, z2, t2 = q
    a = (y1 - x1) * (y2 - x2) % P
    b = (y1 + x1) * (y2 + x2) % P
    c = 2 * t1 * t2 * D % P
    d = 2 * z1 * z2 % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def double(p: Point) -> Point:
    x1, y1, z1, _ = p
    a = x1 * x1 % P
    b = y1 * y1 % P
    c = 2 * z1 * z1 % P
    h = a + b
    e = h - (x1 + y1) ** 2
    g = a - b
    f = c + g
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def negate(p: Point) -> Point:
    x, y, z, t = p
    return ((-x) % P, y, z, (-t) % P)


def scalarmult(p: Point, n: int) -> Point:
    q = IDENTITY
    for i in reversed(range(n.bit_length())):
        q = double(q)
        if (n >> i) & 1:
            q = add(q, p)
    return q


_BY = 4 * pow(5, P - 2, P) % P
BASE: Point = (_recover_x(_BY, 0) or 0, _BY, 1, (_recover_x(_BY, 0) or 0) * _BY % P)


def scalarmult_base(a: bytes) -> bytes:
    return encode(scalarmult(BASE, int.from_bytes(a, "little")))


def scalarmult_base_pair(a: bytes, r: bytes) -> bytes:
    """[a]B and [r]B encoded, concatenated: A and R of a signature."""
    return scalarmult_base(a) + scalarmult_base(r)


def sc_reduce(h: bytes) -> bytes:
    return (int.from_bytes(h, "little") % L).to_bytes(32, "little")


def sc_muladd(k: bytes, a: bytes, r: bytes) -> bytes:
    kn, an, rn = (int.from_bytes(v, "little") for v in (k, a, r))
    return ((kn * an + rn) % L).to_bytes(32, "little")


def verify_equation(a_enc: bytes, r_enc: bytes, s_enc: bytes, k: bytes) -> bool:
    s = int.from_bytes(s_enc, "little")
    if s >= L:  # RFC 8032 section 5.1.7: S out of range would make signatures malleable
        return False
    a_pt = decode(a_enc)
    if a_pt is None:
        return False
    kn = int.from_bytes(k, "little") % L
    check = add(scalarmult(BASE, s), negate(scalarmult(a_pt, kn)))
    # Comparing encodings rejects a non-canonical R, which can never equal an encoding.
    return encode(check) == r_enc
