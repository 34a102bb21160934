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

#endif
