# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Constant-time Montgomery kernel: the same classes as ``nocrypto.bignum``.

Secret exponents go through a fixed-window ladder that performs the same squarings and
multiplications for every exponent and fetches each table entry by scanning the whole
table (``_bignum.h``).  Secret moduli (the RSA primes) are also handled in constant time:
the Montgomery constants are derived by doubling with masked subtraction rather than
with Python's variable-time division.  Conversion to and from Python integers uses
``int.to_bytes``/``int.from_bytes``, whose running time depends only on the sizes.
"""

from libc.stdint cimport uint64_t
from libc.stdlib cimport free, malloc
from libc.string cimport memcpy, memset

cdef extern from "_bignum.h":
    uint64_t bn_neg_inverse64(uint64_t n0) nogil
    void bn_final_sub(uint64_t *r, const uint64_t *t, uint64_t hi, const uint64_t *n, int k) nogil
    void bn_mont_mul(uint64_t *r, const uint64_t *a, const uint64_t *b,
                     const uint64_t *n, uint64_t n0inv, int k) nogil
    void bn_mont_sqr(uint64_t *r, const uint64_t *a, const uint64_t *n, uint64_t n0inv, int k) nogil
    void bn_mont_redc(uint64_t *r, const uint64_t *t, const uint64_t *n, uint64_t n0inv, int k) nogil
    void bn_mont_exp_consttime(uint64_t *r, const uint64_t *a_mont, const uint64_t *one_mont,
                               const uint64_t *e, int elimbs, int ebits,
                               const uint64_t *n, uint64_t n0inv, int k,
                               uint64_t *table, int w) nogil
    void bn_mont_exp_public(uint64_t *r, const uint64_t *a_mont, const uint64_t *one_mont,
                            const uint64_t *e, int elimbs,
                            const uint64_t *n, uint64_t n0inv, int k) nogil
    void bn_mod_sub(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *n, int k) nogil
    void bn_mul(uint64_t *r, const uint64_t *a, int ka, const uint64_t *b, int kb) nogil
    void bn_add_into(uint64_t *r, int k, const uint64_t *a, int ka) nogil


cdef enum:
    MAX_LIMBS = 128


cdef inline int _limbs_for_bits(int bits) noexcept nogil:
    return (bits + 63) // 64


cdef inline void _load(uint64_t *dst, object x, int k) except *:
    """dst[0..k-1] = x (little-endian limbs); x must fit."""
    cdef bytes raw = x.to_bytes(8 * k, "little")
    memcpy(dst, <const char *>raw, 8 * k)


cdef inline object _store(const uint64_t *src, int k):
    return int.from_bytes((<const char *>src)[: 8 * k], "little")


cdef inline int _window_for(int ebits) noexcept nogil:
    if ebits <= 384:
        return 4
    if ebits <= 1536:
        return 5
    return 6


cdef void _mod_double_into_r2(uint64_t *rr, const uint64_t *n, int k) noexcept nogil:
    """rr = 2^(128k) mod n by 128k doublings with masked subtraction (n may be secret)."""
    cdef uint64_t t[MAX_LIMBS]
    cdef uint64_t hi
    cdef int i, j
    memset(rr, 0, 8 * k)
    rr[0] = 1
    for i in range(128 * k):
        hi = rr[k - 1] >> 63
        for j in range(k - 1, 0, -1):
            t[j] = (rr[j] << 1) | (rr[j - 1] >> 63)
        t[0] = rr[0] << 1
        bn_final_sub(rr, t, hi, n, k)


cdef class _Mont:
    """Montgomery constants for one odd modulus, padded to k limbs."""

    cdef int k
    cdef uint64_t n0inv
    cdef uint64_t n[MAX_LIMBS]
    cdef uint64_t rr[MAX_LIMBS]  # R^2 mod n
    cdef uint64_t one[MAX_LIMBS]  # R mod n (1 in Montgomery form)

    cdef void setup(self, object n, int k) except *:
        cdef uint64_t unit[MAX_LIMBS]
        self.k = k
        _load(self.n, n, k)
        self.n0inv = bn_neg_inverse64(self.n[0])
        _mod_double_into_r2(self.rr, self.n, k)
        memset(unit, 0, 8 * k)
        unit[0] = 1
        bn_mont_mul(self.one, self.rr, unit, self.n, self.n0inv, k)

    cdef void to_mont(self, uint64_t *r, const uint64_t *a) noexcept nogil:
        bn_mont_mul(r, a, self.rr, self.n, self.n0inv, self.k)

    cdef void from_mont(self, uint64_t *r, const uint64_t *a) noexcept nogil:
        cdef uint64_t unit[MAX_LIMBS]
        memset(unit, 0, 8 * self.k)
        unit[0] = 1
        bn_mont_mul(r, a, unit, self.n, self.n0inv, self.k)

    cdef int exp_ct(self, uint64_t *r_mont, const uint64_t *a_mont, const uint64_t *e,
                    int ebits) except -1:
        cdef int w = _window_for(ebits)
        cdef uint64_t *table = <uint64_t *>malloc(8 * self.k * (1 << w))
        if table == NULL:
            raise MemoryError()
        with nogil:
            bn_mont_exp_consttime(r_mont, a_mont, self.one, e, _limbs_for_bits(ebits), ebits,
                                  self.n, self.n0inv, self.k, table, w)
        # the table holds powers of a secret-derived base: wipe before release
        memset(table, 0, 8 * self.k * (1 << w))
        free(table)
        return 0


def _check_modulus(n):
    if not isinstance(n, int):
        raise TypeError("modulus must be an int")
    if n < 3 or n % 2 == 0:
        raise ValueError("modulus must be odd and at least 3")
    if n.bit_length() > 64 * MAX_LIMBS:
        raise ValueError("modulus larger than 8192 bits")


cdef class Modulus:
    """An odd public modulus: ``exp`` is constant time in the exponent, ``exp_public``
    is the fast variable-time ladder for public exponents."""

    cdef _Mont m
    cdef readonly object n

    def __init__(self, n):
        _check_modulus(n)
        self.n = n
        self.m = _Mont()
        self.m.setup(n, _limbs_for_bits(n.bit_length()))

    def exp(self, base, exponent, exponent_bits):
        """``base ** exponent % n``; time depends on ``exponent_bits`` (public), not on
        the exponent's value.  Requires ``0 <= base < n`` and ``0 <= exponent < 2**exponent_bits``."""
        cdef uint64_t a[MAX_LIMBS]
        cdef uint64_t r[MAX_LIMBS]
        cdef uint64_t e[MAX_LIMBS]
        cdef int k = self.m.k
        cdef int ebits = exponent_bits
        if not 0 <= base < self.n:
            raise ValueError("base out of range")
        if ebits < 1 or ebits > 64 * MAX_LIMBS or exponent < 0 or exponent.bit_length() > ebits:
            raise ValueError("exponent out of range")
        _load(a, base, k)
        _load(e, exponent, _limbs_for_bits(ebits))
        self.m.to_mont(a, a)
        self.m.exp_ct(r, a, e, ebits)
        self.m.from_mont(r, r)
        out = _store(r, k)
        memset(e, 0, sizeof(e))
        return out

    def exp_public(self, base, exponent):
        """``base ** exponent % n`` for a public exponent (variable time)."""
        cdef uint64_t a[MAX_LIMBS]
        cdef uint64_t r[MAX_LIMBS]
        cdef uint64_t e[MAX_LIMBS]
        cdef int k = self.m.k
        if not 0 <= base < self.n:
            raise ValueError("base out of range")
        if exponent < 0 or exponent.bit_length() > 64 * MAX_LIMBS:
            raise ValueError("exponent out of range")
        cdef int el = max(1, _limbs_for_bits(exponent.bit_length()))
        _load(a, base, k)
        _load(e, exponent, el)
        with nogil:
            self.m.to_mont(a, a)
            bn_mont_exp_public(r, a, self.m.one, e, el, self.m.n, self.m.n0inv, k)
            self.m.from_mont(r, r)
        return _store(r, k)


cdef class CRTKey:
    """An RSA private key in CRT form; ``private_op(c)`` is ``c ** d % (p*q)``.

    Both halves use the same limb count k (the larger prime's), so the only sizes that
    show in the timing are public ones."""

    cdef _Mont mp
    cdef _Mont mq
    cdef int k
    cdef uint64_t dp[MAX_LIMBS]
    cdef uint64_t dq[MAX_LIMBS]
    cdef uint64_t qinv_p[MAX_LIMBS]  # q^-1 mod p, plain (not Montgomery) form
    cdef uint64_t q_limbs[MAX_LIMBS]
    cdef uint64_t rrr_p[MAX_LIMBS]  # R^3 mod p
    cdef uint64_t rrr_q[MAX_LIMBS]
    cdef int pbits
    cdef int qbits
    cdef object n

    def __init__(self, p, q, dp, dq, qinv):
        _check_modulus(p)
        _check_modulus(q)
        cdef int k = _limbs_for_bits(max(p.bit_length(), q.bit_length()))
        if 2 * k > MAX_LIMBS:
            raise ValueError("primes larger than 4096 bits")
        if not (0 < dp < p and 0 < dq < q and 0 < qinv < p):
            raise ValueError("CRT parameters out of range")
        self.k = k
        self.n = p * q
        self.pbits = p.bit_length()
        self.qbits = q.bit_length()
        self.mp = _Mont()
        self.mp.setup(p, k)
        self.mq = _Mont()
        self.mq.setup(q, k)
        _load(self.dp, dp, k)
        _load(self.dq, dq, k)
        _load(self.qinv_p, qinv, k)
        _load(self.q_limbs, q, k)
        bn_mont_mul(self.rrr_p, self.mp.rr, self.mp.rr, self.mp.n, self.mp.n0inv, k)
        bn_mont_mul(self.rrr_q, self.mq.rr, self.mq.rr, self.mq.n, self.mq.n0inv, k)

    def __dealloc__(self):
        memset(self.dp, 0, sizeof(self.dp))
        memset(self.dq, 0, sizeof(self.dq))
        memset(self.qinv_p, 0, sizeof(self.qinv_p))

    def private_op(self, c):
        """``c ** d mod n`` for ``0 <= c < n`` (Garner's recombination, constant time)."""
        cdef int k = self.k
        cdef uint64_t cw[2 * MAX_LIMBS]
        cdef uint64_t t[MAX_LIMBS]
        cdef uint64_t m1[MAX_LIMBS]
        cdef uint64_t m2[MAX_LIMBS]
        cdef uint64_t h[MAX_LIMBS]
        cdef uint64_t out[2 * MAX_LIMBS]
        if not 0 <= c < self.n:
            raise ValueError("input out of range")
        _load(cw, c, 2 * k)
        # c mod p in Montgomery form: REDC(c) = c/R, times R^3 gives c*R.
        bn_mont_redc(t, cw, self.mp.n, self.mp.n0inv, k)
        bn_mont_mul(t, t, self.rrr_p, self.mp.n, self.mp.n0inv, k)
        self.mp.exp_ct(m1, t, self.dp, self.pbits)  # m1 = c^dp * R mod p
        bn_mont_redc(t, cw, self.mq.n, self.mq.n0inv, k)
        bn_mont_mul(t, t, self.rrr_q, self.mq.n, self.mq.n0inv, k)
        self.mq.exp_ct(m2, t, self.dq, self.qbits)
        with nogil:
            self.mq.from_mont(m2, m2)  # m2 = c^dq mod q
            # h = (m1 - m2) * qinv mod p, staying in Montgomery form until the last product
            bn_mont_mul(t, m2, self.mp.rr, self.mp.n, self.mp.n0inv, k)  # m2*R mod p
            bn_mod_sub(t, m1, t, self.mp.n, k)
            bn_mont_mul(h, t, self.qinv_p, self.mp.n, self.mp.n0inv, k)
            # m = m2 + h*q  (< p*q, so 2k limbs hold it)
            bn_mul(out, h, k, self.q_limbs, k)
            bn_add_into(out, 2 * k, m2, k)
        result = _store(out, 2 * k)
        memset(m1, 0, sizeof(m1))
        memset(m2, 0, sizeof(m2))
        memset(h, 0, sizeof(h))
        return result
