/* ChaCha20, Poly1305 and the RFC 8439 AEAD for the Cython kernel.
 *
 * ChaCha20 runs several blocks side by side (state word i of every block in one
 * register, transposed back at the end): four with portable GCC/Clang vectors, eight
 * with AVX2, sixteen with AVX-512; a one-block C loop handles tails.
 * Poly1305 keeps the accumulator in three 64-bit limbs and multiplies with unsigned
 * __int128; clamping makes r1 divisible by four, so 2^128 * r1 folds to (5/4) * r1 without
 * a division.  With AVX2 (AVX-512), four (eight) accumulators in radix 2^26 run in
 * parallel on the powers r..r^4 (r..r^8).
 * Nothing branches on secret data and the final reduction is a masked select.
 */
#ifndef NC_CHACHA_IMPL_H
#define NC_CHACHA_IMPL_H

/* The verdict of a tag check is public: the caller reports it.  A constant-time test
 * harness defines NC_DECLASSIFY before including this file to tell its checker so. */
#ifndef NC_DECLASSIFY
#define NC_DECLASSIFY(p, n) ((void)0)
#endif

#include <stdint.h>
#include <stddef.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define NC_CHACHA_X86 1
#define NC_AVX2 __attribute__((target("avx2")))
#else
#define NC_CHACHA_X86 0
#endif

static inline uint32_t cc_load32le(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline void cc_store32le(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static inline uint64_t cc_load64le(const uint8_t *p) {
    return (uint64_t)cc_load32le(p) | ((uint64_t)cc_load32le(p + 4) << 32);
}
static inline void cc_store64le(uint8_t *p, uint64_t v) {
    cc_store32le(p, (uint32_t)v); cc_store32le(p + 4, (uint32_t)(v >> 32));
}

/* ---- ChaCha20 ------------------------------------------------------------------------ */
#define CC_ROTL(v, n) (((v) << (n)) | ((v) >> (32 - (n))))
#define CC_QR(a, b, c, d) \
    a += b; d ^= a; d = CC_ROTL(d, 16); c += d; b ^= c; b = CC_ROTL(b, 12); \
    a += b; d ^= a; d = CC_ROTL(d, 8);  c += d; b ^= c; b = CC_ROTL(b, 7);

/* st: the 16-word initial state with word 12 ignored; ctr is the block counter. */
static void cc_block(const uint32_t st[16], uint32_t ctr, uint32_t out[16]) {
    uint32_t x[16];
    memcpy(x, st, 64);
    x[12] = ctr;
    for (int i = 0; i < 10; i++) {
        CC_QR(x[0], x[4], x[8], x[12]) CC_QR(x[1], x[5], x[9], x[13])
        CC_QR(x[2], x[6], x[10], x[14]) CC_QR(x[3], x[7], x[11], x[15])
        CC_QR(x[0], x[5], x[10], x[15]) CC_QR(x[1], x[6], x[11], x[12])
        CC_QR(x[2], x[7], x[8], x[13]) CC_QR(x[3], x[4], x[9], x[14])
    }
    for (int i = 0; i < 16; i++) out[i] = x[i] + st[i];
    out[12] = x[12] + ctr;
}

static void cc_xor_blocks(const uint32_t st[16], uint32_t ctr, const uint8_t *in, uint8_t *out, size_t len) {
    uint32_t ks[16];
    uint8_t kb[64];
    while (len) {
        cc_block(st, ctr++, ks);
        for (int i = 0; i < 16; i++) cc_store32le(kb + 4 * i, ks[i]);
        size_t n = len < 64 ? len : 64;
        for (size_t j = 0; j < n; j++) out[j] = in[j] ^ kb[j];
        in += n; out += n; len -= n;
    }
    memset(kb, 0, 64);
    memset(ks, 0, 64);
}

#if defined(__GNUC__)
/* Portable four-block ChaCha20 on GCC/Clang generic vectors (SSE2 on any x86-64, NEON
 * on ARM): state word i of four blocks per vector, written out through a small array. */
typedef uint32_t cc_v4 __attribute__((vector_size(16)));
#define CC4_ROTL(v, n) (((v) << (n)) | ((v) >> (32 - (n))))
#define CC4_QR(a, b, c, d) \
    a += b; d ^= a; d = CC4_ROTL(d, 16); c += d; b ^= c; b = CC4_ROTL(b, 12); \
    a += b; d ^= a; d = CC4_ROTL(d, 8);  c += d; b ^= c; b = CC4_ROTL(b, 7);

static void cc4_xor256(const uint32_t st[16], uint32_t ctr, const uint8_t *in, uint8_t *out) {
    cc_v4 x[16], o[16];
    for (int i = 0; i < 16; i++) { cc_v4 v = {st[i], st[i], st[i], st[i]}; o[i] = v; }
    { cc_v4 c = {ctr, ctr + 1, ctr + 2, ctr + 3}; o[12] = c; }
    for (int i = 0; i < 16; i++) x[i] = o[i];
    for (int i = 0; i < 10; i++) {
        CC4_QR(x[0], x[4], x[8], x[12]) CC4_QR(x[1], x[5], x[9], x[13])
        CC4_QR(x[2], x[6], x[10], x[14]) CC4_QR(x[3], x[7], x[11], x[15])
        CC4_QR(x[0], x[5], x[10], x[15]) CC4_QR(x[1], x[6], x[11], x[12])
        CC4_QR(x[2], x[7], x[8], x[13]) CC4_QR(x[3], x[4], x[9], x[14])
    }
    uint32_t w[16][4];
    for (int i = 0; i < 16; i++) {
        cc_v4 v = x[i] + o[i];
        memcpy(w[i], &v, 16);
    }
    for (int b = 0; b < 4; b++)
        for (int i = 0; i < 16; i++) {
            const uint8_t *pi = in + 64 * b + 4 * i;
            cc_store32le(out + 64 * b + 4 * i, cc_load32le(pi) ^ w[i][b]);
        }
    memset(w, 0, sizeof w);
}
#define NC_HAVE_CC4 1
#else
#define NC_HAVE_CC4 0
#endif

static void cc_xor_portable(const uint32_t st[16], uint32_t ctr, const uint8_t *in, uint8_t *out, size_t len) {
#if NC_HAVE_CC4
    for (; len >= 256; len -= 256, in += 256, out += 256, ctr += 4) cc4_xor256(st, ctr, in, out);
#endif
    cc_xor_blocks(st, ctr, in, out, len);
}

#if NC_CHACHA_X86
#define CC8_ROT(v, n) _mm256_or_si256(_mm256_slli_epi32(v, n), _mm256_srli_epi32(v, 32 - (n)))
#define CC8_QR(a, b, c, d) \
    a = _mm256_add_epi32(a, b); d = _mm256_shuffle_epi8(_mm256_xor_si256(d, a), r16); \
    c = _mm256_add_epi32(c, d); b = _mm256_xor_si256(b, c); b = CC8_ROT(b, 12); \
    a = _mm256_add_epi32(a, b); d = _mm256_shuffle_epi8(_mm256_xor_si256(d, a), r8); \
    c = _mm256_add_epi32(c, d); b = _mm256_xor_si256(b, c); b = CC8_ROT(b, 7);

/* Transpose eight registers of eight 32-bit words: out[b] = word b of every input. */
NC_AVX2 static inline void cc8_transpose(__m256i x[8]) {
    __m256i a0 = _mm256_unpacklo_epi32(x[0], x[1]), a1 = _mm256_unpackhi_epi32(x[0], x[1]);
    __m256i a2 = _mm256_unpacklo_epi32(x[2], x[3]), a3 = _mm256_unpackhi_epi32(x[2], x[3]);
    __m256i a4 = _mm256_unpacklo_epi32(x[4], x[5]), a5 = _mm256_unpackhi_epi32(x[4], x[5]);
    __m256i a6 = _mm256_unpacklo_epi32(x[6], x[7]), a7 = _mm256_unpackhi_epi32(x[6], x[7]);
    __m256i b0 = _mm256_unpacklo_epi64(a0, a2), b1 = _mm256_unpackhi_epi64(a0, a2);
    __m256i b2 = _mm256_unpacklo_epi64(a1, a3), b3 = _mm256_unpackhi_epi64(a1, a3);
    __m256i b4 = _mm256_unpacklo_epi64(a4, a6), b5 = _mm256_unpackhi_epi64(a4, a6);
    __m256i b6 = _mm256_unpacklo_epi64(a5, a7), b7 = _mm256_unpackhi_epi64(a5, a7);
    x[0] = _mm256_permute2x128_si256(b0, b4, 0x20); x[4] = _mm256_permute2x128_si256(b0, b4, 0x31);
    x[1] = _mm256_permute2x128_si256(b1, b5, 0x20); x[5] = _mm256_permute2x128_si256(b1, b5, 0x31);
    x[2] = _mm256_permute2x128_si256(b2, b6, 0x20); x[6] = _mm256_permute2x128_si256(b2, b6, 0x31);
    x[3] = _mm256_permute2x128_si256(b3, b7, 0x20); x[7] = _mm256_permute2x128_si256(b3, b7, 0x31);
}

/* 512 bytes of keystream (eight blocks from ctr) XORed into out. */
NC_AVX2 static void cc8_xor512(const uint32_t st[16], uint32_t ctr, const uint8_t *in, uint8_t *out) {
    const __m256i r16 = _mm256_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13,
                                         2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
    const __m256i r8 = _mm256_setr_epi8(3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14,
                                        3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14);
    __m256i x[16], o[16];
    for (int i = 0; i < 16; i++) o[i] = _mm256_set1_epi32((int)st[i]);
    o[12] = _mm256_add_epi32(_mm256_set1_epi32((int)ctr), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    for (int i = 0; i < 16; i++) x[i] = o[i];
    for (int i = 0; i < 10; i++) {
        CC8_QR(x[0], x[4], x[8], x[12]) CC8_QR(x[1], x[5], x[9], x[13])
        CC8_QR(x[2], x[6], x[10], x[14]) CC8_QR(x[3], x[7], x[11], x[15])
        CC8_QR(x[0], x[5], x[10], x[15]) CC8_QR(x[1], x[6], x[11], x[12])
        CC8_QR(x[2], x[7], x[8], x[13]) CC8_QR(x[3], x[4], x[9], x[14])
    }
    for (int i = 0; i < 16; i++) x[i] = _mm256_add_epi32(x[i], o[i]);
    cc8_transpose(x);
    cc8_transpose(x + 8);
    for (int b = 0; b < 8; b++) {
        const __m256i *pi = (const __m256i *)(in + 64 * b);
        __m256i *po = (__m256i *)(out + 64 * b);
        _mm256_storeu_si256(po, _mm256_xor_si256(x[b], _mm256_loadu_si256(pi)));
        _mm256_storeu_si256(po + 1, _mm256_xor_si256(x[8 + b], _mm256_loadu_si256(pi + 1)));
    }
}

NC_AVX2 static void cc_xor_avx2(const uint32_t st[16], uint32_t ctr, const uint8_t *in, uint8_t *out, size_t len) {
    while (len >= 512) {
        cc8_xor512(st, ctr, in, out);
        ctr += 8; in += 512; out += 512; len -= 512;
    }
    if (len > 128) {
        uint8_t buf[512];
        memset(buf, 0, 512);
        memcpy(buf, in, len);
        cc8_xor512(st, ctr, buf, buf);
        memcpy(out, buf, len);
        memset(buf, 0, 512);
    } else if (len) {
        cc_xor_blocks(st, ctr, in, out, len);
    }
}

/* AVX-512: sixteen blocks, one per 32-bit lane; rotations are single VPROLD. */
#define NC_AVX512 __attribute__((target("avx512f,avx2")))
#define CC16_QR(a, b, c, d) \
    a = _mm512_add_epi32(a, b); d = _mm512_rol_epi32(_mm512_xor_si512(d, a), 16); \
    c = _mm512_add_epi32(c, d); b = _mm512_rol_epi32(_mm512_xor_si512(b, c), 12); \
    a = _mm512_add_epi32(a, b); d = _mm512_rol_epi32(_mm512_xor_si512(d, a), 8); \
    c = _mm512_add_epi32(c, d); b = _mm512_rol_epi32(_mm512_xor_si512(b, c), 7);

NC_AVX512 static void cc16_xor1024(const uint32_t st[16], uint32_t ctr, const uint8_t *in, uint8_t *out) {
    __m512i x[16], y[4][4];
    const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    for (int i = 0; i < 16; i++) x[i] = _mm512_set1_epi32((int)st[i]);
    x[12] = _mm512_add_epi32(_mm512_set1_epi32((int)ctr), lanes);
    for (int i = 0; i < 10; i++) {
        CC16_QR(x[0], x[4], x[8], x[12]) CC16_QR(x[1], x[5], x[9], x[13])
        CC16_QR(x[2], x[6], x[10], x[14]) CC16_QR(x[3], x[7], x[11], x[15])
        CC16_QR(x[0], x[5], x[10], x[15]) CC16_QR(x[1], x[6], x[11], x[12])
        CC16_QR(x[2], x[7], x[8], x[13]) CC16_QR(x[3], x[4], x[9], x[14])
    }
    for (int i = 0; i < 16; i++)
        x[i] = _mm512_add_epi32(x[i], i == 12 ? _mm512_add_epi32(_mm512_set1_epi32((int)ctr), lanes)
                                              : _mm512_set1_epi32((int)st[i]));
    /* y[g][k], 128-bit lane L: words 4g..4g+3 of block 4L+k */
    for (int g = 0; g < 4; g++) {
        __m512i a0 = _mm512_unpacklo_epi32(x[4 * g], x[4 * g + 1]), a1 = _mm512_unpackhi_epi32(x[4 * g], x[4 * g + 1]);
        __m512i a2 = _mm512_unpacklo_epi32(x[4 * g + 2], x[4 * g + 3]), a3 = _mm512_unpackhi_epi32(x[4 * g + 2], x[4 * g + 3]);
        y[g][0] = _mm512_unpacklo_epi64(a0, a2); y[g][1] = _mm512_unpackhi_epi64(a0, a2);
        y[g][2] = _mm512_unpacklo_epi64(a1, a3); y[g][3] = _mm512_unpackhi_epi64(a1, a3);
    }
    for (int k = 0; k < 4; k++) {
        __m512i t0 = _mm512_shuffle_i32x4(y[0][k], y[1][k], 0x44), t1 = _mm512_shuffle_i32x4(y[0][k], y[1][k], 0xEE);
        __m512i t2 = _mm512_shuffle_i32x4(y[2][k], y[3][k], 0x44), t3 = _mm512_shuffle_i32x4(y[2][k], y[3][k], 0xEE);
        __m512i blk[4];
        blk[0] = _mm512_shuffle_i32x4(t0, t2, 0x88); blk[1] = _mm512_shuffle_i32x4(t0, t2, 0xDD);
        blk[2] = _mm512_shuffle_i32x4(t1, t3, 0x88); blk[3] = _mm512_shuffle_i32x4(t1, t3, 0xDD);
        for (int L = 0; L < 4; L++) {
            size_t off = 64 * (size_t)(4 * L + k);
            _mm512_storeu_si512((void *)(out + off), _mm512_xor_si512(blk[L], _mm512_loadu_si512((const void *)(in + off))));
        }
    }
}

NC_AVX512 static void cc_xor_avx512(const uint32_t st[16], uint32_t ctr, const uint8_t *in, uint8_t *out, size_t len) {
    while (len >= 1024) {
        cc16_xor1024(st, ctr, in, out);
        ctr += 16; in += 1024; out += 1024; len -= 1024;
    }
    if (len > 512) {
        uint8_t buf[1024];
        memset(buf, 0, 1024);
        memcpy(buf, in, len);
        cc16_xor1024(st, ctr, buf, buf);
        memcpy(out, buf, len);
        memset(buf, 0, 1024);
    } else if (len) {
        cc_xor_avx2(st, ctr, in, out, len);
    }
}
#endif

static void cc_init(uint32_t st[16], const uint8_t key[32], const uint8_t nonce[12]) {
    st[0] = 0x61707865; st[1] = 0x3320646e; st[2] = 0x79622d32; st[3] = 0x6b206574;
    for (int i = 0; i < 8; i++) st[4 + i] = cc_load32le(key + 4 * i);
    st[12] = 0;
    for (int i = 0; i < 3; i++) st[13 + i] = cc_load32le(nonce + 4 * i);
}

static void nc_chacha20_xor(const uint32_t st[16], uint32_t ctr, const uint8_t *in, uint8_t *out, size_t len, int simd) {
#if NC_CHACHA_X86
    /* simd: 0 portable, 1 AVX2, 2 AVX-512 */
    if (simd == 2) { cc_xor_avx512(st, ctr, in, out, len); return; }
    if (simd) { cc_xor_avx2(st, ctr, in, out, len); return; }
#else
    (void)simd;
#endif
    cc_xor_portable(st, ctr, in, out, len);
}

static void nc_hchacha20(const uint8_t key[32], const uint8_t n16[16], uint8_t out[32]) {
    uint32_t x[16];
    x[0] = 0x61707865; x[1] = 0x3320646e; x[2] = 0x79622d32; x[3] = 0x6b206574;
    for (int i = 0; i < 8; i++) x[4 + i] = cc_load32le(key + 4 * i);
    for (int i = 0; i < 4; i++) x[12 + i] = cc_load32le(n16 + 4 * i);
    for (int i = 0; i < 10; i++) {
        CC_QR(x[0], x[4], x[8], x[12]) CC_QR(x[1], x[5], x[9], x[13])
        CC_QR(x[2], x[6], x[10], x[14]) CC_QR(x[3], x[7], x[11], x[15])
        CC_QR(x[0], x[5], x[10], x[15]) CC_QR(x[1], x[6], x[11], x[12])
        CC_QR(x[2], x[7], x[8], x[13]) CC_QR(x[3], x[4], x[9], x[14])
    }
    for (int i = 0; i < 4; i++) { cc_store32le(out + 4 * i, x[i]); cc_store32le(out + 16 + 4 * i, x[12 + i]); }
    memset(x, 0, sizeof x);
}

/* ---- Poly1305 ------------------------------------------------------------------------ */
typedef struct {
    uint64_t r0, r1, s1;  /* s1 = r1 + r1/4 = (5/4) r1 */
    uint64_t h0, h1, h2;
    uint64_t pad0, pad1;
    uint32_t rp[8][5];    /* SIMD paths: r^1..r^8 in radix 2^26 */
    int simd;
} nc_poly1305;

/* Radix-2^26 helpers for the vector path: five limbs, 2^130 = 5. */
static void p26_from64(uint32_t l[5], uint64_t lo, uint64_t hi, uint64_t top) {
    l[0] = (uint32_t)(lo & 0x3FFFFFF);
    l[1] = (uint32_t)((lo >> 26) & 0x3FFFFFF);
    l[2] = (uint32_t)(((lo >> 52) | (hi << 12)) & 0x3FFFFFF);
    l[3] = (uint32_t)((hi >> 14) & 0x3FFFFFF);
    l[4] = (uint32_t)((hi >> 40) | (top << 24));
}

static void p26_mul(uint32_t out[5], const uint32_t a[5], const uint32_t b[5]) {
    uint64_t s1 = 5 * (uint64_t)b[1], s2 = 5 * (uint64_t)b[2], s3 = 5 * (uint64_t)b[3], s4 = 5 * (uint64_t)b[4];
    uint64_t d[5];
    d[0] = (uint64_t)a[0] * b[0] + a[1] * s4 + a[2] * s3 + a[3] * s2 + a[4] * s1;
    d[1] = (uint64_t)a[0] * b[1] + (uint64_t)a[1] * b[0] + a[2] * s4 + a[3] * s3 + a[4] * s2;
    d[2] = (uint64_t)a[0] * b[2] + (uint64_t)a[1] * b[1] + (uint64_t)a[2] * b[0] + a[3] * s4 + a[4] * s3;
    d[3] = (uint64_t)a[0] * b[3] + (uint64_t)a[1] * b[2] + (uint64_t)a[2] * b[1] + (uint64_t)a[3] * b[0] + a[4] * s4;
    d[4] = (uint64_t)a[0] * b[4] + (uint64_t)a[1] * b[3] + (uint64_t)a[2] * b[2] + (uint64_t)a[3] * b[1] + (uint64_t)a[4] * b[0];
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < 4; i++) { d[i + 1] += d[i] >> 26; d[i] &= 0x3FFFFFF; }
        uint64_t c = d[4] >> 26;
        d[4] &= 0x3FFFFFF;
        d[0] += c * 5;
    }
    for (int i = 0; i < 5; i++) out[i] = (uint32_t)d[i];
}

static void poly_init(nc_poly1305 *p, const uint8_t key[32]) {
    p->r0 = cc_load64le(key) & 0x0FFFFFFC0FFFFFFFULL;
    p->r1 = cc_load64le(key + 8) & 0x0FFFFFFC0FFFFFFCULL;
    p->s1 = p->r1 + (p->r1 >> 2);
    p->h0 = p->h1 = p->h2 = 0;
    p->pad0 = cc_load64le(key + 16);
    p->pad1 = cc_load64le(key + 24);
    p->simd = 0;
}

/* level 1: AVX2 (four lanes), 2: AVX-512 (eight lanes) */
static void poly_enable_simd(nc_poly1305 *p, int level) {
    p26_from64(p->rp[0], p->r0, p->r1, 0);
    for (int i = 1; i < 8; i++) p26_mul(p->rp[i], p->rp[i - 1], p->rp[0]);
    p->simd = level;
}

/* Absorb whole 16-byte blocks; hibit is 1 for full blocks (the 2^128 marker). */
static void poly_blocks_scalar(nc_poly1305 *p, const uint8_t *m, size_t nblocks, uint64_t hibit) {
    typedef unsigned __int128 u128;
    uint64_t r0 = p->r0, r1 = p->r1, s1 = p->s1, h0 = p->h0, h1 = p->h1, h2 = p->h2;
    while (nblocks--) {
        u128 t = (u128)h0 + cc_load64le(m);
        h0 = (uint64_t)t;
        t = (u128)h1 + cc_load64le(m + 8) + (uint64_t)(t >> 64);
        h1 = (uint64_t)t;
        h2 += (uint64_t)(t >> 64) + hibit;
        u128 d0 = (u128)h0 * r0 + (u128)h1 * s1;
        u128 d1 = (u128)h0 * r1 + (u128)h1 * r0 + (u128)h2 * s1;
        uint64_t d2 = h2 * r0;
        h0 = (uint64_t)d0;
        d1 += (uint64_t)(d0 >> 64);
        h1 = (uint64_t)d1;
        h2 = d2 + (uint64_t)(d1 >> 64);
        /* partial reduction: 2^130 = 5 */
        uint64_t c = (h2 >> 2) * 5;
        h2 &= 3;
        t = (u128)h0 + c;
        h0 = (uint64_t)t;
        t = (u128)h1 + (uint64_t)(t >> 64);
        h1 = (uint64_t)t;
        h2 += (uint64_t)(t >> 64);
        m += 16;
    }
    p->h0 = h0; p->h1 = h1; p->h2 = h2;
}


static void p26_to64(nc_poly1305 *p, const uint64_t l[5]);

#if NC_CHACHA_X86
/* Four interleaved accumulators in the 64-bit lanes of AVX2 registers: lane j absorbs
 * blocks j, j+4, j+8, ... multiplied by r^4 each step; the last step multiplies lane j
 * by r^(4-j) instead, and the lanes are summed.  Limbs are radix 2^26, products 32x32. */
NC_AVX2 static void poly_blocks_avx2(nc_poly1305 *p, const uint8_t *m, size_t nblocks) {
    typedef unsigned __int128 u128;
    const __m256i mask = _mm256_set1_epi64x(0x3FFFFFF), hib = _mm256_set1_epi64x(1 << 24);
    __m256i r4[5], s4[5], rf[5], sf[5], h[5];
    for (int i = 0; i < 5; i++) {
        r4[i] = _mm256_set1_epi64x(p->rp[3][i]);
        s4[i] = _mm256_set1_epi64x(5 * (uint64_t)p->rp[3][i]);
        /* lane j (low to high) gets r^(4-j) */
        rf[i] = _mm256_setr_epi64x(p->rp[3][i], p->rp[2][i], p->rp[1][i], p->rp[0][i]);
        sf[i] = _mm256_setr_epi64x(5 * (uint64_t)p->rp[3][i], 5 * (uint64_t)p->rp[2][i],
                                   5 * (uint64_t)p->rp[1][i], 5 * (uint64_t)p->rp[0][i]);
    }
    uint32_t h26[5];
    p26_from64(h26, p->h0, p->h1, p->h2);
    for (int i = 0; i < 5; i++) h[i] = _mm256_setr_epi64x(h26[i], 0, 0, 0);
    for (size_t left = nblocks; left >= 4; left -= 4, m += 64) {
        __m256i lo = _mm256_setr_epi64x((long long)cc_load64le(m), (long long)cc_load64le(m + 16),
                                        (long long)cc_load64le(m + 32), (long long)cc_load64le(m + 48));
        __m256i hi = _mm256_setr_epi64x((long long)cc_load64le(m + 8), (long long)cc_load64le(m + 24),
                                        (long long)cc_load64le(m + 40), (long long)cc_load64le(m + 56));
        h[0] = _mm256_add_epi64(h[0], _mm256_and_si256(lo, mask));
        h[1] = _mm256_add_epi64(h[1], _mm256_and_si256(_mm256_srli_epi64(lo, 26), mask));
        h[2] = _mm256_add_epi64(h[2], _mm256_and_si256(_mm256_or_si256(_mm256_srli_epi64(lo, 52), _mm256_slli_epi64(hi, 12)), mask));
        h[3] = _mm256_add_epi64(h[3], _mm256_and_si256(_mm256_srli_epi64(hi, 14), mask));
        h[4] = _mm256_add_epi64(h[4], _mm256_or_si256(_mm256_srli_epi64(hi, 40), hib));
        const __m256i *r = left == 4 ? rf : r4, *s = left == 4 ? sf : s4;
#define PM(a, b) _mm256_mul_epu32(a, b)
        __m256i d0 = _mm256_add_epi64(_mm256_add_epi64(PM(h[0], r[0]), PM(h[1], s[4])), _mm256_add_epi64(_mm256_add_epi64(PM(h[2], s[3]), PM(h[3], s[2])), PM(h[4], s[1])));
        __m256i d1 = _mm256_add_epi64(_mm256_add_epi64(PM(h[0], r[1]), PM(h[1], r[0])), _mm256_add_epi64(_mm256_add_epi64(PM(h[2], s[4]), PM(h[3], s[3])), PM(h[4], s[2])));
        __m256i d2 = _mm256_add_epi64(_mm256_add_epi64(PM(h[0], r[2]), PM(h[1], r[1])), _mm256_add_epi64(_mm256_add_epi64(PM(h[2], r[0]), PM(h[3], s[4])), PM(h[4], s[3])));
        __m256i d3 = _mm256_add_epi64(_mm256_add_epi64(PM(h[0], r[3]), PM(h[1], r[2])), _mm256_add_epi64(_mm256_add_epi64(PM(h[2], r[1]), PM(h[3], r[0])), PM(h[4], s[4])));
        __m256i d4 = _mm256_add_epi64(_mm256_add_epi64(PM(h[0], r[4]), PM(h[1], r[3])), _mm256_add_epi64(_mm256_add_epi64(PM(h[2], r[2]), PM(h[3], r[1])), PM(h[4], r[0])));
#undef PM
        __m256i c;
        c = _mm256_srli_epi64(d0, 26); d0 = _mm256_and_si256(d0, mask); d1 = _mm256_add_epi64(d1, c);
        c = _mm256_srli_epi64(d1, 26); d1 = _mm256_and_si256(d1, mask); d2 = _mm256_add_epi64(d2, c);
        c = _mm256_srli_epi64(d2, 26); d2 = _mm256_and_si256(d2, mask); d3 = _mm256_add_epi64(d3, c);
        c = _mm256_srli_epi64(d3, 26); d3 = _mm256_and_si256(d3, mask); d4 = _mm256_add_epi64(d4, c);
        c = _mm256_srli_epi64(d4, 26); d4 = _mm256_and_si256(d4, mask);
        d0 = _mm256_add_epi64(d0, _mm256_add_epi64(c, _mm256_slli_epi64(c, 2)));
        c = _mm256_srli_epi64(d0, 26); d0 = _mm256_and_si256(d0, mask); d1 = _mm256_add_epi64(d1, c);
        h[0] = d0; h[1] = d1; h[2] = d2; h[3] = d3; h[4] = d4;
    }
    /* sum the lanes and return to three 64-bit limbs */
    uint64_t l[5];
    for (int i = 0; i < 5; i++) {
        uint64_t v[4];
        _mm256_storeu_si256((__m256i *)v, h[i]);
        l[i] = v[0] + v[1] + v[2] + v[3];
    }
    p26_to64(p, l);
}

/* Eight lanes on AVX-512.  Two 64-byte loads unpack into lanes holding blocks
 * 0,4,1,5,2,6,3,7 of each group of eight; the final powers follow that order. */
NC_AVX512 static void poly_blocks_avx512(nc_poly1305 *p, const uint8_t *m, size_t nblocks) {
    static const int order[8] = {0, 4, 1, 5, 2, 6, 3, 7};
    const __m512i mask = _mm512_set1_epi64(0x3FFFFFF), hib = _mm512_set1_epi64(1 << 24);
    __m512i r8[5], s8[5], rf[5], sf[5], h[5];
    for (int i = 0; i < 5; i++) {
        uint64_t fr[8], fs[8];
        for (int l = 0; l < 8; l++) {
            fr[l] = p->rp[7 - order[l]][i];  /* lane with block b gets r^(8-b) */
            fs[l] = 5 * fr[l];
        }
        r8[i] = _mm512_set1_epi64((long long)p->rp[7][i]);
        s8[i] = _mm512_set1_epi64((long long)(5 * (uint64_t)p->rp[7][i]));
        rf[i] = _mm512_loadu_si512((const void *)fr);
        sf[i] = _mm512_loadu_si512((const void *)fs);
    }
    uint32_t h26[5];
    p26_from64(h26, p->h0, p->h1, p->h2);
    for (int i = 0; i < 5; i++) h[i] = _mm512_zextsi128_si512(_mm_cvtsi64_si128((long long)h26[i]));
    for (size_t left = nblocks; left >= 8; left -= 8, m += 128) {
        __m512i z0 = _mm512_loadu_si512((const void *)m), z1 = _mm512_loadu_si512((const void *)(m + 64));
        __m512i lo = _mm512_unpacklo_epi64(z0, z1), hi = _mm512_unpackhi_epi64(z0, z1);
        h[0] = _mm512_add_epi64(h[0], _mm512_and_si512(lo, mask));
        h[1] = _mm512_add_epi64(h[1], _mm512_and_si512(_mm512_srli_epi64(lo, 26), mask));
        h[2] = _mm512_add_epi64(h[2], _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(lo, 52), _mm512_slli_epi64(hi, 12)), mask));
        h[3] = _mm512_add_epi64(h[3], _mm512_and_si512(_mm512_srli_epi64(hi, 14), mask));
        h[4] = _mm512_add_epi64(h[4], _mm512_or_si512(_mm512_srli_epi64(hi, 40), hib));
        const __m512i *r = left == 8 ? rf : r8, *s = left == 8 ? sf : s8;
#define PM(a, b) _mm512_mul_epu32(a, b)
#define A3(a, b, c) _mm512_add_epi64(_mm512_add_epi64(a, b), c)
        __m512i d0 = _mm512_add_epi64(A3(PM(h[0], r[0]), PM(h[1], s[4]), PM(h[2], s[3])), _mm512_add_epi64(PM(h[3], s[2]), PM(h[4], s[1])));
        __m512i d1 = _mm512_add_epi64(A3(PM(h[0], r[1]), PM(h[1], r[0]), PM(h[2], s[4])), _mm512_add_epi64(PM(h[3], s[3]), PM(h[4], s[2])));
        __m512i d2 = _mm512_add_epi64(A3(PM(h[0], r[2]), PM(h[1], r[1]), PM(h[2], r[0])), _mm512_add_epi64(PM(h[3], s[4]), PM(h[4], s[3])));
        __m512i d3 = _mm512_add_epi64(A3(PM(h[0], r[3]), PM(h[1], r[2]), PM(h[2], r[1])), _mm512_add_epi64(PM(h[3], r[0]), PM(h[4], s[4])));
        __m512i d4 = _mm512_add_epi64(A3(PM(h[0], r[4]), PM(h[1], r[3]), PM(h[2], r[2])), _mm512_add_epi64(PM(h[3], r[1]), PM(h[4], r[0])));
#undef PM
#undef A3
        __m512i c;
        c = _mm512_srli_epi64(d0, 26); d0 = _mm512_and_si512(d0, mask); d1 = _mm512_add_epi64(d1, c);
        c = _mm512_srli_epi64(d1, 26); d1 = _mm512_and_si512(d1, mask); d2 = _mm512_add_epi64(d2, c);
        c = _mm512_srli_epi64(d2, 26); d2 = _mm512_and_si512(d2, mask); d3 = _mm512_add_epi64(d3, c);
        c = _mm512_srli_epi64(d3, 26); d3 = _mm512_and_si512(d3, mask); d4 = _mm512_add_epi64(d4, c);
        c = _mm512_srli_epi64(d4, 26); d4 = _mm512_and_si512(d4, mask);
        d0 = _mm512_add_epi64(d0, _mm512_add_epi64(c, _mm512_slli_epi64(c, 2)));
        c = _mm512_srli_epi64(d0, 26); d0 = _mm512_and_si512(d0, mask); d1 = _mm512_add_epi64(d1, c);
        h[0] = d0; h[1] = d1; h[2] = d2; h[3] = d3; h[4] = d4;
    }
    uint64_t l[5];
    for (int i = 0; i < 5; i++) {
        uint64_t v[8];
        _mm512_storeu_si512((void *)v, h[i]);
        l[i] = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
    }
    p26_to64(p, l);
}
#endif

/* Lane sums (radix 2^26, a few bits over) back into the partially reduced 64-bit form. */
static void p26_to64(nc_poly1305 *p, const uint64_t l[5]) {
    typedef unsigned __int128 u128;
    u128 t = (u128)l[0] + ((u128)l[1] << 26) + ((u128)l[2] << 52) + ((u128)l[3] << 78);
    uint64_t h0 = (uint64_t)t;
    u128 up = (t >> 64) + ((u128)l[4] << 40);
    uint64_t h1 = (uint64_t)up, h2 = (uint64_t)(up >> 64);
    uint64_t c5 = (h2 >> 2) * 5;
    h2 &= 3;
    t = (u128)h0 + c5; h0 = (uint64_t)t;
    t = (u128)h1 + (uint64_t)(t >> 64); h1 = (uint64_t)t;
    h2 += (uint64_t)(t >> 64);
    p->h0 = h0; p->h1 = h1; p->h2 = h2;
}

static void poly_blocks(nc_poly1305 *p, const uint8_t *m, size_t nblocks, uint64_t hibit) {
#if NC_CHACHA_X86
    if (p->simd == 2 && hibit && nblocks >= 32) {
        size_t v = nblocks & ~(size_t)7;
        poly_blocks_avx512(p, m, v);
        m += 16 * v; nblocks -= v;
    }
    if (p->simd && hibit && nblocks >= 16) {
        size_t v = nblocks & ~(size_t)3;
        poly_blocks_avx2(p, m, v);
        m += 16 * v; nblocks -= v;
    }
#endif
    poly_blocks_scalar(p, m, nblocks, hibit);
}

/* Absorb len bytes zero-padded to whole blocks (the AEAD's padding rule). */
static void poly_padded(nc_poly1305 *p, const uint8_t *m, size_t len) {
    poly_blocks(p, m, len / 16, 1);
    if (len % 16) {
        uint8_t blk[16];
        memset(blk, 0, 16);
        memcpy(blk, m + len - len % 16, len % 16);
        poly_blocks(p, blk, 1, 1);
    }
}

static void poly_finish(nc_poly1305 *p, uint8_t tag[16]) {
    typedef unsigned __int128 u128;
    uint64_t h0 = p->h0, h1 = p->h1, h2 = p->h2;
    /* h < 2^130 + small: compute h + 5 and keep it if it reaches 2^130 (h >= p) */
    u128 t = (u128)h0 + 5;
    uint64_t g0 = (uint64_t)t;
    t = (u128)h1 + (uint64_t)(t >> 64);
    uint64_t g1 = (uint64_t)t;
    uint64_t g2 = h2 + (uint64_t)(t >> 64);
    uint64_t mask = (uint64_t)0 - (g2 >> 2);
    h0 = (h0 & ~mask) | (g0 & mask);
    h1 = (h1 & ~mask) | (g1 & mask);
    t = (u128)h0 + p->pad0;
    h0 = (uint64_t)t;
    h1 = h1 + p->pad1 + (uint64_t)(t >> 64);
    cc_store64le(tag, h0);
    cc_store64le(tag + 8, h1);
    memset(p, 0, sizeof *p);
}

static void nc_poly1305_mac(const uint8_t key[32], const uint8_t *m, size_t len, uint8_t tag[16], int simd) {
    nc_poly1305 p;
    poly_init(&p, key);
    if (simd) poly_enable_simd(&p, simd);
    poly_blocks(&p, m, len / 16, 1);
    if (len % 16) {
        uint8_t blk[16];
        size_t r = len % 16;
        memset(blk, 0, 16);
        memcpy(blk, m + len - r, r);
        blk[r] = 1;  /* the short final block carries its own 2^(8r) marker */
        poly_blocks(&p, blk, 1, 0);
    }
    poly_finish(&p, tag);
}

/* ---- the RFC 8439 AEAD ------------------------------------------------------------------ */
#define NC_CC_CHUNK 4096


static void cc_otk(const uint32_t st[16], uint8_t otk[32]) {
    uint32_t b0[16];
    cc_block(st, 0, b0);
    for (int i = 0; i < 8; i++) cc_store32le(otk + 4 * i, b0[i]);
    memset(b0, 0, 64);
}

static void cc_lengths(nc_poly1305 *p, size_t alen, size_t len) {
    uint8_t lens[16];
    cc_store64le(lens, (uint64_t)alen);
    cc_store64le(lens + 8, (uint64_t)len);
    poly_blocks(p, lens, 1, 1);
}

static void nc_cc_seal(const uint8_t key[32], const uint8_t nonce[12], const uint8_t *aad, size_t alen,
                       const uint8_t *pt, size_t len, uint8_t *out, int simd) {
    uint32_t st[16];
    uint8_t otk[32];
    nc_poly1305 p;
    cc_init(st, key, nonce);
    cc_otk(st, otk);
    poly_init(&p, otk);
    if (simd) poly_enable_simd(&p, simd);
    poly_padded(&p, aad, alen);
    for (size_t off = 0; off < len; off += NC_CC_CHUNK) {
        size_t n = len - off < NC_CC_CHUNK ? len - off : NC_CC_CHUNK;
        nc_chacha20_xor(st, (uint32_t)(1 + off / 64), pt + off, out + off, n, simd);
        poly_padded(&p, out + off, n);
    }
    cc_lengths(&p, alen, len);
    poly_finish(&p, out + len);
    memset(st, 0, sizeof st);
    memset(otk, 0, sizeof otk);
}

static int nc_cc_open(const uint8_t key[32], const uint8_t nonce[12], const uint8_t *aad, size_t alen,
                      const uint8_t *ct, size_t len, const uint8_t tag[16], uint8_t *out, int simd) {
    uint32_t st[16];
    uint8_t otk[32], expect[16];
    uint8_t diff = 0;
    nc_poly1305 p;
    cc_init(st, key, nonce);
    cc_otk(st, otk);
    poly_init(&p, otk);
    if (simd) poly_enable_simd(&p, simd);
    poly_padded(&p, aad, alen);
    poly_padded(&p, ct, len);
    cc_lengths(&p, alen, len);
    poly_finish(&p, expect);
    for (int i = 0; i < 16; i++) diff |= (uint8_t)(expect[i] ^ tag[i]);
    memset(otk, 0, sizeof otk);
    NC_DECLASSIFY(&diff, sizeof diff);
    if (diff) { memset(st, 0, sizeof st); return -1; }
    nc_chacha20_xor(st, 1, ct, out, len, simd);
    memset(st, 0, sizeof st);
    return 0;
}

#endif
