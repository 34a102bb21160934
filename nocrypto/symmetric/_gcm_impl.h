/* GHASH and AES-GCM (NIST SP 800-38D) for the Cython kernel.
 *
 * Field elements are handled "byte-reflected": a block read as a big-endian 128-bit
 * integer has the coefficient of x^0 in its top bit.  A carry-less product of two such
 * integers, shifted left by one, is the reflected 256-bit product; folding its low half
 * (degrees 128..255) back with x^128 = x^7 + x^2 + x + 1 gives the reduced result.
 * The same arithmetic runs on PCLMULQDQ (eight blocks per reduction, with the powers
 * H^1..H^8 kept in the key) and, portably, on a constant-time 64x64 carry-less multiply
 * built from integer multiplies whose partial sums are spread five bits apart so that
 * carries never reach a bit that is kept.
 */
#ifndef NC_GCM_IMPL_H
#define NC_GCM_IMPL_H

#include "_aes_impl.h"

typedef struct {
    nc_aes_key aes;
    uint8_t hpow[16][16];  /* PCLMUL path: H^1..H^8 (H^16 when wide), byte-reflected */
    uint8_t hz[4][4][16];  /* VPCLMULQDQ path: [H^16..H^13], [H^12..H^9], ... */
    uint64_t h_hi, h_lo;  /* portable path: H as a big-endian integer */
    int hw;
} nc_gcm_key;

/* ---- portable constant-time carry-less multiply ---------------------------------- */
static inline void nc_clmul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo) {
    static const uint64_t m[5] = {0x1084210842108421ULL, 0x2108421084210842ULL,
                                  0x4210842108421084ULL, 0x8421084210842108ULL,
                                  0x0842108421084210ULL};
    unsigned __int128 z[5] = {0, 0, 0, 0, 0};
    for (int i = 0; i < 5; i++) {
        uint64_t ai = a & m[i];
        for (int j = 0; j < 5; j++)
            z[(i + j) % 5] ^= (unsigned __int128)ai * (b & m[j]);
    }
    uint64_t h = 0, l = 0;
    for (int c = 0; c < 5; c++) {
        /* bit p of the product belongs to class p mod 5; 64 = 4 (mod 5) */
        l |= (uint64_t)z[c] & m[c];
        h |= (uint64_t)(z[c] >> 64) & m[(c + 1) % 5];
    }
    *hi = h; *lo = l;
}

static inline void nc_gf128_mul_ct(uint64_t *yh, uint64_t *yl, uint64_t hh, uint64_t hl) {
    uint64_t a1, a0, b1, b0, c1, c0;
    nc_clmul64(*yh, hh, &a1, &a0);
    nc_clmul64(*yl, hl, &b1, &b0);
    nc_clmul64(*yh ^ *yl, hh ^ hl, &c1, &c0);  /* Karatsuba middle term */
    c1 ^= a1 ^ b1; c0 ^= a0 ^ b0;
    uint64_t z3 = a1, z2 = a0 ^ c1, z1 = b1 ^ c0, z0 = b0;
    z3 = (z3 << 1) | (z2 >> 63); z2 = (z2 << 1) | (z1 >> 63);
    z1 = (z1 << 1) | (z0 >> 63); z0 <<= 1;
    /* fold the terms that would spill past x^127 once more, then reduce */
    z1 ^= (z0 << 63) ^ (z0 << 62) ^ (z0 << 57);
    z2 ^= z0 ^ (z0 >> 1) ^ (z1 << 63) ^ (z0 >> 2) ^ (z1 << 62) ^ (z0 >> 7) ^ (z1 << 57);
    z3 ^= z1 ^ (z1 >> 1) ^ (z1 >> 2) ^ (z1 >> 7);
    *yh = z3; *yl = z2;
}

static void ghash_ct(const nc_gcm_key *g, uint8_t y[16], const uint8_t *in, size_t len) {
    uint64_t yh = nc_load64be(y), yl = nc_load64be(y + 8);
    while (len) {
        uint8_t blk[16];
        size_t n = len < 16 ? len : 16;
        memset(blk, 0, 16);
        memcpy(blk, in, n);
        yh ^= nc_load64be(blk); yl ^= nc_load64be(blk + 8);
        nc_gf128_mul_ct(&yh, &yl, g->h_hi, g->h_lo);
        in += n; len -= n;
    }
    nc_store64be(y, yh); nc_store64be(y + 8, yl);
}

/* ---- PCLMULQDQ ------------------------------------------------------------------- */
#if NC_X86
#define NC_CLMUL __attribute__((target("pclmul,ssse3,sse4.1,aes")))

NC_CLMUL static inline __m128i gh_bswap(__m128i x) {
    return _mm_shuffle_epi8(x, _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
}

NC_CLMUL static inline void gh_mul_acc(__m128i a, __m128i b, __m128i *lo, __m128i *mid, __m128i *hi) {
    *lo = _mm_xor_si128(*lo, _mm_clmulepi64_si128(a, b, 0x00));
    *hi = _mm_xor_si128(*hi, _mm_clmulepi64_si128(a, b, 0x11));
    *mid = _mm_xor_si128(*mid, _mm_xor_si128(_mm_clmulepi64_si128(a, b, 0x01), _mm_clmulepi64_si128(a, b, 0x10)));
}

NC_CLMUL static inline __m128i gh_reduce(__m128i lo, __m128i mid, __m128i hi) {
    lo = _mm_xor_si128(lo, _mm_slli_si128(mid, 8));
    hi = _mm_xor_si128(hi, _mm_srli_si128(mid, 8));
    /* shift the 256-bit <hi:lo> left by one */
    __m128i cl = _mm_srli_epi64(lo, 63), ch = _mm_srli_epi64(hi, 63);
    lo = _mm_or_si128(_mm_slli_epi64(lo, 1), _mm_slli_si128(cl, 8));
    hi = _mm_or_si128(_mm_or_si128(_mm_slli_epi64(hi, 1), _mm_slli_si128(ch, 8)), _mm_srli_si128(cl, 8));
    /* fold the spill of the low qword into the high one, then reduce into hi */
    __m128i t = _mm_xor_si128(_mm_xor_si128(_mm_slli_epi64(lo, 63), _mm_slli_epi64(lo, 62)), _mm_slli_epi64(lo, 57));
    lo = _mm_xor_si128(lo, _mm_slli_si128(t, 8));
    __m128i r = _mm_xor_si128(_mm_xor_si128(lo, _mm_srli_epi64(lo, 1)), _mm_xor_si128(_mm_srli_epi64(lo, 2), _mm_srli_epi64(lo, 7)));
    __m128i c = _mm_xor_si128(_mm_xor_si128(_mm_slli_epi64(lo, 63), _mm_slli_epi64(lo, 62)), _mm_slli_epi64(lo, 57));
    r = _mm_xor_si128(r, _mm_srli_si128(c, 8));
    return _mm_xor_si128(hi, r);
}

NC_CLMUL static __m128i gh_mul(__m128i a, __m128i b) {
    __m128i lo = _mm_setzero_si128(), mid = lo, hi = lo;
    gh_mul_acc(a, b, &lo, &mid, &hi);
    return gh_reduce(lo, mid, hi);
}

/* H^1..H^8 for ghash_hw, and H^9..H^16 (and the hz layout) only for the wide path.
 * Built by doubling, H^(n+i) = H^n * H^i, so each step's products are independent. */
NC_CLMUL static void gcm_hw_init(nc_gcm_key *g, const uint8_t h[16], int wide) {
    __m128i p[16];
    int count = wide ? 16 : 8;
    p[0] = gh_bswap(_mm_loadu_si128((const __m128i *)h));
    p[1] = gh_mul(p[0], p[0]);
    for (int n = 2; n < count; n *= 2)
        for (int i = 0; i < n; i++) p[n + i] = gh_mul(p[n - 1], p[i]);
    for (int i = 0; i < count; i++) _mm_storeu_si128((__m128i *)g->hpow[i], p[i]);
    if (wide)
        for (int j = 0; j < 4; j++)
            for (int l = 0; l < 4; l++) _mm_storeu_si128((__m128i *)g->hz[j][l], p[15 - 4 * j - l]);
}

NC_CLMUL static void ghash_hw(const nc_gcm_key *g, uint8_t y[16], const uint8_t *in, size_t len) {
    __m128i hp[8];
    for (int i = 0; i < 8; i++) hp[i] = _mm_loadu_si128((const __m128i *)g->hpow[i]);
    __m128i acc = gh_bswap(_mm_loadu_si128((const __m128i *)y));
    /* eight blocks, one reduction: Y' = (Y+X1)H^8 + X2 H^7 + ... + X8 H */
    while (len >= 128) {
        __m128i lo = _mm_setzero_si128(), mid = lo, hi = lo;
        __m128i x = _mm_xor_si128(acc, gh_bswap(_mm_loadu_si128((const __m128i *)in)));
        gh_mul_acc(x, hp[7], &lo, &mid, &hi);
        for (int j = 1; j < 8; j++)
            gh_mul_acc(gh_bswap(_mm_loadu_si128((const __m128i *)(in + 16 * j))), hp[7 - j], &lo, &mid, &hi);
        acc = gh_reduce(lo, mid, hi);
        in += 128; len -= 128;
    }
    while (len) {
        __m128i x;
        if (len >= 16) {
            x = _mm_loadu_si128((const __m128i *)in);
            in += 16; len -= 16;
        } else {
            uint8_t blk[16];
            memset(blk, 0, 16);
            memcpy(blk, in, len);
            x = _mm_loadu_si128((const __m128i *)blk);
            len = 0;
        }
        acc = gh_mul(_mm_xor_si128(acc, gh_bswap(x)), hp[0]);
    }
    _mm_storeu_si128((__m128i *)y, gh_bswap(acc));
}

/* VPCLMULQDQ (AVX-512): sixteen blocks per reduction, four per register. */
#define NC_VCLMUL __attribute__((target("avx512f,avx512bw,vpclmulqdq,pclmul,ssse3,sse4.1,aes")))

NC_VCLMUL static inline __m128i gh_fold4(__m512i v) {
    return _mm_xor_si128(_mm_xor_si128(_mm512_castsi512_si128(v), _mm512_extracti32x4_epi32(v, 1)),
                         _mm_xor_si128(_mm512_extracti32x4_epi32(v, 2), _mm512_extracti32x4_epi32(v, 3)));
}

NC_VCLMUL static void ghash_vpclmul(const nc_gcm_key *g, uint8_t y[16], const uint8_t *in, size_t len) {
    if (len >= 256) {
        const __m512i bswap = _mm512_broadcast_i32x4(_mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
        __m512i p0 = _mm512_loadu_si512((const void *)g->hz[0]), p1 = _mm512_loadu_si512((const void *)g->hz[1]);
        __m512i p2 = _mm512_loadu_si512((const void *)g->hz[2]), p3 = _mm512_loadu_si512((const void *)g->hz[3]);
        __m128i acc = gh_bswap(_mm_loadu_si128((const __m128i *)y));
        while (len >= 256) {
            __m512i x0 = _mm512_xor_si512(_mm512_shuffle_epi8(_mm512_loadu_si512((const void *)in), bswap), _mm512_zextsi128_si512(acc));
            __m512i x1 = _mm512_shuffle_epi8(_mm512_loadu_si512((const void *)(in + 64)), bswap);
            __m512i x2 = _mm512_shuffle_epi8(_mm512_loadu_si512((const void *)(in + 128)), bswap);
            __m512i x3 = _mm512_shuffle_epi8(_mm512_loadu_si512((const void *)(in + 192)), bswap);
            __m512i lo = _mm512_xor_si512(_mm512_xor_si512(_mm512_clmulepi64_epi128(x0, p0, 0x00), _mm512_clmulepi64_epi128(x1, p1, 0x00)),
                                          _mm512_xor_si512(_mm512_clmulepi64_epi128(x2, p2, 0x00), _mm512_clmulepi64_epi128(x3, p3, 0x00)));
            __m512i hi = _mm512_xor_si512(_mm512_xor_si512(_mm512_clmulepi64_epi128(x0, p0, 0x11), _mm512_clmulepi64_epi128(x1, p1, 0x11)),
                                          _mm512_xor_si512(_mm512_clmulepi64_epi128(x2, p2, 0x11), _mm512_clmulepi64_epi128(x3, p3, 0x11)));
            __m512i m0 = _mm512_xor_si512(_mm512_xor_si512(_mm512_clmulepi64_epi128(x0, p0, 0x01), _mm512_clmulepi64_epi128(x1, p1, 0x01)),
                                          _mm512_xor_si512(_mm512_clmulepi64_epi128(x2, p2, 0x01), _mm512_clmulepi64_epi128(x3, p3, 0x01)));
            __m512i m1 = _mm512_xor_si512(_mm512_xor_si512(_mm512_clmulepi64_epi128(x0, p0, 0x10), _mm512_clmulepi64_epi128(x1, p1, 0x10)),
                                          _mm512_xor_si512(_mm512_clmulepi64_epi128(x2, p2, 0x10), _mm512_clmulepi64_epi128(x3, p3, 0x10)));
            acc = gh_reduce(gh_fold4(lo), gh_fold4(_mm512_xor_si512(m0, m1)), gh_fold4(hi));
            in += 256; len -= 256;
        }
        _mm_storeu_si128((__m128i *)y, gh_bswap(acc));
    }
    if (len) ghash_hw(g, y, in, len);
}
#endif

/* ---- GCM --------------------------------------------------------------------------- */
static int nc_gcm_setup(nc_gcm_key *g, const uint8_t *key, size_t keylen, int want_hw, int have_hw) {
    uint8_t h[16];
    if (nc_aes_setup(&g->aes, key, keylen, want_hw, have_hw)) return -1;
    memset(h, 0, 16);
    nc_aes_ecb_encrypt(&g->aes, h, h, 1);
    g->h_hi = nc_load64be(h); g->h_lo = nc_load64be(h + 8);
    g->hw = g->aes.hw;
#if NC_X86
    if (g->hw) gcm_hw_init(g, h, g->hw == 2);
#endif
    memset(h, 0, 16);
    return 0;
}

/* Absorb len bytes (zero-padded to whole blocks) into the GHASH state y. */
static void nc_ghash(const nc_gcm_key *g, uint8_t y[16], const uint8_t *in, size_t len) {
#if NC_X86
    if (g->hw == 2) { ghash_vpclmul(g, y, in, len); return; }
    if (g->hw) { ghash_hw(g, y, in, len); return; }
#endif
    ghash_ct(g, y, in, len);
}

static void nc_gcm_j0(const nc_gcm_key *g, const uint8_t *nonce, size_t nlen, uint8_t j0[16]) {
    if (nlen == 12) {
        memcpy(j0, nonce, 12);
        j0[12] = 0; j0[13] = 0; j0[14] = 0; j0[15] = 1;
        return;
    }
    uint8_t lens[16];
    memset(j0, 0, 16);
    nc_ghash(g, j0, nonce, nlen);
    memset(lens, 0, 8);
    nc_store64be(lens + 8, (uint64_t)nlen * 8);
    nc_ghash(g, j0, lens, 16);
}

static void nc_gcm_tag(const nc_gcm_key *g, const uint8_t j0[16], uint8_t y[16], size_t alen, size_t clen, uint8_t tag[16]) {
    uint8_t lens[16], ek[16];
    nc_store64be(lens, (uint64_t)alen * 8);
    nc_store64be(lens + 8, (uint64_t)clen * 8);
    nc_ghash(g, y, lens, 16);
    nc_aes_ecb_encrypt(&g->aes, j0, ek, 1);
    for (int i = 0; i < 16; i++) tag[i] = y[i] ^ ek[i];
}

static inline void nc_inc32_by(const uint8_t in[16], uint32_t n, uint8_t out[16]) {
    memcpy(out, in, 12);
    nc_store32be(out + 12, nc_load32be(in + 12) + n);
}

#define NC_GCM_CHUNK 2048  /* encrypt then hash in L1-sized pieces */

static void nc_gcm_seal(const nc_gcm_key *g, const uint8_t *nonce, size_t nlen, const uint8_t *aad, size_t alen,
                        const uint8_t *pt, size_t len, uint8_t *out) {
    uint8_t j0[16], cb[16], y[16];
    nc_gcm_j0(g, nonce, nlen, j0);
    memset(y, 0, 16);
    nc_ghash(g, y, aad, alen);
    for (size_t off = 0; off < len; off += NC_GCM_CHUNK) {
        size_t n = len - off < NC_GCM_CHUNK ? len - off : NC_GCM_CHUNK;
        nc_inc32_by(j0, (uint32_t)(1 + off / 16), cb);
        nc_aes_ctr32(&g->aes, cb, pt + off, out + off, n);
        nc_ghash(g, y, out + off, n);
    }
    nc_gcm_tag(g, j0, y, alen, len, out + len);
}

/* Returns 0 and writes the plaintext when the tag verifies; -1 and writes nothing otherwise. */
static int nc_gcm_open(const nc_gcm_key *g, const uint8_t *nonce, size_t nlen, const uint8_t *aad, size_t alen,
                       const uint8_t *ct, size_t len, const uint8_t tag[16], uint8_t *out) {
    uint8_t j0[16], cb[16], y[16], expect[16];
    uint8_t diff = 0;
    nc_gcm_j0(g, nonce, nlen, j0);
    memset(y, 0, 16);
    nc_ghash(g, y, aad, alen);
    nc_ghash(g, y, ct, len);
    nc_gcm_tag(g, j0, y, alen, len, expect);
    for (int i = 0; i < 16; i++) diff |= (uint8_t)(expect[i] ^ tag[i]);
    NC_DECLASSIFY(&diff, sizeof diff);
    if (diff) return -1;
    nc_inc32_by(j0, 1, cb);
    nc_aes_ctr32(&g->aes, cb, ct, out, len);
    return 0;
}

#endif
