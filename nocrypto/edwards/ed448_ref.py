"""RFC 8032 edwards448 group arithmetic: the readable pure-Python reference.

Same functions as ``ed25519_ref`` (``scalarmult_base``, ``scalarmult_base_pair``,
``sc_reduce``, ``sc_muladd``, ``verify_equation``) with 57-byte scalars and encodings
and 114-byte hashes; the ``_ed448_cy`` kernel offers the same.

Side-channel limits of this reference: Python integers are variable-length and the
scalar multiplication is plain double-and-add, so signing and key generation leak the
secret scalar through timing and memory access.  Only the kernel is constant time.
"""

from __future__ import annotations

P = 2**448 - 2**224 - 1
L = 2**446 - 13818066809895115352007386748515426880336692474882178609894547503885
D = P - 39081

Point = tuple[int, int, int]  # projective (X, Y, Z), x = X/Z, y = Y/Z

IDENTITY: Point = (0, 1, 1)

BASE: Point = (
    int(
        "224580040295924300187604334099896036246789641632564134246125461686950415467406"
        "032909029192869357953282578032075146446173674602635247710"
    ),
    int(
        "298819210078481492676017930443930673437544040154080242095928241372331506189835"
        "876003536878655418784733982303233503462500531545062832660"
    ),
    1,
)


def decode(s: bytes) -> Point | None:
    """The point a 57-byte string encodes, or None (RFC 8032 section 5.2.3)."""
    n = int.from_bytes(s, "little")
    sign, y = n >> 455, n & ((1 << 455) - 1)
    if y >= P:  # also catches stray bits 448..454 of the last octet
        return None
    u = (y * y - 1) % P
    v = (D * y * y - 1) % P
    x = pow(u, 3, P) * v * pow(pow(u, 5, P) * pow(v, 3, P), (P - 3) // 4, P) % P
    if v * x * x % P != u:
        return None
    if x == 0 and sign:
        return None
    if x & 1 != sign:
        x = P - x
    return (x, y, 1)


def encode(pt: Point) -> bytes:
    x, y, z = pt
    zi = pow(z, P - 2, P)
    x, y = x * zi % P, y * zi % P
    return (y | ((x & 1) << 455)).to_bytes(57, "little")


def add(p: Point, q: Point) -> Point:
    # RFC 8032 section 5.2.4, complete for a = 1 and non-square d.
    x1, y1, z1 = p
    x2, y2, z2 = q
    a = z1 * z2 % P
    b = a * a % P
    c = x1 * x2 % P
    d = y1 * y2 % P
    e = D * c * d % P
    f = b - e
    g = b + e
    h = (x1 + y1) * (x2 + y2) % P
    return (a * f * (h - c - d) % P, a * g * (d - c) % P, f * g % P)


def double(p: Point) -> Point:
    x1, y1, z1 = p
    b = (x1 + y1) ** 2 % P
    c = x1 * x1 % P
    d = y1 * y1 % P
    e = c + d
    h = z1 * z1 % P
    j = e - 2 * h
    return ((b - e) * j % P, e * (c - d) % P, e * j % P)


def negate(p: Point) -> Point:
    x, y, z = p
    return ((-x) % P, y, z)


def scalarmult(p: Point, n: int) -> Point:
    q = IDENTITY
    for i in reversed(range(n.bit_length())):
        q = double(q)
        if (n >> i) & 1:
            q = add(q, p)
    return q


def scalarmult_base(a: bytes) -> bytes:
    return encode(scalarmult(BASE, int.from_bytes(a, "little")))


def scalarmult_base_pair(a: bytes, r: bytes) -> bytes:
    """[a]B and [r]B encoded, concatenated: A and R of a signature."""
    return scalarmult_base(a) + scalarmult_base(r)


def sc_reduce(h: bytes) -> bytes:
    return (int.from_bytes(h, "little") % L).to_bytes(57, "little")


def sc_muladd(k: bytes, a: bytes, r: bytes) -> bytes:
    kn, an, rn = (int.from_bytes(v, "little") for v in (k, a, r))
    return ((kn * an + rn) % L).to_bytes(57, "little")


def verify_equation(a_enc: bytes, r_enc: bytes, s_enc: bytes, k: bytes) -> bool:
    s = int.from_bytes(s_enc, "little")
    if s >= L:  # RFC 8032 section 5.2.7
        return False
    a_pt = decode(a_enc)
    if a_pt is None:
        return False
    kn = int.from_bytes(k, "little") % L
    check = add(scalarmult(BASE, s), negate(scalarmult(a_pt, kn)))
    return encode(check) == r_enc
