/* SHA-512 compression (FIPS 180-4 6.4.2), portable C over n consecutive 128-byte blocks.
 * No data-dependent branch or table index.  x86 has no SHA-512 instructions before
 * SHA512-NI (not on this class of CPU), so the rounds are 64-bit scalar code; on x86-64
 * the message schedule moves to SSE registers (sha512_simd.h), with AVX-512VL rotates
 * where available, chosen at run time. */
#ifndef NOCRYPTO_SHA512_H
#define NOCRYPTO_SHA512_H

#include <stddef.h>
#include <stdint.h>

static const uint64_t nocrypto_k512[80] = {
    0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL, 0xe9b5dba58189dbbcULL,
    0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL, 0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL,
    0xd807aa98a3030242ULL, 0x12835b0145706fbeULL, 0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
    0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL, 0xc19bf174cf692694ULL,
    0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL, 0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL,
    0x2de92c6f592b0275ULL, 0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
    0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL, 0xb00327c898fb213fULL, 0xbf597fc7beef0ee4ULL,
    0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL, 0x06ca6351e003826fULL, 0x142929670a0e6e70ULL,
    0x27b70a8546d22ffcULL, 0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
    0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL, 0x92722c851482353bULL,
    0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL, 0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL,
    0xd192e819d6ef5218ULL, 0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
    0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL, 0x2748774cdf8eeb99ULL, 0x34b0bcb5e19b48a8ULL,
    0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL, 0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL,
    0x748f82ee5defb2fcULL, 0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
    0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL, 0xc67178f2e372532bULL,
    0xca273eceea26619cULL, 0xd186b8c721c0c207ULL, 0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL,
    0x06f067aa72176fbaULL, 0x0a637dc5a2c898a6ULL, 0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
    0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL, 0x431d67c49c100d4cULL,
    0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL, 0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL,
};

static inline uint64_t nocrypto_load_be64(const uint8_t *p) {
    uint64_t v;
    __builtin_memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

#define NC_ROR64(x, n) (((x) >> (n)) | ((x) << (64 - (n))))

/* The portable body: message schedule in scalar registers, eight renamed rounds. */
static inline __attribute__((always_inline)) void
sha512_blocks_body(uint64_t st[8], const uint8_t *p, size_t n) {
    uint64_t w[16];
    while (n--) {
        uint64_t a = st[0], b = st[1], c = st[2], d = st[3];
        uint64_t e = st[4], f = st[5], g = st[6], h = st[7];
        uint64_t u, v = b ^ c;
        for (int t = 0; t < 16; t++) w[t] = nocrypto_load_be64(p + 8 * t);
/* One round with renamed registers.  Maj(a,b,c) = b ^ ((a^b) & (b^c)) reuses this
 * round's a^b as the next round's b^c; Ch is split into two ANDs that add in parallel. */
#define NC_R512(a, b, c, d, e, f, g, h, i, ab, bc)                                      \
    do {                                                                                \
        uint64_t t1 = h + (NC_ROR64(e, 14) ^ NC_ROR64(e, 18) ^ NC_ROR64(e, 41)) +       \
                      (e & f) + (~e & g) + nocrypto_k512[i] + w[(i) & 15];              \
        ab = a ^ b;                                                                     \
        uint64_t t2 = (NC_ROR64(a, 28) ^ NC_ROR64(a, 34) ^ NC_ROR64(a, 39)) +           \
                      (b ^ (ab & bc));                                                  \
        d += t1;                                                                        \
        h = t1 + t2;                                                                    \
    } while (0)
#define NC_W512(i)                                                                      \
    do {                                                                                \
        uint64_t x = w[((i) - 15) & 15], y = w[((i) - 2) & 15];                         \
        w[(i) & 15] += (NC_ROR64(y, 19) ^ NC_ROR64(y, 61) ^ (y >> 6)) + w[((i) - 7) & 15] + \
                       (NC_ROR64(x, 1) ^ NC_ROR64(x, 8) ^ (x >> 7));                    \
    } while (0)
        for (int i = 0; i < 80; i += 8) {
            if (i >= 16) {
                NC_W512(i); NC_W512(i + 1); NC_W512(i + 2); NC_W512(i + 3);
                NC_W512(i + 4); NC_W512(i + 5); NC_W512(i + 6); NC_W512(i + 7);
            }
            NC_R512(a, b, c, d, e, f, g, h, i, u, v);
            NC_R512(h, a, b, c, d, e, f, g, i + 1, v, u);
            NC_R512(g, h, a, b, c, d, e, f, i + 2, u, v);
            NC_R512(f, g, h, a, b, c, d, e, i + 3, v, u);
            NC_R512(e, f, g, h, a, b, c, d, i + 4, u, v);
            NC_R512(d, e, f, g, h, a, b, c, i + 5, v, u);
            NC_R512(c, d, e, f, g, h, a, b, i + 6, u, v);
            NC_R512(b, c, d, e, f, g, h, a, i + 7, v, u);
        }
#undef NC_R512
#undef NC_W512
        st[0] += a; st[1] += b; st[2] += c; st[3] += d;
        st[4] += e; st[5] += f; st[6] += g; st[7] += h;
        p += 128;
    }
}

static void sha512_blocks_portable(uint64_t st[8], const uint8_t *p, size_t n) {
    sha512_blocks_body(st, p, n);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define NOCRYPTO_HAVE_SHA512_SIMD 1

#define NC_SIMD_NAME sha512_blocks_ssse3
#define NC_SIMD_TARGET "ssse3,bmi2"
#define NC_X_ROR64(x, n) _mm_or_si128(_mm_srli_epi64((x), (n)), _mm_slli_epi64((x), 64 - (n)))
#include "sha512_simd.h"
#undef NC_SIMD_NAME
#undef NC_SIMD_TARGET
#undef NC_X_ROR64

#define NC_SIMD_NAME sha512_blocks_avx512
#define NC_SIMD_TARGET "avx512f,avx512vl,bmi2"
#define NC_X_ROR64(x, n) _mm_ror_epi64((x), (n))
#include "sha512_simd.h"
#undef NC_SIMD_NAME
#undef NC_SIMD_TARGET
#undef NC_X_ROR64

/* nocrypto.cpu_features does not list AVX-512VL; ask the compiler's CPU model (which
 * also checks that the OS saves the AVX-512 state). */
static int sha512_cpu_has_avx512vl(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("bmi2");
}
#else
#define NOCRYPTO_HAVE_SHA512_SIMD 0
static void sha512_blocks_ssse3(uint64_t st[8], const uint8_t *p, size_t n) {
    sha512_blocks_body(st, p, n);
}
static void sha512_blocks_avx512(uint64_t st[8], const uint8_t *p, size_t n) {
    sha512_blocks_body(st, p, n);
}
static int sha512_cpu_has_avx512vl(void) { return 0; }
#endif

#endif
