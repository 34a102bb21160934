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

static inline int16_t mlkem_fqmul(int16_t a, int16_t b) { return mlkem_mont((int32_t)a * b); }

/* A representative of a mod q of magnitude at most about q / 2. */
static inline int16_t mlkem_barrett(int16_t a) {
    const int32_t v = ((1 << 26) + MLKEM_Q / 2) / MLKEM_Q;
    int16_t t = (int16_t)((v * a + (1 << 25)) >> 26);
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

/* Algorithm 9.  Input |c| < q; each layer grows the bound by q, so output |c| < 8q. */
static void mlkem_ntt(mlkem_poly *f) {
    unsigned i = 1;
    for (unsigned len = 128; len >= 2; len >>= 1) {
        for (unsigned start = 0; start < MLKEM_N; start += 2 * len) {
            int16_t z = mlkem_zetas[i++];
            for (unsigned j = start; j < start + len; j++) {
                int16_t t = mlkem_fqmul(z, f->c[j + len]);
                f->c[j + len] = (int16_t)(f->c[j] - t);
                f->c[j] = (int16_t)(f->c[j] + t);
            }
        }
    }
    mlkem_reduce(f);
}

/* Algorithm 10, also multiplying by R (to undo one basemul R^-1); input |c| < q. */
static void mlkem_ntt_inv(mlkem_poly *f) {
    unsigned i = 127;
    for (unsigned len = 2; len <= 128; len <<= 1) {
        for (unsigned start = 0; start < MLKEM_N; start += 2 * len) {
            int16_t z = mlkem_zetas[i--];
            for (unsigned j = start; j < start + len; j++) {
                int16_t t = f->c[j];
                f->c[j] = mlkem_barrett((int16_t)(t + f->c[j + len]));
                f->c[j + len] = mlkem_fqmul(z, (int16_t)(f->c[j + len] - t));
            }
        }
    }
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

/* ByteEncode_d (Algorithm 5): 256 d-bit values, little-endian bit order, 32 d bytes. */
static void mlkem_encode(uint8_t *out, const mlkem_poly *f, unsigned d) {
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

/* K-PKE.KeyGen after sampling: noise[0..k) give s, noise[k..2k) give e. */
static void mlkem_keygen(unsigned k, const uint8_t *a_hat, const uint8_t *const *noise,
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
static void mlkem_encrypt(unsigned k, unsigned du, unsigned dv, const uint8_t *t_hat,
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

static void mlkem_decrypt(unsigned k, unsigned du, unsigned dv, const uint8_t *s_hat,
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

#endif
