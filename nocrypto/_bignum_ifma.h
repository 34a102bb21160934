/* AVX-512 IFMA Montgomery arithmetic in radix 2^52, for nocrypto/_bignum_cy.pyx.
 *
 * vpmadd52luq / vpmadd52huq multiply 52-bit lanes and add the low or high 52 bits of
 * each 104-bit product to a 64-bit accumulator lane, eight lanes per instruction.  A
 * number of up to 52*L bits is L such lanes, padded with zero lanes to NZ registers.
 *
 * bn52_amm computes an "almost Montgomery" product A*B/2^(52L) mod M that is only
 * reduced below 2M (inputs below 2M, 4M < 2^(52L)), so no data-dependent final
 * subtraction happens inside an exponentiation; the single conditional subtraction at
 * the end is done with masks.  Every loop bound depends on L only (public).
 *
 * bn52_amm_x2 interleaves two independent products (the p and q halves of an RSA CRT
 * signature): each row of one waits on a scalar quotient digit, and the other product
 * fills that wait.
 *
 * Compiled with per-function target attributes; callers check the CPU first.
 */
#ifndef NOCRYPTO_BIGNUM_IFMA_H
#define NOCRYPTO_BIGNUM_IFMA_H

#include <stdint.h>
#include <string.h>

#define BN52_MAX_NZ 20 /* 160 lanes: moduli up to 8318 bits */
#define BN52_MASK ((uint64_t)0xFFFFFFFFFFFFF)

/* 64-bit limbs (k of them) -> 52-bit lanes (nlanes of them). */
static void bn52_from64(uint64_t *out, int nlanes, const uint64_t *in, int k)
{
    for (int i = 0; i < nlanes; i++) {
        int bit = 52 * i, li = bit >> 6, bi = bit & 63;
        uint64_t v = li < k ? in[li] >> bi : 0;
        if (bi > 12 && li + 1 < k)
            v |= in[li + 1] << (64 - bi);
        out[i] = v & BN52_MASK;
    }
}

/* 52-bit lanes (normalised) -> 64-bit limbs. */
static void bn52_to64(uint64_t *out, int k, const uint64_t *in, int nlanes)
{
    memset(out, 0, sizeof(uint64_t) * k);
    for (int i = 0; i < nlanes; i++) {
        int bit = 52 * i, li = bit >> 6, bi = bit & 63;
        if (li < k)
            out[li] |= in[i] << bi;
        if (bi > 12 && li + 1 < k)
            out[li + 1] |= in[i] >> (64 - bi);
    }
}

/* Carry propagation: every lane back below 2^52 (the value is unchanged). */
static inline void bn52_normalise(uint64_t *x, int nlanes)
{
    uint64_t carry = 0;
    for (int i = 0; i < nlanes; i++) {
        uint64_t v = x[i] + carry;
        x[i] = v & BN52_MASK;
        carry = v >> 52;
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define BN52_AVAILABLE 1
#define BN52_TARGET __attribute__((target("avx512f,avx512vl,avx512ifma")))

/* One row of the product: acc += a*b_i + m*y, then shift the accumulator down a lane.
 *
 * Lane 0's true value lives in the scalar s; the vector's lane 0 is stale (it is
 * shifted out by the next row unread).  The quotient digit y = (s + lo(a0*b_i))*k0 then
 * comes from scalar multiplies, and the only vector-to-scalar move per row reads the
 * new lane 0 right after the shift, off the path of the high-half products.  This
 * shortens each row's dependency chain by about a third: a row is latency-bound, not
 * bound by IFMA throughput (two 256-bit IFMAs per cycle on AMD Zen 4).  lo52/hi52 of
 * the scalar products are the same 52-bit halves the vector instructions add. */
#define BN52_SCALAR_Y(s, b_i, a0, m0, k0, y_, hi_)                                     \
    unsigned __int128 ab_ = (unsigned __int128)(a0) * (b_i);                            \
    uint64_t t_ = (s) + ((uint64_t)ab_ & BN52_MASK);                                    \
    uint64_t y_ = (t_ * (k0)) & BN52_MASK;                                              \
    unsigned __int128 my_ = (unsigned __int128)(m0) * y_;                               \
    t_ += (uint64_t)my_ & BN52_MASK; /* now a multiple of 2^52 */                       \
    uint64_t hi_ = (uint64_t)(ab_ >> 52) + (uint64_t)(my_ >> 52) + (t_ >> 52)

#define BN52_ROW_BEGIN(acc, av, mv, s, b_i, a0, m0, k0, nz)                             \
    do {                                                                               \
        uint64_t b_ = (b_i);                                                           \
        __m512i bi_ = _mm512_set1_epi64((long long)b_);                               \
        for (int z = 0; z < (nz); z++)                                                 \
            acc[z] = _mm512_madd52lo_epu64(acc[z], av[z], bi_);                        \
        BN52_SCALAR_Y(s, b_, a0, m0, k0, y_, hi_);                                     \
        __m512i yv_ = _mm512_set1_epi64((long long)y_);                               \
        for (int z = 0; z < (nz); z++)                                                 \
            acc[z] = _mm512_madd52lo_epu64(acc[z], mv[z], yv_);                        \
        for (int z = 0; z < (nz) - 1; z++)                                             \
            acc[z] = _mm512_alignr_epi64(acc[z + 1], acc[z], 1);                       \
        acc[(nz) - 1] = _mm512_alignr_epi64(_mm512_setzero_si512(), acc[(nz) - 1], 1); \
        (s) = (uint64_t)_mm_cvtsi128_si64(_mm512_castsi512_si128(acc[0])) + hi_;       \
        for (int z = 0; z < (nz); z++) {                                               \
            acc[z] = _mm512_madd52hi_epu64(acc[z], av[z], bi_);                        \
            acc[z] = _mm512_madd52hi_epu64(acc[z], mv[z], yv_);                        \
        }                                                                              \
    } while (0)

/* The carry-lookahead normalisation of bn52_normalise_regs_y (below) on 512-bit
 * registers, for nz <= 8 (the generate/propagate masks are one 64-bit word). */
BN52_TARGET static inline __attribute__((always_inline)) void
bn52_normalise_regs_z(__m512i *x, int nz)
{
    const __m512i mask = _mm512_set1_epi64((long long)BN52_MASK);
    const __m512i one = _mm512_set1_epi64(1);
    __m512i prev = _mm512_setzero_si512(), y[8];
    uint64_t gen = 0, prop = 0;
    for (int z = 0; z < nz; z++) {
        __m512i c = _mm512_srli_epi64(x[z], 52);
        y[z] = _mm512_add_epi64(_mm512_and_si512(x[z], mask), _mm512_alignr_epi64(c, prev, 7));
        prev = c;
        gen |= (uint64_t)_mm512_cmpgt_epu64_mask(y[z], mask) << (8 * z);
        prop |= (uint64_t)_mm512_cmpeq_epu64_mask(y[z], mask) << (8 * z);
    }
    uint64_t carry_in = ((gen << 1) + prop) ^ prop;
    for (int z = 0; z < nz; z++) {
        __mmask8 k = (__mmask8)((carry_in >> (8 * z)) & 0xFF);
        x[z] = _mm512_and_si512(_mm512_mask_add_epi64(y[z], k, y[z], one), mask);
    }
}

/* Test hook: normalise 8*nz lanes in place with the register routine. */
BN52_TARGET static void bn52_normalise_z(uint64_t *x, int nz)
{
    __m512i r[8];
    for (int z = 0; z < nz; z++)
        r[z] = _mm512_loadu_si512((const void *)(x + 8 * z));
    bn52_normalise_regs_z(r, nz);
    for (int z = 0; z < nz; z++)
        _mm512_storeu_si512((void *)(x + 8 * z), r[z]);
}

/* r = a*b/2^(52L) mod m, below 2m; all arrays hold 8*nz lanes, a and b normalised.
 * Always inlined: the fixed-size wrappers below only help if nz becomes a constant. */
#define BN52_INLINE static inline __attribute__((always_inline))
BN52_TARGET BN52_INLINE void bn52_amm(uint64_t *r, const uint64_t *a, const uint64_t *b,
                                      const uint64_t *m, uint64_t k0, int nlanes, int nz)
{
    __m512i acc[BN52_MAX_NZ], av[BN52_MAX_NZ], mv[BN52_MAX_NZ];
    for (int z = 0; z < nz; z++) {
        acc[z] = _mm512_setzero_si512();
        av[z] = _mm512_loadu_si512((const void *)(a + 8 * z));
        mv[z] = _mm512_loadu_si512((const void *)(m + 8 * z));
    }
    uint64_t s = 0;
    for (int i = 0; i < nlanes; i++)
        BN52_ROW_BEGIN(acc, av, mv, s, b[i], a[0], m[0], k0, nz);
    acc[0] = _mm512_mask_set1_epi64(acc[0], 1, (long long)s);
    if (nz <= 8) {
        bn52_normalise_regs_z(acc, nz);
        for (int z = 0; z < nz; z++)
            _mm512_storeu_si512((void *)(r + 8 * z), acc[z]);
        return;
    }
    for (int z = 0; z < nz; z++)
        _mm512_storeu_si512((void *)(r + 8 * z), acc[z]);
    bn52_normalise(r, 8 * nz);
}

/* Two independent products in one loop (same lane count). */
BN52_TARGET BN52_INLINE void bn52_amm_x2(uint64_t *r1, const uint64_t *a1, const uint64_t *b1,
                                         const uint64_t *m1, uint64_t k01,
                                         uint64_t *r2, const uint64_t *a2, const uint64_t *b2,
                                         const uint64_t *m2, uint64_t k02, int nlanes, int nz)
{
    __m512i acc1[BN52_MAX_NZ], av1[BN52_MAX_NZ], mv1[BN52_MAX_NZ];
    __m512i acc2[BN52_MAX_NZ], av2[BN52_MAX_NZ], mv2[BN52_MAX_NZ];
    for (int z = 0; z < nz; z++) {
        acc1[z] = _mm512_setzero_si512();
        av1[z] = _mm512_loadu_si512((const void *)(a1 + 8 * z));
        mv1[z] = _mm512_loadu_si512((const void *)(m1 + 8 * z));
        acc2[z] = _mm512_setzero_si512();
        av2[z] = _mm512_loadu_si512((const void *)(a2 + 8 * z));
        mv2[z] = _mm512_loadu_si512((const void *)(m2 + 8 * z));
    }
    uint64_t s1 = 0, s2 = 0;
    for (int i = 0; i < nlanes; i++) {
        BN52_ROW_BEGIN(acc1, av1, mv1, s1, b1[i], a1[0], m1[0], k01, nz);
        BN52_ROW_BEGIN(acc2, av2, mv2, s2, b2[i], a2[0], m2[0], k02, nz);
    }
    acc1[0] = _mm512_mask_set1_epi64(acc1[0], 1, (long long)s1);
    acc2[0] = _mm512_mask_set1_epi64(acc2[0], 1, (long long)s2);
    if (nz <= 8) {
        bn52_normalise_regs_z(acc1, nz);
        bn52_normalise_regs_z(acc2, nz);
    }
    for (int z = 0; z < nz; z++) {
        _mm512_storeu_si512((void *)(r1 + 8 * z), acc1[z]);
        _mm512_storeu_si512((void *)(r2 + 8 * z), acc2[z]);
    }
    if (nz > 8) {
        bn52_normalise(r1, 8 * nz);
        bn52_normalise(r2, 8 * nz);
    }
}

/* The same with 256-bit registers of four lanes (nq of them).  On CPUs that split
 * 512-bit operations in two halves (AMD Zen 4) this costs the same per lane, and it
 * wastes no lanes when L is not a multiple of 8 (L = 20 for 1024-bit RSA-2048 primes).
 *
 * Here the next lane 0 is summed in scalar too, so no vector result is needed by the
 * next quotient digit: s' = x + hi(a0*b_i) + hi(m0*y) + lo(m1*y) + carry, where x is
 * lane 1 with this row's a*b_i term and every earlier row's terms (read with vpextrq
 * before this row's m*y, so a row's vector work overlaps the next row's scalar work).
 * s + lo(a0*b_i) + lo(m0*y) is a multiple of 2^52, so its carry is t's top bits plus one
 * if t's low 52 bits are not zero, (t + 2^52 - 1) >> 52 (t < 2^63), with no multiply.
 * Multiplying by y<<12 and a0<<12 puts hi52 of a product in the high word and lo52 in
 * the top of the low word, so no 128-bit shifts.  Every lane gets the same terms as in
 * BN52_ROW_BEGIN, only in another order, so lanes stay below 2^62 as there.
 * a0s = a0<<12, k0s = k0<<12. */
#define BN52_SCALAR_NEXT(yv, x, s, b_i, a0s, m0, m1, k0s)                               \
    do {                                                                                \
        unsigned __int128 ab_ = (unsigned __int128)(a0s) * (b_i);                       \
        uint64_t t_ = (s) + ((uint64_t)ab_ >> 12);                                      \
        uint64_t ys_ = t_ * (k0s); /* y << 12 */                                        \
        yv = _mm256_set1_epi64x((long long)(ys_ >> 12));                               \
        (s) = (x) + (uint64_t)(ab_ >> 64) + ((t_ + BN52_MASK) >> 52) +                  \
              ((uint64_t)(((unsigned __int128)(m0) * ys_) >> 64) + (((m1) * ys_) >> 12)); \
    } while (0)

/* A row for a single product, where latency is all that counts: the high halves of row
 * i and the low halves of a*b_{i+1} (none of which depend on y) go into a separate
 * register r, added after the shift, so the accumulator's own chain per row is one
 * IFMA, the shift and an add rather than four IFMAs and the shift.  bn is b_{i+1}
 * broadcast (zero after the last row). */
#define BN52_ROW_Y_LAT(acc, av, mv, s, b_i, bi, bn, a0s, m0, m1, k0s, nq)                \
    do {                                                                                \
        __m256i r_[2 * BN52_MAX_NZ], yv_;                                              \
        for (int z = 0; z < (nq); z++)                                                  \
            r_[z] = _mm256_madd52lo_epu64(                                              \
                _mm256_madd52hi_epu64(_mm256_setzero_si256(), av[z], bi), av[z], bn);   \
        BN52_SCALAR_NEXT(yv_, (uint64_t)_mm256_extract_epi64(acc[0], 1), s, b_i, a0s,  \
                         m0, m1, k0s);                                                  \
        for (int z = 0; z < (nq); z++) {                                                \
            r_[z] = _mm256_madd52hi_epu64(r_[z], mv[z], yv_);                           \
            acc[z] = _mm256_madd52lo_epu64(acc[z], mv[z], yv_);                         \
        }                                                                               \
        for (int z = 0; z < (nq) - 1; z++)                                              \
            acc[z] = _mm256_add_epi64(_mm256_alignr_epi64(acc[z + 1], acc[z], 1), r_[z]); \
        acc[(nq) - 1] = _mm256_add_epi64(                                               \
            _mm256_alignr_epi64(_mm256_setzero_si256(), acc[(nq) - 1], 1), r_[(nq) - 1]); \
    } while (0)

/* A row for two interleaved products, where vector throughput counts as well: the extra
 * register and adds of BN52_ROW_Y_LAT cost more than the other product's work leaves
 * idle, so the high halves of row i-1 (bp, yp) and the low halves of a*b_i (bi) go
 * straight into the accumulator at the start of row i (not in the first row, whose
 * a*b_0 low halves are already in place). */
#define BN52_ROW_Y_TP(acc, av, mv, s, b_i, bi, first, bp, yp, a0s, m0, m1, k0s, nq)      \
    do {                                                                                \
        __m256i yv_;                                                                    \
        if (!(first))                                                                   \
            for (int z = 0; z < (nq); z++)                                              \
                acc[z] = _mm256_madd52hi_epu64(                                         \
                    _mm256_madd52lo_epu64(_mm256_madd52hi_epu64(acc[z], av[z], bp), av[z], \
                                          bi),                                          \
                    mv[z], yp);                                                         \
        BN52_SCALAR_NEXT(yv_, (uint64_t)_mm256_extract_epi64(acc[0], 1), s, b_i, a0s,  \
                         m0, m1, k0s);                                                  \
        for (int z = 0; z < (nq); z++)                                                  \
            acc[z] = _mm256_madd52lo_epu64(acc[z], mv[z], yv_);                         \
        for (int z = 0; z < (nq) - 1; z++)                                              \
            acc[z] = _mm256_alignr_epi64(acc[z + 1], acc[z], 1);                        \
        acc[(nq) - 1] = _mm256_alignr_epi64(_mm256_setzero_si256(), acc[(nq) - 1], 1);  \
        bp = (bi);                                                                      \
        yp = yv_;                                                                       \
    } while (0)

#define BN52_TARGET_Y __attribute__((target("avx512f,avx512vl,avx512ifma")))

/* Carry propagation on registers, without a serial scalar chain: one shift-and-add
 * leaves every lane below 2^52 + 2^12, so each lane now either generates a carry (>= 2^52)
 * or would pass one on (exactly 2^52 - 1); adding the generate bits (shifted up a lane)
 * to the propagate bits as integers resolves every chain at once, as in a carry-lookahead
 * adder.  Constant time: masks, not branches.  nq <= 16. */
BN52_TARGET_Y static inline __attribute__((always_inline)) void
bn52_normalise_regs_y(__m256i *x, int nq)
{
    const __m256i mask = _mm256_set1_epi64x((long long)BN52_MASK);
    const __m256i one = _mm256_set1_epi64x(1);
    __m256i prev = _mm256_setzero_si256(), y[2 * BN52_MAX_NZ];
    uint64_t gen = 0, prop = 0;
    for (int z = 0; z < nq; z++) {
        __m256i c = _mm256_srli_epi64(x[z], 52);
        y[z] = _mm256_add_epi64(_mm256_and_si256(x[z], mask), _mm256_alignr_epi64(c, prev, 3));
        prev = c;
        gen |= (uint64_t)_mm256_cmpgt_epu64_mask(y[z], mask) << (4 * z);
        prop |= (uint64_t)_mm256_cmpeq_epu64_mask(y[z], mask) << (4 * z);
    }
    uint64_t carry_in = ((gen << 1) + prop) ^ prop;
    for (int z = 0; z < nq; z++) {
        __mmask8 k = (__mmask8)((carry_in >> (4 * z)) & 0xF);
        x[z] = _mm256_and_si256(_mm256_mask_add_epi64(y[z], k, y[z], one), mask);
    }
}

/* Test hook: normalise 4*nq lanes in place with the register routine. */
BN52_TARGET_Y static void bn52_normalise_y(uint64_t *x, int nq)
{
    __m256i r[2 * BN52_MAX_NZ];
    for (int z = 0; z < nq; z++)
        r[z] = _mm256_loadu_si256((const void *)(x + 4 * z));
    bn52_normalise_regs_y(r, nq);
    for (int z = 0; z < nq; z++)
        _mm256_storeu_si256((void *)(x + 4 * z), r[z]);
}

BN52_TARGET_Y static inline __attribute__((always_inline)) void
bn52_ammy_x2(uint64_t *r1, const uint64_t *a1, const uint64_t *b1, const uint64_t *m1,
             uint64_t k01, uint64_t *r2, const uint64_t *a2, const uint64_t *b2,
             const uint64_t *m2, uint64_t k02, int nlanes, int nq, int count)
{
    __m256i acc1[2 * BN52_MAX_NZ], av1[2 * BN52_MAX_NZ], mv1[2 * BN52_MAX_NZ];
    __m256i acc2[2 * BN52_MAX_NZ], av2[2 * BN52_MAX_NZ], mv2[2 * BN52_MAX_NZ];
    for (int z = 0; z < nq; z++) {
        acc1[z] = _mm256_setzero_si256();
        av1[z] = _mm256_loadu_si256((const void *)(a1 + 4 * z));
        mv1[z] = _mm256_loadu_si256((const void *)(m1 + 4 * z));
        if (count == 2) {
            acc2[z] = _mm256_setzero_si256();
            av2[z] = _mm256_loadu_si256((const void *)(a2 + 4 * z));
            mv2[z] = _mm256_loadu_si256((const void *)(m2 + 4 * z));
        }
    }
    /* both row forms expect the low halves of a*b_0 in place */
    __m256i bi1 = _mm256_set1_epi64x((long long)b1[0]);
    __m256i bi2 = _mm256_set1_epi64x((long long)b2[0]);
    for (int z = 0; z < nq; z++) {
        acc1[z] = _mm256_madd52lo_epu64(acc1[z], av1[z], bi1);
        if (count == 2)
            acc2[z] = _mm256_madd52lo_epu64(acc2[z], av2[z], bi2);
    }
    uint64_t s1 = 0, s2 = 0, a01 = a1[0] << 12, a02 = a2[0] << 12;
    uint64_t k01s = k01 << 12, k02s = k02 << 12;
    if (count == 1) {
        for (int i = 0; i < nlanes; i++) {
            /* public: the last row has no next row */
            __m256i bn = _mm256_set1_epi64x(i + 1 < nlanes ? (long long)b1[i + 1] : 0);
            BN52_ROW_Y_LAT(acc1, av1, mv1, s1, b1[i], bi1, bn, a01, m1[0], m1[1], k01s, nq);
            bi1 = bn;
        }
    } else {
        const __m256i zero = _mm256_setzero_si256();
        __m256i bp1 = zero, yp1 = zero, bp2 = zero, yp2 = zero;
        for (int i = 0; i < nlanes; i++) {
            bi1 = _mm256_set1_epi64x((long long)b1[i]);
            bi2 = _mm256_set1_epi64x((long long)b2[i]);
            BN52_ROW_Y_TP(acc1, av1, mv1, s1, b1[i], bi1, i == 0, bp1, yp1, a01, m1[0],
                          m1[1], k01s, nq);
            BN52_ROW_Y_TP(acc2, av2, mv2, s2, b2[i], bi2, i == 0, bp2, yp2, a02, m2[0],
                          m2[1], k02s, nq);
        }
        for (int z = 0; z < nq; z++) { /* the high halves of the last row */
            acc1[z] = _mm256_madd52hi_epu64(_mm256_madd52hi_epu64(acc1[z], av1[z], bp1),
                                            mv1[z], yp1);
            acc2[z] = _mm256_madd52hi_epu64(_mm256_madd52hi_epu64(acc2[z], av2[z], bp2),
                                            mv2[z], yp2);
        }
    }
    acc1[0] = _mm256_mask_set1_epi64(acc1[0], 1, (long long)s1);
    if (count == 2)
        acc2[0] = _mm256_mask_set1_epi64(acc2[0], 1, (long long)s2);
    bn52_normalise_regs_y(acc1, nq);
    if (count == 2)
        bn52_normalise_regs_y(acc2, nq);
    for (int z = 0; z < nq; z++) {
        _mm256_storeu_si256((void *)(r1 + 4 * z), acc1[z]);
        if (count == 2)
            _mm256_storeu_si256((void *)(r2 + 4 * z), acc2[z]);
    }
}

BN52_TARGET_Y static void bn52_ammy_5(uint64_t *r, const uint64_t *a, const uint64_t *b,
                                      const uint64_t *m, uint64_t k0, int nlanes)
{ bn52_ammy_x2(r, a, b, m, k0, r, a, b, m, k0, nlanes, 5, 1); }
BN52_TARGET_Y static void bn52_ammy_x2_5(uint64_t *r1, const uint64_t *a1, const uint64_t *b1,
                                         const uint64_t *m1, uint64_t k01, uint64_t *r2,
                                         const uint64_t *a2, const uint64_t *b2,
                                         const uint64_t *m2, uint64_t k02, int nlanes)
{ bn52_ammy_x2(r1, a1, b1, m1, k01, r2, a2, b2, m2, k02, nlanes, 5, 2); }

/* Specialisations for the register counts of 1024-, 1536- and 2048-bit moduli let the
 * compiler keep the accumulators in registers. */
#define BN52_DEFINE_FIXED(NZ)                                                            \
    BN52_TARGET static void bn52_amm_##NZ(uint64_t *r, const uint64_t *a, const uint64_t *b, \
                                          const uint64_t *m, uint64_t k0, int nlanes)    \
    { bn52_amm(r, a, b, m, k0, nlanes, NZ); }                                           \
    BN52_TARGET static void bn52_amm_x2_##NZ(uint64_t *r1, const uint64_t *a1,          \
                                             const uint64_t *b1, const uint64_t *m1,     \
                                             uint64_t k01, uint64_t *r2,                 \
                                             const uint64_t *a2, const uint64_t *b2,     \
                                             const uint64_t *m2, uint64_t k02, int nlanes) \
    { bn52_amm_x2(r1, a1, b1, m1, k01, r2, a2, b2, m2, k02, nlanes, NZ); }
BN52_DEFINE_FIXED(3)
BN52_DEFINE_FIXED(4)
BN52_DEFINE_FIXED(5)

BN52_TARGET static void bn52_mul(uint64_t *r, const uint64_t *a, const uint64_t *b,
                                 const uint64_t *m, uint64_t k0, int nlanes, int nz)
{
    if (nlanes == 20) { /* 1024-bit moduli: five 256-bit registers waste no lanes */
        bn52_ammy_5(r, a, b, m, k0, nlanes);
        return;
    }
    switch (nz) {
    case 3: bn52_amm_3(r, a, b, m, k0, nlanes); return;
    case 4: bn52_amm_4(r, a, b, m, k0, nlanes); return;
    case 5: bn52_amm_5(r, a, b, m, k0, nlanes); return;
    default: bn52_amm(r, a, b, m, k0, nlanes, nz);
    }
}

BN52_TARGET static void bn52_mul_x2(uint64_t *r1, const uint64_t *a1, const uint64_t *b1,
                                    const uint64_t *m1, uint64_t k01,
                                    uint64_t *r2, const uint64_t *a2, const uint64_t *b2,
                                    const uint64_t *m2, uint64_t k02, int nlanes, int nz)
{
    if (nlanes == 20) {
        bn52_ammy_x2_5(r1, a1, b1, m1, k01, r2, a2, b2, m2, k02, nlanes);
        return;
    }
    switch (nz) {
    case 3: bn52_amm_x2_3(r1, a1, b1, m1, k01, r2, a2, b2, m2, k02, nlanes); return;
    case 4: bn52_amm_x2_4(r1, a1, b1, m1, k01, r2, a2, b2, m2, k02, nlanes); return;
    case 5: bn52_amm_x2_5(r1, a1, b1, m1, k01, r2, a2, b2, m2, k02, nlanes); return;
    default: bn52_amm_x2(r1, a1, b1, m1, k01, r2, a2, b2, m2, k02, nlanes, nz);
    }
}

/* out = table[idx] (entries of 8*nz lanes), reading every entry under a mask. */
BN52_TARGET static void bn52_select_vec(uint64_t *out, const uint64_t *table, int entries,
                                        uint64_t idx, int nz)
{
    __m512i acc[BN52_MAX_NZ];
    const __m512i want = _mm512_set1_epi64((long long)idx);
    for (int z = 0; z < nz; z++)
        acc[z] = _mm512_setzero_si512();
    for (int e = 0; e < entries; e++) {
        __mmask8 hit = _mm512_cmpeq_epi64_mask(want, _mm512_set1_epi64(e));
        /* the mask is all-or-nothing; the loads happen for every entry either way */
        const uint64_t *entry = table + (size_t)e * 8 * nz;
        for (int z = 0; z < nz; z++)
            acc[z] = _mm512_mask_or_epi64(acc[z], hit, acc[z],
                                          _mm512_loadu_si512((const void *)(entry + 8 * z)));
    }
    for (int z = 0; z < nz; z++)
        _mm512_storeu_si512((void *)(out + 8 * z), acc[z]);
}

/* The same for 20-lane entries (1024-bit moduli): five 256-bit loads per entry, not
 * three 512-bit ones of which four lanes are padding; the scan is bound by loads. */
BN52_TARGET_Y static void bn52_select20(uint64_t *out, const uint64_t *table, int entries,
                                        size_t stride, uint64_t idx)
{
    __m256i acc[5];
    const __m256i want = _mm256_set1_epi64x((long long)idx);
    for (int z = 0; z < 5; z++)
        acc[z] = _mm256_setzero_si256();
    for (int e = 0; e < entries; e++) {
        __mmask8 hit = _mm256_cmpeq_epi64_mask(want, _mm256_set1_epi64x(e));
        const uint64_t *entry = table + (size_t)e * stride;
        for (int z = 0; z < 5; z++)
            acc[z] = _mm256_mask_or_epi64(acc[z], hit, acc[z],
                                          _mm256_loadu_si256((const void *)(entry + 4 * z)));
    }
    for (int z = 0; z < 5; z++)
        _mm256_storeu_si256((void *)(out + 4 * z), acc[z]);
}

static int bn52_cpu_ok(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512ifma");
}

#else
#define BN52_AVAILABLE 0
static void bn52_normalise_y(uint64_t *x, int nq) { bn52_normalise(x, 4 * nq); }
static void bn52_normalise_z(uint64_t *x, int nz) { bn52_normalise(x, 8 * nz); }
static void bn52_select_vec(uint64_t *out, const uint64_t *table, int entries, uint64_t idx,
                            int nz)
{ (void)out; (void)table; (void)entries; (void)idx; (void)nz; }
static void bn52_select20(uint64_t *out, const uint64_t *table, int entries, size_t stride,
                          uint64_t idx)
{ (void)out; (void)table; (void)entries; (void)stride; (void)idx; }
static int bn52_cpu_ok(void) { return 0; }
static void bn52_mul(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m,
                     uint64_t k0, int nlanes, int nz)
{ (void)r; (void)a; (void)b; (void)m; (void)k0; (void)nlanes; (void)nz; }
static void bn52_mul_x2(uint64_t *r1, const uint64_t *a1, const uint64_t *b1,
                        const uint64_t *m1, uint64_t k01, uint64_t *r2, const uint64_t *a2,
                        const uint64_t *b2, const uint64_t *m2, uint64_t k02, int nlanes, int nz)
{ (void)r1; (void)a1; (void)b1; (void)m1; (void)k01; (void)r2; (void)a2; (void)b2; (void)m2;
  (void)k02; (void)nlanes; (void)nz; }
#endif

/* Bits [pos, pos+w) of an exponent held in elimbs 64-bit limbs (pos is public). */
static inline uint64_t bn52_window(const uint64_t *e, int elimbs, int pos, int w)
{
    int li = pos >> 6, bi = pos & 63;
    uint64_t v = li < elimbs ? e[li] >> bi : 0;
    if (bi + w > 64 && li + 1 < elimbs)
        v |= e[li + 1] << (64 - bi);
    return v & (((uint64_t)1 << w) - 1);
}

/* One or two (count) fixed-window exponentiations in lock step, constant time in the
 * exponents: r[c] = a[c]^e[c] in almost-Montgomery form (below 2m).  a[c] and one[c]
 * are in Montgomery form; `table` has room for count * 2^w * 8nz words.  With two,
 * every product goes through bn52_mul_x2 so the two dependency chains overlap. */
static void bn52_exp_ct(int count, uint64_t *const *r, const uint64_t *const *a,
                        const uint64_t *const *one, const uint64_t *const *e, int elimbs,
                        int ebits, const uint64_t *const *m, const uint64_t *k0,
                        int nlanes, int nz, uint64_t *table, int w)
{
    int lanes = 8 * nz, entries = 1 << w;
    size_t stride = (size_t)entries * lanes;
    uint64_t acc[2][8 * BN52_MAX_NZ], sel[2][8 * BN52_MAX_NZ];
#define BN52_T(c, i) (table + (size_t)(c) * stride + (size_t)(i) * lanes)
#define BN52_MUL(d0, x0, y0, d1, x1, y1)                                                 \
    do {                                                                                 \
        if (count == 2)                                                                  \
            bn52_mul_x2(d0, x0, y0, m[0], k0[0], d1, x1, y1, m[1], k0[1], nlanes, nz);   \
        else                                                                             \
            bn52_mul(d0, x0, y0, m[0], k0[0], nlanes, nz);                               \
    } while (0)
    for (int c = 0; c < count; c++) {
        memcpy(BN52_T(c, 0), one[c], sizeof(uint64_t) * lanes);
        memcpy(BN52_T(c, 1), a[c], sizeof(uint64_t) * lanes);
    }
    for (int i = 2; i < entries; i++)
        BN52_MUL(BN52_T(0, i), BN52_T(0, i - 1), a[0], BN52_T(1, i), BN52_T(1, i - 1), a[1]);
    int windows = (ebits + w - 1) / w;
#define BN52_SELECT(dst, c, win)                                                         \
    do {                                                                                 \
        uint64_t idx_ = bn52_window(e[c], elimbs, (win) * w, w);                         \
        if (nlanes == 20) /* lanes 20-23 of dst stay as they are: zero */                \
            bn52_select20(dst, BN52_T(c, 0), entries, (size_t)lanes, idx_);              \
        else                                                                             \
            bn52_select_vec(dst, BN52_T(c, 0), entries, idx_, nz);                       \
    } while (0)
    memset(sel, 0, sizeof(sel));
    for (int c = 0; c < count; c++) {
        memset(acc[c], 0, sizeof(acc[c]));
        BN52_SELECT(acc[c], c, windows - 1);
    }
    for (int win = windows - 2; win >= 0; win--) {
        for (int s = 0; s < w; s++)
            BN52_MUL(acc[0], acc[0], acc[0], acc[1], acc[1], acc[1]);
        for (int c = 0; c < count; c++)
            BN52_SELECT(sel[c], c, win);
        BN52_MUL(acc[0], acc[0], sel[0], acc[1], acc[1], sel[1]);
    }
    for (int c = 0; c < count; c++)
        memcpy(r[c], acc[c], sizeof(uint64_t) * lanes);
    memset(acc, 0, sizeof(acc));
    memset(sel, 0, sizeof(sel));
#undef BN52_SELECT
#undef BN52_MUL
#undef BN52_T
}

#endif
