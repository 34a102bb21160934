/* SHA-256 compression (FIPS 180-4 6.2.2): portable C, SSSE3 / AVX-512VL schedule with
 * scalar rounds (sha256_simd.h), and an SHA-NI path.
 *
 * Every function runs the compression function over n consecutive 64-byte blocks.
 * Neither has a data-dependent branch or table index.  The SHA-NI function carries
 * its own target attribute so this header builds for baseline x86-64; the caller
 * picks it at run time when the CPU reports sha_ni (and SSE4.1).
 */
#ifndef NOCRYPTO_SHA256_H
#define NOCRYPTO_SHA256_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static const uint32_t nocrypto_k256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t nocrypto_load_be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void nocrypto_store_be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

#define NC_ROR32(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static inline __attribute__((always_inline)) void
sha256_blocks_body(uint32_t st[8], const uint8_t *p, size_t n) {
    uint32_t w[16];
    while (n--) {
        uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
        uint32_t e = st[4], f = st[5], g = st[6], h = st[7];
        uint32_t u, v = b ^ c;
        for (int t = 0; t < 16; t++) w[t] = nocrypto_load_be32(p + 4 * t);
        /* Eight rounds per step, renaming the registers instead of shuffling them. */
/* One round with renamed registers.  Maj(a,b,c) = b ^ ((a^b) & (b^c)) reuses this
 * round's a^b as the next round's b^c; Ch is split into two ANDs that add in parallel. */
#define NC_R256(a, b, c, d, e, f, g, h, i, ab, bc)                                      \
    do {                                                                                \
        uint32_t t1 = h + (NC_ROR32(e, 6) ^ NC_ROR32(e, 11) ^ NC_ROR32(e, 25)) +        \
                      (e & f) + (~e & g) + nocrypto_k256[i] + w[(i) & 15];              \
        ab = a ^ b;                                                                     \
        uint32_t t2 = (NC_ROR32(a, 2) ^ NC_ROR32(a, 13) ^ NC_ROR32(a, 22)) +            \
                      (b ^ (ab & bc));                                                  \
        d += t1;                                                                        \
        h = t1 + t2;                                                                    \
    } while (0)
#define NC_W256(i)                                                                      \
    do {                                                                                \
        uint32_t x = w[((i) - 15) & 15], y = w[((i) - 2) & 15];                         \
        w[(i) & 15] += (NC_ROR32(y, 17) ^ NC_ROR32(y, 19) ^ (y >> 10)) + w[((i) - 7) & 15] + \
                       (NC_ROR32(x, 7) ^ NC_ROR32(x, 18) ^ (x >> 3));                   \
    } while (0)
        for (int i = 0; i < 64; i += 8) {
            if (i >= 16) {
                NC_W256(i); NC_W256(i + 1); NC_W256(i + 2); NC_W256(i + 3);
                NC_W256(i + 4); NC_W256(i + 5); NC_W256(i + 6); NC_W256(i + 7);
            }
            NC_R256(a, b, c, d, e, f, g, h, i, u, v);
            NC_R256(h, a, b, c, d, e, f, g, i + 1, v, u);
            NC_R256(g, h, a, b, c, d, e, f, i + 2, u, v);
            NC_R256(f, g, h, a, b, c, d, e, i + 3, v, u);
            NC_R256(e, f, g, h, a, b, c, d, i + 4, u, v);
            NC_R256(d, e, f, g, h, a, b, c, i + 5, v, u);
            NC_R256(c, d, e, f, g, h, a, b, i + 6, u, v);
            NC_R256(b, c, d, e, f, g, h, a, i + 7, v, u);
        }
#undef NC_R256
#undef NC_W256
        st[0] += a; st[1] += b; st[2] += c; st[3] += d;
        st[4] += e; st[5] += f; st[6] += g; st[7] += h;
        p += 64;
    }
}

static void sha256_blocks_portable(uint32_t st[8], const uint8_t *p, size_t n) {
    sha256_blocks_body(st, p, n);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define NOCRYPTO_HAVE_SHA256_SIMD 1

/* For CPUs without SHA-NI: schedule on SSSE3 or AVX-512VL, rounds in C with BMI2. */
#define NC_SIMD_NAME sha256_blocks_ssse3
#define NC_SIMD_TARGET "ssse3,bmi2"
#define NC_X_ROR32(x, n) _mm_or_si128(_mm_srli_epi32((x), (n)), _mm_slli_epi32((x), 32 - (n)))
#include "sha256_simd.h"
#undef NC_SIMD_NAME
#undef NC_SIMD_TARGET
#undef NC_X_ROR32

#define NC_SIMD_NAME sha256_blocks_avx512
#define NC_SIMD_TARGET "avx512f,avx512vl,bmi2"
#define NC_X_ROR32(x, n) _mm_ror_epi32((x), (n))
#include "sha256_simd.h"
#undef NC_SIMD_NAME
#undef NC_SIMD_TARGET
#undef NC_X_ROR32
#else
#define NOCRYPTO_HAVE_SHA256_SIMD 0
static void sha256_blocks_ssse3(uint32_t st[8], const uint8_t *p, size_t n) {
    sha256_blocks_body(st, p, n);
}
static void sha256_blocks_avx512(uint32_t st[8], const uint8_t *p, size_t n) {
    sha256_blocks_body(st, p, n);
}
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define NOCRYPTO_HAVE_SHA256_SHANI 1

/* Four rounds (group g) with the SHA extensions.  The state lives as ABEF / CDGH, the
 * layout sha256rnds2 expects; m[] is a ring of four message vectors and the schedule
 * for later groups is computed alongside (sha256msg1/msg2 plus the W[t-7] term). */
#define NC_SHA256_GROUP(g)                                                                \
    do {                                                                                  \
        if ((g) < 4)                                                                      \
            m[(g)] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * (g))), bswap); \
        msg = _mm_add_epi32(m[(g) & 3], _mm_loadu_si128((const __m128i *)(nocrypto_k256 + 4 * (g)))); \
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg);                              \
        if ((g) >= 3 && (g) <= 14) {                                                      \
            __m128i t7 = _mm_alignr_epi8(m[(g) & 3], m[((g) + 3) & 3], 4);                \
            m[((g) + 1) & 3] = _mm_add_epi32(m[((g) + 1) & 3], t7);                       \
            m[((g) + 1) & 3] = _mm_sha256msg2_epu32(m[((g) + 1) & 3], m[(g) & 3]);        \
        }                                                                                 \
        msg = _mm_shuffle_epi32(msg, 0x0E);                                               \
        state0 = _mm_sha256rnds2_epu32(state0, state1, msg);                              \
        if ((g) >= 1 && (g) <= 12)                                                        \
            m[((g) + 3) & 3] = _mm_sha256msg1_epu32(m[((g) + 3) & 3], m[(g) & 3]);        \
    } while (0)

__attribute__((target("sha,sse4.1,ssse3")))
static void sha256_blocks_shani(uint32_t st[8], const uint8_t *p, size_t n) {
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i dcba = _mm_loadu_si128((const __m128i *)&st[0]);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)&st[4]);
    __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    __m128i state0 = _mm_alignr_epi8(cdab, efgh, 8);     /* ABEF */
    __m128i state1 = _mm_blend_epi16(efgh, cdab, 0xF0);  /* CDGH */
    __m128i m[4], msg;
    while (n--) {
        __m128i save0 = state0, save1 = state1;
        NC_SHA256_GROUP(0);  NC_SHA256_GROUP(1);  NC_SHA256_GROUP(2);  NC_SHA256_GROUP(3);
        NC_SHA256_GROUP(4);  NC_SHA256_GROUP(5);  NC_SHA256_GROUP(6);  NC_SHA256_GROUP(7);
        NC_SHA256_GROUP(8);  NC_SHA256_GROUP(9);  NC_SHA256_GROUP(10); NC_SHA256_GROUP(11);
        NC_SHA256_GROUP(12); NC_SHA256_GROUP(13); NC_SHA256_GROUP(14); NC_SHA256_GROUP(15);
        state0 = _mm_add_epi32(state0, save0);
        state1 = _mm_add_epi32(state1, save1);
        p += 64;
    }
    /* Back from ABEF / CDGH to A..H in order. */
    __m128i feba = _mm_shuffle_epi32(state0, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(state1, 0xB1);
    _mm_storeu_si128((__m128i *)&st[0], _mm_blend_epi16(feba, dchg, 0xF0));  /* DCBA */
    _mm_storeu_si128((__m128i *)&st[4], _mm_alignr_epi8(dchg, feba, 8));     /* HGFE */
}
#undef NC_SHA256_GROUP
#else
#define NOCRYPTO_HAVE_SHA256_SHANI 0
static void sha256_blocks_shani(uint32_t st[8], const uint8_t *p, size_t n) {
    sha256_blocks_portable(st, p, n);
}
#endif

#endif
