/* The RFC 7748 Montgomery ladder over both fields: same instructions for every scalar
 * bit (the swap is a mask, never a branch) and a Fermat inversion at the end. */
#ifndef PURETLS_MONTGOMERY_H
#define PURETLS_MONTGOMERY_H

#include "fe25519.h"
#include "fe448.h"
#include "fe25519_adx.h"
#include "../_cpu.h"

/* Whether X25519 runs on the MULX/ADX field (fe25519_adx.h): set from CPUID by
 * puretls_x25519_use_adx, a public fixed flag, so branching on it leaks nothing. */
static int puretls_x25519_have_adx = 0;

/* enable < 0: use MULX/ADX when the CPU has BMI2 and ADX; 0: never (tests of the
 * portable path).  Returns whether the MULX/ADX ladder is now in use. */
static int puretls_x25519_use_adx(int enable) {
#if defined(FE25519_HAVE_ADX_CODE)
    uint32_t f = nocrypto_cpu_probe();
    int cpu = (f & (1u << 8)) && (f & (1u << 9)); /* bmi2 and adx */
    puretls_x25519_have_adx = enable != 0 && cpu;
#else
    (void)enable;
    puretls_x25519_have_adx = 0;
#endif
    return puretls_x25519_have_adx;
}

/* out = X25519(scalar, u); the scalar is clamped here. */
static void puretls_x25519(uint8_t out[32], const uint8_t scalar[32], const uint8_t u[32]) {
#if defined(FE25519_HAVE_ADX_CODE)
    if (puretls_x25519_have_adx) {
        puretls_x25519_adx(out, scalar, u);
        return;
    }
#endif
    uint8_t k[32];
    fe25519 x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d, da, cb, t;
    memcpy(k, scalar, 32);
    k[0] &= 248;
    k[31] &= 127;
    k[31] |= 64;
    fe25519_frombytes(x1, u);
    fe25519_set_small(x2, 1);
    fe25519_set_small(z2, 0);
    fe25519_copy(x3, x1);
    fe25519_set_small(z3, 1);
    uint64_t swap = 0;
    for (int pos = 254; pos >= 0; pos--) {
        uint64_t bit = (k[pos >> 3] >> (pos & 7)) & 1;
        swap ^= bit;
        fe25519_cswap(x2, x3, swap);
        fe25519_cswap(z2, z3, swap);
        swap = bit;
        fe25519_add(a, x2, z2);
        fe25519_sub(b, x2, z2);
        fe25519_add(c, x3, z3);
        fe25519_sub(d, x3, z3);
        fe25519_sq(aa, a);
        fe25519_sq(bb, b);
        fe25519_mul(da, d, a);
        fe25519_mul(cb, c, b);
        fe25519_sub(e, aa, bb);
        fe25519_add(t, da, cb);
        fe25519_sq(x3, t);
        fe25519_sub(t, da, cb);
        fe25519_sq(t, t);
        fe25519_mul(z3, x1, t);
        fe25519_mul(x2, aa, bb);
        fe25519_mul_small(t, e, 121665);
        fe25519_add(t, t, aa);
        fe25519_mul(z2, e, t);
    }
    fe25519_cswap(x2, x3, swap);
    fe25519_cswap(z2, z3, swap);
    fe25519_invert(z2, z2);
    fe25519_mul(x2, x2, z2);
    fe25519_tobytes(out, x2);
    memset(k, 0, sizeof k);
}

static void puretls_x448(uint8_t out[56], const uint8_t scalar[56], const uint8_t u[56]) {
    uint8_t k[56];
    fe448 x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d, da, cb, t;
    memcpy(k, scalar, 56);
    k[0] &= 252;
    k[55] |= 128;
    fe448_frombytes(x1, u);
    fe448_set_small(x2, 1);
    fe448_set_small(z2, 0);
    fe448_copy(x3, x1);
    fe448_set_small(z3, 1);
    uint64_t swap = 0;
    for (int pos = 447; pos >= 0; pos--) {
        uint64_t bit = (k[pos >> 3] >> (pos & 7)) & 1;
        swap ^= bit;
        fe448_cswap(x2, x3, swap);
        fe448_cswap(z2, z3, swap);
        swap = bit;
        fe448_add(a, x2, z2);
        fe448_sub(b, x2, z2);
        fe448_add(c, x3, z3);
        fe448_sub(d, x3, z3);
        fe448_sq(aa, a);
        fe448_sq(bb, b);
        fe448_mul(da, d, a);
        fe448_mul(cb, c, b);
        fe448_sub(e, aa, bb);
        fe448_add(t, da, cb);
        fe448_sq(x3, t);
        fe448_sub(t, da, cb);
        fe448_sq(t, t);
        fe448_mul(z3, x1, t);
        fe448_mul(x2, aa, bb);
        fe448_mul_small(t, e, 39081);
        fe448_add(t, t, aa);
        fe448_mul(z2, e, t);
    }
    fe448_cswap(x2, x3, swap);
    fe448_cswap(z2, z3, swap);
    fe448_invert(z2, z2);
    fe448_mul(x2, x2, z2);
    fe448_tobytes(out, x2);
    memset(k, 0, sizeof k);
}

#endif
