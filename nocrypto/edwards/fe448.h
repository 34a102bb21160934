/* Arithmetic modulo p = 2^448 - 2^224 - 1 in radix 2^56 (eight 64-bit limbs), constant time.
 *
 * p is a "golden" Solinas prime: 2^448 = 2^224 + 1 (mod p), and 224 = 4 * 56, so a column
 * k >= 8 of a product folds onto columns k - 8 and k - 4 with no shifting.
 * Bounds: fe448_mul / _sq / _mul_small / _carry return limbs < 2^56 + 2^12 ("reduced");
 * fe448_add of reduced elements gives limbs < 2^57 + 2^13; fe448_sub adds 4p, so the
 * subtrahend may have limbs up to 2^58 and one subtraction from a minuend below 2^58.4
 * stays below 2^59.3 (the longest chain the callers build); fe448_mul accepts limbs
 * below 2^60 (columns stay below 2^125 after folding, all carries are 128-bit).
 */
#ifndef PURETLS_FE448_H
#define PURETLS_FE448_H

#include <stdint.h>
#include <string.h>

typedef unsigned __int128 fe448_u128;
typedef uint64_t fe448[8];

#define FE448_MASK ((UINT64_C(1) << 56) - 1)

static inline void fe448_copy(fe448 h, const fe448 f) { memcpy(h, f, sizeof(fe448)); }

static inline void fe448_set_small(fe448 h, uint64_t v) {
    h[0] = v;
    for (int i = 1; i < 8; i++) h[i] = 0;
}

static inline void fe448_frombytes(fe448 h, const uint8_t s[56]) {
    for (int i = 0; i < 8; i++) {
        uint64_t v = 0;
        for (int j = 6; j >= 0; j--) v = (v << 8) | s[7 * i + j];
        h[i] = v;
    }
}

static inline void fe448_carry(fe448 h) {
    uint64_t c;
    for (int i = 0; i < 7; i++) { c = h[i] >> 56; h[i] &= FE448_MASK; h[i + 1] += c; }
    c = h[7] >> 56; h[7] &= FE448_MASK;
    h[0] += c;
    h[4] += c;
    c = h[0] >> 56; h[0] &= FE448_MASK; h[1] += c;
    c = h[4] >> 56; h[4] &= FE448_MASK; h[5] += c;
}

/* Subtract p once when h >= p; h must be below 2^449 with limbs 0..6 below 2^56. */
static inline void fe448_csub_p(uint64_t h[8]) {
    uint64_t t[8], borrow = 0;
    for (int i = 0; i < 8; i++) {
        uint64_t pi = (i == 4) ? FE448_MASK - 1 : FE448_MASK;
        uint64_t d = h[i] - pi - borrow;
        borrow = d >> 63; /* operands are below 2^58, so a wrap shows in the sign bit */
        t[i] = d & FE448_MASK;
        if (i == 7) t[i] = d; /* the top limb keeps its high bits for the final borrow */
    }
    uint64_t keep = (uint64_t)0 - borrow; /* all ones when h < p */
    for (int i = 0; i < 8; i++) h[i] = (h[i] & keep) | (t[i] & ~keep);
}

static inline void fe448_tobytes(uint8_t s[56], const fe448 f) {
    uint64_t h[8];
    fe448_copy(h, f);
    fe448_carry(h);
    fe448_carry(h);
    /* Gather every carry in the top limb: h < 2^449, then at most two subtractions of p. */
    for (int i = 0; i < 7; i++) { h[i + 1] += h[i] >> 56; h[i] &= FE448_MASK; }
    fe448_csub_p(h);
    fe448_csub_p(h);
    for (int i = 0; i < 8; i++) {
        uint64_t v = h[i];
        for (int j = 0; j < 7; j++) { s[7 * i + j] = (uint8_t)v; v >>= 8; }
    }
}

static inline void fe448_add(fe448 h, const fe448 f, const fe448 g) {
    for (int i = 0; i < 8; i++) h[i] = f[i] + g[i];
}

/* f - g + 4p; 4p has limbs 2^58 - 4 except limb 4, which is 2^58 - 8. */
static inline void fe448_sub(fe448 h, const fe448 f, const fe448 g) {
    for (int i = 0; i < 8; i++) {
        uint64_t bias = (i == 4) ? (UINT64_C(1) << 58) - 8 : (UINT64_C(1) << 58) - 4;
        h[i] = f[i] + bias - g[i];
    }
}

static inline void fe448_neg(fe448 h, const fe448 f) {
    fe448 zero = {0, 0, 0, 0, 0, 0, 0, 0};
    fe448_sub(h, zero, f);
    fe448_carry(h);
}

static inline void fe448_reduce_cols(fe448 h, fe448_u128 c[15]) {
    /* 2^448 = 2^224 + 1: fold from the top so that columns 12..14, landing on 8..10,
     * are folded again. */
    for (int k = 14; k >= 8; k--) {
        c[k - 8] += c[k];
        c[k - 4] += c[k];
    }
    for (int i = 0; i < 7; i++) { c[i + 1] += c[i] >> 56; c[i] &= FE448_MASK; }
    fe448_u128 top = c[7] >> 56;
    c[7] &= FE448_MASK;
    c[0] += top;
    c[4] += top;
    c[1] += c[0] >> 56; c[0] &= FE448_MASK;
    c[5] += c[4] >> 56; c[4] &= FE448_MASK;
    for (int i = 0; i < 8; i++) h[i] = (uint64_t)c[i];
}

static inline void fe448_mul(fe448 h, const fe448 f, const fe448 g) {
    fe448_u128 c[15];
    for (int k = 0; k < 15; k++) c[k] = 0;
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++) c[i + j] += (fe448_u128)f[i] * g[j];
    fe448_reduce_cols(h, c);
}

static inline void fe448_sq(fe448 h, const fe448 f) {
    fe448_u128 c[15];
    for (int k = 0; k < 15; k++) c[k] = 0;
    for (int i = 0; i < 8; i++) {
        c[2 * i] += (fe448_u128)f[i] * f[i];
        uint64_t fi2 = 2 * f[i];
        for (int j = i + 1; j < 8; j++) c[i + j] += (fe448_u128)fi2 * f[j];
    }
    fe448_reduce_cols(h, c);
}

static inline void fe448_sqn(fe448 h, const fe448 f, int n) {
    fe448_sq(h, f);
    for (int i = 1; i < n; i++) fe448_sq(h, h);
}

static inline void fe448_mul_small(fe448 h, const fe448 f, uint64_t k) {
    fe448_u128 c[15];
    for (int i = 0; i < 8; i++) c[i] = (fe448_u128)f[i] * k;
    for (int i = 8; i < 15; i++) c[i] = 0;
    fe448_reduce_cols(h, c);
}

static inline void fe448_cswap(fe448 f, fe448 g, uint64_t swap) {
    uint64_t mask = (uint64_t)0 - swap;
    for (int i = 0; i < 8; i++) {
        uint64_t t = mask & (f[i] ^ g[i]);
        f[i] ^= t;
        g[i] ^= t;
    }
}

static inline void fe448_cmov(fe448 h, const fe448 g, uint64_t move) {
    uint64_t mask = (uint64_t)0 - move;
    for (int i = 0; i < 8; i++) h[i] ^= mask & (h[i] ^ g[i]);
}

/* z^(2^222 - 1) and z^(2^223 - 1)... built as x_k = z^(2^k - 1) along an addition chain. */
static inline void fe448_pow_2_222_1(fe448 x222, const fe448 z) {
    fe448 x2, x3, x6, x12, x24, x48, x96, t;
    fe448_sq(t, z);
    fe448_mul(x2, t, z);
    fe448_sq(t, x2);
    fe448_mul(x3, t, z);
    fe448_sqn(t, x3, 3);
    fe448_mul(x6, t, x3);
    fe448_sqn(t, x6, 6);
    fe448_mul(x12, t, x6);
    fe448_sqn(t, x12, 12);
    fe448_mul(x24, t, x12);
    fe448_sqn(t, x24, 24);
    fe448_mul(x48, t, x24);
    fe448_sqn(t, x48, 48);
    fe448_mul(x96, t, x48);
    fe448_sqn(t, x96, 96);
    fe448_mul(t, t, x96);        /* x192 */
    fe448_sqn(t, t, 24);
    fe448_mul(t, t, x24);        /* x216 */
    fe448_sqn(t, t, 6);
    fe448_mul(x222, t, x6);
}

/* 1/z = z^(p - 2); p - 2 is 223 ones, a zero, 222 ones, then binary 01. */
static inline void fe448_invert(fe448 out, const fe448 z) {
    fe448 x222, t;
    fe448_pow_2_222_1(x222, z);
    fe448_sq(t, x222);
    fe448_mul(t, t, z);          /* x223 */
    fe448_sq(t, t);              /* ...0 */
    fe448_sqn(t, t, 222);
    fe448_mul(t, t, x222);       /* ...0 then 222 ones */
    fe448_sqn(t, t, 2);
    fe448_mul(out, t, z);        /* ...01 */
}

/* z^((p - 3) / 4) = z^(2^446 - 2^222 - 1), used for RFC 8032 section 5.2.3 square roots:
 * (p - 3) / 4 is 223 ones, a zero, then 222 ones. */
static inline void fe448_pow_p34(fe448 out, const fe448 z) {
    fe448 x222, t;
    fe448_pow_2_222_1(x222, z);
    fe448_sq(t, x222);
    fe448_mul(t, t, z);          /* x223 */
    fe448_sq(t, t);
    fe448_sqn(t, t, 222);
    fe448_mul(out, t, x222);
}

static inline uint64_t fe448_iszero(const fe448 f) {
    uint8_t s[56];
    uint64_t acc = 0;
    fe448_tobytes(s, f);
    for (int i = 0; i < 56; i++) acc |= s[i];
    return ((acc | (0 - acc)) >> 63) ^ 1;
}

static inline uint64_t fe448_isodd(const fe448 f) {
    uint8_t s[56];
    fe448_tobytes(s, f);
    return s[0] & 1;
}

#endif
