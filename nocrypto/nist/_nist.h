/* The three NIST curves, instantiated from _nist_impl.h, plus a dispatch by index. */
#ifndef NOCRYPTO_NIST_H
#define NOCRYPTO_NIST_H

#include <stdint.h>
#include <stdlib.h>

/* No auto-vectorisation in the field code: GCC's SLP pass packs pairs of limbs
 * into 128-bit loads right after 64-bit stores of the same bytes, and every such
 * load stalls on failed store-to-load forwarding (it made ECDH twice as slow). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC push_options
#pragma GCC optimize("no-tree-vectorize", "no-tree-slp-vectorize")
#endif

typedef uint64_t limb_t;
typedef unsigned __int128 dlimb_t;

/* Add/subtract with carry: the x86-64 intrinsics give straight adc/sbb chains. */
#if defined(__x86_64__)
#include <x86intrin.h>
#define NIST_ADDC(c, a, b, out) ((c) = _addcarry_u64((c), (a), (b), (unsigned long long *)(out)))
#define NIST_SUBB(c, a, b, out) ((c) = _subborrow_u64((c), (a), (b), (unsigned long long *)(out)))
#else
static inline unsigned char nist_addc(unsigned char c, limb_t a, limb_t b, limb_t *out)
{
    dlimb_t z = (dlimb_t)a + b + c;
    *out = (limb_t)z;
    return (unsigned char)(z >> 64);
}
static inline unsigned char nist_subb(unsigned char c, limb_t a, limb_t b, limb_t *out)
{
    dlimb_t z = (dlimb_t)a - b - c;
    *out = (limb_t)z;
    return (unsigned char)((z >> 64) & 1);
}
#define NIST_ADDC(c, a, b, out) ((c) = nist_addc((c), (a), (b), (out)))
#define NIST_SUBB(c, a, b, out) ((c) = nist_subb((c), (a), (b), (out)))
#endif

/* Whether the P-256 field multiplication may use MULX/ADX (set by nist_init from
 * CPUID; a public, fixed flag, so branching on it leaks nothing). */
static int nist_have_adx = 0;
#include "_p256_adx.h"
#include "../_cpu.h"


/* Montgomery reduction steps for the special primes, on a double-width product
 * t[0..2NL] (plus a spare limb).  Step k adds q*p at limb k with q = t[k] (both
 * primes have -p^-1 = 1 mod 2^64), which clears limb k; the shape of p turns
 * q*p into a few shifted copies of q.  Branch-free: all indexes are fixed. */

/* p = 2^256 - 2^224 + 2^192 + 2^96 - 1: q*p at limb k = q*2^32 at limb k+1
 * (limb k's q*2^64 - q carried up and merged) plus q*(2^64 - 2^32 + 1) at k+3. */
static inline __attribute__((always_inline)) void nist_p256_reduce(limb_t *t)
{
    for (int k = 0; k < 4; k++) {
        limb_t q = t[k];
        dlimb_t z = (dlimb_t)q * 0xffffffff00000001ULL;
        unsigned char c = 0;
        NIST_ADDC(c, t[k + 1], q << 32, &t[k + 1]);
        NIST_ADDC(c, t[k + 2], q >> 32, &t[k + 2]);
        NIST_ADDC(c, t[k + 3], (limb_t)z, &t[k + 3]);
        NIST_ADDC(c, t[k + 4], (limb_t)(z >> 64), &t[k + 4]);
        for (int j = k + 5; j < 10; j++) NIST_ADDC(c, t[j], 0, &t[j]);
    }
}

/* p = 2^521 - 1 (limbs 0..7 all ones, limb 8 = 0x1ff): q*p at limb k carries q
 * through limbs k+1..k+7 unchanged and lands as q*2^9 at limb k+8. */
static inline __attribute__((always_inline)) void nist_p521_reduce(limb_t *t)
{
    for (int k = 0; k < 9; k++) {
        limb_t q = t[k];
        unsigned char c = 0;
        NIST_ADDC(c, t[k + 8], q << 9, &t[k + 8]);
        NIST_ADDC(c, t[k + 9], q >> 55, &t[k + 9]);
        for (int j = k + 10; j < 20; j++) NIST_ADDC(c, t[j], 0, &t[j]);
    }
}


#define NL 4
#define FBYTES 32
#define NBITS 256
#define PFX p256_
#define P_LIMBS {0xffffffffffffffffULL, 0x00000000ffffffffULL, 0, 0xffffffff00000001ULL}
#define P_M0INV 1ULL
#define FP_REDUCE nist_p256_reduce
#define FP_INV_P256_CHAIN 1
#if defined(NIST_HAVE_ADX_CODE)
#define FP_MUL_ADX p256_mul_adx
#define FE_MUL_ADX mont4_mul_adx
#define FP_SQR_ADX p256_sqr_adx
#define FE_SQR_ADX mont4_sqr_adx
#endif
#include "_nist_impl.h"
#undef NL
#undef FBYTES
#undef NBITS
#undef PFX
#undef P_LIMBS
#undef P_M0INV
#undef FP_REDUCE
#undef FP_MUL_ADX
#undef FE_MUL_ADX
#undef FP_SQR_ADX
#undef FE_SQR_ADX
#undef FP_INV_P256_CHAIN

#define NL 6
#define FBYTES 48
#define NBITS 384
#define PFX p384_
#define P_LIMBS {0x00000000ffffffffULL, 0xffffffff00000000ULL, 0xfffffffffffffffeULL, \
                 0xffffffffffffffffULL, 0xffffffffffffffffULL, 0xffffffffffffffffULL}
#define P_M0INV 0x0000000100000001ULL
#define FP_REDUCE(t) F(redc_words)(t, F(pm), P_M0INV)
#include "_nist_impl.h"
#undef NL
#undef FBYTES
#undef NBITS
#undef PFX
#undef P_LIMBS
#undef P_M0INV
#undef FP_REDUCE
#undef FP_MUL_ADX
#undef FE_MUL_ADX
#undef FP_SQR_ADX
#undef FE_SQR_ADX
#undef FP_INV_P256_CHAIN

#define NL 9
#define FBYTES 66
#define NBITS 521
#define PFX p521_
#define P_LIMBS {~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, 0x1ffULL}
#define P_M0INV 1ULL
#define FP_REDUCE nist_p521_reduce
#include "_nist_impl.h"
#undef NL
#undef FBYTES
#undef NBITS
#undef PFX
#undef P_LIMBS
#undef P_M0INV
#undef FP_REDUCE
#undef FP_MUL_ADX
#undef FE_MUL_ADX
#undef FP_SQR_ADX
#undef FE_SQR_ADX
#undef FP_INV_P256_CHAIN

/* enable < 0: use MULX/ADX when the CPU has them; 0: never (tests of the portable
 * path).  Returns whether the MULX/ADX path is now in use. */
static int nist_use_adx(int enable)
{
#if defined(NIST_HAVE_ADX_CODE)
    uint32_t f = nocrypto_cpu_probe();
    int cpu = (f & (1u << 8)) && (f & (1u << 9)); /* bmi2 and adx */
    nist_have_adx = enable != 0 && cpu;
#else
    (void)enable;
    nist_have_adx = 0;
#endif
    return nist_have_adx;
}

static int nist_init(int cid, const limb_t *words)
{
    switch (cid) {
    case 0: return p256_init(words);
    case 1: return p384_init(words);
    default: return p521_init(words);
    }
}

static void nist_base_mult(int cid, unsigned char *out, const unsigned char *k)
{
    switch (cid) {
    case 0: p256_base_mult(out, k); break;
    case 1: p384_base_mult(out, k); break;
    default: p521_base_mult(out, k); break;
    }
}

static int nist_ecdh(int cid, unsigned char *out, const unsigned char *k, const unsigned char *peer)
{
    switch (cid) {
    case 0: return p256_ecdh(out, k, peer);
    case 1: return p384_ecdh(out, k, peer);
    default: return p521_ecdh(out, k, peer);
    }
}

static int nist_sign(int cid, unsigned char *r, unsigned char *s, const unsigned char *d,
                     const unsigned char *k, const unsigned char *e)
{
    switch (cid) {
    case 0: return p256_sign(r, s, d, k, e);
    case 1: return p384_sign(r, s, d, k, e);
    default: return p521_sign(r, s, d, k, e);
    }
}

static int nist_double_base_x(int cid, unsigned char *out, const unsigned char *u1,
                              const unsigned char *u2, const unsigned char *q)
{
    switch (cid) {
    case 0: return p256_double_base_x(out, u1, u2, q);
    case 1: return p384_double_base_x(out, u1, u2, q);
    default: return p521_double_base_x(out, u1, u2, q);
    }
}

static size_t nist_table_bytes(int cid)
{
    switch (cid) {
    case 0: return (size_t)((256 + 1 + 4) / 5) * 16 * sizeof(p256_aff_t);
    case 1: return (size_t)((384 + 1 + 4) / 5) * 16 * sizeof(p384_aff_t);
    default: return (size_t)((521 + 1 + 4) / 5) * 16 * sizeof(p521_aff_t);
    }
}

static int nist_point_table(int cid, unsigned char *tab, const unsigned char *q)
{
    switch (cid) {
    case 0: return p256_point_table(tab, q);
    case 1: return p384_point_table(tab, q);
    default: return p521_point_table(tab, q);
    }
}

static int nist_double_base_x_table(int cid, unsigned char *out, const unsigned char *u1,
                                    const unsigned char *u2, const unsigned char *tab)
{
    switch (cid) {
    case 0: return p256_double_base_x_table(out, u1, u2, tab);
    case 1: return p384_double_base_x_table(out, u1, u2, tab);
    default: return p521_double_base_x_table(out, u1, u2, tab);
    }
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC pop_options
#endif

#endif
