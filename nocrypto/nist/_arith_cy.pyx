# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Constant-time NIST curve arithmetic (C in _nist.h / _nist_impl.h): the kernel
twin of ``nocrypto.nist.arith``, with the same functions and contracts.

The C runs without the GIL, so threads sign and exchange in parallel.  Secret
scalars (private keys, nonces) are processed by fixed-width limb code with
no secret-dependent branches or memory indexes; ``double_base_x`` (verification)
is variable-time on purpose, as its inputs are public.  The Montgomery constants
are computed here from the curve parameters when a curve is first used.
"""

from libc.stdint cimport uint64_t

from nocrypto.nist.curves import BY_NAME

cdef extern from "_nist.h" nogil:
    int nist_use_adx(int enable)
    int nist_init(int cid, const uint64_t *words)
    void nist_base_mult(int cid, unsigned char *out, const unsigned char *k)
    int nist_ecdh(int cid, unsigned char *out, const unsigned char *k, const unsigned char *peer)
    int nist_sign(int cid, unsigned char *r, unsigned char *s, const unsigned char *d,
                  const unsigned char *k, const unsigned char *e)
    int nist_double_base_x(int cid, unsigned char *out, const unsigned char *u1,
                           const unsigned char *u2, const unsigned char *q)
    size_t nist_table_bytes(int cid)
    int nist_point_table(int cid, unsigned char *tab, const unsigned char *q)
    int nist_double_base_x_table(int cid, unsigned char *out, const unsigned char *u1,
                                 const unsigned char *u2, const unsigned char *tab)

_LIMBS = {"secp256r1": 4, "secp384r1": 6, "secp521r1": 9}
_IDS = {"secp256r1": 0, "secp384r1": 1, "secp521r1": 2}
_WIDTH = {name: BY_NAME[name].field_bytes for name in _IDS}


def _limbs(v, nl):
    return [(v >> (64 * i)) & 0xFFFFFFFFFFFFFFFF for i in range(nl)]


def _mod_record(m, nl):
    R = 1 << (64 * nl)
    m0inv = (-pow(m, -1, 1 << 64)) % (1 << 64)
    return _limbs(m, nl) + [m0inv] + _limbs(R * R % m, nl) + _limbs(R % m, nl) + _limbs(m - 2, nl)


_READY = set()


def _setup(name):
    """Load one curve's constants and build its generator table (on first use: the
    GIL is held throughout, so no thread sees a half-built table)."""
    cdef uint64_t words[128]
    c = BY_NAME[name]
    nl = _LIMBS[name]
    R = 1 << (64 * nl)
    ws = _mod_record(c.p, nl) + _mod_record(c.n, nl)
    for v in (c.b, c.gx, c.gy):
        ws += _limbs(v * R % c.p, nl)
    if len(ws) > 128:
        raise AssertionError("constant block larger than its buffer")
    for i, w in enumerate(ws):
        words[i] = w
    if nist_init(_IDS[name], words) != 0:
        raise MemoryError("cannot allocate the NIST generator tables")
    _READY.add(name)


nist_use_adx(-1)


def _use_adx(enable=True):
    """Switch the P-256 MULX/ADX multiplier on (if the CPU has it) or off, and say
    whether it is in use: the tests run both field multipliers through this."""
    return bool(nist_use_adx(-1 if enable else 0))


cdef int _check(str curve, list args) except -1:
    if curve not in _IDS:
        raise ValueError(f"unknown curve {curve!r}")
    if curve not in _READY:
        _setup(curve)
    w = _WIDTH[curve]
    for a, mult in args:
        if len(a) != w * mult:
            raise ValueError(f"{curve} operand must be {w * mult} bytes, not {len(a)}")
    return _IDS[curve]


def base_mult(str curve, bytes k):
    """k*G as ``x || y``; 1 <= k < n is the caller's promise."""
    cdef int cid = _check(curve, [(k, 1)])
    out = bytearray(2 * _WIDTH[curve])
    cdef unsigned char[::1] o = out
    cdef const unsigned char *kp = k
    with nogil:
        nist_base_mult(cid, &o[0], kp)
    return bytes(out)


def ecdh(str curve, bytes k, bytes peer):
    """The x coordinate of k*peer, or None if it is the point at infinity."""
    cdef int cid = _check(curve, [(k, 1), (peer, 2)])
    out = bytearray(_WIDTH[curve])
    cdef unsigned char[::1] o = out
    cdef const unsigned char *kp = k
    cdef const unsigned char *pp = peer
    cdef int finite
    with nogil:
        finite = nist_ecdh(cid, &o[0], kp, pp)
    if not finite:
        return None
    return bytes(out)


def sign(str curve, bytes d, bytes k, bytes e):
    """ECDSA core: (r, s) for nonce k, key d, truncated digest e; None if r or s is 0."""
    cdef int cid = _check(curve, [(d, 1), (k, 1), (e, 1)])
    w = _WIDTH[curve]
    r = bytearray(w)
    s = bytearray(w)
    cdef unsigned char[::1] rv = r
    cdef unsigned char[::1] sv = s
    cdef const unsigned char *dp = d
    cdef const unsigned char *kp = k
    cdef const unsigned char *ep = e
    cdef int ok
    with nogil:
        ok = nist_sign(cid, &rv[0], &sv[0], dp, kp, ep)
    if not ok:
        return None
    return int.from_bytes(r, "big"), int.from_bytes(s, "big")


def double_base_x(str curve, bytes u1, bytes u2, bytes q):
    """x of u1*G + u2*Q (public inputs: verification), or None at infinity."""
    cdef int cid = _check(curve, [(u1, 1), (u2, 1), (q, 2)])
    out = bytearray(_WIDTH[curve])
    cdef unsigned char[::1] o = out
    cdef const unsigned char *u1p = u1
    cdef const unsigned char *u2p = u2
    cdef const unsigned char *qp = q
    cdef int finite
    with nogil:
        finite = nist_double_base_x(cid, &o[0], u1p, u2p, qp)
    if not finite:
        return None
    return bytes(out)


def point_table(str curve, bytes q):
    """The comb table of the public point ``q`` (x || y): an opaque bytes object for
    ``double_base_x_table``, tens of KiB, worth building for a key that verifies often."""
    cdef int cid = _check(curve, [(q, 2)])
    cdef size_t size = nist_table_bytes(cid)
    table = bytearray(size)
    cdef unsigned char[::1] t = table
    cdef const unsigned char *qp = q
    cdef int rc
    with nogil:
        rc = nist_point_table(cid, &t[0], qp)
    if rc:
        raise MemoryError("no memory for a point table")
    return bytes(table)


def double_base_x_table(str curve, bytes u1, bytes u2, bytes table):
    """``double_base_x`` with Q given by its ``point_table``: no doublings, about a third
    of the work."""
    cdef int cid = _check(curve, [(u1, 1), (u2, 1)])
    if <size_t>len(table) != nist_table_bytes(cid):
        raise ValueError("not a point table of this curve")
    out = bytearray(_WIDTH[curve])
    cdef unsigned char[::1] o = out
    cdef const unsigned char *u1p = u1
    cdef const unsigned char *u2p = u2
    cdef const unsigned char *tp = table
    cdef int finite
    with nogil:
        finite = nist_double_base_x_table(cid, &o[0], u1p, u2p, tp)
    if not finite:
        return None
    return bytes(out)
