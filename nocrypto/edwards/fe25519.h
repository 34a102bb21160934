/* Arithmetic modulo p = 2^255 - 19 in radix 2^51 (five 64-bit limbs), constant time.
 *
 * A field element h = h[0] + h[1]*2^51 + ... + h[4]*2^204, not necessarily < p.
 * Limb bounds are what keeps the 128-bit accumulators from overflowing:
 *   - fe25519_mul / _sq / _mul_small / _carry return limbs < 2^51 + 2^18 ("reduced");
 *   - fe25519_add of two reduced elements gives limbs < 2^52 + 2^19;
 *   - fe25519_sub(a, b) adds 4p before subtracting, so b may have limbs up to 2^53
 *     (reduced or the sum of two reduced) and the result stays below 2^54;
 *   - fe25519_mul and _sq accept limbs below 2^54.3: a column is at most
 *     77 * 2^108.6 < 2^115, so every carry (column >> 51) fits in 64 bits; the top
 *     carry times 19 is formed in 128 bits.  The callers stay below 2^53.6.
 * No function branches on or indexes memory with the value of an element.
 */
#ifndef PURETLS_FE25519_H
#define PURETLS_FE25519_H

#include <stdint.h>
#include <string.h>

typedef unsigned __int128 fe25519_u128;
typedef uint64_t fe25519[5];

#define FE25519_MASK ((UINT64_C(1) << 51) - 1)

static inline void fe25519_copy(fe25519 h, const fe25519 f) { memcpy(h, f, sizeof(fe25519)); }

static inline void fe25519_set_small(fe25519 h, uint64_t v) {
    h[0] = v; h[1] = 0; h[2] = 0; h[3] = 0; h[4] = 0;
}

static inline uint64_t fe25519_load64(const uint8_t *s) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | s[i];
    return v;
}

static inline void fe25519_store64(uint8_t *s, uint64_t v) {
    for (int i = 0; i < 8; i++) { s[i] = (uint8_t)v; v >>= 8; }
}

/* Bit 255 is ignored (RFC 7748 masks it; RFC 8032 decoders take it off first). */
static inline void fe25519_frombytes(fe25519 h, const uint8_t s[32]) {
    uint64_t w0 = fe25519_load64(s), w1 = fe25519_load64(s + 8);
    uint64_t w2 = fe25519_load64(s + 16), w3 = fe25519_load64(s + 24);
    h[0] = w0 & FE25519_MASK;
    h[1] = ((w0 >> 51) | (w1 << 13)) & FE25519_MASK;
    h[2] = ((w1 >> 38) | (w2 << 26)) & FE25519_MASK;
    h[3] = ((w2 >> 25) | (w3 << 39)) & FE25519_MASK;
    h[4] = (w3 >> 12) & FE25519_MASK;
}

static inline void fe25519_carry(fe25519 h) {
    uint64_t c;
    c = h[0] >> 51; h[0] &= FE25519_MASK; h[1] += c;
    c = h[1] >> 51; h[1] &= FE25519_MASK; h[2] += c;
    c = h[2] >> 51; h[2] &= FE25519_MASK; h[3] += c;
    c = h[3] >> 51; h[3] &= FE25519_MASK; h[4] += c;
    c = h[4] >> 51; h[4] &= FE25519_MASK; h[0] += 19 * c;
}

/* The unique representative in [0, p), as 32 little-endian bytes. */
static inline void fe25519_tobytes(uint8_t s[32], const fe25519 f) {
    uint64_t h[5], q;
    fe25519_copy(h, f);
    fe25519_carry(h);
    fe25519_carry(h);
    /* Now h < 2^255 + 2^18 < 2p: q = 1 exactly when h >= p, i.e. when h + 19 >= 2^255. */
    q = (h[0] + 19) >> 51;
    q = (h[1] + q) >> 51;
    q = (h[2] + q) >> 51;
    q = (h[3] + q) >> 51;
    q = (h[4] + q) >> 51;
    h[0] += 19 * q;
    h[1] += h[0] >> 51; h[0] &= FE25519_MASK;
    h[2] += h[1] >> 51; h[1] &= FE25519_MASK;
    h[3] += h[2] >> 51; h[2] &= FE25519_MASK;
    h[4] += h[3] >> 51; h[3] &= FE25519_MASK;
    h[4] &= FE25519_MASK; /* drops the 2^255 that h + 19q - 2^255 subtracts */
    fe25519_store64(s, h[0] | (h[1] << 51));
    fe25519_store64(s + 8, (h[1] >> 13) | (h[2] << 38));
    fe25519_store64(s + 16, (h[2] >> 26) | (h[3] << 25));
    fe25519_store64(s + 24, (h[3] >> 39) | (h[4] << 12));
}

static inline void fe25519_add(fe25519 h, const fe25519 f, const fe25519 g) {
    for (int i = 0; i < 5; i++) h[i] = f[i] + g[i];
}

/* f - g + 4p: 4p = (2^53 - 76, 2^53 - 4, 2^53 - 4, 2^53 - 4, 2^53 - 4) limb by limb. */
static inline void fe25519_sub(fe25519 h, const fe25519 f, const fe25519 g) {
    h[0] = f[0] + UINT64_C(0x1FFFFFFFFFFFB4) - g[0];
    h[1] = f[1] + UINT64_C(0x1FFFFFFFFFFFFC) - g[1];
    h[2] = f[2] + UINT64_C(0x1FFFFFFFFFFFFC) - g[2];
    h[3] = f[3] + UINT64_C(0x1FFFFFFFFFFFFC) - g[3];
    h[4] = f[4] + UINT64_C(0x1FFFFFFFFFFFFC) - g[4];
}

static inline void fe25519_neg(fe25519 h, const fe25519 f) {
    fe25519 zero = {0, 0, 0, 0, 0};
    fe25519_sub(h, zero, f);
    fe25519_carry(h);
}

/* Fold five 128-bit columns back to reduced limbs (columns < 2^115). */
static inline void fe25519_fold(fe25519 h, fe25519_u128 r0, fe25519_u128 r1, fe25519_u128 r2,
                                fe25519_u128 r3, fe25519_u128 r4) {
    r1 += (uint64_t)(r0 >> 51);
    r2 += (uint64_t)(r1 >> 51);
    r3 += (uint64_t)(r2 >> 51);
    r4 += (uint64_t)(r3 >> 51);
    fe25519_u128 t = ((uint64_t)r0 & FE25519_MASK) + (fe25519_u128)(uint64_t)(r4 >> 51) * 19;
    h[0] = (uint64_t)t & FE25519_MASK;
    h[1] = ((uint64_t)r1 & FE25519_MASK) + (uint64_t)(t >> 51);
    h[2] = (uint64_t)r2 & FE25519_MASK;
    h[3] = (uint64_t)r3 & FE25519_MASK;
    h[4] = (uint64_t)r4 & FE25519_MASK;
}

static inline void fe25519_mul(fe25519 h, const fe25519 f, const fe25519 g) {
    uint64_t f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3], f4 = f[4];
    uint64_t g0 = g[0], g1 = g[1], g2 = g[2], g3 = g[3], g4 = g[4];
    /* 2^255 = 19 (mod p): columns past 2^255 come back multiplied by 19. */
    uint64_t g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3, g4_19 = 19 * g4;
    fe25519_u128 r0, r1, r2, r3, r4;
    r0 = (fe25519_u128)f0 * g0 + (fe25519_u128)f1 * g4_19 + (fe25519_u128)f2 * g3_19
       + (fe25519_u128)f3 * g2_19 + (fe25519_u128)f4 * g1_19;
    r1 = (fe25519_u128)f0 * g1 + (fe25519_u128)f1 * g0 + (fe25519_u128)f2 * g4_19
       + (fe25519_u128)f3 * g3_19 + (fe25519_u128)f4 * g2_19;
    r2 = (fe25519_u128)f0 * g2 + (fe25519_u128)f1 * g1 + (fe25519_u128)f2 * g0
       + (fe25519_u128)f3 * g4_19 + (fe25519_u128)f4 * g3_19;
    r3 = (fe25519_u128)f0 * g3 + (fe25519_u128)f1 * g2 + (fe25519_u128)f2 * g1
       + (fe25519_u128)f3 * g0 + (fe25519_u128)f4 * g4_19;
    r4 = (fe25519_u128)f0 * g4 + (fe25519_u128)f1 * g3 + (fe25519_u128)f2 * g2
       + (fe25519_u128)f3 * g1 + (fe25519_u128)f4 * g0;
    fe25519_fold(h, r0, r1, r2, r3, r4);
}

static inline void fe25519_sq(fe25519 h, const fe25519 f) {
    uint64_t f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3], f4 = f[4];
    uint64_t f0_2 = 2 * f0, f1_2 = 2 * f1;
    uint64_t f1_38 = 38 * f1, f2_38 = 38 * f2, f3_38 = 38 * f3;
    uint64_t f3_19 = 19 * f3, f4_19 = 19 * f4;
    fe25519_u128 r0, r1, r2, r3, r4;
    r0 = (fe25519_u128)f0 * f0 + (fe25519_u128)f1_38 * f4 + (fe25519_u128)f2_38 * f3;
    r1 = (fe25519_u128)f0_2 * f1 + (fe25519_u128)f2_38 * f4 + (fe25519_u128)f3_19 * f3;
    r2 = (fe25519_u128)f0_2 * f2 + (fe25519_u128)f1 * f1 + (fe25519_u128)f3_38 * f4;
    r3 = (fe25519_u128)f0_2 * f3 + (fe25519_u128)f1_2 * f2 + (fe25519_u128)f4_19 * f4;
    r4 = (fe25519_u128)f0_2 * f4 + (fe25519_u128)f1_2 * f3 + (fe25519_u128)f2 * f2;
    fe25519_fold(h, r0, r1, r2, r3, r4);
}

static inline void fe25519_sqn(fe25519 h, const fe25519 f, int n) {
    fe25519_sq(h, f);
    for (int i = 1; i < n; i++) fe25519_sq(h, h);
}

/* h = f * c for a small constant c < 2^20 (limbs of f below 2^54). */
static inline void fe25519_mul_small(fe25519 h, const fe25519 f, uint64_t c) {
    fe25519_fold(h, (fe25519_u128)f[0] * c, (fe25519_u128)f[1] * c, (fe25519_u128)f[2] * c,
                 (fe25519_u128)f[3] * c, (fe25519_u128)f[4] * c);
}

/* Swap f and g when swap is 1, leave them when it is 0, with the same instructions. */
static inline void fe25519_cswap(fe25519 f, fe25519 g, uint64_t swap) {
    uint64_t mask = (uint64_t)0 - swap;
    for (int i = 0; i < 5; i++) {
        uint64_t t = mask & (f[i] ^ g[i]);
        f[i] ^= t;
        g[i] ^= t;
    }
}

/* h = g when move is 1, unchanged when it is 0. */
static inline void fe25519_cmov(fe25519 h, const fe25519 g, uint64_t move) {
    uint64_t mask = (uint64_t)0 - move;
    for (int i = 0; i < 5; i++) h[i] ^= mask & (h[i] ^ g[i]);
}

/* z^(2^250 - 1) and z^11, the common prefix of inversion and the square-root power. */
static inline void fe25519_pow_2_250_1(fe25519 out, fe25519 z11, const fe25519 z) {
    fe25519 t0, t1, t2, t3;
    fe25519_sq(t0, z);              /* z^2 */
    fe25519_sqn(t1, t0, 2);         /* z^8 */
    fe25519_mul(t1, t1, z);         /* z^9 */
    fe25519_mul(z11, t0, t1);       /* z^11 */
    fe25519_sq(t0, z11);            /* z^22 */
    fe25519_mul(t1, t1, t0);        /* z^(2^5 - 1) */
    fe25519_sqn(t0, t1, 5);
    fe25519_mul(t1, t0, t1);        /* 2^10 - 1 */
    fe25519_sqn(t0, t1, 10);
    fe25519_mul(t2, t0, t1);        /* 2^20 - 1 */
    fe25519_sqn(t0, t2, 20);
    fe25519_mul(t0, t0, t2);        /* 2^40 - 1 */
    fe25519_sqn(t0, t0, 10);
    fe25519_mul(t3, t0, t1);        /* 2^50 - 1 */
    fe25519_sqn(t0, t3, 50);
    fe25519_mul(t0, t0, t3);        /* 2^100 - 1 */
    fe25519_sqn(t2, t0, 100);
    fe25519_mul(t0, t2, t0);        /* 2^200 - 1 */
    fe25519_sqn(t0, t0, 50);
    fe25519_mul(out, t0, t3);       /* 2^250 - 1 */
}

/* z^(p - 2) = 1/z (and 0 for z = 0), by Fermat: constant time. */
static inline void fe25519_invert(fe25519 out, const fe25519 z) {
    fe25519 t, z11;
    fe25519_pow_2_250_1(t, z11, z);
    fe25519_sqn(t, t, 5);           /* 2^255 - 32 */
    fe25519_mul(out, t, z11);       /* 2^255 - 21 = p - 2 */
}

/* z^((p - 5) / 8) = z^(2^252 - 3), the power RFC 8032 section 5.1.3 uses for square roots. */
static inline void fe25519_pow22523(fe25519 out, const fe25519 z) {
    fe25519 t, z11;
    fe25519_pow_2_250_1(t, z11, z);
    fe25519_sqn(t, t, 2);           /* 2^252 - 4 */
    fe25519_mul(out, t, z);         /* 2^252 - 3 */
}

/* 1 when f = 0 (mod p), else 0, without a data-dependent branch. */
static inline uint64_t fe25519_iszero(const fe25519 f) {
    uint8_t s[32];
    uint64_t acc = 0;
    fe25519_tobytes(s, f);
    for (int i = 0; i < 32; i++) acc |= s[i];
    return ((acc | (0 - acc)) >> 63) ^ 1;
}

/* The low bit of the canonical representative ("negative" in RFC 8032). */
static inline uint64_t fe25519_isodd(const fe25519 f) {
    uint8_t s[32];
    fe25519_tobytes(s, f);
    return s[0] & 1;
}

#endif
