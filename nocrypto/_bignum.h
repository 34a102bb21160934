/* Constant-time Montgomery arithmetic on 64-bit limbs for nocrypto/_bignum_cy.pyx.
 *
 * Numbers are little-endian arrays of k uint64_t limbs, k <= BN_MAX_LIMBS (8192 bits).
 * Every routine here runs the same instructions and touches the same memory whatever
 * the values of its operands, except bn_mont_exp_public, which is only ever called
 * with a public exponent (RSA verification, r^e for blinding).
 *
 * The modulus n must be odd; it may have zero top limbs (both RSA primes are padded to
 * the larger one's limb count).  Inputs are fully reduced (< n) and so are outputs.
 * Products use product scanning (see bn_mont_mul_k); the AVX-512 IFMA engine in
 * _bignum_ifma.h replaces them where the CPU allows.
 */
#ifndef NOCRYPTO_BIGNUM_H
#define NOCRYPTO_BIGNUM_H

#include <stdint.h>
#include <string.h>

#define BN_MAX_LIMBS 128
typedef unsigned __int128 bn_u128;

/* -n^-1 mod 2^64 by Newton iteration (n odd): each step doubles the correct bits. */
static inline uint64_t bn_neg_inverse64(uint64_t n0)
{
    uint64_t x = n0; /* correct to 3 bits for odd n0 */
    for (int i = 0; i < 6; i++)
        x *= 2 - n0 * x;
    return (uint64_t)0 - x;
}

/* r = (t - n) if t >= n else t, for t = (hi:t[0..k-1]) < 2n, without branching. */
static inline void bn_final_sub(uint64_t *r, const uint64_t *t, uint64_t hi,
                                const uint64_t *n, int k)
{
    uint64_t d[BN_MAX_LIMBS];
    uint64_t borrow = 0;
    for (int j = 0; j < k; j++) {
        bn_u128 s = (bn_u128)t[j] - n[j] - borrow;
        d[j] = (uint64_t)s;
        borrow = (uint64_t)(s >> 64) & 1;
    }
    /* t - n is negative exactly when the borrow out exceeds the high word. */
    uint64_t keep_t = (~hi & borrow) & 1;
    uint64_t mask = (uint64_t)0 - keep_t;
    for (int j = 0; j < k; j++)
        r[j] = (t[j] & mask) | (d[j] & ~mask);
}

/* Product scanning (Comba) keeps a three-word column accumulator (acc, c2) in registers:
 * each step is one 64x64 multiplication and an add-with-carry chain, about twice as fast
 * as operand scanning with its carries going through memory. */
#define BN_MAC(x, y)                                            \
    do {                                                        \
        bn_u128 p_ = (bn_u128)(x) * (y);                        \
        c2 += (uint64_t)__builtin_add_overflow(acc, p_, &acc);  \
    } while (0)
#define BN_SHIFT_COLUMN()                                       \
    do {                                                        \
        acc = (acc >> 64) | ((bn_u128)c2 << 64);                \
        c2 = 0;                                                 \
    } while (0)

/* r = a * b * 2^(-64k) mod n (r may alias a or b).  Columns 0..k-1 also choose the
 * Montgomery quotient digits m[i] that clear them; columns k..2k-1 are the result. */
static inline __attribute__((always_inline)) void
bn_mont_mul_k(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *n,
              uint64_t n0inv, int k)
{
    uint64_t m[BN_MAX_LIMBS], t[BN_MAX_LIMBS];
    bn_u128 acc = 0;
    uint64_t c2 = 0;
    for (int i = 0; i < k; i++) {
        for (int j = 0; j < i; j++) {
            BN_MAC(a[j], b[i - j]);
            BN_MAC(m[j], n[i - j]);
        }
        BN_MAC(a[i], b[0]);
        m[i] = (uint64_t)acc * n0inv;
        BN_MAC(m[i], n[0]);
        BN_SHIFT_COLUMN();
    }
    for (int i = k; i < 2 * k; i++) {
        for (int j = i - k + 1; j < k; j++) {
            BN_MAC(a[j], b[i - j]);
            BN_MAC(m[j], n[i - j]);
        }
        t[i - k] = (uint64_t)acc;
        BN_SHIFT_COLUMN();
    }
    bn_final_sub(r, t, (uint64_t)acc, n, k);
}

/* r = a^2 * 2^(-64k) mod n: each cross product a[j]*a[i-j] (j < i-j) is computed once
 * into its own column accumulator and doubled, saving a quarter of the multiplications. */
static inline __attribute__((always_inline)) void
bn_mont_sqr_k(uint64_t *r, const uint64_t *a, const uint64_t *n, uint64_t n0inv, int k)
{
    uint64_t m[BN_MAX_LIMBS], t[BN_MAX_LIMBS];
    bn_u128 acc = 0;
    uint64_t c2 = 0;
    for (int i = 0; i < 2 * k - 1; i++) {
        int lo = i < k ? 0 : i - k + 1;
        /* cross products of column i, doubled */
        bn_u128 xacc = 0;
        uint64_t x2 = 0;
        int cross_end = (i + 1) / 2; /* j < i - j */
        for (int j = lo; j < cross_end; j++) {
            bn_u128 p_ = (bn_u128)a[j] * a[i - j];
            x2 += (uint64_t)__builtin_add_overflow(xacc, p_, &xacc);
        }
        x2 = (x2 << 1) | (uint64_t)(xacc >> 127);
        xacc <<= 1;
        if ((i & 1) == 0) { /* i is public: the diagonal term a[i/2]^2 */
            bn_u128 p_ = (bn_u128)a[i / 2] * a[i / 2];
            x2 += (uint64_t)__builtin_add_overflow(xacc, p_, &xacc);
        }
        c2 += x2 + (uint64_t)__builtin_add_overflow(acc, xacc, &acc);
        /* reduction products of column i */
        int red_end = i < k ? i : k;
        for (int j = lo; j < red_end; j++)
            BN_MAC(m[j], n[i - j]);
        if (i < k) {
            m[i] = (uint64_t)acc * n0inv;
            BN_MAC(m[i], n[0]);
        } else {
            t[i - k] = (uint64_t)acc;
        }
        BN_SHIFT_COLUMN();
    }
    t[k - 1] = (uint64_t)acc;
    BN_SHIFT_COLUMN();
    bn_final_sub(r, t, (uint64_t)acc, n, k);
}

/* Specialised copies for the common sizes let the compiler fix the loop bounds. */
#define BN_DEFINE_FIXED(K)                                                              \
    static void bn_mont_mul_##K(uint64_t *r, const uint64_t *a, const uint64_t *b,     \
                                const uint64_t *n, uint64_t n0inv)                     \
    { bn_mont_mul_k(r, a, b, n, n0inv, K); }                                           \
    static void bn_mont_sqr_##K(uint64_t *r, const uint64_t *a, const uint64_t *n,     \
                                uint64_t n0inv)                                        \
    { bn_mont_sqr_k(r, a, n, n0inv, K); }
BN_DEFINE_FIXED(16)
BN_DEFINE_FIXED(24)
BN_DEFINE_FIXED(32)

/* k is public (it comes from the modulus size), so switching on it leaks nothing. */
static void bn_mont_mul(uint64_t *r, const uint64_t *a, const uint64_t *b,
                        const uint64_t *n, uint64_t n0inv, int k)
{
    switch (k) {
    case 16: bn_mont_mul_16(r, a, b, n, n0inv); return;
    case 24: bn_mont_mul_24(r, a, b, n, n0inv); return;
    case 32: bn_mont_mul_32(r, a, b, n, n0inv); return;
    default: bn_mont_mul_k(r, a, b, n, n0inv, k);
    }
}

static void bn_mont_sqr(uint64_t *r, const uint64_t *a, const uint64_t *n,
                        uint64_t n0inv, int k)
{
    switch (k) {
    case 16: bn_mont_sqr_16(r, a, n, n0inv); return;
    case 24: bn_mont_sqr_24(r, a, n, n0inv); return;
    case 32: bn_mont_sqr_32(r, a, n, n0inv); return;
    default: bn_mont_sqr_k(r, a, n, n0inv, k);
    }
}

/* Montgomery reduction of a 2k-limb number t < n * 2^(64k): r = t * 2^(-64k) mod n. */
static void bn_mont_redc(uint64_t *r, const uint64_t *t_in, const uint64_t *n,
                         uint64_t n0inv, int k)
{
    uint64_t t[2 * BN_MAX_LIMBS];
    memcpy(t, t_in, sizeof(uint64_t) * 2 * k);
    uint64_t hi = 0;
    for (int i = 0; i < k; i++) {
        uint64_t m = t[i] * n0inv;
        uint64_t c = 0;
        for (int j = 0; j < k; j++) {
            bn_u128 s = (bn_u128)m * n[j] + t[i + j] + c;
            t[i + j] = (uint64_t)s;
            c = (uint64_t)(s >> 64);
        }
        bn_u128 s = (bn_u128)t[i + k] + c + hi;
        t[i + k] = (uint64_t)s;
        hi = (uint64_t)(s >> 64);
    }
    bn_final_sub(r, t + k, hi, n, k);
}

/* out = table[idx] reading every entry, so the memory trace does not depend on idx. */
static inline void bn_select(uint64_t *out, const uint64_t *table, int entries,
                             uint64_t idx, int k)
{
    for (int j = 0; j < k; j++)
        out[j] = 0;
    for (int e = 0; e < entries; e++) {
        /* mask = all ones when e == idx, computed without a comparison branch */
        uint64_t x = (uint64_t)e ^ idx;
        uint64_t mask = ((x | ((uint64_t)0 - x)) >> 63) - 1;
        const uint64_t *entry = table + (size_t)e * k;
        for (int j = 0; j < k; j++)
            out[j] |= entry[j] & mask;
    }
}

/* Bits [pos, pos+w) of the exponent (limbs e[0..elimbs-1]); bits beyond the end are 0.
 * The limb indexes depend only on pos, which is public. */
static inline uint64_t bn_window(const uint64_t *e, int elimbs, int pos, int w)
{
    int li = pos >> 6, bi = pos & 63;
    uint64_t v = li < elimbs ? e[li] >> bi : 0;
    if (bi + w > 64 && li + 1 < elimbs)
        v |= e[li + 1] << (64 - bi);
    return v & (((uint64_t)1 << w) - 1);
}

/* r = a^e mod n in Montgomery form (a_mont = a*R mod n, one_mont = R mod n).
 * Fixed window of width w over `ebits` exponent bits (a public bound, not the exponent's
 * real length): the same squarings and multiplications happen for every exponent, and
 * each table entry is fetched by scanning the whole table.  `table` has room for
 * 2^w * k limbs. */
static void bn_mont_exp_consttime(uint64_t *r, const uint64_t *a_mont, const uint64_t *one_mont,
                                  const uint64_t *e, int elimbs, int ebits,
                                  const uint64_t *n, uint64_t n0inv, int k,
                                  uint64_t *table, int w)
{
    int entries = 1 << w;
    uint64_t acc[BN_MAX_LIMBS], sel[BN_MAX_LIMBS];
    memcpy(table, one_mont, sizeof(uint64_t) * k);
    memcpy(table + k, a_mont, sizeof(uint64_t) * k);
    for (int i = 2; i < entries; i++) {
        if (i & 1)
            bn_mont_mul(table + (size_t)i * k, table + (size_t)(i - 1) * k, a_mont, n, n0inv, k);
        else
            bn_mont_sqr(table + (size_t)i * k, table + (size_t)(i / 2) * k, n, n0inv, k);
    }
    int windows = (ebits + w - 1) / w;
    int pos = (windows - 1) * w;
    bn_select(acc, table, entries, bn_window(e, elimbs, pos, w), k);
    for (int win = windows - 2; win >= 0; win--) {
        pos = win * w;
        for (int s = 0; s < w; s++)
            bn_mont_sqr(acc, acc, n, n0inv, k);
        bn_select(sel, table, entries, bn_window(e, elimbs, pos, w), k);
        bn_mont_mul(acc, acc, sel, n, n0inv, k);
    }
    memcpy(r, acc, sizeof(uint64_t) * k);
}

/* r = a^e mod n, Montgomery form, left-to-right square-and-multiply.  Variable time:
 * for public exponents only. */
static void bn_mont_exp_public(uint64_t *r, const uint64_t *a_mont, const uint64_t *one_mont,
                               const uint64_t *e, int elimbs,
                               const uint64_t *n, uint64_t n0inv, int k)
{
    uint64_t acc[BN_MAX_LIMBS];
    memcpy(acc, one_mont, sizeof(uint64_t) * k);
    int started = 0;
    for (int i = elimbs * 64 - 1; i >= 0; i--) {
        int bit = (int)((e[i >> 6] >> (i & 63)) & 1);
        if (started)
            bn_mont_sqr(acc, acc, n, n0inv, k);
        if (bit) {
            if (started)
                bn_mont_mul(acc, acc, a_mont, n, n0inv, k);
            else
                memcpy(acc, a_mont, sizeof(uint64_t) * k);
            started = 1;
        }
    }
    memcpy(r, acc, sizeof(uint64_t) * k);
}

/* r = a - b mod n for a, b < n, constant time. */
static void bn_mod_sub(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *n, int k)
{
    uint64_t d[BN_MAX_LIMBS];
    uint64_t borrow = 0;
    for (int j = 0; j < k; j++) {
        bn_u128 s = (bn_u128)a[j] - b[j] - borrow;
        d[j] = (uint64_t)s;
        borrow = (uint64_t)(s >> 64) & 1;
    }
    uint64_t mask = (uint64_t)0 - borrow; /* add n back when a < b */
    uint64_t carry = 0;
    for (int j = 0; j < k; j++) {
        bn_u128 s = (bn_u128)d[j] + (n[j] & mask) + carry;
        r[j] = (uint64_t)s;
        carry = (uint64_t)(s >> 64);
    }
}

/* r[0..ka+kb-1] = a * b (schoolbook). */
static void bn_mul(uint64_t *r, const uint64_t *a, int ka, const uint64_t *b, int kb)
{
    memset(r, 0, sizeof(uint64_t) * (ka + kb));
    for (int i = 0; i < kb; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < ka; j++) {
            bn_u128 s = (bn_u128)a[j] * b[i] + r[i + j] + carry;
            r[i + j] = (uint64_t)s;
            carry = (uint64_t)(s >> 64);
        }
        r[i + ka] = carry;
    }
}

/* r[0..k-1] += a[0..ka-1] (ka <= k); the final carry is dropped (callers know it is 0). */
static void bn_add_into(uint64_t *r, int k, const uint64_t *a, int ka)
{
    uint64_t carry = 0;
    for (int j = 0; j < k; j++) {
        bn_u128 s = (bn_u128)r[j] + (j < ka ? a[j] : 0) + carry;
        r[j] = (uint64_t)s;
        carry = (uint64_t)(s >> 64);
    }
}

/* ---- Modular inversion: Bernstein-Yang "safegcd" divsteps (constant time) ----------
 *
 * From Bernstein and Yang, "Fast constant-time gcd computation and modular inversion"
 * (TCHES 2019).  The divstep map on (delta, f, g), f odd:
 *
 *     delta > 0 and g odd:  (1 - delta, g, (g - f) / 2)
 *     otherwise:            (1 + delta, f, (g + (g mod 2) f) / 2)
 *
 * keeps gcd(f, g) up to sign and drives g to 0.  Their theorem 11.2: when
 * f^2 + 4 g^2 <= 5 * 2^(2b), m = floor((49b + 57) / 17) steps (floor((49b + 80) / 17)
 * for b < 46) from delta = 1 always reach g = 0.  Starting from f = n, g = a < n < 2^b,
 * the step count therefore depends only on the public bit length b, and f ends as
 * +-gcd(a, n).  Steps beyond the m-th are harmless (g = 0 stays 0, f stays put).
 *
 * Steps run in batches of 62 on the low 62 bits of f and g (enough to decide 62 steps),
 * recording the 2x2 matrix M with 2^62 (f', g') = M (f, g); M is then applied to the
 * full f and g, and to (d, e), which track f = d a and g = e a (mod n): d starts 0 and
 * e starts 1, and (d', e') = M (d, e) / 2^62 mod n, the division by 2^62 made exact by
 * adding the multiple of n that clears the low 62 bits (as in Montgomery reduction).
 * At the end f = +-1 exactly when a is invertible, and then a^-1 = +-d mod n.
 *
 * Numbers here are signed, in radix 2^62: limbs 0..L-2 in [0, 2^62), limb L-1 a signed
 * 64-bit value, so that products of a limb and a matrix entry (|entry| <= 2^62) and
 * their sums fit a signed 128-bit accumulator.  Every loop bound depends on b or L only,
 * every selection is by mask: the instructions and memory addresses are the same for
 * every a (and every n of the same bit length). */

#define BN62_MASK (((uint64_t)1 << 62) - 1)
#define BN62_MAX_LIMBS (BN_MAX_LIMBS * 64 / 62 + 2)
typedef __int128 bn_i128;

/* Limbs of radix 2^62 for b-bit numbers (with room for the sign and one more bit). */
static inline int bn62_limbs(int bits) { return bits / 62 + 1; }

/* x (k limbs of 64 bits, x < 2^(62(L-1)+62)) -> L limbs of 62 bits. */
static void bn62_from64(uint64_t *out, int L, const uint64_t *x, int k)
{
    for (int i = 0; i < L; i++) {
        int bit = 62 * i, li = bit >> 6, bi = bit & 63;
        uint64_t v = li < k ? x[li] >> bi : 0;
        if (bi > 2 && li + 1 < k)
            v |= x[li + 1] << (64 - bi);
        out[i] = v & BN62_MASK;
    }
}

/* x (L limbs of 62 bits, non-negative and below 2^(64k)) -> k limbs of 64 bits. */
static void bn62_to64(uint64_t *out, int k, const uint64_t *x, int L)
{
    for (int j = 0; j < k; j++)
        out[j] = 0;
    for (int i = 0; i < L; i++) {
        int bit = 62 * i, li = bit >> 6, bi = bit & 63;
        if (li < k)
            out[li] |= x[i] << bi;
        if (bi > 2 && li + 1 < k)
            out[li + 1] |= x[i] >> (64 - bi);
    }
}

/* 62 divsteps on the low bits of f and g, from eta = -delta.  Returns the new eta and
 * sets t = {u, v, q, r} with 2^62 f' = u f + v g, 2^62 g' = q f + r g (|u| + |v| and
 * |q| + |r| are at most 2^62).  Unsigned (two's complement) arithmetic, no branches.
 * eta rather than delta, because "delta > 0" is then its sign bit and the update
 * eta' = (c ? delta : -delta) - 1 is the two operations (eta ^ c) - 1. */
static inline uint64_t bn62_divsteps(uint64_t eta, uint64_t f, uint64_t g, int64_t t[4])
{
    uint64_t u = 1, v = 0, q = 0, r = 1;
    for (int i = 0; i < 62; i++) {
        uint64_t odd = (uint64_t)0 - (g & 1);
        /* c: all ones when delta > 0 and g is odd (|eta| stays far below 2^63) */
        uint64_t c = (uint64_t)((int64_t)eta >> 63) & odd;
        eta = (eta ^ c) - 1;
        /* c: (f, g) <- (g, (g - f) / 2), the f row taking the g row's place;
         * else: g <- (g + (g odd ? f : 0)) / 2.  As c implies odd, both are
         * g + (((f & odd) ^ c) - c), and the row sums alike. */
        uint64_t x = (f ^ g) & c;
        uint64_t xu = (u ^ q) & c;
        uint64_t xv = (v ^ r) & c;
        g = (g - c) + ((f & odd) ^ c);
        q = (q - c) + ((u & odd) ^ c);
        r = (r - c) + ((v & odd) ^ c);
        f ^= x;
        u ^= xu;
        v ^= xv;
        /* g is halved; the f row doubles instead, keeping the common factor 2^i */
        g >>= 1;
        u <<= 1;
        v <<= 1;
    }
    t[0] = (int64_t)u;
    t[1] = (int64_t)v;
    t[2] = (int64_t)q;
    t[3] = (int64_t)r;
    return eta;
}

/* x <- x + (n & mask) (signed radix 2^62, L limbs). */
static inline void bn62_add_masked(uint64_t *x, const uint64_t *n, uint64_t mask, int L)
{
    int64_t carry = 0;
    for (int i = 0; i < L - 1; i++) {
        uint64_t s = x[i] + (n[i] & mask) + (uint64_t)carry;
        x[i] = s & BN62_MASK;
        carry = (int64_t)s >> 62;
    }
    x[L - 1] += (n[L - 1] & mask) + (uint64_t)carry;
}

/* x <- x - y (signed radix 2^62, L limbs). */
static inline void bn62_sub(uint64_t *x, const uint64_t *y, int L)
{
    int64_t carry = 0;
    for (int i = 0; i < L - 1; i++) {
        uint64_t s = x[i] - y[i] + (uint64_t)carry;
        x[i] = s & BN62_MASK;
        carry = (int64_t)s >> 62;
    }
    x[L - 1] = x[L - 1] - y[L - 1] + (uint64_t)carry;
}

/* (x2, y2) = (a x + b y + m n, c x + d y + l n) / 2^62 for signed radix-2^62 x, y, n
 * (L limbs) where a, b, m (and c, d, l) cleared the low 62 bits, so the quotients are
 * exact.  Every product and sum fits a signed 128-bit accumulator: limbs below 2^62 in
 * size (the top one too, here), |a| + |b| <= 2^62 and |m| <= 2^63.  The two outputs
 * share one pass, their carry chains running side by side. */
static inline void bn62_combine(uint64_t *x2, uint64_t *y2, const uint64_t *x,
                                const uint64_t *y, const int64_t t[4], const uint64_t *n,
                                int64_t m, int64_t l, int L)
{
    const int64_t a = t[0], b = t[1], c = t[2], d = t[3];
    bn_i128 cx = (bn_i128)a * (int64_t)x[0] + (bn_i128)b * (int64_t)y[0]
                 + (bn_i128)m * (int64_t)n[0];
    bn_i128 cy = (bn_i128)c * (int64_t)x[0] + (bn_i128)d * (int64_t)y[0]
                 + (bn_i128)l * (int64_t)n[0];
    cx >>= 62;
    cy >>= 62;
    for (int i = 1; i < L; i++) {
        int64_t xi = (int64_t)x[i], yi = (int64_t)y[i], ni = (int64_t)n[i];
        cx += (bn_i128)a * xi + (bn_i128)b * yi + (bn_i128)m * ni;
        cy += (bn_i128)c * xi + (bn_i128)d * yi + (bn_i128)l * ni;
        x2[i - 1] = (uint64_t)cx & BN62_MASK;
        y2[i - 1] = (uint64_t)cy & BN62_MASK;
        cx >>= 62;
        cy >>= 62;
    }
    x2[L - 1] = (uint64_t)(int64_t)cx;
    y2[L - 1] = (uint64_t)(int64_t)cy;
}

/* One batch's matrix t = {u, v, q, r} applied to the numbers, from (f, g, d, e) into
 * (f2, g2, d2, e2):
 *
 *   (f2, g2) = (u f + v g, q f + r g) / 2^62, exact (the divsteps cleared 62 low bits);
 *   (d2, e2) = (u d + v e, q d + r e) / 2^62 mod n.
 *
 * d and e stay in (-2n, n) without a reduction pass: a negative d is taken as d + n
 * (in (-n, n)), which adds u n (or q n) to the products, folded into the multiple of n
 * that clears the low 62 bits, chosen in [-2^62, 0).  Then |u d + v e| < 2^62 n, so the
 * quotient is in (-2n, n) again, and the multiples stay in [-2^63, 2^62).
 * ninv = -n^-1 mod 2^64. */
static void bn62_update(uint64_t *f2, uint64_t *g2, uint64_t *d2, uint64_t *e2,
                        const uint64_t *f, const uint64_t *g, const uint64_t *d,
                        const uint64_t *e, int L, const int64_t t[4], const uint64_t *n,
                        uint64_t ninv)
{
    const int64_t u = t[0], v = t[1], q = t[2], r = t[3];
    uint64_t sd = (uint64_t)((int64_t)d[L - 1] >> 63);
    uint64_t se = (uint64_t)((int64_t)e[L - 1] >> 63);
    uint64_t md = ((uint64_t)u & sd) + ((uint64_t)v & se);
    uint64_t me = ((uint64_t)q & sd) + ((uint64_t)r & se);
    uint64_t lo_d = (uint64_t)u * d[0] + (uint64_t)v * e[0] + md * n[0];
    uint64_t lo_e = (uint64_t)q * d[0] + (uint64_t)r * e[0] + me * n[0];
    md += ((lo_d * ninv) & BN62_MASK) - ((uint64_t)1 << 62);
    me += ((lo_e * ninv) & BN62_MASK) - ((uint64_t)1 << 62);
    bn62_combine(f2, g2, f, g, t, f, 0, 0, L); /* no multiples of n for f and g */
    bn62_combine(d2, e2, d, e, t, n, (int64_t)md, (int64_t)me, L);
}

/* Divsteps that certainly bring g to 0 for b-bit inputs (Bernstein-Yang theorem 11.2). */
static inline int bn_inverse_divsteps(int bits)
{
    return bits < 46 ? (49 * bits + 80) / 17 : (49 * bits + 57) / 17;
}

/* r = a^-1 mod n for an odd n of `bits` bits (k limbs) and 0 <= a < n.  Returns 1 when
 * gcd(a, n) = 1, else 0 (and r is then meaningless).  Constant time in a and n: the
 * work depends on bits and k alone; only the returned verdict says anything about the
 * values (whether the inverse exists).  r may alias a. */
static int bn_mod_inverse(uint64_t *r, const uint64_t *a, const uint64_t *n, int k, int bits)
{
    /* two buffers per number, the batch writing one from the other */
    uint64_t buf[8][BN62_MAX_LIMBS];
    uint64_t n62[BN62_MAX_LIMBS];
    int64_t t[4];
    int L = bn62_limbs(bits);
    uint64_t ninv = bn_neg_inverse64(n[0]);
    uint64_t *f = buf[0], *g = buf[1], *d = buf[2], *e = buf[3];
    uint64_t *f2 = buf[4], *g2 = buf[5], *d2 = buf[6], *e2 = buf[7], *swap;
    bn62_from64(n62, L, n, k);
    bn62_from64(g, L, a, k);
    memcpy(f, n62, sizeof(uint64_t) * L);
    memset(d, 0, sizeof(uint64_t) * L);
    memset(e, 0, sizeof(uint64_t) * L);
    e[0] = 1;
    uint64_t eta = (uint64_t)0 - 1; /* delta = 1 */
    int batches = (bn_inverse_divsteps(bits) + 61) / 62;
    for (int i = 0; i < batches; i++) {
        eta = bn62_divsteps(eta, f[0], g[0], t);
        bn62_update(f2, g2, d2, e2, f, g, d, e, L, t, n62, ninv);
        swap = f, f = f2, f2 = swap;
        swap = g, g = g2, g2 = swap;
        swap = d, d = d2, d2 = swap;
        swap = e, e = e2, e2 = swap;
    }
    /* f = +-gcd(a, n) and g = 0: invertible exactly when f = +1 or f = -1, whose limbs
     * are 1, 0, ..., 0 and 2^62 - 1, ..., 2^62 - 1, -1 */
    uint64_t gz = 0, fplus = 0, fminus = 0;
    for (int i = 0; i < L; i++) {
        gz |= g[i];
        fplus |= f[i] ^ (i == 0 ? 1 : 0);
        fminus |= f[i] ^ (i == L - 1 ? ~(uint64_t)0 : BN62_MASK);
    }
    /* (x | -x) >> 63 is 0 exactly when x = 0 */
    uint64_t bad_g = (gz | ((uint64_t)0 - gz)) >> 63;
    uint64_t bad_plus = (fplus | ((uint64_t)0 - fplus)) >> 63;
    uint64_t bad_minus = (fminus | ((uint64_t)0 - fminus)) >> 63;
    uint64_t ok = (1 ^ bad_g) & (1 ^ (bad_plus & bad_minus));
    /* d in (-2n, n) -> [0, n); then a^-1 = d when f = 1, n - d when f = -1 (d is not 0
     * when a is invertible) */
    bn62_add_masked(d, n62, (uint64_t)((int64_t)d[L - 1] >> 63), L);
    bn62_add_masked(d, n62, (uint64_t)((int64_t)d[L - 1] >> 63), L);
    uint64_t neg = (uint64_t)((int64_t)f[L - 1] >> 63);
    memcpy(e, n62, sizeof(uint64_t) * L);
    bn62_sub(e, d, L);
    for (int i = 0; i < L; i++)
        d[i] = (d[i] & ~neg) | (e[i] & neg);
    bn62_to64(r, k, d, L);
    memset(buf, 0, sizeof(buf)); /* secret-derived */
    return (int)ok;
}

#endif
