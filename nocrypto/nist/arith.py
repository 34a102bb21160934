"""Group arithmetic on the NIST curves: the readable pure-Python reference.

Points are kept in homogeneous projective coordinates (X : Y : Z) with x = X/Z,
y = Y/Z, and added with the complete formulas of Renes, Costello and Batina
("Complete addition formulas for prime order elliptic curves", 2016, algorithms
4 and 6 for a = -3).  "Complete" means one formula serves every pair of inputs,
including doubling, P + (-P) and the point at infinity (0 : 1 : 0), so the scalar
multiplication below never branches on special cases.

The functions here and in the kernel ``_arith_cy`` have the same names and
contracts; :mod:`nocrypto.ec` calls whichever is active.  Scalars and secret keys
travel as fixed-width big-endian bytes; points as the raw ``x || y`` concatenation
of two fixed-width coordinates (already checked to be on the curve by the caller).

Side-channel limits of this reference (use the Cython kernel for secrets):

* Python integers are variable-length: multiplication, reduction modulo p and
  ``pow`` take time that depends on the values, so timing leaks information about
  secret scalars and intermediate coordinates.
* The window table lookup ``table[digit]`` indexes memory with a secret digit,
  which is visible to cache-timing attackers.
* The nonce inversion uses ``pow(k, n - 2, n)`` (Fermat) on a Python int: no
  data-dependent branch in our code, but CPython's exponentiation is not
  constant-time.
The algorithms themselves are regular (k*P: always four doublings and one
addition per window; k*G: one addition per window from a per-curve table of
multiples of G; additions of the identity included), which is all this path
promises.
"""

from __future__ import annotations

from nocrypto.nist.curves import BY_NAME, CurveParams

Point = tuple[int, int, int]  # (X, Y, Z) projective; (0, 1, 0) is infinity
WINDOW = 4


def _add(c: CurveParams, P: Point, Q: Point) -> Point:
    """P + Q for any P, Q (RCB 2016, algorithm 4, a = -3)."""
    p, b = c.p, c.b
    X1, Y1, Z1 = P
    X2, Y2, Z2 = Q
    t0 = X1 * X2 % p
    t1 = Y1 * Y2 % p
    t2 = Z1 * Z2 % p
    t3 = (X1 + Y1) * (X2 + Y2) % p
    t3 = (t3 - t0 - t1) % p  # X1*Y2 + X2*Y1
    t4 = (Y1 + Z1) * (Y2 + Z2) % p
    t4 = (t4 - t1 - t2) % p  # Y1*Z2 + Y2*Z1
    Y3 = (X1 + Z1) * (X2 + Z2) % p
    Y3 = (Y3 - t0 - t2) % p  # X1*Z2 + X2*Z1
    X3 = (Y3 - b * t2) % p
    X3 = 3 * X3 % p
    Z3 = (t1 - X3) % p
    X3 = (t1 + X3) % p
    Y3 = (b * Y3 - 3 * t2 - t0) % p
    Y3 = 3 * Y3 % p
    t0 = (3 * t0 - 3 * t2) % p
    t1 = t4 * Y3 % p
    t2 = t0 * Y3 % p
    Y3 = (X3 * Z3 + t2) % p
    X3 = (t3 * X3 - t1) % p
    Z3 = (t4 * Z3 + t3 * t0) % p
    return (X3, Y3, Z3)


def _double(c: CurveParams, P: Point) -> Point:
    """2P for any P (RCB 2016, algorithm 6, a = -3)."""
    p, b = c.p, c.b
    X, Y, Z = P
    t0 = X * X % p
    t1 = Y * Y % p
    t2 = Z * Z % p
    t3 = 2 * X * Y % p
    Z3 = 2 * X * Z % p
    Y3 = (b * t2 - Z3) % p
    Y3 = 3 * Y3 % p
    X3 = (t1 - Y3) % p
    Y3 = (t1 + Y3) % p
    Y3 = X3 * Y3 % p
    X3 = X3 * t3 % p
    t2 = 3 * t2 % p
    Z3 = (b * Z3 - t2 - t0) % p
    Z3 = 3 * Z3 % p
    t0 = (3 * t0 - t2) % p
    Y3 = (Y3 + t0 * Z3) % p
    t0 = 2 * Y * Z % p
    X3 = (X3 - t0 * Z3) % p
    Z3 = 4 * t0 * t1 % p
    return (X3, Y3, Z3)


INFINITY: Point = (0, 1, 0)


def _affine(c: CurveParams, P: Point) -> tuple[int, int] | None:
    X, Y, Z = P
    if Z == 0:
        return None
    zinv = pow(Z, c.p - 2, c.p)
    return X * zinv % c.p, Y * zinv % c.p


def _window_table(c: CurveParams, P: Point) -> list[Point]:
    table = [INFINITY, P]
    for _ in range(2, 1 << WINDOW):
        table.append(_add(c, table[-1], P))
    return table


def _digits(k: int, bits: int) -> list[int]:
    """Base-16 digits of k, most significant first, covering ``bits`` bits."""
    count = (bits + WINDOW - 1) // WINDOW
    return [(k >> (WINDOW * i)) & ((1 << WINDOW) - 1) for i in reversed(range(count))]


def _mul(c: CurveParams, k: int, P: Point) -> Point:
    """k*P by a fixed 4-bit window: the same operation sequence for every k."""
    table = _window_table(c, P)
    acc = INFINITY
    for digit in _digits(k, c.n.bit_length()):
        for _ in range(WINDOW):
            acc = _double(c, acc)
        acc = _add(c, acc, table[digit])
    return acc


_G_TABLES: dict[str, list[list[Point]]] = {}


def _g_table(c: CurveParams) -> list[list[Point]]:
    """Rows T[i][j] = j * 16^i * G, built once per curve: k*G then needs one addition
    per 4-bit window of k and no doublings (keys and signatures)."""
    table = _G_TABLES.get(c.name)
    if table is None:
        table = []
        base: Point = (c.gx, c.gy, 1)
        for _ in range((c.n.bit_length() + WINDOW - 1) // WINDOW):
            row = _window_table(c, base)
            table.append(row)
            base = _add(c, row[-1], base)  # 16 * base
        _G_TABLES[c.name] = table
    return table


def _mul_base(c: CurveParams, k: int) -> Point:
    """k*G from the table: one addition per window, of the identity for a 0 digit."""
    acc = INFINITY
    for i, row in enumerate(_g_table(c)):
        acc = _add(c, acc, row[(k >> (WINDOW * i)) & ((1 << WINDOW) - 1)])
    return acc


def _decode_point(c: CurveParams, xy: bytes) -> Point:
    w = c.field_bytes
    return (int.from_bytes(xy[:w], "big"), int.from_bytes(xy[w:], "big"), 1)


def base_mult(curve: str, k: bytes) -> bytes:
    """k*G as ``x || y``; 1 <= k < n is the caller's promise."""
    c = BY_NAME[curve]
    xy = _affine(c, _mul_base(c, int.from_bytes(k, "big")))
    assert xy is not None  # k in [1, n-1] on a prime-order group
    w = c.field_bytes
    return xy[0].to_bytes(w, "big") + xy[1].to_bytes(w, "big")


def ecdh(curve: str, k: bytes, peer: bytes) -> bytes | None:
    """The x coordinate of k*peer, or None if it is the point at infinity."""
    c = BY_NAME[curve]
    xy = _affine(c, _mul(c, int.from_bytes(k, "big"), _decode_point(c, peer)))
    if xy is None:
        return None
    return xy[0].to_bytes(c.field_bytes, "big")


def sign(curve: str, d: bytes, k: bytes, e: bytes) -> tuple[int, int] | None:
    """ECDSA core (SEC 1 §4.1.3 steps 1-6): (r, s) for nonce k, key d and the
    truncated digest e (as an integer's fixed-width bytes); None if r or s is 0."""
    c = BY_NAME[curve]
    n = c.n
    kk = int.from_bytes(k, "big")
    xy = _affine(c, _mul_base(c, kk))
    assert xy is not None
    r = xy[0] % n
    s = pow(kk, n - 2, n) * (int.from_bytes(e, "big") + r * int.from_bytes(d, "big")) % n
    if r == 0 or s == 0:
        return None
    return r, s


def double_base_x(curve: str, u1: bytes, u2: bytes, q: bytes) -> bytes | None:
    """x of u1*G + u2*Q (public inputs: verification), or None at infinity."""
    c = BY_NAME[curve]
    a, b = int.from_bytes(u1, "big"), int.from_bytes(u2, "big")
    qt = _window_table(c, _decode_point(c, q))
    acc = INFINITY
    for digit in _digits(b, c.n.bit_length()):
        for _ in range(WINDOW):
            acc = _double(c, acc)
        if digit:
            acc = _add(c, acc, qt[digit])
    for i, row in enumerate(_g_table(c)):
        digit = (a >> (WINDOW * i)) & ((1 << WINDOW) - 1)
        if digit:
            acc = _add(c, acc, row[digit])
    xy = _affine(c, acc)
    if xy is None:
        return None
    return xy[0].to_bytes(c.field_bytes, "big")


def point_table(curve: str, q: bytes) -> bytes:
    """The kernel's per-key table has no use here: the reference keeps the point."""
    return q


def double_base_x_table(curve: str, u1: bytes, u2: bytes, table: bytes) -> bytes | None:
    """``double_base_x`` given ``point_table``'s result."""
    return double_base_x(curve, u1, u2, table)
