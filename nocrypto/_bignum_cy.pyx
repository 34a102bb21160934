# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Constant-time Montgomery kernel: the same classes as ``nocrypto.bignum``.

Secret exponents go through a fixed-window ladder that performs the same squarings and
multiplications for every exponent and fetches each table entry by scanning the whole
table.  Secret moduli (the RSA primes) are also handled in constant time: the Montgomery
constants are derived by doubling with masked subtraction rather than with Python's
variable-time division.  Conversion to and from Python integers uses
``int.to_bytes``/``int.from_bytes``, whose running time depends only on the sizes.

Two engines compute the Montgomery products, both constant time:

* ``_bignum.h``: portable C, 64-bit limbs, product scanning with 128-bit accumulators.
* ``_bignum_ifma.h``: AVX-512 IFMA (radix 2^52, eight lanes per instruction), used when
  the CPU has it; an RSA CRT signature runs its two halves interleaved.

``engine()`` says which one new objects use; ``_use_vector(False)`` forces the portable
engine (for tests and benchmarks).
"""

from libc.stdint cimport uint64_t
from libc.stdlib cimport calloc, free, malloc
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
    int bn_mod_inverse(uint64_t *r, const uint64_t *a, const uint64_t *n, int k, int bits) nogil

cdef extern from "_bignum_ifma.h":
    int BN52_MAX_NZ
    uint64_t BN52_MASK
    int bn52_cpu_ok() nogil
    void bn52_normalise_y(uint64_t *x, int nq) nogil
    void bn52_normalise_z(uint64_t *x, int nz) nogil
    void bn52_from64(uint64_t *out, int nlanes, const uint64_t *inp, int k) nogil
    void bn52_to64(uint64_t *out, int k, const uint64_t *inp, int nlanes) nogil
    void bn52_mul(uint64_t *r, const uint64_t *a, const uint64_t *b,
                  const uint64_t *m, uint64_t k0, int nlanes, int nz) nogil
    void bn52_exp_ct(int count, uint64_t *const *r, const uint64_t *const *a,
                     const uint64_t *const *one, const uint64_t *const *e, int elimbs,
                     int ebits, const uint64_t *const *m, const uint64_t *k0,
                     int nlanes, int nz, uint64_t *table, int w) nogil


cdef enum:
    MAX_LIMBS = 128
    MAX_LANES = 160  # 8 * BN52_MAX_NZ

cdef bint _VECTOR_OK = bn52_cpu_ok() != 0
cdef bint _vector = _VECTOR_OK


def engine():
    """``"avx512ifma"`` or ``"portable"``: the engine new objects will use."""
    return "avx512ifma" if _vector else "portable"


def _use_vector(enabled):
    """Choose the engine for objects created from now on; True only takes effect when
    the CPU has AVX-512 IFMA.  Returns the engine chosen."""
    global _vector
    _vector = bool(enabled) and _VECTOR_OK
    return engine()


def _normalise52(lanes, wide=False):
    """Test hook: carry-propagate radix-2^52 lanes (a multiple of 4, or of 8 when
    ``wide``; at most 64) with the vector routines of the IFMA engine (256-bit registers
    for 1024-bit moduli, 512-bit ones for the others)."""
    cdef uint64_t x[64]
    cdef int i, n = len(lanes)
    cdef int width = 8 if wide else 4
    if not _VECTOR_OK:
        raise RuntimeError("this CPU has no AVX-512 IFMA")
    if n % width or not 0 < n <= 64:
        raise ValueError(f"need a multiple of {width} lanes, at most 64")
    for i in range(n):
        x[i] = lanes[i]
    if wide:
        bn52_normalise_z(x, n // 8)
    else:
        bn52_normalise_y(x, n // 4)
    return [x[i] for i in range(n)]


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


cdef void _mod_pow2(uint64_t *rr, const uint64_t *n, int k, int doublings) noexcept nogil:
    """rr = 2^doublings mod n by doubling with masked subtraction (n may be secret)."""
    cdef uint64_t t[MAX_LIMBS]
    cdef uint64_t hi
    cdef int i, j
    memset(rr, 0, 8 * k)
    rr[0] = 1
    for i in range(doublings):
        hi = rr[k - 1] >> 63
        for j in range(k - 1, 0, -1):
            t[j] = (rr[j] << 1) | (rr[j - 1] >> 63)
        t[0] = rr[0] << 1
        bn_final_sub(rr, t, hi, n, k)


cdef class _Mont:
    """Montgomery constants for one odd modulus, padded to k limbs (and, when the
    vector engine is on, the same in radix 2^52)."""

    cdef int k
    cdef uint64_t n0inv
    cdef uint64_t n[MAX_LIMBS]
    cdef uint64_t rr[MAX_LIMBS]  # R^2 mod n, R = 2^(64k)
    cdef uint64_t one[MAX_LIMBS]  # R mod n (1 in Montgomery form)
    # radix 2^52 engine
    cdef bint vec
    cdef int nlanes
    cdef int nz
    cdef uint64_t k0
    cdef uint64_t n52[MAX_LANES]
    cdef uint64_t rr52[MAX_LANES]  # R52^2 mod n, R52 = 2^(52 nlanes)
    cdef uint64_t one52[MAX_LANES]  # R52 mod n, below 2n

    cdef void setup(self, object n, int k, int bits, bint secret) except *:
        """For a secret modulus the powers of two are reduced by constant-time doubling;
        for a public one Python's division is faster by orders of magnitude."""
        cdef uint64_t unit[MAX_LIMBS]
        cdef uint64_t unit52[MAX_LANES]
        cdef uint64_t t[MAX_LIMBS]
        self.k = k
        _load(self.n, n, k)
        self.n0inv = bn_neg_inverse64(self.n[0])
        if secret:
            _mod_pow2(self.rr, self.n, k, 128 * k)
        else:
            _load(self.rr, pow(2, 128 * k, n), k)
        memset(unit, 0, 8 * k)
        unit[0] = 1
        bn_mont_mul(self.one, self.rr, unit, self.n, self.n0inv, k)
        # almost-Montgomery products need 4n < R52
        self.nlanes = (bits + 2 + 51) // 52
        self.nz = (self.nlanes + 7) // 8
        self.vec = _vector and self.nz <= BN52_MAX_NZ
        if not self.vec:
            return
        memset(self.n52, 0, sizeof(self.n52))
        bn52_from64(self.n52, self.nlanes, self.n, k)
        self.k0 = self.n0inv & BN52_MASK
        if secret:
            _mod_pow2(t, self.n, k, 2 * 52 * self.nlanes)
        else:
            _load(t, pow(2, 2 * 52 * self.nlanes, n), k)
        memset(self.rr52, 0, sizeof(self.rr52))
        bn52_from64(self.rr52, self.nlanes, t, k)
        memset(unit52, 0, sizeof(unit52))
        unit52[0] = 1
        bn52_mul(self.one52, self.rr52, unit52, self.n52, self.k0, self.nlanes, self.nz)

    cdef void to_mont(self, uint64_t *r, const uint64_t *a) noexcept nogil:
        bn_mont_mul(r, a, self.rr, self.n, self.n0inv, self.k)

    cdef void from_mont(self, uint64_t *r, const uint64_t *a) noexcept nogil:
        cdef uint64_t unit[MAX_LIMBS]
        memset(unit, 0, 8 * self.k)
        unit[0] = 1
        bn_mont_mul(r, a, unit, self.n, self.n0inv, self.k)

    cdef void to52(self, uint64_t *r52, const uint64_t *a) noexcept nogil:
        """a (k limbs, < n) -> a * R52 mod n in radix 2^52 (below 2n)."""
        cdef uint64_t t[MAX_LANES]
        memset(t, 0, sizeof(t))
        bn52_from64(t, self.nlanes, a, self.k)
        bn52_mul(r52, t, self.rr52, self.n52, self.k0, self.nlanes, self.nz)

    cdef void from52(self, uint64_t *r, const uint64_t *a52) noexcept nogil:
        """a52 (Montgomery form, below 2n) -> a52 / R52 mod n, fully reduced, k limbs."""
        cdef uint64_t unit52[MAX_LANES]
        cdef uint64_t t[MAX_LANES]
        memset(unit52, 0, sizeof(unit52))
        unit52[0] = 1
        bn52_mul(t, a52, unit52, self.n52, self.k0, self.nlanes, self.nz)  # in [0, n]
        bn52_to64(r, self.k, t, self.nlanes)
        bn_final_sub(r, r, 0, self.n, self.k)

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


cdef int _exp52(int count, _Mont m0, _Mont m1, uint64_t **r, const uint64_t **a,
                const uint64_t **e, int ebits) except -1:
    """count (1 or 2) vector exponentiations in lock step; results in Montgomery form."""
    cdef int w = _window_for(ebits)
    cdef size_t words = <size_t>count * (1 << w) * 8 * m0.nz
    cdef uint64_t *table = <uint64_t *>calloc(words, 8)
    cdef const uint64_t *one[2]
    cdef const uint64_t *mods[2]
    cdef uint64_t k0s[2]
    if table == NULL:
        raise MemoryError()
    one[0] = m0.one52
    mods[0] = m0.n52
    k0s[0] = m0.k0
    one[1] = m1.one52  # callers pass m0 twice when count == 1
    mods[1] = m1.n52
    k0s[1] = m1.k0
    with nogil:
        bn52_exp_ct(count, r, a, one, e, _limbs_for_bits(ebits), ebits, mods, k0s,
                    m0.nlanes, m0.nz, table, w)
        memset(table, 0, 8 * words)
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
    """An odd modulus: ``exp`` is constant time in the exponent, ``exp_public`` is the
    fast variable-time ladder for public exponents.  ``secret=True`` (a candidate prime
    in key generation) derives the Montgomery constants in constant time too."""

    cdef _Mont m
    cdef readonly object n

    def __init__(self, n, secret=False):
        _check_modulus(n)
        self.n = n
        self.m = _Mont()
        self.m.setup(n, _limbs_for_bits(n.bit_length()), n.bit_length(), bool(secret))

    def exp(self, base, exponent, exponent_bits):
        """``base ** exponent % n``; time depends on ``exponent_bits`` (public), not on
        the exponent's value.  Requires ``0 <= base < n`` and ``0 <= exponent < 2**exponent_bits``."""
        cdef uint64_t a[MAX_LIMBS]
        cdef uint64_t r[MAX_LIMBS]
        cdef uint64_t e[MAX_LIMBS]
        cdef uint64_t a52[MAX_LANES]
        cdef uint64_t r52[MAX_LANES]
        cdef uint64_t *rp[2]
        cdef const uint64_t *ap[2]
        cdef const uint64_t *ep[2]
        cdef int k = self.m.k
        cdef int ebits = exponent_bits
        if not 0 <= base < self.n:
            raise ValueError("base out of range")
        if ebits < 1 or ebits > 64 * MAX_LIMBS or exponent < 0 or exponent.bit_length() > ebits:
            raise ValueError("exponent out of range")
        _load(a, base, k)
        _load(e, exponent, _limbs_for_bits(ebits))
        memset(a52, 0, sizeof(a52))
        if self.m.vec:
            self.m.to52(a52, a)
            rp[0] = r52
            rp[1] = r52
            ap[0] = a52
            ap[1] = a52
            ep[0] = e
            ep[1] = e
            _exp52(1, self.m, self.m, rp, ap, ep, ebits)
            self.m.from52(r, r52)
        else:
            self.m.to_mont(a, a)
            self.m.exp_ct(r, a, e, ebits)
            self.m.from_mont(r, r)
        out = _store(r, k)
        memset(e, 0, sizeof(e))
        return out

    def mul(self, a, b):
        """``a * b % n`` for ``0 <= a, b < n``, constant time."""
        cdef uint64_t x[MAX_LIMBS]
        cdef uint64_t y[MAX_LIMBS]
        cdef uint64_t a52[MAX_LANES]
        cdef uint64_t b52[MAX_LANES]
        cdef int k = self.m.k
        if not (0 <= a < self.n and 0 <= b < self.n):
            raise ValueError("factor out of range")
        _load(x, a, k)
        _load(y, b, k)
        if self.m.vec:
            # Two vector products: a*R52 (to52), then (a*R52)*b/R52 = a*b below 2n; one
            # masked subtraction finishes it.
            memset(a52, 0, sizeof(a52))
            memset(b52, 0, sizeof(b52))
            with nogil:
                self.m.to52(a52, x)
                bn52_from64(b52, self.m.nlanes, y, k)
                bn52_mul(a52, a52, b52, self.m.n52, self.m.k0, self.m.nlanes, self.m.nz)
                bn52_to64(x, k, a52, self.m.nlanes)
                bn_final_sub(x, x, 0, self.m.n, k)
            memset(a52, 0, sizeof(a52))
            memset(b52, 0, sizeof(b52))
        else:
            with nogil:
                bn_mont_mul(x, x, y, self.m.n, self.m.n0inv, k)  # a*b/R
                bn_mont_mul(x, x, self.m.rr, self.m.n, self.m.n0inv, k)  # a*b
        out = _store(x, k)
        memset(x, 0, sizeof(x))
        memset(y, 0, sizeof(y))
        return out

    def inverse(self, a):
        """``a ** -1 % n`` for ``0 <= a < n``: Bernstein-Yang divsteps, a number of them
        fixed by the bit length of n, so the time depends on neither a nor n's value.
        Raises ValueError when ``gcd(a, n) != 1``, which is all that the outcome reveals.
        The same portable C serves both engines."""
        cdef uint64_t x[MAX_LIMBS]
        cdef int k = self.m.k
        cdef int bits = self.n.bit_length()
        cdef int ok
        if not 0 <= a < self.n:
            raise ValueError("value out of range")
        _load(x, a, k)
        with nogil:
            ok = bn_mod_inverse(x, x, self.m.n, k, bits)
        out = _store(x, k)
        memset(x, 0, sizeof(x))
        if not ok:
            raise ValueError("value not invertible modulo n")
        return out

    def exp_public(self, base, exponent):
        """``base ** exponent % n`` for a public exponent (variable time)."""
        cdef uint64_t a[MAX_LIMBS]
        cdef uint64_t r[MAX_LIMBS]
        cdef uint64_t e[MAX_LIMBS]
        cdef uint64_t a52[MAX_LANES]
        cdef uint64_t acc[MAX_LANES]
        cdef int k = self.m.k
        cdef int i, nl, nz
        cdef bint started = False
        if not 0 <= base < self.n:
            raise ValueError("base out of range")
        if exponent < 0 or exponent.bit_length() > 64 * MAX_LIMBS:
            raise ValueError("exponent out of range")
        cdef int el = max(1, _limbs_for_bits(exponent.bit_length()))
        _load(a, base, k)
        _load(e, exponent, el)
        memset(a52, 0, sizeof(a52))
        if self.m.vec:
            nl = self.m.nlanes
            nz = self.m.nz
            with nogil:
                self.m.to52(a52, a)
                memcpy(acc, self.m.one52, sizeof(acc))
                for i in range(64 * el - 1, -1, -1):
                    if started:
                        bn52_mul(acc, acc, acc, self.m.n52, self.m.k0, nl, nz)
                    if (e[i >> 6] >> (i & 63)) & 1:
                        if started:
                            bn52_mul(acc, acc, a52, self.m.n52, self.m.k0, nl, nz)
                        else:
                            memcpy(acc, a52, sizeof(acc))
                            started = True
                self.m.from52(r, acc)
            return _store(r, k)
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
    cdef int ebits
    cdef object n

    def __init__(self, p, q, dp, dq, qinv):
        _check_modulus(p)
        _check_modulus(q)
        cdef int bits = max(p.bit_length(), q.bit_length())
        cdef int k = _limbs_for_bits(bits)
        if 2 * k > MAX_LIMBS:
            raise ValueError("primes larger than 4096 bits")
        if not (0 < dp < p and 0 < dq < q and 0 < qinv < p):
            raise ValueError("CRT parameters out of range")
        self.k = k
        self.n = p * q
        self.ebits = bits
        self.mp = _Mont()
        self.mp.setup(p, k, bits, True)
        self.mq = _Mont()
        self.mq.setup(q, k, bits, True)
        _load(self.dp, dp, k)
        _load(self.dq, dq, k)
        _load(self.qinv_p, qinv, k)
        _load(self.q_limbs, q, k)

    def __dealloc__(self):
        memset(self.dp, 0, sizeof(self.dp))
        memset(self.dq, 0, sizeof(self.dq))
        memset(self.qinv_p, 0, sizeof(self.qinv_p))

    def private_op(self, c):
        """``c ** d mod n`` for ``0 <= c < n`` (Garner's recombination, constant time)."""
        cdef int k = self.k
        cdef uint64_t cw[2 * MAX_LIMBS]
        cdef uint64_t cp[MAX_LIMBS]
        cdef uint64_t cq[MAX_LIMBS]
        cdef uint64_t t[MAX_LIMBS]
        cdef uint64_t m1[MAX_LIMBS]
        cdef uint64_t m2[MAX_LIMBS]
        cdef uint64_t h[MAX_LIMBS]
        cdef uint64_t out[2 * MAX_LIMBS]
        cdef uint64_t a52[2][MAX_LANES]
        cdef uint64_t r52[2][MAX_LANES]
        cdef uint64_t *rp[2]
        cdef const uint64_t *ap[2]
        cdef const uint64_t *ep[2]
        if not 0 <= c < self.n:
            raise ValueError("input out of range")
        _load(cw, c, 2 * k)
        memset(a52, 0, sizeof(a52))
        with nogil:
            # c mod p: REDC(c) = c/R mod p, then a Montgomery product with R^2 gives c.
            bn_mont_redc(t, cw, self.mp.n, self.mp.n0inv, k)
            bn_mont_mul(cp, t, self.mp.rr, self.mp.n, self.mp.n0inv, k)
            bn_mont_redc(t, cw, self.mq.n, self.mq.n0inv, k)
            bn_mont_mul(cq, t, self.mq.rr, self.mq.n, self.mq.n0inv, k)
        if self.mp.vec:
            self.mp.to52(a52[0], cp)
            self.mq.to52(a52[1], cq)
            rp[0] = r52[0]
            rp[1] = r52[1]
            ap[0] = a52[0]
            ap[1] = a52[1]
            ep[0] = self.dp
            ep[1] = self.dq
            _exp52(2, self.mp, self.mq, rp, ap, ep, self.ebits)
            self.mp.from52(m1, r52[0])
            self.mq.from52(m2, r52[1])
            memset(r52, 0, sizeof(r52))
        else:
            self.mp.to_mont(cp, cp)
            self.mp.exp_ct(m1, cp, self.dp, self.ebits)
            self.mp.from_mont(m1, m1)
            self.mq.to_mont(cq, cq)
            self.mq.exp_ct(m2, cq, self.dq, self.ebits)
            self.mq.from_mont(m2, m2)
        with nogil:
            # h = (m1 - m2) * qinv mod p, through Montgomery form (R cancels in the last
            # product, whose second factor is plain qinv)
            bn_mont_mul(t, m2, self.mp.rr, self.mp.n, self.mp.n0inv, k)  # m2*R mod p
            bn_mont_mul(h, m1, self.mp.rr, self.mp.n, self.mp.n0inv, k)  # m1*R mod p
            bn_mod_sub(t, h, t, self.mp.n, k)
            bn_mont_mul(h, t, self.qinv_p, self.mp.n, self.mp.n0inv, k)
            # m = m2 + h*q  (< p*q, so 2k limbs hold it)
            bn_mul(out, h, k, self.q_limbs, k)
            bn_add_into(out, 2 * k, m2, k)
        result = _store(out, 2 * k)
        memset(cp, 0, sizeof(cp))
        memset(cq, 0, sizeof(cq))
        memset(m1, 0, sizeof(m1))
        memset(m2, 0, sizeof(m2))
        memset(h, 0, sizeof(h))
        return result
