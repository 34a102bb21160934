/* SHA-1 compression (FIPS 180-4 6.1.2): portable C and an SHA-NI path.
 * Same contract as sha256.h: n consecutive 64-byte blocks, no data-dependent branch. */
#ifndef NOCRYPTO_SHA1_H
#define NOCRYPTO_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define NC_ROL32(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

static inline uint32_t nocrypto_sha1_be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void sha1_blocks_portable(uint32_t st[5], const uint8_t *p, size_t n) {
    uint32_t w[16];
    while (n--) {
        uint32_t a = st[0], b = st[1], c = st[2], d = st[3], e = st[4];
        for (int t = 0; t < 16; t++) w[t] = nocrypto_sha1_be32(p + 4 * t);
#define NC_W1(t) (w[(t) & 15] = NC_ROL32(w[((t) - 3) & 15] ^ w[((t) - 8) & 15] ^ w[((t) - 14) & 15] ^ w[(t) & 15], 1))
#define NC_STEP1(a, b, c, d, e, f, k, wt)                    \
    do {                                                     \
        e += NC_ROL32(a, 5) + (f) + (k) + (wt);              \
        b = NC_ROL32(b, 30);                                 \
    } while (0)
        /* Five rounds per iteration with renamed registers. */
        for (int t = 0; t < 80; t += 5) {
            uint32_t k = t < 20 ? 0x5A827999 : t < 40 ? 0x6ED9EBA1 : t < 60 ? 0x8F1BBCDC : 0xCA62C1D6;
#define NC_F1(t, b, c, d)                                                            \
    ((t) < 20 ? (d ^ (b & (c ^ d))) : (t) < 40 ? (b ^ c ^ d) : (t) < 60 ? ((b & c) | (d & (b | c))) \
                                                                         : (b ^ c ^ d))
#define NC_WT(t) ((t) < 16 ? w[(t)] : NC_W1(t))
            NC_STEP1(a, b, c, d, e, NC_F1(t, b, c, d), k, NC_WT(t));
            NC_STEP1(e, a, b, c, d, NC_F1(t + 1, a, b, c), k, NC_WT(t + 1));
            NC_STEP1(d, e, a, b, c, NC_F1(t + 2, e, a, b), k, NC_WT(t + 2));
            NC_STEP1(c, d, e, a, b, NC_F1(t + 3, d, e, a), k, NC_WT(t + 3));
            NC_STEP1(b, c, d, e, a, NC_F1(t + 4, c, d, e), k, NC_WT(t + 4));
#undef NC_F1
#undef NC_WT
        }
#undef NC_W1
#undef NC_STEP1
        st[0] += a; st[1] += b; st[2] += c; st[3] += d; st[4] += e;
        p += 64;
    }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define NOCRYPTO_HAVE_SHA1_SHANI 1

/* Four rounds (group g, 0..19) with the SHA extensions.  sha1nexte derives the next
 * E from the A of four rounds earlier (held in `ehold`); m[] is a ring of four message
 * vectors, extended by sha1msg1 / xor / sha1msg2 for the groups ahead. */
#define NC_SHA1_GROUP(g, func)                                                             \
    do {                                                                                   \
        if ((g) < 4)                                                                       \
            m[(g)] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * (g))), bswap); \
        e = (g) == 0 ? _mm_add_epi32(e_save, m[0]) : _mm_sha1nexte_epu32(ehold, m[(g) & 3]); \
        ehold = abcd;                                                                      \
        if ((g) >= 3 && (g) <= 18)                                                         \
            m[((g) + 1) & 3] = _mm_sha1msg2_epu32(m[((g) + 1) & 3], m[(g) & 3]);           \
        abcd = _mm_sha1rnds4_epu32(abcd, e, func);                                         \
        if ((g) >= 1 && (g) <= 16)                                                         \
            m[((g) + 3) & 3] = _mm_sha1msg1_epu32(m[((g) + 3) & 3], m[(g) & 3]);           \
        if ((g) >= 2 && (g) <= 17)                                                         \
            m[((g) + 2) & 3] = _mm_xor_si128(m[((g) + 2) & 3], m[(g) & 3]);                \
    } while (0)

__attribute__((target("sha,sse4.1,ssse3")))
static void sha1_blocks_shani(uint32_t st[5], const uint8_t *p, size_t n) {
    const __m128i bswap = _mm_set_epi64x(0x0001020304050607ULL, 0x08090a0b0c0d0e0fULL);
    __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)st), 0x1B);
    __m128i e0 = _mm_set_epi32((int)st[4], 0, 0, 0);
    __m128i m[4], e, ehold = _mm_setzero_si128();
    while (n--) {
        __m128i abcd_save = abcd, e_save = e0;
        NC_SHA1_GROUP(0, 0);  NC_SHA1_GROUP(1, 0);  NC_SHA1_GROUP(2, 0);  NC_SHA1_GROUP(3, 0);
        NC_SHA1_GROUP(4, 0);  NC_SHA1_GROUP(5, 1);  NC_SHA1_GROUP(6, 1);  NC_SHA1_GROUP(7, 1);
        NC_SHA1_GROUP(8, 1);  NC_SHA1_GROUP(9, 1);  NC_SHA1_GROUP(10, 2); NC_SHA1_GROUP(11, 2);
        NC_SHA1_GROUP(12, 2); NC_SHA1_GROUP(13, 2); NC_SHA1_GROUP(14, 2); NC_SHA1_GROUP(15, 3);
        NC_SHA1_GROUP(16, 3); NC_SHA1_GROUP(17, 3); NC_SHA1_GROUP(18, 3); NC_SHA1_GROUP(19, 3);
        /* E after 80 rounds is the rotated A from four rounds ago, plus the saved E. */
        e0 = _mm_sha1nexte_epu32(ehold, e_save);
        abcd = _mm_add_epi32(abcd, abcd_save);
        p += 64;
    }
    _mm_storeu_si128((__m128i *)st, _mm_shuffle_epi32(abcd, 0x1B));
    st[4] = (uint32_t)_mm_extract_epi32(e0, 3);
}
#undef NC_SHA1_GROUP
#else
#define NOCRYPTO_HAVE_SHA1_SHANI 0
static void sha1_blocks_shani(uint32_t st[5], const uint8_t *p, size_t n) {
    sha1_blocks_portable(st, p, n);
}
#endif

#endif
