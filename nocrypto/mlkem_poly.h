/* K-PKE (FIPS 203) polynomial arithmetic for the ML-KEM kernel.
 *
 * Coefficients are kept fully reduced in [0, q) as uint16_t.  Every reduction is a
 * remainder by the constant q (or a quotient by the constant 2q in Compress), which
 * compilers turn into a multiply-and-shift: no division instruction, whose timing
 * depends on its operands, touches secret data.  Rejection sampling of the matrix
 * works on public data (rho) and may take variable time.
 */
#ifndef PURETLS_MLKEM_POLY_H
#define PURETLS_MLKEM_POLY_H

#include <stdint.h>
#include <string.h>

#define MLKEM_Q 3329
#define MLKEM_N 256
#define MLKEM_MAX_K 4

typedef struct { uint16_t c[MLKEM_N]; } mlkem_poly;

static uint16_t mlkem_zetas[128], mlkem_gammas[128];

static unsigned mlkem_bitrev7(unsigned i) {
    unsigned r = 0;
    for (int b = 0; b < 7; b++) r |= ((i >> b) & 1) << (6 - b);
    return r;
}

static uint32_t mlkem_pow17(unsigned e) {
    uint32_t r = 1;
    for (unsigned i = 0; i < e; i++) r = r * 17 % MLKEM_Q;
    return r;
}

static void mlkem_setup(void) {
    for (unsigned i = 0; i < 128; i++) {
        mlkem_zetas[i] = (uint16_t)mlkem_pow17(mlkem_bitrev7(i));
        mlkem_gammas[i] = (uint16_t)mlkem_pow17(2 * mlkem_bitrev7(i) + 1);
    }
}

static inline uint16_t mlkem_mod(uint32_t x) { return (uint16_t)(x % MLKEM_Q); }

/* x - q when x >= q, for x < 2q, with a mask instead of a branch. */
static inline uint16_t mlkem_csubq(uint32_t x) {
    uint32_t d = x - MLKEM_Q;
    return (uint16_t)(d + (MLKEM_Q & (uint32_t)-(int32_t)(d >> 31)));
}

/* Algorithm 9 */
static void mlkem_ntt(mlkem_poly *f) {
    unsigned i = 1;
    for (unsigned len = 128; len >= 2; len >>= 1) {
        for (unsigned start = 0; start < MLKEM_N; start += 2 * len) {
            uint32_t z = mlkem_zetas[i++];
            for (unsigned j = start; j < start + len; j++) {
                uint32_t t = mlkem_mod(z * f->c[j + len]);
                f->c[j + len] = mlkem_csubq(f->c[j] + MLKEM_Q - t);
                f->c[j] = mlkem_csubq(f->c[j] + t);
            }
        }
    }
}

/* Algorithm 10 */
static void mlkem_ntt_inv(mlkem_poly *f) {
    unsigned i = 127;
    for (unsigned len = 2; len <= 128; len <<= 1) {
        for (unsigned start = 0; start < MLKEM_N; start += 2 * len) {
            uint32_t z = mlkem_zetas[i--];
            for (unsigned j = start; j < start + len; j++) {
                uint32_t t = f->c[j];
                f->c[j] = mlkem_csubq(t + f->c[j + len]);
                f->c[j + len] = mlkem_mod(z * (f->c[j + len] + MLKEM_Q - t));
            }
        }
    }
    for (unsigned j = 0; j < MLKEM_N; j++) f->c[j] = mlkem_mod((uint32_t)f->c[j] * 3303);
}

/* acc += f * g in the NTT domain (Algorithms 11 and 12). */
static void mlkem_basemul_acc(mlkem_poly *acc, const mlkem_poly *f, const mlkem_poly *g) {
    for (unsigned i = 0; i < 128; i++) {
        uint32_t a0 = f->c[2 * i], a1 = f->c[2 * i + 1], b0 = g->c[2 * i], b1 = g->c[2 * i + 1];
        uint32_t c0 = a0 * b0 + (uint32_t)mlkem_mod(a1 * b1) * mlkem_gammas[i];
        uint32_t c1 = a0 * b1 + a1 * b0;
        acc->c[2 * i] = mlkem_mod(acc->c[2 * i] + c0);
        acc->c[2 * i + 1] = mlkem_mod(acc->c[2 * i + 1] + c1);
    }
}

static void mlkem_add(mlkem_poly *r, const mlkem_poly *a) {
    for (unsigned j = 0; j < MLKEM_N; j++) r->c[j] = mlkem_csubq((uint32_t)r->c[j] + a->c[j]);
}

/* Algorithm 8 with eta = len / 64 (2 or 3). */
static void mlkem_cbd(mlkem_poly *f, const uint8_t *b, unsigned eta) {
    for (unsigned i = 0; i < MLKEM_N; i++) {
        uint32_t x = 0, y = 0;
        for (unsigned j = 0; j < eta; j++) {
            unsigned p = 2 * i * eta + j, q = 2 * i * eta + eta + j;
            x += (b[p >> 3] >> (p & 7)) & 1;
            y += (b[q >> 3] >> (q & 7)) & 1;
        }
        f->c[i] = mlkem_mod(x + MLKEM_Q - y);
    }
}

/* ByteEncode_d (Algorithm 5): 256 d-bit values, little-endian bit order, 32 d bytes. */
static void mlkem_encode(uint8_t *out, const mlkem_poly *f, unsigned d) {
    uint64_t acc = 0;
    unsigned bits = 0, o = 0;
    for (unsigned i = 0; i < MLKEM_N; i++) {
        acc |= (uint64_t)f->c[i] << bits;
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
        f->c[i] = (uint16_t)(acc & mask);
        acc >>= d;
        bits -= d;
    }
}

static void mlkem_decode12_mod_q(mlkem_poly *f, const uint8_t *in) {
    mlkem_decode(f, in, 12);
    for (unsigned i = 0; i < MLKEM_N; i++) f->c[i] = mlkem_mod(f->c[i]);
}

static void mlkem_compress(mlkem_poly *f, unsigned d) {
    uint32_t mask = (1u << d) - 1;
    for (unsigned i = 0; i < MLKEM_N; i++)
        f->c[i] = (uint16_t)(((((uint32_t)f->c[i] << (d + 1)) + MLKEM_Q) / (2 * MLKEM_Q)) & mask);
}

static void mlkem_decompress(mlkem_poly *f, unsigned d) {
    for (unsigned i = 0; i < MLKEM_N; i++)
        f->c[i] = (uint16_t)(((uint32_t)MLKEM_Q * f->c[i] + (1u << (d - 1))) >> d);
}

/* Algorithm 7 on an XOF stream; -1 when the stream runs out first (public data). */
static int mlkem_sample_ntt(mlkem_poly *a, const uint8_t *s, size_t len) {
    unsigned j = 0;
    size_t pos = 0;
    while (j < MLKEM_N) {
        if (pos + 3 > len) return -1;
        uint32_t d1 = s[pos] + 256u * (s[pos + 1] & 15), d2 = (s[pos + 1] >> 4) + 16u * s[pos + 2];
        pos += 3;
        if (d1 < MLKEM_Q) a->c[j++] = (uint16_t)d1;
        if (d2 < MLKEM_Q && j < MLKEM_N) a->c[j++] = (uint16_t)d2;
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
    for (unsigned j = 0; j < MLKEM_N; j++) v.c[j] = mlkem_mod(v.c[j] + MLKEM_Q - w.c[j]);
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
            if (f.c[j] >= MLKEM_Q) return 0;
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
