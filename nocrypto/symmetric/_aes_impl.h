/* AES-128/192/256 for the Cython kernels: an AES-NI path and a portable bitsliced path.
 *
 * Both paths are constant time: AES-NI does the rounds in hardware, and the portable
 * path evaluates the S-box as a Boolean circuit over bit planes (no table lookups, no
 * secret-dependent branches).  The key schedule also uses the circuit, so key bytes
 * never index memory either.
 *
 * Portable layout: 4 blocks at a time in 8 uint64 "planes"; plane b holds bit b of every
 * byte; bit (16*k + p) of a plane belongs to byte p (FIPS order, p = row + 4*column) of
 * block k.  ShiftRows and MixColumns then become shifts and masks inside 16-bit lanes.
 */
#ifndef NC_AES_IMPL_H
#define NC_AES_IMPL_H

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
#define NC_X86 1
#define NC_AESNI __attribute__((target("aes,sse4.1,ssse3")))
#else
#define NC_X86 0
#endif

typedef struct {
    uint8_t rk[15][16];    /* encryption round keys, FIPS byte order */
    uint8_t dk[15][16];    /* AES-NI equivalent-inverse-cipher keys */
    uint64_t bs_rk[15][8]; /* bitsliced round keys, replicated in the 4 lanes */
    int rounds;
    int hw;
} nc_aes_key;

static inline uint64_t nc_load64le(const uint8_t *p) {
    uint64_t v; memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}
static inline void nc_store64le(uint8_t *p, uint64_t v) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    memcpy(p, &v, 8);
}
static inline uint64_t nc_load64be(const uint8_t *p) { return __builtin_bswap64(nc_load64le(p)); }
static inline void nc_store64be(uint8_t *p, uint64_t v) { nc_store64le(p, __builtin_bswap64(v)); }
static inline uint32_t nc_load32be(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static inline void nc_store32be(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* ---- portable bitsliced core ---------------------------------------------------- */

/* Transpose an 8x8 bit matrix held as 8 bytes (row i = byte i). */
static inline uint64_t bs_tr8(uint64_t x) {
    uint64_t t;
    t = (x ^ (x >> 7)) & 0x00AA00AA00AA00AAULL; x ^= t ^ (t << 7);
    t = (x ^ (x >> 14)) & 0x0000CCCC0000CCCCULL; x ^= t ^ (t << 14);
    t = (x ^ (x >> 28)) & 0x00000000F0F0F0F0ULL; x ^= t ^ (t << 28);
    return x;
}

static inline void bs_load4(uint64_t q[8], const uint8_t *in) {
    for (int b = 0; b < 8; b++) q[b] = 0;
    for (int k = 0; k < 4; k++) {
        uint64_t w0 = bs_tr8(nc_load64le(in + 16 * k)), w1 = bs_tr8(nc_load64le(in + 16 * k + 8));
        for (int b = 0; b < 8; b++)
            q[b] |= (((w0 >> (8 * b)) & 0xFF) | (((w1 >> (8 * b)) & 0xFF) << 8)) << (16 * k);
    }
}

static inline void bs_store4(uint8_t *out, const uint64_t q[8]) {
    for (int k = 0; k < 4; k++) {
        uint64_t w0 = 0, w1 = 0;
        for (int b = 0; b < 8; b++) {
            uint64_t lane = (q[b] >> (16 * k)) & 0xFFFF;
            w0 |= (lane & 0xFF) << (8 * b);
            w1 |= (lane >> 8) << (8 * b);
        }
        nc_store64le(out + 16 * k, bs_tr8(w0));
        nc_store64le(out + 16 * k + 8, bs_tr8(w1));
    }
}

/* The bitsliced round function, instantiated twice: on uint64_t (4 blocks, for short
 * inputs) and on a 4 x uint64_t vector (16 blocks; GCC/Clang vector extensions give
 * SSE2 code on any x86-64 and an AVX2 clone where the CPU has it). */
#define NC_BS_CLONES
#define NC_BS_LANES 1
#define BSW uint64_t
#define BS(name) bs1_##name
#include "_aes_bs_core.h"
#undef NC_BS_LANES
#undef BSW
#undef BS

#if defined(__GNUC__)
typedef uint64_t nc_bsv __attribute__((vector_size(32)));
#undef NC_BS_CLONES
#if NC_X86 && defined(__linux__) && !defined(__clang__) && !defined(NC_NO_CLONES)
#define NC_BS_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define NC_BS_CLONES
#endif
#define NC_BS_LANES 4
#define BSW nc_bsv
#define BS(name) bs4_##name
#include "_aes_bs_core.h"
#undef NC_BS_LANES
#undef BSW
#undef BS
#define NC_HAVE_BS4 1
#else
#define NC_HAVE_BS4 0
#endif

/* One S-box lookup through the circuit (key schedule only). */
static inline uint8_t bs_sbox_byte(uint8_t v) {
    uint64_t x[8];
    for (int i = 0; i < 8; i++) x[i] = (v >> i) & 1;
    bs1_sbox(x);
    uint8_t r = 0;
    for (int i = 0; i < 8; i++) r |= (uint8_t)((x[i] & 1) << i);
    return r;
}

/* ---- AES-NI --------------------------------------------------------------------- */
#if NC_X86
/* 128- and 256-bit keys a whole round key at a time (the AES-NI white paper's scheme):
 * the prefix XOR of the previous key's words, then the SubWord term in every dword.
 * AESKEYGENASSIST gives RotWord(SubWord(w3)) ^ rcon in dword 3 (ROT, every Nk words)
 * and SubWord(w3) in dword 2 (SUB, the extra step of 256-bit keys). */
NC_AESNI static inline __m128i aesni_kx(__m128i k, __m128i t) {
    k = _mm_xor_si128(k, _mm_slli_si128(k, 4));
    k = _mm_xor_si128(k, _mm_slli_si128(k, 8));
    return _mm_xor_si128(k, t);
}
#define NC_KX_ROT(prev, src, rc) aesni_kx(prev, _mm_shuffle_epi32(_mm_aeskeygenassist_si128(src, rc), 0xff))
#define NC_KX_SUB(prev, src) aesni_kx(prev, _mm_shuffle_epi32(_mm_aeskeygenassist_si128(src, 0), 0xaa))

NC_AESNI static void aesni_expand128(nc_aes_key *k, const uint8_t *key) {
    __m128i r[11];
    r[0] = _mm_loadu_si128((const __m128i *)key);
    r[1] = NC_KX_ROT(r[0], r[0], 0x01); r[2] = NC_KX_ROT(r[1], r[1], 0x02);
    r[3] = NC_KX_ROT(r[2], r[2], 0x04); r[4] = NC_KX_ROT(r[3], r[3], 0x08);
    r[5] = NC_KX_ROT(r[4], r[4], 0x10); r[6] = NC_KX_ROT(r[5], r[5], 0x20);
    r[7] = NC_KX_ROT(r[6], r[6], 0x40); r[8] = NC_KX_ROT(r[7], r[7], 0x80);
    r[9] = NC_KX_ROT(r[8], r[8], 0x1b); r[10] = NC_KX_ROT(r[9], r[9], 0x36);
    for (int i = 0; i <= 10; i++) _mm_storeu_si128((__m128i *)k->rk[i], r[i]);
}

NC_AESNI static void aesni_expand256(nc_aes_key *k, const uint8_t *key) {
    __m128i r[15];
    r[0] = _mm_loadu_si128((const __m128i *)key);
    r[1] = _mm_loadu_si128((const __m128i *)(key + 16));
    r[2] = NC_KX_ROT(r[0], r[1], 0x01); r[3] = NC_KX_SUB(r[1], r[2]);
    r[4] = NC_KX_ROT(r[2], r[3], 0x02); r[5] = NC_KX_SUB(r[3], r[4]);
    r[6] = NC_KX_ROT(r[4], r[5], 0x04); r[7] = NC_KX_SUB(r[5], r[6]);
    r[8] = NC_KX_ROT(r[6], r[7], 0x08); r[9] = NC_KX_SUB(r[7], r[8]);
    r[10] = NC_KX_ROT(r[8], r[9], 0x10); r[11] = NC_KX_SUB(r[9], r[10]);
    r[12] = NC_KX_ROT(r[10], r[11], 0x20); r[13] = NC_KX_SUB(r[11], r[12]);
    r[14] = NC_KX_ROT(r[12], r[13], 0x40);
    for (int i = 0; i <= 14; i++) _mm_storeu_si128((__m128i *)k->rk[i], r[i]);
}

/* 192-bit round keys straddle the 6-word key blocks, so go word by word (FIPS 197):
 * with the word in every dword, dword 1 of AESKEYGENASSIST(., 0) is RotWord(SubWord(t)).
 * Words are little-endian, as the instruction sees them: w[] is in FIPS byte order. */
NC_AESNI static void aesni_expand192(nc_aes_key *k, const uint8_t *key) {
    static const uint32_t rcon[8] = {1, 2, 4, 8, 16, 32, 64, 128};
    uint32_t w[52];
    memcpy(w, key, 24);
    for (int i = 6; i < 52; i++) {
        uint32_t t = w[i - 1];
        if (i % 6 == 0)
            t = (uint32_t)_mm_extract_epi32(_mm_aeskeygenassist_si128(_mm_set1_epi32((int)t), 0), 1) ^ rcon[i / 6 - 1];
        w[i] = w[i - 6] ^ t;
    }
    memcpy(k->rk, w, sizeof w);
    memset(w, 0, sizeof w);
}

NC_AESNI static void aesni_make_dk(nc_aes_key *k) {
    int nr = k->rounds;
    memcpy(k->dk[0], k->rk[nr], 16);
    for (int i = 1; i < nr; i++)
        _mm_storeu_si128((__m128i *)k->dk[i], _mm_aesimc_si128(_mm_loadu_si128((const __m128i *)k->rk[nr - i])));
    memcpy(k->dk[nr], k->rk[0], 16);
}

#define NC_LOAD_KEYS(arr, src, nr) \
    __m128i arr[15]; for (int _i = 0; _i <= (nr); _i++) arr[_i] = _mm_loadu_si128((const __m128i *)(src)[_i]);

NC_AESNI static inline __m128i aesni_enc1(const __m128i *rk, int nr, __m128i b) {
    b = _mm_xor_si128(b, rk[0]);
    for (int r = 1; r < nr; r++) b = _mm_aesenc_si128(b, rk[r]);
    return _mm_aesenclast_si128(b, rk[nr]);
}
NC_AESNI static inline __m128i aesni_dec1(const __m128i *dk, int nr, __m128i b) {
    b = _mm_xor_si128(b, dk[0]);
    for (int r = 1; r < nr; r++) b = _mm_aesdec_si128(b, dk[r]);
    return _mm_aesdeclast_si128(b, dk[nr]);
}

#define NC_ENC8(b, rk, nr) do { \
    for (int _i = 0; _i < 8; _i++) b[_i] = _mm_xor_si128(b[_i], rk[0]); \
    for (int _r = 1; _r < (nr); _r++) { __m128i _k = rk[_r]; \
        b[0] = _mm_aesenc_si128(b[0], _k); b[1] = _mm_aesenc_si128(b[1], _k); \
        b[2] = _mm_aesenc_si128(b[2], _k); b[3] = _mm_aesenc_si128(b[3], _k); \
        b[4] = _mm_aesenc_si128(b[4], _k); b[5] = _mm_aesenc_si128(b[5], _k); \
        b[6] = _mm_aesenc_si128(b[6], _k); b[7] = _mm_aesenc_si128(b[7], _k); } \
    for (int _i = 0; _i < 8; _i++) b[_i] = _mm_aesenclast_si128(b[_i], rk[nr]); } while (0)

NC_AESNI static void aesni_ecb_encrypt(const nc_aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks) {
    int nr = k->rounds;
    NC_LOAD_KEYS(rk, k->rk, nr)
    for (size_t i = 0; i < nblocks; i++)
        _mm_storeu_si128((__m128i *)(out + 16 * i), aesni_enc1(rk, nr, _mm_loadu_si128((const __m128i *)(in + 16 * i))));
}
NC_AESNI static void aesni_ecb_decrypt(const nc_aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks) {
    int nr = k->rounds;
    NC_LOAD_KEYS(dk, k->dk, nr)
    for (size_t i = 0; i < nblocks; i++)
        _mm_storeu_si128((__m128i *)(out + 16 * i), aesni_dec1(dk, nr, _mm_loadu_si128((const __m128i *)(in + 16 * i))));
}

NC_AESNI static void aesni_cbc_encrypt(const nc_aes_key *k, uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t nblocks) {
    int nr = k->rounds;
    NC_LOAD_KEYS(rk, k->rk, nr)
    __m128i v = _mm_loadu_si128((const __m128i *)iv);
    for (size_t i = 0; i < nblocks; i++) {
        v = aesni_enc1(rk, nr, _mm_xor_si128(v, _mm_loadu_si128((const __m128i *)(in + 16 * i))));
        if (out) _mm_storeu_si128((__m128i *)(out + 16 * i), v);
    }
    if (!out) _mm_storeu_si128((__m128i *)iv, v);  /* CBC-MAC: hand back the last block */
}

NC_AESNI static void aesni_cbc_decrypt(const nc_aes_key *k, const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t nblocks) {
    int nr = k->rounds;
    NC_LOAD_KEYS(dk, k->dk, nr)
    __m128i prev = _mm_loadu_si128((const __m128i *)iv);
    size_t i = 0;
    for (; i + 8 <= nblocks; i += 8) {
        __m128i c[8], b[8];
        for (int j = 0; j < 8; j++) { c[j] = _mm_loadu_si128((const __m128i *)(in + 16 * (i + j))); b[j] = _mm_xor_si128(c[j], dk[0]); }
        for (int r = 1; r < nr; r++) { __m128i kk = dk[r];
            for (int j = 0; j < 8; j++) b[j] = _mm_aesdec_si128(b[j], kk); }
        for (int j = 0; j < 8; j++) b[j] = _mm_aesdeclast_si128(b[j], dk[nr]);
        _mm_storeu_si128((__m128i *)(out + 16 * i), _mm_xor_si128(b[0], prev));
        for (int j = 1; j < 8; j++) _mm_storeu_si128((__m128i *)(out + 16 * (i + j)), _mm_xor_si128(b[j], c[j - 1]));
        prev = c[7];
    }
    for (; i < nblocks; i++) {
        __m128i c = _mm_loadu_si128((const __m128i *)(in + 16 * i));
        _mm_storeu_si128((__m128i *)(out + 16 * i), _mm_xor_si128(aesni_dec1(dk, nr, c), prev));
        prev = c;
    }
}

/* CTR with the SP 800-38D inc32 counter (the last four bytes, big-endian). */
NC_AESNI static void aesni_ctr32(const nc_aes_key *k, const uint8_t cb[16], const uint8_t *in, uint8_t *out, size_t len) {
    int nr = k->rounds;
    NC_LOAD_KEYS(rk, k->rk, nr)
    uint32_t ctr = nc_load32be(cb + 12);
    __m128i base = _mm_loadu_si128((const __m128i *)cb);
    while (len >= 128) {
        __m128i b[8];
        b[0] = _mm_insert_epi32(base, (int)__builtin_bswap32(ctr), 3);
        b[1] = _mm_insert_epi32(base, (int)__builtin_bswap32(ctr + 1), 3);
        b[2] = _mm_insert_epi32(base, (int)__builtin_bswap32(ctr + 2), 3);
        b[3] = _mm_insert_epi32(base, (int)__builtin_bswap32(ctr + 3), 3);
        b[4] = _mm_insert_epi32(base, (int)__builtin_bswap32(ctr + 4), 3);
        b[5] = _mm_insert_epi32(base, (int)__builtin_bswap32(ctr + 5), 3);
        b[6] = _mm_insert_epi32(base, (int)__builtin_bswap32(ctr + 6), 3);
        b[7] = _mm_insert_epi32(base, (int)__builtin_bswap32(ctr + 7), 3);
        NC_ENC8(b, rk, nr);
        for (int j = 0; j < 8; j++)
            _mm_storeu_si128((__m128i *)(out + 16 * j), _mm_xor_si128(b[j], _mm_loadu_si128((const __m128i *)(in + 16 * j))));
        ctr += 8; in += 128; out += 128; len -= 128;
    }
    while (len) {
        __m128i ks = aesni_enc1(rk, nr, _mm_insert_epi32(base, (int)__builtin_bswap32(ctr), 3));
        ctr++;
        if (len >= 16) {
            _mm_storeu_si128((__m128i *)out, _mm_xor_si128(ks, _mm_loadu_si128((const __m128i *)in)));
            in += 16; out += 16; len -= 16;
        } else {
            uint8_t buf[16];
            _mm_storeu_si128((__m128i *)buf, ks);
            for (size_t j = 0; j < len; j++) out[j] = in[j] ^ buf[j];
            len = 0;
        }
    }
}

/* VAES (AVX-512): four blocks per register, sixteen per loop. Counter blocks are kept
 * byte-reversed so that the big-endian inc32 counter is the low dword of each lane. */
#define NC_VAES __attribute__((target("avx512f,avx512bw,vaes,aes,sse4.1,ssse3")))

NC_VAES static void vaes_ctr32(const nc_aes_key *k, const uint8_t cb[16], const uint8_t *in, uint8_t *out, size_t len) {
    int nr = k->rounds;
    __m512i rk[15];
    for (int i = 0; i <= nr; i++) rk[i] = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)k->rk[i]));
    const __m128i bs128 = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i bswap = _mm512_broadcast_i32x4(bs128);
    __m512i ctr = _mm512_add_epi32(_mm512_broadcast_i32x4(_mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)cb), bs128)),
                                   _mm512_set_epi32(0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0));
    const __m512i four = _mm512_set_epi32(0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 4);
    while (len >= 256) {
        __m512i c1 = _mm512_add_epi32(ctr, four), c2 = _mm512_add_epi32(c1, four), c3 = _mm512_add_epi32(c2, four);
        __m512i b0 = _mm512_xor_si512(_mm512_shuffle_epi8(ctr, bswap), rk[0]);
        __m512i b1 = _mm512_xor_si512(_mm512_shuffle_epi8(c1, bswap), rk[0]);
        __m512i b2 = _mm512_xor_si512(_mm512_shuffle_epi8(c2, bswap), rk[0]);
        __m512i b3 = _mm512_xor_si512(_mm512_shuffle_epi8(c3, bswap), rk[0]);
        ctr = _mm512_add_epi32(c3, four);
        for (int r = 1; r < nr; r++) {
            b0 = _mm512_aesenc_epi128(b0, rk[r]); b1 = _mm512_aesenc_epi128(b1, rk[r]);
            b2 = _mm512_aesenc_epi128(b2, rk[r]); b3 = _mm512_aesenc_epi128(b3, rk[r]);
        }
        b0 = _mm512_aesenclast_epi128(b0, rk[nr]); b1 = _mm512_aesenclast_epi128(b1, rk[nr]);
        b2 = _mm512_aesenclast_epi128(b2, rk[nr]); b3 = _mm512_aesenclast_epi128(b3, rk[nr]);
        _mm512_storeu_si512((void *)out, _mm512_xor_si512(b0, _mm512_loadu_si512((const void *)in)));
        _mm512_storeu_si512((void *)(out + 64), _mm512_xor_si512(b1, _mm512_loadu_si512((const void *)(in + 64))));
        _mm512_storeu_si512((void *)(out + 128), _mm512_xor_si512(b2, _mm512_loadu_si512((const void *)(in + 128))));
        _mm512_storeu_si512((void *)(out + 192), _mm512_xor_si512(b3, _mm512_loadu_si512((const void *)(in + 192))));
        in += 256; out += 256; len -= 256;
    }
    while (len) {
        __m512i b = _mm512_xor_si512(_mm512_shuffle_epi8(ctr, bswap), rk[0]);
        ctr = _mm512_add_epi32(ctr, four);
        for (int r = 1; r < nr; r++) b = _mm512_aesenc_epi128(b, rk[r]);
        b = _mm512_aesenclast_epi128(b, rk[nr]);
        if (len >= 64) {
            _mm512_storeu_si512((void *)out, _mm512_xor_si512(b, _mm512_loadu_si512((const void *)in)));
            in += 64; out += 64; len -= 64;
        } else {
            uint8_t buf[64];
            _mm512_storeu_si512((void *)buf, b);
            for (size_t j = 0; j < len; j++) out[j] = in[j] ^ buf[j];
            memset(buf, 0, 64);
            len = 0;
        }
    }
}
#endif

/* ---- portable modes ------------------------------------------------------------- */
/* Encrypt (dir 0) or decrypt (dir 1) any number of independent blocks: 16 at a time on
 * the vector path, short tails on the 4-block path. */
static void bs_ecb(const nc_aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks, int dir) {
    uint8_t buf[256];
#if NC_HAVE_BS4
    for (; nblocks >= 16; nblocks -= 16, in += 256, out += 256) {
        if (dir) bs4_decrypt(k, in, out); else bs4_encrypt(k, in, out);
    }
    if (nblocks > 8) {
        memset(buf, 0, 256);
        memcpy(buf, in, 16 * nblocks);
        if (dir) bs4_decrypt(k, buf, buf); else bs4_encrypt(k, buf, buf);
        memcpy(out, buf, 16 * nblocks);
        memset(buf, 0, 256);
        return;
    }
#endif
    for (; nblocks >= 4; nblocks -= 4, in += 64, out += 64) {
        if (dir) bs1_decrypt(k, in, out); else bs1_encrypt(k, in, out);
    }
    if (nblocks) {
        memset(buf, 0, 64);
        memcpy(buf, in, 16 * nblocks);
        if (dir) bs1_decrypt(k, buf, buf); else bs1_encrypt(k, buf, buf);
        memcpy(out, buf, 16 * nblocks);
        memset(buf, 0, 64);
    }
}

static void bs_cbc_encrypt(const nc_aes_key *k, uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t nblocks) {
    uint8_t v[64];
    memset(v, 0, 64);
    memcpy(v, iv, 16);
    for (size_t i = 0; i < nblocks; i++) {
        for (int j = 0; j < 16; j++) v[j] ^= in[16 * i + j];
        bs1_encrypt(k, v, v);
        if (out) memcpy(out + 16 * i, v, 16);
    }
    if (!out) memcpy(iv, v, 16);
    memset(v, 0, 64);
}

static void bs_cbc_decrypt(const nc_aes_key *k, const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t nblocks) {
    uint8_t prev[16], last[16], buf[256];
    memcpy(prev, iv, 16);
    while (nblocks) {
        size_t n = nblocks < 16 ? nblocks : 16;
        bs_ecb(k, in, buf, n, 1);
        memcpy(last, in + 16 * (n - 1), 16);  /* in and out may be the same buffer */
        for (size_t j = 16 * n; j-- > 16;) out[j] = buf[j] ^ in[j - 16];
        for (size_t j = 0; j < 16; j++) out[j] = buf[j] ^ prev[j];
        memcpy(prev, last, 16);
        in += 16 * n; out += 16 * n; nblocks -= n;
    }
}

static void bs_ctr32(const nc_aes_key *k, const uint8_t cb[16], const uint8_t *in, uint8_t *out, size_t len) {
    uint8_t blocks[256];
    uint32_t ctr = nc_load32be(cb + 12);
    while (len) {
        size_t n = len < 256 ? len : 256, nb = (n + 15) / 16;
        for (size_t j = 0; j < nb; j++) {
            memcpy(blocks + 16 * j, cb, 12);
            nc_store32be(blocks + 16 * j + 12, ctr + (uint32_t)j);
        }
        bs_ecb(k, blocks, blocks, nb, 0);
        for (size_t j = 0; j < n; j++) out[j] = in[j] ^ blocks[j];
        in += n; out += n; len -= n; ctr += (uint32_t)nb;
    }
    memset(blocks, 0, sizeof blocks);
}

/* ---- key schedule and dispatch ------------------------------------------------------ */
/* Portable schedule: SubWord through the S-box circuit, then the round keys in bit planes. */
static void bs_expand(nc_aes_key *k, const uint8_t *key, int nk, int nr) {
    static const uint8_t rcon[10] = {1, 2, 4, 8, 16, 32, 64, 128, 27, 54};
    uint8_t w[60][4];
    memcpy(w, key, 4 * (size_t)nk);
    for (int i = nk; i < 4 * (nr + 1); i++) {
        uint8_t t[4];
        memcpy(t, w[i - 1], 4);
        if (i % nk == 0) {
            uint8_t t0 = t[0];
            t[0] = bs_sbox_byte(t[1]) ^ rcon[i / nk - 1];
            t[1] = bs_sbox_byte(t[2]); t[2] = bs_sbox_byte(t[3]); t[3] = bs_sbox_byte(t0);
        } else if (nk > 6 && i % nk == 4) {
            for (int j = 0; j < 4; j++) t[j] = bs_sbox_byte(t[j]);
        }
        for (int j = 0; j < 4; j++) w[i][j] = w[i - nk][j] ^ t[j];
    }
    for (int r = 0; r <= nr; r++) {
        uint8_t rep[64];
        memcpy(k->rk[r], w[4 * r], 16);
        for (int j = 0; j < 4; j++) memcpy(rep + 16 * j, k->rk[r], 16);
        bs_load4(k->bs_rk[r], rep);
    }
    memset(w, 0, sizeof w);
}

/* k->hw is fixed here and every mode dispatches on it, so a hardware key never reads
 * bs_rk and it is not built (nor dk for a portable key). */
static int nc_aes_setup(nc_aes_key *k, const uint8_t *key, size_t keylen, int want_hw, int have_hw) {
    if (keylen != 16 && keylen != 24 && keylen != 32) return -1;
    int nk = (int)keylen / 4, nr = nk + 6;
    k->rounds = nr;
    k->hw = 0;
#if NC_X86
    /* have_hw: 0 none, 1 AES-NI, 2 AES-NI and VAES/AVX-512 */
    if (want_hw && have_hw) {
        if (nk == 4) aesni_expand128(k, key);
        else if (nk == 6) aesni_expand192(k, key);
        else aesni_expand256(k, key);
        aesni_make_dk(k);
        k->hw = have_hw;
        return 0;
    }
#else
    (void)want_hw; (void)have_hw;
#endif
    bs_expand(k, key, nk, nr);
    return 0;
}

static void nc_aes_ecb_encrypt(const nc_aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks) {
#if NC_X86
    if (k->hw) { aesni_ecb_encrypt(k, in, out, nblocks); return; }
#endif
    bs_ecb(k, in, out, nblocks, 0);
}
static void nc_aes_ecb_decrypt(const nc_aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks) {
#if NC_X86
    if (k->hw) { aesni_ecb_decrypt(k, in, out, nblocks); return; }
#endif
    bs_ecb(k, in, out, nblocks, 1);
}
/* out == NULL: CBC-MAC, the last block is written back into iv. */
static void nc_aes_cbc_encrypt(const nc_aes_key *k, uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t nblocks) {
#if NC_X86
    if (k->hw) { aesni_cbc_encrypt(k, iv, in, out, nblocks); return; }
#endif
    bs_cbc_encrypt(k, iv, in, out, nblocks);
}
static void nc_aes_cbc_decrypt(const nc_aes_key *k, const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t nblocks) {
#if NC_X86
    if (k->hw) { aesni_cbc_decrypt(k, iv, in, out, nblocks); return; }
#endif
    bs_cbc_decrypt(k, iv, in, out, nblocks);
}
static void nc_aes_ctr32(const nc_aes_key *k, const uint8_t cb[16], const uint8_t *in, uint8_t *out, size_t len) {
#if NC_X86
    if (k->hw == 2 && len >= 128) { vaes_ctr32(k, cb, in, out, len); return; }
    if (k->hw) { aesni_ctr32(k, cb, in, out, len); return; }
#endif
    bs_ctr32(k, cb, in, out, len);
}

#endif
