/* K-PKE (FIPS 203) polynomial arithmetic for the ML-KEM kernel.
 *
 * Arithmetic is signed 16-bit with Montgomery and Barrett reductions (multiplies,
 * adds and shifts only); Compress divides by the constant 2q, which compilers turn
 * into a multiply-and-shift: no division instruction, whose timing depends on its
 * operands, touches secret data.  Rejection sampling of the matrix
 * works on public data (rho) and may take variable time.
 */
#ifndef PURETLS_MLKEM_POLY_H
#define PURETLS_MLKEM_POLY_H

#include <stdint.h>
#include <string.h>

#include "hashes/keccak.h"

#define MLKEM_Q 3329
#define MLKEM_N 256
#define MLKEM_MAX_K 4

/* Coefficients are signed 16-bit and kept small (|c| < 8q at worst), congruent mod q;
 * they are brought to [0, q) only when encoded.  Products use Montgomery reduction
 * with R = 2^16: fqmul(a, b) = a b R^-1 mod q, so the stored twiddles are zeta R mod q.
 * All of it is fixed sequences of 16/32-bit multiplies, adds and shifts, which the
 * compiler can also vectorise. */
typedef struct { int16_t c[MLKEM_N]; } mlkem_poly;

#define MLKEM_QINV (-3327)   /* q^-1 mod 2^16, as a signed 16-bit value */
#define MLKEM_R2 1353        /* R^2 mod q */
#define MLKEM_INV_F 1441     /* R^2 / 128 mod q: undoes one R^-1 and divides by 128 */

static int16_t mlkem_zetas[128], mlkem_gammas[128]; /* zeta^bitrev7(i) R, gamma_i R (mod q) */

static unsigned mlkem_bitrev7(unsigned i) {
    unsigned r = 0;
    for (int b = 0; b < 7; b++) r |= ((i >> b) & 1) << (6 - b);
    return r;
}

static int16_t mlkem_centered(uint32_t x) { /* x mod q in (-q/2, q/2] */
    int32_t v = (int32_t)(x % MLKEM_Q);
    return (int16_t)(v > MLKEM_Q / 2 ? v - MLKEM_Q : v);
}

static void mlkem_setup(void) {
    for (unsigned i = 0; i < 128; i++) {
        uint32_t z = 1, g;
        for (unsigned e = 0; e < mlkem_bitrev7(i); e++) z = z * 17 % MLKEM_Q;
        g = z * z % MLKEM_Q * 17 % MLKEM_Q; /* 17^(2 bitrev7(i) + 1) */
        mlkem_zetas[i] = mlkem_centered(z * 65536u % MLKEM_Q);
        mlkem_gammas[i] = mlkem_centered(g * 65536u % MLKEM_Q);
    }
}

/* a R^-1 mod q for |a| < q 2^15, result in (-q, q). */
static inline int16_t mlkem_mont(int32_t a) {
    int16_t t = (int16_t)((int16_t)a * MLKEM_QINV);
    return (int16_t)((a - (int32_t)t * MLKEM_Q) >> 16);
}

/* a b R^-1 mod q, as mlkem_mont((int32_t)a * b) but written with the high and low halves
 * of 16 x 16-bit products: a b - t q is a multiple of 2^16, so its high half is exactly
 * hi(a b) - hi(t q) with no borrow.  Same value; the compiler maps it onto 16-bit lanes
 * (vpmullw / vpmulhw) when it vectorises the loops below. */
static inline int16_t mlkem_fqmul(int16_t a, int16_t b) {
    int32_t p = (int32_t)a * b;
    int16_t t = (int16_t)((int16_t)p * MLKEM_QINV);
    return (int16_t)((int16_t)(p >> 16) - (int16_t)(((int32_t)t * MLKEM_Q) >> 16));
}

/* A representative of a mod q in [-(q-1)/2, (q-1)/2] for every int16 a (checked
 * exhaustively).  t = round(a v / 2^26) with v = round(2^26 / q) = 20159, formed as the
 * high half of the 16 x 16-bit product a v and a rounding shift by 10, so that it stays in
 * 16-bit lanes (vpmulhw) when vectorised; a - t q is then exact modulo 2^16. */
static inline int16_t mlkem_barrett(int16_t a) {
    const int16_t v = ((1 << 26) + MLKEM_Q / 2) / MLKEM_Q;
    int16_t t = (int16_t)(((int32_t)a * v) >> 16);
    t = (int16_t)((t + (1 << 9)) >> 10);
    return (int16_t)(a - t * MLKEM_Q);
}

/* The representative in [0, q). */
static inline uint16_t mlkem_canonical(int16_t a) {
    a = mlkem_barrett(a);
    a = (int16_t)(a + ((a >> 15) & MLKEM_Q));
    a = (int16_t)(a - MLKEM_Q);
    return (uint16_t)(a + ((a >> 15) & MLKEM_Q));
}

static void mlkem_reduce(mlkem_poly *f) {
    for (unsigned j = 0; j < MLKEM_N; j++) f->c[j] = mlkem_barrett(f->c[j]);
}

/* One butterfly layer of Algorithm 9 / 10 for a constant len (each layer is instantiated
 * with its own len, so the inner loops have known trip counts and vectorise); block b of the
 * layer uses zetas[128 / len + b] forward and zetas[256 / len - 1 - b] inverse, the indices
 * Algorithms 9 and 10 step through. */
static inline __attribute__((always_inline)) void mlkem_ntt_layer(int16_t *c, const unsigned len) {
    for (unsigned b = 0; b < MLKEM_N / (2 * len); b++) {
        int16_t z = mlkem_zetas[128 / len + b];
        int16_t *lo = c + 2 * len * b, *hi = lo + len;
        for (unsigned j = 0; j < len; j++) {
            int16_t t = mlkem_fqmul(z, hi[j]);
            hi[j] = (int16_t)(lo[j] - t);
            lo[j] = (int16_t)(lo[j] + t);
        }
    }
}

static inline __attribute__((always_inline)) void mlkem_invntt_layer(int16_t *c,
                                                                      const unsigned len) {
    for (unsigned b = 0; b < MLKEM_N / (2 * len); b++) {
        int16_t z = mlkem_zetas[256 / len - 1 - b];
        int16_t *lo = c + 2 * len * b, *hi = lo + len;
        for (unsigned j = 0; j < len; j++) {
            int16_t t = lo[j];
            lo[j] = mlkem_barrett((int16_t)(t + hi[j]));
            hi[j] = mlkem_fqmul(z, (int16_t)(hi[j] - t));
        }
    }
}

/* Algorithm 9.  Input |c| < q; each layer grows the bound by q, so output |c| < 8q. */
static void mlkem_ntt(mlkem_poly *f) {
    mlkem_ntt_layer(f->c, 128);
    mlkem_ntt_layer(f->c, 64);
    mlkem_ntt_layer(f->c, 32);
    mlkem_ntt_layer(f->c, 16);
    mlkem_ntt_layer(f->c, 8);
    mlkem_ntt_layer(f->c, 4);
    mlkem_ntt_layer(f->c, 2);
    mlkem_reduce(f);
}

/* Algorithm 10, also multiplying by R (to undo one basemul R^-1); input |c| < q. */
static void mlkem_ntt_inv(mlkem_poly *f) {
    mlkem_invntt_layer(f->c, 2);
    mlkem_invntt_layer(f->c, 4);
    mlkem_invntt_layer(f->c, 8);
    mlkem_invntt_layer(f->c, 16);
    mlkem_invntt_layer(f->c, 32);
    mlkem_invntt_layer(f->c, 64);
    mlkem_invntt_layer(f->c, 128);
    for (unsigned j = 0; j < MLKEM_N; j++) f->c[j] = mlkem_fqmul(f->c[j], MLKEM_INV_F);
}

/* acc += f * g R^-1 in the NTT domain (Algorithms 11 and 12); |f|, |g| below 2^12. */
static void mlkem_basemul_acc(mlkem_poly *acc, const mlkem_poly *f, const mlkem_poly *g) {
    for (unsigned i = 0; i < 128; i++) {
        int16_t a0 = f->c[2 * i], a1 = f->c[2 * i + 1], b0 = g->c[2 * i], b1 = g->c[2 * i + 1];
        int16_t c0 = (int16_t)(mlkem_fqmul(mlkem_fqmul(a1, b1), mlkem_gammas[i]) + mlkem_fqmul(a0, b0));
        int16_t c1 = (int16_t)(mlkem_fqmul(a0, b1) + mlkem_fqmul(a1, b0));
        acc->c[2 * i] = mlkem_barrett((int16_t)(acc->c[2 * i] + c0));
        acc->c[2 * i + 1] = mlkem_barrett((int16_t)(acc->c[2 * i + 1] + c1));
    }
}

static void mlkem_tomont(mlkem_poly *f) { /* multiply by R */
    for (unsigned j = 0; j < MLKEM_N; j++) f->c[j] = mlkem_fqmul(f->c[j], MLKEM_R2);
}

static void mlkem_add(mlkem_poly *r, const mlkem_poly *a) {
    for (unsigned j = 0; j < MLKEM_N; j++) r->c[j] = mlkem_barrett((int16_t)(r->c[j] + a->c[j]));
}

/* Algorithm 8 with eta = len / 64 (2 or 3); coefficients in [-eta, eta].  The bit
 * sums are formed for a whole word at once: adding the word to itself shifted by one
 * (and two) under a mask leaves each group's bit count in the group's low bits. */
static void mlkem_cbd(mlkem_poly *f, const uint8_t *b, unsigned eta) {
    if (eta == 2) {
        for (unsigned i = 0; i < MLKEM_N / 8; i++) {
            uint32_t t = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 |
                         (uint32_t)b[4 * i + 2] << 16 | (uint32_t)b[4 * i + 3] << 24;
            uint32_t d = (t & 0x55555555u) + ((t >> 1) & 0x55555555u);
            for (unsigned j = 0; j < 8; j++)
                f->c[8 * i + j] = (int16_t)((int)((d >> (4 * j)) & 3) - (int)((d >> (4 * j + 2)) & 3));
        }
    } else {
        for (unsigned i = 0; i < MLKEM_N / 4; i++) {
            uint32_t t = (uint32_t)b[3 * i] | (uint32_t)b[3 * i + 1] << 8 | (uint32_t)b[3 * i + 2] << 16;
            uint32_t d = (t & 0x249249u) + ((t >> 1) & 0x249249u) + ((t >> 2) & 0x249249u);
            for (unsigned j = 0; j < 4; j++)
                f->c[4 * i + j] = (int16_t)((int)((d >> (6 * j)) & 7) - (int)((d >> (6 * j + 3)) & 7));
        }
    }
}

#if defined(__SIZEOF_INT128__)
/* ByteEncode_d / ByteDecode_d for one constant d: 8 coefficients per d bytes, gathered in a
 * 128-bit word; the switches below instantiate it for every d the kernel uses, so the
 * shifts are constants the compiler unrolls. */
static inline __attribute__((always_inline)) void mlkem_encode_fixed(uint8_t *out,
                                                                      const mlkem_poly *f,
                                                                      const unsigned d) {
    uint16_t v[MLKEM_N];
    for (unsigned i = 0; i < MLKEM_N; i++) v[i] = mlkem_canonical(f->c[i]);
    for (unsigned g = 0; g < MLKEM_N / 8; g++) {
        unsigned __int128 acc = 0;
        for (unsigned j = 0; j < 8; j++) acc |= (unsigned __int128)v[8 * g + j] << (d * j);
        for (unsigned b = 0; b < d; b++) out[d * g + b] = (uint8_t)(acc >> (8 * b));
    }
}

static inline __attribute__((always_inline)) void mlkem_decode_fixed(mlkem_poly *f,
                                                                      const uint8_t *in,
                                                                      const unsigned d) {
    for (unsigned g = 0; g < MLKEM_N / 8; g++) {
        unsigned __int128 acc = 0;
        for (unsigned b = 0; b < d; b++) acc |= (unsigned __int128)in[d * g + b] << (8 * b);
        for (unsigned j = 0; j < 8; j++)
            f->c[8 * g + j] = (int16_t)((unsigned)(acc >> (d * j)) & ((1u << d) - 1));
    }
}
/* d = 12: two coefficients per three bytes, a shape the compiler vectorises. */
static inline void mlkem_encode12(uint8_t *out, const mlkem_poly *f) {
    for (unsigned i = 0; i < MLKEM_N / 2; i++) {
        uint16_t x0 = mlkem_canonical(f->c[2 * i]), x1 = mlkem_canonical(f->c[2 * i + 1]);
        out[3 * i] = (uint8_t)x0;
        out[3 * i + 1] = (uint8_t)((x0 >> 8) | (x1 << 4));
        out[3 * i + 2] = (uint8_t)(x1 >> 4);
    }
}

static inline void mlkem_decode12(mlkem_poly *f, const uint8_t *in) {
    for (unsigned i = 0; i < MLKEM_N / 2; i++) {
        uint16_t b0 = in[3 * i], b1 = in[3 * i + 1], b2 = in[3 * i + 2];
        f->c[2 * i] = (int16_t)(b0 | ((b1 & 15) << 8));
        f->c[2 * i + 1] = (int16_t)((b1 >> 4) | (b2 << 4));
    }
}

#define MLKEM_FIXED_CASES(call) \
    case 1: call(1); return;    \
    case 4: call(4); return;    \
    case 5: call(5); return;    \
    case 10: call(10); return;  \
    case 11: call(11); return;
#else
#define MLKEM_FIXED_CASES(call)
#endif

/* ByteEncode_d (Algorithm 5): 256 d-bit values, little-endian bit order, 32 d bytes. */
static void mlkem_encode(uint8_t *out, const mlkem_poly *f, unsigned d) {
#define MLKEM_ENC(D) mlkem_encode_fixed(out, f, D)
    if (d == 12) { mlkem_encode12(out, f); return; }
    switch (d) { MLKEM_FIXED_CASES(MLKEM_ENC) default: break; }
#undef MLKEM_ENC
    uint64_t acc = 0;
    unsigned bits = 0, o = 0;
    for (unsigned i = 0; i < MLKEM_N; i++) {
        acc |= (uint64_t)mlkem_canonical(f->c[i]) << bits;
        bits += d;
        while (bits >= 8) { out[o++] = (uint8_t)acc; acc >>= 8; bits -= 8; }
    }
}

/* ByteDecode_d (Algorithm 6) without the final reduction: values below 2^d. */
static void mlkem_decode(mlkem_poly *f, const uint8_t *in, unsigned d) {
#define MLKEM_DEC(D) mlkem_decode_fixed(f, in, D)
    if (d == 12) { mlkem_decode12(f, in); return; }
    switch (d) { MLKEM_FIXED_CASES(MLKEM_DEC) default: break; }
#undef MLKEM_DEC
    uint64_t acc = 0;
    unsigned bits = 0, p = 0;
    uint32_t mask = (1u << d) - 1;
    for (unsigned i = 0; i < MLKEM_N; i++) {
        while (bits < d) { acc |= (uint64_t)in[p++] << bits; bits += 8; }
        f->c[i] = (int16_t)(acc & mask);
        acc >>= d;
        bits -= d;
    }
}

static void mlkem_decode12_mod_q(mlkem_poly *f, const uint8_t *in) {
    mlkem_decode(f, in, 12);
    for (unsigned i = 0; i < MLKEM_N; i++) f->c[i] = (int16_t)mlkem_canonical(f->c[i]);
}

/* round(2^d x / q) mod 2^d for x in [0, q), d <= 11.  q is odd, so 2^d x / q is never a half
 * and the rounding is floor((2^d x + (q - 1) / 2) / q).  That division by q is done as a
 * multiply and shift, never as "/": a divide instruction takes time depending on its operand
 * (KyberSlash), and whether a compiler turns "/ q" into a multiply is up to the compiler.
 * floor(n / q) == (n * 2580335) >> 33 for every n <= 3328 * 2^11 + (q - 1) / 2, where
 * 2580335 = ceil(2^33 / q); checked exhaustively over that range, and the test suite checks the
 * whole compress map for d in {1, 4, 5, 10, 11}.  n * 2580335 < 2^46, so it needs 64 bits. */
#define MLKEM_DIVQ_MUL 2580335u
#define MLKEM_DIVQ_SHIFT 33

static inline uint32_t mlkem_compress1(uint32_t x, unsigned d) {
    uint64_t n = ((uint64_t)x << d) + (MLKEM_Q - 1) / 2;
    return (uint32_t)((n * MLKEM_DIVQ_MUL) >> MLKEM_DIVQ_SHIFT) & ((1u << d) - 1);
}

static void mlkem_compress(mlkem_poly *f, unsigned d) {
    for (unsigned i = 0; i < MLKEM_N; i++) f->c[i] = (int16_t)mlkem_compress1(mlkem_canonical(f->c[i]), d);
}

static void mlkem_decompress(mlkem_poly *f, unsigned d) {
    for (unsigned i = 0; i < MLKEM_N; i++)
        f->c[i] = (int16_t)(((uint32_t)MLKEM_Q * (uint32_t)f->c[i] + (1u << (d - 1))) >> d);
}

/* Algorithm 7 on an XOF stream; -1 when the stream runs out first (public data). */
static int mlkem_sample_ntt(mlkem_poly *a, const uint8_t *s, size_t len) {
    unsigned j = 0;
    size_t pos = 0;
    while (j < MLKEM_N) {
        if (pos + 3 > len) return -1;
        uint32_t d1 = s[pos] + 256u * (s[pos + 1] & 15), d2 = (s[pos + 1] >> 4) + 16u * s[pos + 2];
        pos += 3;
        if (d1 < MLKEM_Q) a->c[j++] = (int16_t)d1;
        if (d2 < MLKEM_Q && j < MLKEM_N) a->c[j++] = (int16_t)d2;
    }
    return 0;
}

/* The three K-PKE operations are compiled twice, for baseline x86-64 and for AVX2, with
 * every helper inlined into each copy (flatten) so the NTT, basemul, CBD and compress
 * loops are vectorised on 16 x 16-bit lanes in the AVX2 copy; the loader picks the copy by
 * CPUID (GCC function multiversioning).  Both copies run the same branch-free code. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__linux__) && \
    (defined(__x86_64__) || defined(_M_X64)) && !defined(NC_NO_CLONES)
#define MLKEM_CLONES __attribute__((target_clones("avx2", "default"), flatten))
#else
#define MLKEM_CLONES
#endif

/* K-PKE.KeyGen after sampling: noise[0..k) give s, noise[k..2k) give e. */
MLKEM_CLONES static void mlkem_keygen(unsigned k, const uint8_t *a_hat, const uint8_t *const *noise,
                         unsigned eta1, uint8_t *t_out, uint8_t *s_out) {
    mlkem_poly a, s[MLKEM_MAX_K], t, e;
    for (unsigned i = 0; i < k; i++) {
        mlkem_cbd(&s[i], noise[i], eta1);
        mlkem_ntt(&s[i]);
    }
    for (unsigned i = 0; i < k; i++) {
        memset(&t, 0, sizeof t);
        for (unsigned j = 0; j < k; j++) {
            mlkem_decode(&a, a_hat + 384 * (i * k + j), 12);
            mlkem_basemul_acc(&t, &a, &s[j]);
        }
        mlkem_tomont(&t); /* basemul left a factor R^-1 */
        mlkem_cbd(&e, noise[k + i], eta1);
        mlkem_ntt(&e);
        mlkem_add(&t, &e);
        mlkem_encode(t_out + 384 * i, &t, 12);
        mlkem_encode(s_out + 384 * i, &s[i], 12);
    }
    memset(s, 0, sizeof s);
    memset(&e, 0, sizeof e);
}

/* K-PKE.Encrypt after sampling: noise[0..k) y (eta1), [k..2k) e1 and [2k] e2 (eta2). */
MLKEM_CLONES static void mlkem_encrypt(unsigned k, unsigned du, unsigned dv, const uint8_t *t_hat,
                          const uint8_t *a_hat, const uint8_t *const *noise, unsigned eta1,
                          unsigned eta2, const uint8_t m[32], uint8_t *c) {
    mlkem_poly y[MLKEM_MAX_K], a, u, v, e, mu;
    for (unsigned i = 0; i < k; i++) {
        mlkem_cbd(&y[i], noise[i], eta1);
        mlkem_ntt(&y[i]);
    }
    for (unsigned i = 0; i < k; i++) {
        memset(&u, 0, sizeof u);
        for (unsigned j = 0; j < k; j++) {
            mlkem_decode(&a, a_hat + 384 * (j * k + i), 12); /* the transpose */
            mlkem_basemul_acc(&u, &a, &y[j]);
        }
        mlkem_ntt_inv(&u);
        mlkem_cbd(&e, noise[k + i], eta2);
        mlkem_add(&u, &e);
        mlkem_compress(&u, du);
        mlkem_encode(c + 32 * du * i, &u, du);
    }
    memset(&v, 0, sizeof v);
    for (unsigned j = 0; j < k; j++) {
        mlkem_decode(&a, t_hat + 384 * j, 12);
        mlkem_basemul_acc(&v, &a, &y[j]);
    }
    mlkem_ntt_inv(&v);
    mlkem_cbd(&e, noise[2 * k], eta2);
    mlkem_add(&v, &e);
    mlkem_decode(&mu, m, 1);
    mlkem_decompress(&mu, 1);
    mlkem_add(&v, &mu);
    mlkem_compress(&v, dv);
    mlkem_encode(c + 32 * du * k, &v, dv);
    memset(y, 0, sizeof y);
    memset(&mu, 0, sizeof mu);
    memset(&e, 0, sizeof e);
}

MLKEM_CLONES static void mlkem_decrypt(unsigned k, unsigned du, unsigned dv, const uint8_t *s_hat,
                          const uint8_t *c, uint8_t m[32]) {
    mlkem_poly u, s, w, v;
    memset(&w, 0, sizeof w);
    for (unsigned i = 0; i < k; i++) {
        mlkem_decode(&u, c + 32 * du * i, du);
        mlkem_decompress(&u, du);
        mlkem_ntt(&u);
        mlkem_decode12_mod_q(&s, s_hat + 384 * i);
        mlkem_basemul_acc(&w, &s, &u);
    }
    mlkem_ntt_inv(&w);
    mlkem_decode(&v, c + 32 * du * k, dv);
    mlkem_decompress(&v, dv);
    for (unsigned j = 0; j < MLKEM_N; j++) v.c[j] = mlkem_barrett((int16_t)(v.c[j] - w.c[j]));
    mlkem_compress(&v, 1);
    mlkem_encode(m, &v, 1);
    memset(&s, 0, sizeof s);
    memset(&w, 0, sizeof w);
    memset(&v, 0, sizeof v);
}

/* 1 when every 12-bit value of the n-polynomial encoding is below q (public data). */
static int mlkem_is_reduced(const uint8_t *in, size_t n) {
    mlkem_poly f;
    for (size_t i = 0; i < n; i++) {
        mlkem_decode(&f, in + 384 * i, 12);
        for (unsigned j = 0; j < MLKEM_N; j++)
            if (f.c[j] >= MLKEM_Q) return 0; /* decode leaves 12-bit values, 0..4095 */
    }
    return 1;
}

/* out = x when a == b (same length n), else y; no branch on the contents. */
static void mlkem_select_on_equal(uint8_t *out, const uint8_t *a, const uint8_t *b, size_t n,
                                  const uint8_t *x, const uint8_t *y, size_t m) {
    uint32_t diff = 0;
    for (size_t i = 0; i < n; i++) diff |= (uint32_t)(a[i] ^ b[i]);
    uint8_t keep_x = (uint8_t)(((diff - 1) >> 8) & 0xFF); /* 0xff exactly when diff == 0 */
    for (size_t i = 0; i < m; i++) out[i] = (uint8_t)((x[i] & keep_x) | (y[i] & ~keep_x));
}

/* ---- Hashing inside the kernel (FIPS 203 section 4.1), on the hash kernel's Keccak-f[1600]:
 * H = SHA3-256, G = SHA3-512, J = SHAKE256(., 32), PRF_eta = SHAKE256(., 64 eta) and the
 * SHAKE128 XOF of the matrix.  Fixed-length inputs, so no timing depends on their contents. */

/* Absorb a || b (either may be empty), pad with the domain `suffix` and pad10*1. */
static void mlkem_sponge(uint64_t st[25], size_t rate, uint8_t suffix, const uint8_t *a,
                         size_t alen, const uint8_t *b, size_t blen) {
    uint8_t block[168];
    size_t fill = 0;
    memset(st, 0, 25 * sizeof(uint64_t));
    for (int part = 0; part < 2; part++) {
        const uint8_t *p = part ? b : a;
        size_t n = part ? blen : alen;
        while (n) {
            size_t take = rate - fill < n ? rate - fill : n;
            memcpy(block + fill, p, take);
            fill += take; p += take; n -= take;
            if (fill == rate) { keccak_absorb_blocks(st, block, 1, rate); fill = 0; }
        }
    }
    block[fill] = suffix;
    memset(block + fill + 1, 0, rate - fill - 1);
    block[rate - 1] |= 0x80;
    keccak_absorb_blocks(st, block, 1, rate);
}

/* Squeeze len bytes; the state holds the first block already. */
static void mlkem_squeeze(uint64_t st[25], size_t rate, uint8_t *out, size_t len) {
    for (;;) {
        size_t take = len < rate ? len : rate;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        memcpy(out, st, take);
#else
        for (size_t i = 0; i < take; i++) out[i] = (uint8_t)(st[i / 8] >> (8 * (i % 8)));
#endif
        out += take; len -= take;
        if (!len) return;
        keccak_f1600(st);
    }
}

static void mlkem_hash(size_t rate, uint8_t suffix, const uint8_t *a, size_t alen,
                       const uint8_t *b, size_t blen, uint8_t *out, size_t outlen) {
    uint64_t st[25];
    mlkem_sponge(st, rate, suffix, a, alen, b, blen);
    mlkem_squeeze(st, rate, out, outlen);
    memset(st, 0, sizeof st);
}

#define MLKEM_H(in, n, out) mlkem_hash(136, 0x06, in, n, 0, 0, out, 32)
#define MLKEM_G(a, b, out) mlkem_hash(72, 0x06, a, 32, b, 32, out, 64)

/* PRF_eta(seed, n) for `count` consecutive n from `first`, 64 eta bytes each, into out. */
static void mlkem_prf(uint8_t *out, const uint8_t seed[32], unsigned eta, unsigned first,
                      unsigned count) {
    for (unsigned i = 0; i < count; i++) {
        uint8_t nb = (uint8_t)(first + i);
        mlkem_hash(136, 0x1F, seed, 32, &nb, 1, out + 64 * eta * i, 64 * eta);
    }
}

/* Â: entry (i, j) = SampleNTT(SHAKE128(rho || j || i)), squeezed one 168-byte block at a
 * time (168 = 56 whole 3-byte groups) until 256 coefficients are accepted (public data). */
static void mlkem_expand_matrix(uint8_t *a_hat, const uint8_t rho[32], unsigned k) {
    uint64_t st[25];
    uint8_t buf[168], ij[2];
    /* Candidates are stored unconditionally and the count advanced by the comparison (no
     * unpredictable branch); a group starts with n < 256, so two spare slots suffice, and the
     * first 256 accepted values are exactly Algorithm 7's. */
    int16_t c[MLKEM_N + 2];
    mlkem_poly a;
    for (unsigned i = 0; i < k; i++) {
        for (unsigned j = 0; j < k; j++) {
            unsigned n = 0;
            ij[0] = (uint8_t)j; ij[1] = (uint8_t)i;
            mlkem_sponge(st, 168, 0x1F, rho, 32, ij, 2);
            for (;;) {
                mlkem_squeeze(st, 168, buf, 168);
                for (unsigned pos = 0; pos < 168 && n < MLKEM_N; pos += 3) {
                    uint32_t d1 = buf[pos] + 256u * (buf[pos + 1] & 15);
                    uint32_t d2 = (buf[pos + 1] >> 4) + 16u * buf[pos + 2];
                    c[n] = (int16_t)d1;
                    n += d1 < MLKEM_Q;
                    c[n] = (int16_t)d2;
                    n += d2 < MLKEM_Q;
                }
                if (n >= MLKEM_N) break;
                keccak_f1600(st);
            }
            memcpy(a.c, c, sizeof a.c);
            mlkem_encode(a_hat + 384 * (i * k + j), &a, 12);
        }
    }
}

/* ML-KEM.KeyGen_internal's lattice part from sigma: (t_hat, s_hat) encodings. */
static void mlkem_kem_keygen(unsigned k, unsigned eta1, const uint8_t *a_hat,
                             const uint8_t sigma[32], uint8_t *t_out, uint8_t *s_out) {
    uint8_t noise[2 * MLKEM_MAX_K][192];
    const uint8_t *ptrs[2 * MLKEM_MAX_K];
    for (unsigned i = 0; i < 2 * k; i++) {
        mlkem_prf(noise[i], sigma, eta1, i, 1);
        ptrs[i] = noise[i];
    }
    mlkem_keygen(k, a_hat, ptrs, eta1, t_out, s_out);
    memset(noise, 0, sizeof noise);
}

/* K-PKE.Encrypt(ek, m, r) with the PRF outputs drawn from r here. */
static void mlkem_encrypt_r(unsigned k, unsigned du, unsigned dv, unsigned eta1, unsigned eta2,
                            const uint8_t *t_hat, const uint8_t *a_hat, const uint8_t m[32],
                            const uint8_t r[32], uint8_t *c) {
    uint8_t noise[2 * MLKEM_MAX_K + 1][192];
    const uint8_t *ptrs[2 * MLKEM_MAX_K + 1];
    for (unsigned i = 0; i < 2 * k + 1; i++) {
        mlkem_prf(noise[i], r, i < k ? eta1 : eta2, i, 1);
        ptrs[i] = noise[i];
    }
    mlkem_encrypt(k, du, dv, t_hat, a_hat, ptrs, eta1, eta2, m, c);
    memset(noise, 0, sizeof noise);
}

/* ML-KEM.Encaps_internal (Algorithm 17): shared key K and ciphertext c from m and H(ek). */
static void mlkem_kem_encaps(unsigned k, unsigned du, unsigned dv, unsigned eta1, unsigned eta2,
                             const uint8_t *ek, const uint8_t *a_hat, const uint8_t h_ek[32],
                             const uint8_t m[32], uint8_t shared[32], uint8_t *c) {
    uint8_t kr[64];
    MLKEM_G(m, h_ek, kr);
    mlkem_encrypt_r(k, du, dv, eta1, eta2, ek, a_hat, m, kr + 32, c);
    memcpy(shared, kr, 32);
    memset(kr, 0, sizeof kr);
}

/* ML-KEM.Decaps_internal (Algorithm 18) after the input checks: decrypt, re-encrypt, and
 * select K' or J(z || c) by a mask (implicit rejection, no branch on the comparison). */
static void mlkem_kem_decaps(unsigned k, unsigned du, unsigned dv, unsigned eta1, unsigned eta2,
                             const uint8_t *dk, const uint8_t *a_hat, const uint8_t *c,
                             uint8_t shared[32]) {
    size_t clen = 32 * (du * k + dv);
    const uint8_t *ek = dk + 384 * k, *h = dk + 768 * k + 32, *z = h + 32;
    uint8_t m2[32], kr[64], rej[32], c2[32 * (11 * MLKEM_MAX_K + 5)];
    mlkem_decrypt(k, du, dv, dk, c, m2);
    MLKEM_G(m2, h, kr);
    mlkem_hash(136, 0x1F, z, 32, c, clen, rej, 32);
    mlkem_encrypt_r(k, du, dv, eta1, eta2, ek, a_hat, m2, kr + 32, c2);
    mlkem_select_on_equal(shared, c, c2, clen, kr, rej, 32);
    memset(m2, 0, sizeof m2);
    memset(kr, 0, sizeof kr);
    memset(rej, 0, sizeof rej);
    memset(c2, 0, sizeof c2);
}

#endif
