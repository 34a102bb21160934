/* One NIST curve's arithmetic, written once and instantiated per curve.
 *
 * Include with NL (64-bit limbs), FBYTES (bytes per encoded coordinate/scalar),
 * NBITS (bit length of the group order n) and PFX (name prefix) defined.
 *
 * Field elements are NL little-endian 64-bit limbs in Montgomery form (a*R mod m,
 * R = 2^(64*NL)).  GF(p) has a compile-time modulus: a column-wise product, then
 * the curve's reduction (FP_REDUCE: shift-and-add forms for P-256 and P-521, word
 * by word for P-384), or the MULX/ADX multiplier for P-256 when the CPU has it.
 * Scalars mod n use the same product with a word-by-word reduction by the run-time
 * modulus of a `mod` record.
 * Every function that touches secrets runs the same instructions and touches the
 * same addresses whatever the values: carries are computed arithmetically, final
 * subtractions and table lookups use masks, exponents (p-2, n-2) are public.
 *
 * Scalar multiplication: k*P (ECDH) by signed 5-bit windows (digits -15..16) in
 * Jacobian coordinates, reading the whole 16-entry table and negating the pick
 * under a mask, with the exceptional cases of the addition proven confined to
 * masks (see mul_ct_jac); k*G (keys,
 * signatures) by one mixed addition per signed 5-bit window from a precomputed
 * affine table j * 32^i * G; u1*G + u2*Q (verification, public inputs only)
 * skips zero digits and is variable-time.
 *
 * Points are homogeneous projective (X:Y:Z), infinity = (0:1:0), combined with the
 * complete a = -3 addition of Renes, Costello and Batina (2016), algorithm 4 (set-up
 * code); k*P and k*G run in Jacobian coordinates, whose additions provably never
 * meet unmasked exceptional cases (see mul_ct_jac and mul_base_ct).
 */

#define NIST_CAT2(a, b) a##b
#define NIST_CAT(a, b) NIST_CAT2(a, b)
#define F(name) NIST_CAT(PFX, name)
#define NWIN ((NBITS + 3) / 4)
/* Signed 5-bit windows: digits in [-15, 16]; one more bit for the final carry. */
#define NSWIN ((NBITS + 1 + 4) / 5)

typedef struct {
    limb_t m[NL];
    limb_t m0inv; /* -m^-1 mod 2^64 */
    limb_t r2[NL]; /* R^2 mod m */
    limb_t one[NL]; /* R mod m: 1 in Montgomery form */
    limb_t exp_inv[NL]; /* m - 2: Fermat inversion exponent (public) */
} F(mod_t);

typedef struct { limb_t X[NL], Y[NL], Z[NL]; } F(pt_t);
typedef struct { limb_t x[NL], y[NL]; } F(aff_t);

static F(mod_t) F(fp), F(fn);
static limb_t F(b)[NL];          /* curve b, Montgomery form */
static F(aff_t) F(g);            /* generator, Montgomery form */
/* F(gtab)[i][j-1] = j * 32^i * G, affine Montgomery form, j = 1..16. */
static F(aff_t) F(gtab)[NSWIN][16];

/* ---- field arithmetic ------------------------------------------------------ */

static inline __attribute__((always_inline)) void F(mod_add)(
    limb_t *r, const limb_t *a, const limb_t *b, const limb_t *m)
{
    limb_t t[NL], d[NL], junk;
    unsigned char c = 0, br = 0;
    for (int j = 0; j < NL; j++) NIST_ADDC(c, a[j], b[j], &t[j]);
    for (int j = 0; j < NL; j++) NIST_SUBB(br, t[j], m[j], &d[j]);
    NIST_SUBB(br, (limb_t)c, 0, &junk);
    limb_t keep = 0 - (limb_t)br;
    for (int j = 0; j < NL; j++) r[j] = (t[j] & keep) | (d[j] & ~keep);
}

static inline __attribute__((always_inline)) void F(mod_sub)(
    limb_t *r, const limb_t *a, const limb_t *b, const limb_t *m)
{
    limb_t t[NL];
    unsigned char c = 0, br = 0;
    for (int j = 0; j < NL; j++) NIST_SUBB(br, a[j], b[j], &t[j]);
    limb_t mask = 0 - (limb_t)br;
    for (int j = 0; j < NL; j++) NIST_ADDC(c, t[j], m[j] & mask, &r[j]);
}

static void F(fe_add)(limb_t *r, const limb_t *a, const limb_t *b, const F(mod_t) *M)
{
    F(mod_add)(r, a, b, M->m);
}

/* GF(p) has a compile-time modulus: the hot path. */
static const limb_t F(pm)[NL] = P_LIMBS;

/* Column-wise (Comba) product and square with a three-word accumulator; the
 * loops have constant bounds and are unrolled completely. */
#define NIST_MAC(x, y)                                                          \
    do {                                                                        \
        dlimb_t pr_ = (dlimb_t)(x) * (y);                                       \
        unsigned char cf_ = 0;                                                  \
        NIST_ADDC(cf_, c0, (limb_t)pr_, &c0);                                   \
        NIST_ADDC(cf_, c1, (limb_t)(pr_ >> 64), &c1);                           \
        c2 += cf_;                                                              \
    } while (0)

/* t[0..2NL] = a * b (t[2NL] = 0). */
static inline __attribute__((always_inline)) void F(product)(limb_t *t, const limb_t *a, const limb_t *b)
{
    limb_t c0 = 0, c1 = 0, c2 = 0;
#pragma GCC unroll 32
    for (int k = 0; k < 2 * NL - 1; k++) {
#pragma GCC unroll 16
        for (int i = (k < NL ? 0 : k - NL + 1); i <= (k < NL ? k : NL - 1); i++)
            NIST_MAC(a[i], b[k - i]);
        t[k] = c0;
        c0 = c1;
        c1 = c2;
        c2 = 0;
    }
    t[2 * NL - 1] = c0;
    t[2 * NL] = 0;
}

/* t[0..2NL] = a^2: each cross product computed once and added twice. */
static inline __attribute__((always_inline)) void F(square)(limb_t *t, const limb_t *a)
{
    limb_t c0 = 0, c1 = 0, c2 = 0;
#pragma GCC unroll 32
    for (int k = 0; k < 2 * NL - 1; k++) {
#pragma GCC unroll 16
        for (int i = (k < NL ? 0 : k - NL + 1); 2 * i < k; i++) {
            NIST_MAC(a[i], a[k - i]);
            NIST_MAC(a[i], a[k - i]);
        }
        if ((k & 1) == 0) NIST_MAC(a[k / 2], a[k / 2]); /* k is a loop index, not data */
        t[k] = c0;
        c0 = c1;
        c1 = c2;
        c2 = 0;
    }
    t[2 * NL - 1] = c0;
    t[2 * NL] = 0;
}

/* Word-by-word Montgomery reduction of t[0..2NL+1] by m, for a modulus without a
 * cheaper special form (P-384's p, every n): step k adds q*m at limb k with
 * q = t[k] * (-m^-1 mod 2^64), clearing limb k.  Inlined, so a compile-time m
 * is folded in. */
static inline __attribute__((always_inline)) void F(redc_words)(limb_t *t, const limb_t *m, limb_t m0inv)
{
#pragma GCC unroll 16
    for (int k = 0; k < NL; k++) {
        limb_t q = t[k] * m0inv, carry = 0;
        unsigned char c = 0;
#pragma GCC unroll 16
        for (int j = 0; j < NL; j++) {
            dlimb_t z = (dlimb_t)q * m[j] + t[k + j] + carry;
            t[k + j] = (limb_t)z;
            carry = (limb_t)(z >> 64);
        }
        NIST_ADDC(c, t[k + NL], carry, &t[k + NL]);
#pragma GCC unroll 16
        for (int j = k + NL + 1; j < 2 * NL + 2; j++) NIST_ADDC(c, t[j], 0, &t[j]);
    }
}

/* r = t[NL..2NL] mod m for a value below 2m: a masked subtraction. */
static inline __attribute__((always_inline)) void F(redc_final)(limb_t *r, const limb_t *t, const limb_t *m)
{
    limb_t d[NL], junk;
    unsigned char br = 0;
    for (int j = 0; j < NL; j++) NIST_SUBB(br, t[NL + j], m[j], &d[j]);
    NIST_SUBB(br, t[2 * NL], 0, &junk);
    limb_t keep = 0 - (limb_t)br;
    for (int j = 0; j < NL; j++) r[j] = (t[NL + j] & keep) | (d[j] & ~keep);
}

/* Montgomery reduction with the curve's form of p (FP_REDUCE leaves the value,
 * below 2p, in t[NL..2NL]). */
static inline __attribute__((always_inline)) void F(fp_redc)(limb_t *r, limb_t *t)
{
    t[2 * NL + 1] = 0;
    FP_REDUCE(t);
    F(redc_final)(r, t, F(pm));
}

static void F(fp_mul)(limb_t *r, const limb_t *a, const limb_t *b)
{
#if defined(FP_MUL_ADX)
    if (nist_have_adx) {
        FP_MUL_ADX(r, a, b);
        return;
    }
#endif
    limb_t t[2 * NL + 2];
    F(product)(t, a, b);
    F(fp_redc)(r, t);
}

static void F(fp_sqr)(limb_t *r, const limb_t *a)
{
#if defined(FP_SQR_ADX)
    if (nist_have_adx) {
        FP_SQR_ADX(r, a);
        return;
    }
#endif
    limb_t t[2 * NL + 2];
    F(square)(t, a);
    F(fp_redc)(r, t);
}

/* Montgomery product modulo a run-time modulus (the group order n: signing's
 * k^-1 and s, and set-up code). */
static void F(fe_mul)(limb_t *r, const limb_t *a, const limb_t *b, const F(mod_t) *M)
{
#if defined(FE_MUL_ADX)
    if (nist_have_adx) {
        FE_MUL_ADX(r, a, b, M->m, M->m0inv);
        return;
    }
#endif
    limb_t t[2 * NL + 2];
    F(product)(t, a, b);
    t[2 * NL + 1] = 0;
    F(redc_words)(t, M->m, M->m0inv);
    F(redc_final)(r, t, M->m);
}

static void F(fe_sqr)(limb_t *r, const limb_t *a, const F(mod_t) *M)
{
#if defined(FE_SQR_ADX)
    if (nist_have_adx) {
        FE_SQR_ADX(r, a, M->m, M->m0inv);
        return;
    }
#endif
    limb_t t[2 * NL + 2];
    F(square)(t, a);
    t[2 * NL + 1] = 0;
    F(redc_words)(t, M->m, M->m0inv);
    F(redc_final)(r, t, M->m);
}

static inline __attribute__((always_inline)) void F(fp_add)(limb_t *r, const limb_t *a, const limb_t *b)
{
    F(mod_add)(r, a, b, F(pm));
}

static inline __attribute__((always_inline)) void F(fp_sub)(limb_t *r, const limb_t *a, const limb_t *b)
{
    F(mod_sub)(r, a, b, F(pm));
}

static inline void F(fe_copy)(limb_t *r, const limb_t *a)
{
    for (int j = 0; j < NL; j++) r[j] = a[j];
}

/* r = mask ? a : r, for mask all-ones or zero. */
static inline void F(fe_cmov)(limb_t *r, const limb_t *a, limb_t mask)
{
    for (int j = 0; j < NL; j++) r[j] ^= mask & (r[j] ^ a[j]);
}

/* All-ones when a == 0, else zero, without a branch. */
static inline limb_t F(fe_zero_mask)(const limb_t *a)
{
    limb_t acc = 0;
    for (int j = 0; j < NL; j++) acc |= a[j];
    return ((acc | (0 - acc)) >> 63) - 1;
}

/* r = a^e for a public exponent e (e > 0), by sliding windows of up to 5 bits
 * over the odd powers a, a^3, .., a^31: about NBITS/6 products besides the
 * squarings, against NBITS/4 for fixed windows.  The windows follow e, which is
 * public (p-2, n-2); mul and sqr are the modulus' product and square. */
static inline __attribute__((always_inline)) void F(pow_sliding)(
    limb_t *r, const limb_t *a, const limb_t *e, const F(mod_t) *M,
    void (*mul)(limb_t *, const limb_t *, const limb_t *, const F(mod_t) *),
    void (*sqr)(limb_t *, const limb_t *, const F(mod_t) *))
{
    limb_t tab[16][NL], a2[NL], acc[NL];
    F(fe_copy)(tab[0], a);
    sqr(a2, a, M);
    for (int i = 1; i < 16; i++) mul(tab[i], tab[i - 1], a2, M);
    int i = NL * 64 - 1, started = 0;
    while (i >= 0) {
        if (!((e[i / 64] >> (i % 64)) & 1)) {
            if (started) sqr(acc, acc, M);
            i--;
            continue;
        }
        /* the window: bits i down to j, j the lowest set bit within 5 of i */
        int j = i >= 4 ? i - 4 : 0;
        while (!((e[j / 64] >> (j % 64)) & 1)) j++;
        unsigned w = 0;
        for (int b = i; b >= j; b--) {
            w = (w << 1) | (unsigned)((e[b / 64] >> (b % 64)) & 1);
            if (started) sqr(acc, acc, M);
        }
        if (started)
            mul(acc, acc, tab[w >> 1], M);
        else
            F(fe_copy)(acc, tab[w >> 1]);
        started = 1;
        i = j - 1;
    }
    F(fe_copy)(r, acc);
}

static inline void F(fe_inv)(limb_t *r, const limb_t *a, const F(mod_t) *M)
{
    F(pow_sliding)(r, a, M->exp_inv, M, F(fe_mul), F(fe_sqr));
}

#if defined(FP_INV_P256_CHAIN)
/* r = a^(2^n) * b, for the addition chain below. */
static void F(fp_sqrn_mul)(limb_t *r, const limb_t *a, int n, const limb_t *b)
{
    limb_t t[NL];
    F(fp_sqr)(t, a);
    for (int i = 1; i < n; i++) F(fp_sqr)(t, t);
    F(fp_mul)(r, t, b);
}

/* a^(p-2) = 1/a (0 for 0) for p = 2^256 - 2^224 + 2^192 + 2^96 - 1, whose p-2 is,
 * from the top, 32 ones, 31 zeros and a one, 96 zeros, 94 ones, 0, 1: with
 * xk = a^(2^k - 1) built first, 255 squarings and 12 products in all. */
static void F(fp_inv)(limb_t *r, const limb_t *a)
{
    limb_t x2[NL], x3[NL], x6[NL], x12[NL], x15[NL], x30[NL], x32[NL], t[NL];
    F(fp_sqrn_mul)(x2, a, 1, a);
    F(fp_sqrn_mul)(x3, x2, 1, a);
    F(fp_sqrn_mul)(x6, x3, 3, x3);
    F(fp_sqrn_mul)(x12, x6, 6, x6);
    F(fp_sqrn_mul)(x15, x12, 3, x3);
    F(fp_sqrn_mul)(x30, x15, 15, x15);
    F(fp_sqrn_mul)(x32, x30, 2, x2);
    F(fp_sqrn_mul)(t, x32, 32, a);   /* ones(32) 0^31 1 */
    F(fp_sqrn_mul)(t, t, 128, x32);  /* then 96 zeros, 32 ones */
    F(fp_sqrn_mul)(t, t, 32, x32);
    F(fp_sqrn_mul)(t, t, 30, x30);
    F(fp_sqrn_mul)(r, t, 2, a);      /* ..1101 */
}
#else
/* GF(p) products in the shape pow_sliding takes (the modulus argument unused). */
static void F(fp_mul_m)(limb_t *r, const limb_t *a, const limb_t *b, const F(mod_t) *M)
{
    (void)M;
    F(fp_mul)(r, a, b);
}

static void F(fp_sqr_m)(limb_t *r, const limb_t *a, const F(mod_t) *M)
{
    (void)M;
    F(fp_sqr)(r, a);
}

/* a^(p-2) = 1/a in GF(p) (0 for 0), through the constant-modulus multiplier. */
static void F(fp_inv)(limb_t *r, const limb_t *a)
{
    F(pow_sliding)(r, a, F(fp).exp_inv, &F(fp), F(fp_mul_m), F(fp_sqr_m));
}
#endif

static inline void F(to_mont)(limb_t *r, const limb_t *a, const F(mod_t) *M)
{
    F(fe_mul)(r, a, M->r2, M); /* any a < R comes out reduced mod m */
}

static inline void F(from_mont)(limb_t *r, const limb_t *a, const F(mod_t) *M)
{
    limb_t one[NL] = {1};
    F(fe_mul)(r, a, one, M);
}

static void F(load)(limb_t *r, const unsigned char *in)
{
    for (int j = 0; j < NL; j++) r[j] = 0;
    for (int i = 0; i < FBYTES; i++)
        r[i / 8] |= (limb_t)in[FBYTES - 1 - i] << (8 * (i % 8));
}

static void F(store)(unsigned char *out, const limb_t *a)
{
    for (int i = 0; i < FBYTES; i++)
        out[FBYTES - 1 - i] = (unsigned char)(a[i / 8] >> (8 * (i % 8)));
}

/* ---- point arithmetic (RCB 2016, a = -3) ------------------------------------ */

#define MUL(r, a, b) F(fp_mul)(r, a, b)
#define ADD(r, a, b) F(fp_add)(r, a, b)
#define SUB(r, a, b) F(fp_sub)(r, a, b)

static void F(pt_add)(F(pt_t) *R, const F(pt_t) *P, const F(pt_t) *Q)
{
    limb_t t0[NL], t1[NL], t2[NL], t3[NL], t4[NL], X3[NL], Y3[NL], Z3[NL];
    MUL(t0, P->X, Q->X);
    MUL(t1, P->Y, Q->Y);
    MUL(t2, P->Z, Q->Z);
    ADD(t3, P->X, P->Y);
    ADD(t4, Q->X, Q->Y);
    MUL(t3, t3, t4);
    ADD(t4, t0, t1);
    SUB(t3, t3, t4);
    ADD(t4, P->Y, P->Z);
    ADD(X3, Q->Y, Q->Z);
    MUL(t4, t4, X3);
    ADD(X3, t1, t2);
    SUB(t4, t4, X3);
    ADD(X3, P->X, P->Z);
    ADD(Y3, Q->X, Q->Z);
    MUL(X3, X3, Y3);
    ADD(Y3, t0, t2);
    SUB(Y3, X3, Y3);
    MUL(Z3, F(b), t2);
    SUB(X3, Y3, Z3);
    ADD(Z3, X3, X3);
    ADD(X3, X3, Z3);
    SUB(Z3, t1, X3);
    ADD(X3, t1, X3);
    MUL(Y3, F(b), Y3);
    ADD(t1, t2, t2);
    ADD(t2, t1, t2);
    SUB(Y3, Y3, t2);
    SUB(Y3, Y3, t0);
    ADD(t1, Y3, Y3);
    ADD(Y3, t1, Y3);
    ADD(t1, t0, t0);
    ADD(t0, t1, t0);
    SUB(t0, t0, t2);
    MUL(t1, t4, Y3);
    MUL(t2, t0, Y3);
    MUL(Y3, X3, Z3);
    ADD(Y3, Y3, t2);
    MUL(X3, t3, X3);
    SUB(X3, X3, t1);
    MUL(Z3, t4, Z3);
    MUL(t1, t3, t0);
    ADD(Z3, Z3, t1);
    F(fe_copy)(R->X, X3);
    F(fe_copy)(R->Y, Y3);
    F(fe_copy)(R->Z, Z3);
}

/* One doubling in Jacobian coordinates, dbl-2001-b (a = -3) with 2YZ as a product
 * (P-256 with ADX; elsewhere (Y+Z)^2 - gamma - delta) and the factors of 2 taken early
 * (fewer additions), 3M + 5S or 4M + 4S; branch-free, so
 * the constant-time k*P and k*G use it too.  Infinity (Z = 0) stays infinity.  R may be P. */
static void F(jac_dbl)(F(pt_t) *R, const F(pt_t) *P)
{
    limb_t delta[NL], gamma2[NL], beta4[NL], alpha[NL], t[NL], X[NL], Y[NL], Z[NL];
    F(fp_sqr)(delta, P->Z);
    F(fp_sqr)(gamma2, P->Y);
#if defined(FP_SQR_ADX)
    MUL(Z, P->Y, P->Z); /* with the ADX code a square costs about a product */
    ADD(Z, Z, Z); /* 2YZ */
#else
    ADD(Z, P->Y, P->Z);
    F(fp_sqr)(Z, Z);
    SUB(Z, Z, gamma2);
    SUB(Z, Z, delta); /* 2YZ */
#endif
    ADD(gamma2, gamma2, gamma2); /* 2 gamma */
    SUB(t, P->X, delta);
    ADD(alpha, P->X, delta);
    MUL(alpha, t, alpha);
    ADD(t, alpha, alpha);
    ADD(alpha, t, alpha); /* 3 (X - delta)(X + delta) */
    MUL(beta4, P->X, gamma2);
    ADD(beta4, beta4, beta4); /* 4 beta */
    F(fp_sqr)(X, alpha);
    SUB(X, X, beta4);
    SUB(X, X, beta4); /* alpha^2 - 8 beta */
    SUB(beta4, beta4, X);
    F(fp_sqr)(Y, gamma2);
    ADD(Y, Y, Y); /* 8 gamma^2 */
    MUL(t, alpha, beta4);
    SUB(Y, t, Y);
    F(fe_copy)(R->X, X);
    F(fe_copy)(R->Y, Y);
    F(fe_copy)(R->Z, Z);
}

static inline void F(pt_identity)(F(pt_t) *R)
{
    for (int j = 0; j < NL; j++) R->X[j] = R->Z[j] = 0;
    F(fe_copy)(R->Y, F(fp).one);
}

static inline void F(pt_cmov)(F(pt_t) *R, const F(pt_t) *P, limb_t mask)
{
    F(fe_cmov)(R->X, P->X, mask);
    F(fe_cmov)(R->Y, P->Y, mask);
    F(fe_cmov)(R->Z, P->Z, mask);
}

/* All-ones when a == b (small unsigned values), else zero. */
static inline limb_t F(eq_mask)(limb_t a, limb_t b)
{
    limb_t x = a ^ b;
    return ((x | (0 - x)) >> 63) - 1;
}

static inline unsigned F(digit)(const limb_t *k, int i)
{
    return (unsigned)(k[i / 16] >> (4 * (i % 16))) & 15;
}

/* k (below 2^NBITS) as NSWIN signed base-32 digits in [-15, 16], least significant
 * first: a window above 16 becomes window - 32 and carries 1 upwards.  Branch-free
 * (the bit positions are public); k < n leaves no carry out of the top window. */
static void F(recode5)(int *dig, const limb_t *k)
{
    limb_t carry = 0;
    for (int i = 0; i < NSWIN; i++) {
        int bit = 5 * i;
        limb_t w = bit / 64 < NL ? k[bit / 64] >> (bit % 64) : 0;
        if (bit % 64 > 59 && bit / 64 + 1 < NL) w |= k[bit / 64 + 1] << (64 - bit % 64);
        limb_t v = (w & 31) + carry;
        carry = (v + 15) >> 5;
        dig[i] = (int)v - (int)(carry << 5);
    }
}

/* |d| and an all-ones mask when d < 0, without branching on d. */
static inline limb_t F(digit_abs)(int d, limb_t *neg)
{
    limb_t s = 0 - (limb_t)((unsigned)d >> 31);
    *neg = s;
    return ((limb_t)(long)d ^ s) - s;
}

/* Affine coordinates out of Montgomery form; returns 0 for infinity. */
static int F(pt_to_affine)(limb_t *x, limb_t *y, const F(pt_t) *P)
{
    limb_t zi[NL], t[NL];
    int finite = !F(fe_zero_mask)(P->Z); /* whether the result is infinity is public */
    F(fp_inv)(zi, P->Z);
    MUL(t, P->X, zi);
    F(from_mont)(x, t, &F(fp));
    MUL(t, P->Y, zi);
    F(from_mont)(y, t, &F(fp));
    return finite;
}

/* ---- scalar multiplication ----------------------------------------------------- */

/* *sel = row[mag - 1] (all zero for mag 0), reading every entry of the row and
 * keeping one under a mask.  With SSE2 (every x86-64) a 128-bit and/or takes two
 * limbs at a time: the scan was a sixth of k*G. */
static inline void F(gtab_pick)(F(aff_t) *sel, const F(aff_t) *row, limb_t mag)
{
#if defined(__SSE2__)
    enum { NV = sizeof(F(aff_t)) / 16 }; /* 2 NL limbs: a whole number of vectors */
    __m128i acc[NV];
    for (int v = 0; v < NV; v++) acc[v] = _mm_setzero_si128();
    for (int j = 1; j < 17; j++) {
        __m128i m = _mm_set1_epi64x((long long)F(eq_mask)(mag, (limb_t)j));
        const __m128i *src = (const __m128i *)&row[j - 1];
        for (int v = 0; v < NV; v++)
            acc[v] = _mm_or_si128(acc[v], _mm_and_si128(m, _mm_loadu_si128(src + v)));
    }
    for (int v = 0; v < NV; v++) _mm_storeu_si128((__m128i *)sel + v, acc[v]);
#else
    for (int j = 0; j < NL; j++) sel->x[j] = sel->y[j] = 0;
    for (int j = 1; j < 17; j++) {
        limb_t m = F(eq_mask)(mag, (limb_t)j);
        F(fe_cmov)(sel->x, row[j - 1].x, m);
        F(fe_cmov)(sel->y, row[j - 1].y, m);
    }
#endif
}

/* R = P + (x, y) in Jacobian coordinates, madd-2004-hmv (8M + 3S against the
 * complete formula's 13M).  Not complete: only for P finite and P != +-(x, y),
 * which mul_base_ct guarantees.  Branch-free.  R may be P. */
static void F(jac_madd_ct)(F(pt_t) *R, const F(pt_t) *P, const F(aff_t) *Q)
{
    limb_t t1[NL], t2[NL], t3[NL], t4[NL];
    F(fp_sqr)(t1, P->Z);
    MUL(t2, t1, P->Z);
    MUL(t1, t1, Q->x);
    MUL(t2, t2, Q->y);
    SUB(t1, t1, P->X); /* H */
    SUB(t2, t2, P->Y); /* r */
    MUL(R->Z, P->Z, t1);
    F(fp_sqr)(t4, t1);
    MUL(t3, t4, t1);   /* H^3 */
    MUL(t4, t4, P->X); /* X1 H^2 */
    MUL(t1, t3, P->Y); /* Y1 H^3 */
    F(fp_sqr)(R->X, t2);
    SUB(R->X, R->X, t3);
    SUB(R->X, R->X, t4);
    SUB(R->X, R->X, t4);
    SUB(t4, t4, R->X);
    MUL(t4, t4, t2);
    SUB(R->Y, t4, t1);
}

/* R = k*G, constant time in k: one mixed addition per signed 5-bit window, the
 * whole row of gtab read each time.
 *
 * The partial sum before window i is S = sum of d_j 32^j (j < i), |S| < 32^i/1.9,
 * and window i adds d_i 32^i G with |d_i| >= 1.  For k < n, S is 0 mod n only while
 * every digit so far is 0, and S = +-d_i 32^i mod n never holds (below the top
 * window both sides are under n/2 and |S| < |d_i| 32^i; the top window would need
 * k = 2^256 - n or 2^257 - n mod n in its range, for P-256; the same holds with
 * 2^(5 NSWIN) for P-384 and P-521, and a test runs the scalars at every window's
 * boundaries through all three).  So the cheap Jacobian addition
 * only needs the "nothing added yet" case, a mask: k is reduced mod n first. */
static void F(mul_base_ct)(F(pt_t) *R, const limb_t *k)
{
    F(pt_t) acc, sum;
    F(aff_t) sel;
    limb_t kr[NL], negy[NL], zero[NL] = {0}, t[NL];
    int dig[NSWIN];
    unsigned char br = 0;
    for (int j = 0; j < NL; j++) NIST_SUBB(br, k[j], F(fn).m[j], &kr[j]);
    F(fe_cmov)(kr, k, 0 - (limb_t)br); /* callers pass k < n; for P-256 and P-384
                                          * any k < 2^(64 NL) < 2n is reduced too */
    F(recode5)(dig, kr);
    F(pt_identity)(&acc);
    limb_t inf = ~(limb_t)0; /* acc is infinity */
    for (int i = 0; i < NSWIN; i++) {
        limb_t neg, mag = F(digit_abs)(dig[i], &neg);
        F(gtab_pick)(&sel, F(gtab)[i], mag);
        SUB(negy, zero, sel.y);
        F(fe_cmov)(sel.y, negy, neg);
        /* For a 0 digit `sel` is not a point and the sum is discarded; onto
         * infinity the sum is `sel` itself. */
        F(jac_madd_ct)(&sum, &acc, &sel);
        F(fe_cmov)(sum.X, sel.x, inf);
        F(fe_cmov)(sum.Y, sel.y, inf);
        F(fe_cmov)(sum.Z, F(fp).one, inf);
        limb_t nz = ~F(eq_mask)(mag, 0);
        F(pt_cmov)(&acc, &sum, nz);
        inf &= ~nz;
    }
    /* Jacobian -> projective: (XZ, Y, Z^3); infinity (Z = 0) as (0:1:0) */
    MUL(R->X, acc.X, acc.Z);
    F(fp_sqr)(t, acc.Z);
    MUL(R->Z, t, acc.Z);
    F(fe_copy)(R->Y, acc.Y);
    F(fe_cmov)(R->Y, F(fp).one, inf);
}

/* The start every Jacobian addition shares: U1 = X1 Z2^2, S1 = Y1 Z2^3, H = U2 - U1 and
 * r = S2 - S1.  Branch-free (the constant-time addition uses it too). */
static inline void F(jac_add_head)(limb_t *u1, limb_t *s1, limb_t *h, limb_t *r,
                                   const F(pt_t) *P, const F(pt_t) *Q)
{
    limb_t z1z1[NL], z2z2[NL], u2[NL], s2[NL];
    F(fp_sqr)(z1z1, P->Z);
    F(fp_sqr)(z2z2, Q->Z);
    MUL(u1, P->X, z2z2);
    MUL(u2, Q->X, z1z1);
    MUL(s1, P->Y, Q->Z);
    MUL(s1, s1, z2z2);
    MUL(s2, Q->Y, P->Z);
    MUL(s2, s2, z1z1);
    SUB(h, u2, u1);
    SUB(r, s2, s1);
}

/* The tail every Jacobian addition shares: given u1, s1 (P's X and Y scaled to the
 * common denominator), h = u2 - u1, r = s2 - s1 and zh = the new Z.  Branch-free; h = 0
 * gives a meaningless result, which the callers branch on (variable time) or mask. */
static void F(jac_add_tail)(F(pt_t) *R, const limb_t *u1, const limb_t *s1, const limb_t *h,
                            const limb_t *r, const limb_t *zh)
{
    limb_t hh[NL], hhh[NL], v[NL], t[NL], X3[NL], Y3[NL];
    F(fp_sqr)(hh, h);
    MUL(hhh, h, hh);
    MUL(v, u1, hh);
    F(fp_sqr)(t, r);
    SUB(t, t, hhh);
    SUB(t, t, v);
    SUB(X3, t, v); /* r^2 - h^3 - 2 u1 h^2 */
    SUB(t, v, X3);
    MUL(t, r, t);
    MUL(hhh, s1, hhh);
    SUB(Y3, t, hhh); /* r (u1 h^2 - X3) - s1 h^3 */
    F(fe_copy)(R->X, X3);
    F(fe_copy)(R->Y, Y3);
    F(fe_copy)(R->Z, zh);
}

/* R = P + Q in Jacobian coordinates, add-1998-cmo-2 (12M + 4S against the complete
 * projective formula's 12M + 2 mul-by-b and twice the additions).  Not complete:
 * for P = Q it returns (0:0:0), and for P = -Q a point with Z = 0 (infinity); an
 * infinite input gives garbage.  mul_ct_jac masks the cases it can meet.  Branch-free.
 * Also returns H = U2 - U1 and r = S2 - S1 (both zero exactly when P = Q, for
 * finite P, Q).  R may be P or Q. */
static void F(jac_add_ct)(F(pt_t) *R, limb_t *h, limb_t *r, const F(pt_t) *P, const F(pt_t) *Q)
{
    limb_t u1[NL], s1[NL], zh[NL];
    F(jac_add_head)(u1, s1, h, r, P, Q);
    MUL(zh, P->Z, Q->Z);
    MUL(zh, zh, h);
    F(jac_add_tail)(R, u1, s1, h, r, zh);
}

/* *sel = tab[mag - 1] (all zero for mag 0), reading all 16 entries under masks; two
 * limbs at a time with SSE2. */
static inline void F(jtab_pick)(F(pt_t) *sel, const F(pt_t) *tab, limb_t mag)
{
    limb_t *out = (limb_t *)sel;
#if defined(__SSE2__)
    enum { NV = (3 * NL) / 2 };
    __m128i acc[NV];
    limb_t rest = 0;
    for (int v = 0; v < NV; v++) acc[v] = _mm_setzero_si128();
    for (int j = 1; j < 17; j++) {
        limb_t mk = F(eq_mask)(mag, (limb_t)j);
        __m128i m = _mm_set1_epi64x((long long)mk);
        const limb_t *src = (const limb_t *)&tab[j - 1];
        for (int v = 0; v < NV; v++)
            acc[v] = _mm_or_si128(acc[v], _mm_and_si128(m, _mm_loadu_si128((const __m128i *)(src + 2 * v))));
        if ((3 * NL) & 1) rest |= mk & src[3 * NL - 1]; /* NL is a constant */
    }
    for (int v = 0; v < NV; v++) _mm_storeu_si128((__m128i *)(out + 2 * v), acc[v]);
    if ((3 * NL) & 1) out[3 * NL - 1] = rest;
#else
    for (int l = 0; l < 3 * NL; l++) out[l] = 0;
    for (int j = 1; j < 17; j++) {
        limb_t mk = F(eq_mask)(mag, (limb_t)j);
        const limb_t *src = (const limb_t *)&tab[j - 1];
        for (int l = 0; l < 3 * NL; l++) out[l] |= mk & src[l];
    }
#endif
}

/* R = k*P in Jacobian coordinates for an affine P (Z = 1) of order n, constant time
 * in k; returns an all-ones mask when the result is infinity (k = 0 mod n).  Signed
 * 5-bit windows: five Jacobian doublings, then one Jacobian addition of the table
 * entry |d| P (1 <= |d| <= 16, all 16 read under masks), negated under a mask.
 *
 * Exceptional cases.  k is reduced below n first.  Let V_i = sum_{j >= i} d_j 32^(j-i),
 * so that before window i the accumulator is 32 V_(i+1) P, and V_i = floor(k / 32^i)
 * + (0 or 1) >= 0.  For i >= 1, 0 <= 32 V_(i+1) <= k / 32^i + 32 < n/2 and |d_i| <= 16,
 * so 32 V_(i+1) = +-d_i mod n only as integers, i.e. only for V_(i+1) = 0 and d_i = 0:
 * the accumulator is infinity exactly while every digit so far is 0 (a mask, `inf`),
 * and it never meets +-|d_i| P otherwise.  For i = 0 the accumulator 32 V_1 P can be
 * d_0 P (k = 2 d_0 mod n, which happens, e.g. P-521's k = n - 18 with d_0 = -9) but not
 * -d_0 P (that needs k = 0 mod n); so the last addition alone also computes the
 * doubling and takes it under a mask when H = r = 0.  A 0 digit's sum is discarded,
 * and onto infinity the sum is the pick itself. */
static limb_t F(mul_ct_jac)(F(pt_t) *R, const limb_t *k, const F(pt_t) *P)
{
    F(pt_t) tab[16], sel, acc, sum, dbl;
    F(aff_t) Pa;
    limb_t kr[NL], negy[NL], zero[NL] = {0}, h[NL], r[NL];
    int dig[NSWIN];
    unsigned char br = 0;
    for (int j = 0; j < NL; j++) NIST_SUBB(br, k[j], F(fn).m[j], &kr[j]);
    F(fe_cmov)(kr, k, 0 - (limb_t)br);
    F(recode5)(dig, kr);
    /* tab[j - 1] = j P: 2P by a doubling, then mixed additions of P (jP != +-P as
     * n > 17). */
    F(fe_copy)(Pa.x, P->X);
    F(fe_copy)(Pa.y, P->Y);
    F(fe_copy)(tab[0].X, P->X);
    F(fe_copy)(tab[0].Y, P->Y);
    F(fe_copy)(tab[0].Z, F(fp).one);
    F(jac_dbl)(&tab[1], &tab[0]);
    for (int j = 2; j < 16; j++) F(jac_madd_ct)(&tab[j], &tab[j - 1], &Pa);
    F(fe_copy)(acc.X, F(fp).one);
    F(fe_copy)(acc.Y, F(fp).one);
    F(fe_copy)(acc.Z, zero);
    limb_t inf = ~(limb_t)0;
    for (int i = NSWIN - 1; i >= 0; i--) {
        if (i != NSWIN - 1)
            for (int s = 0; s < 5; s++) F(jac_dbl)(&acc, &acc);
        limb_t neg, mag = F(digit_abs)(dig[i], &neg);
        F(jtab_pick)(&sel, tab, mag);
        SUB(negy, zero, sel.Y);
        F(fe_cmov)(sel.Y, negy, neg);
        F(jac_add_ct)(&sum, h, r, &acc, &sel);
        if (i == 0) { /* public position: see above */
            F(jac_dbl)(&dbl, &acc);
            limb_t same = F(fe_zero_mask)(h) & F(fe_zero_mask)(r) & ~inf;
            F(pt_cmov)(&sum, &dbl, same);
        }
        F(pt_cmov)(&sum, &sel, inf);
        limb_t nz = ~F(eq_mask)(mag, 0);
        F(pt_cmov)(&acc, &sum, nz);
        inf &= ~nz;
    }
    *R = acc;
    return inf;
}

/* ---- verification: Jacobian coordinates, variable time (public inputs only) ------ */

/* Jacobian (X:Y:Z) stands for (X/Z^2, Y/Z^3); Z = 0 is infinity.  These formulas
 * branch on their inputs, which is why only verification (u1, u2, Q, all public)
 * uses them: they are cheaper than the complete ones (a doubling 3M + 5S, a mixed
 * addition 8M + 3S) and skip the projective/Jacobian conversions. */

static inline int F(fe_is_zero)(const limb_t *a)
{
    return F(fe_zero_mask)(a) != 0;
}

static inline void F(jac_set_infinity)(F(pt_t) *R)
{
    F(fe_copy)(R->X, F(fp).one);
    F(fe_copy)(R->Y, F(fp).one);
    for (int j = 0; j < NL; j++) R->Z[j] = 0;
}

/* The variable-time additions' exceptional case, P and Q with the same x (H = 0):
 * R = 2P when r = 0 too (P = Q), else infinity (P = -Q). */
static void F(jac_same_x)(F(pt_t) *R, const F(pt_t) *P, const limb_t *r)
{
    if (F(fe_is_zero)(r))
        F(jac_dbl)(R, P);
    else
        F(jac_set_infinity)(R);
}

/* R = P + Q, every case (either infinity, P = Q, P = -Q).  R may be P or Q. */
static void F(jac_add)(F(pt_t) *R, const F(pt_t) *P, const F(pt_t) *Q)
{
    if (F(fe_is_zero)(P->Z)) {
        *R = *Q;
        return;
    }
    if (F(fe_is_zero)(Q->Z)) {
        *R = *P;
        return;
    }
    limb_t u1[NL], s1[NL], h[NL], r[NL], zh[NL];
    F(jac_add_head)(u1, s1, h, r, P, Q);
    if (F(fe_is_zero)(h)) {
        F(jac_same_x)(R, P, r);
        return;
    }
    MUL(zh, P->Z, Q->Z);
    MUL(zh, zh, h);
    F(jac_add_tail)(R, u1, s1, h, r, zh);
}

/* R = P + (x, y) for an affine point (never infinity).  R may be P. */
static void F(jac_add_affine)(F(pt_t) *R, const F(pt_t) *P, const limb_t *x, const limb_t *y)
{
    if (F(fe_is_zero)(P->Z)) {
        F(fe_copy)(R->X, x);
        F(fe_copy)(R->Y, y);
        F(fe_copy)(R->Z, F(fp).one);
        return;
    }
    limb_t z1z1[NL], u2[NL], s2[NL], h[NL], r[NL], zh[NL], u1[NL], s1[NL];
    F(fp_sqr)(z1z1, P->Z);
    MUL(u2, x, z1z1);
    MUL(s2, y, P->Z);
    MUL(s2, s2, z1z1);
    SUB(h, u2, P->X);
    SUB(r, s2, P->Y);
    if (F(fe_is_zero)(h)) {
        F(jac_same_x)(R, P, r);
        return;
    }
    MUL(zh, P->Z, h);
    F(fe_copy)(u1, P->X);
    F(fe_copy)(s1, P->Y);
    F(jac_add_tail)(R, u1, s1, h, r, zh);
}

/* k (public, below 2^NBITS) in width-5 non-adjacent form, least significant digit
 * first: every digit 0 or odd in [-15, 15], at most one non-zero in any 5 in a row.
 * Returns the number of digits (at most NBITS + 1). */
static int F(wnaf5)(signed char *naf, const limb_t *k)
{
    limb_t t[NL + 1];
    int len = 0, nonzero = 0;
    for (int j = 0; j < NL; j++) {
        t[j] = k[j];
        nonzero |= k[j] != 0;
    }
    t[NL] = 0;
    while (nonzero) {
        int d = 0;
        if (t[0] & 1) {
            d = (int)(t[0] & 31);
            if (d > 16) d -= 32;
            /* t -= d: the low 5 bits become zero; borrow or carry through the limbs */
            if (d > 0) {
                limb_t prev = t[0];
                t[0] -= (limb_t)d;
                for (int j = 1; prev < (limb_t)d && j <= NL; j++) {
                    prev = t[j];
                    t[j] -= 1;
                    if (prev != 0) break;
                }
            } else {
                limb_t add = (limb_t)(-d);
                t[0] += add;
                for (int j = 1; t[0] < add && j <= NL; j++) {
                    if (++t[j] != 0) break;
                }
            }
        }
        naf[len++] = (signed char)d;
        nonzero = 0;
        for (int j = 0; j < NL; j++) {
            t[j] = (t[j] >> 1) | (t[j + 1] << 63);
            nonzero |= t[j] != 0;
        }
        t[NL] >>= 1;
        nonzero |= t[NL] != 0;
    }
    return len;
}

/* acc += k * P for public k, given P's comb table (tab[16 i + j - 1] = j * 32^i * P):
 * one affine addition per non-zero signed 5-bit window. */
static void F(comb_add_vartime)(F(pt_t) *acc, const limb_t *k, const F(aff_t) *tab)
{
    int dig[NSWIN];
    limb_t zero[NL] = {0}, ny[NL];
    F(recode5)(dig, k);
    for (int i = 0; i < NSWIN; i++) {
        int d = dig[i];
        if (d > 0) {
            F(jac_add_affine)(acc, acc, tab[16 * i + d - 1].x, tab[16 * i + d - 1].y);
        } else if (d < 0) {
            SUB(ny, zero, tab[16 * i - d - 1].y);
            F(jac_add_affine)(acc, acc, tab[16 * i - d - 1].x, ny);
        }
    }
}

/* R = u1*G + u2*Q in Jacobian coordinates, for public u1, u2, Q (verification). */
static void F(mul_double_vartime)(F(pt_t) *R, const limb_t *u1, const limb_t *u2, const F(pt_t) *Q)
{
    F(pt_t) tab[8], q2, acc, neg;
    signed char naf[NBITS + 2];
    limb_t zero[NL] = {0};
    /* Q (Z = 1: the same point in Jacobian coordinates) and its odd multiples to 15Q. */
    tab[0] = *Q;
    F(jac_dbl)(&q2, Q);
    for (int j = 1; j < 8; j++) F(jac_add)(&tab[j], &tab[j - 1], &q2);
    int len = F(wnaf5)(naf, u2);
    F(jac_set_infinity)(&acc);
    for (int i = len - 1; i >= 0; i--) {
        if (!F(fe_is_zero)(acc.Z)) F(jac_dbl)(&acc, &acc);
        int d = naf[i];
        if (d > 0) {
            F(jac_add)(&acc, &acc, &tab[d >> 1]);
        } else if (d < 0) {
            neg = tab[(-d) >> 1];
            SUB(neg.Y, zero, neg.Y);
            F(jac_add)(&acc, &acc, &neg);
        }
    }
    /* u1*G: one affine addition per non-zero signed 5-bit window of the comb table. */
    F(comb_add_vartime)(&acc, u1, &F(gtab)[0][0]);
    *R = acc;
}

/* R = u1*G + u2*Q with Q's own comb table (see comb_table): no doublings at all. */
static void F(mul_double_table_vartime)(F(pt_t) *R, const limb_t *u1, const limb_t *u2,
                                        const F(aff_t) *qtab)
{
    F(pt_t) acc;
    F(jac_set_infinity)(&acc);
    F(comb_add_vartime)(&acc, u2, qtab);
    F(comb_add_vartime)(&acc, u1, &F(gtab)[0][0]);
    *R = acc;
}

/* ---- set-up: constants from Python, then the generator table --------------------- */

static void F(load_mod)(F(mod_t) *M, const limb_t *w)
{
    F(fe_copy)(M->m, w);
    M->m0inv = w[NL];
    F(fe_copy)(M->r2, w + NL + 1);
    F(fe_copy)(M->one, w + 2 * NL + 1);
    F(fe_copy)(M->exp_inv, w + 3 * NL + 1);
}

/* tab[16 i + j - 1] = j * 32^i * P for i < NSWIN and j = 1..16, affine (Montgomery
 * form), made with complete additions and one batched inversion.  P is an affine
 * point that is not infinity.  The generator's table is built this way once; a public
 * key's, on request, for keys that verify often.  Returns -1 if memory runs out. */
static int F(comb_table)(F(aff_t) *tab, const F(aff_t) *P)
{
    const int count = NSWIN * 16;
    F(pt_t) *proj = (F(pt_t) *)malloc(sizeof(F(pt_t)) * count);
    limb_t (*prefix)[NL] = malloc(sizeof(limb_t[NL]) * count);
    if (!proj || !prefix) {
        free(proj);
        free(prefix);
        return -1;
    }
    F(pt_t) base;
    F(fe_copy)(base.X, P->x);
    F(fe_copy)(base.Y, P->y);
    F(fe_copy)(base.Z, F(fp).one);
    for (int i = 0; i < NSWIN; i++) {
        proj[i * 16] = base;
        for (int j = 1; j < 16; j++) F(pt_add)(&proj[i * 16 + j], &proj[i * 16 + j - 1], &base);
        F(pt_add)(&base, &proj[i * 16 + 15], &proj[i * 16 + 15]); /* 32 * base */
    }
    F(fe_copy)(prefix[0], proj[0].Z);
    for (int t = 1; t < count; t++) MUL(prefix[t], prefix[t - 1], proj[t].Z);
    limb_t inv[NL], zi[NL];
    F(fp_inv)(inv, prefix[count - 1]);
    for (int t = count - 1; t >= 0; t--) {
        if (t > 0) {
            MUL(zi, inv, prefix[t - 1]);
            MUL(inv, inv, proj[t].Z);
        } else {
            F(fe_copy)(zi, inv);
        }
        MUL(tab[t].x, proj[t].X, zi);
        MUL(tab[t].y, proj[t].Y, zi);
    }
    free(proj);
    free(prefix);
    return 0;
}

/* words: fp record (4*NL+1), fn record (4*NL+1), b, gx, gy (Montgomery form). */
static int F(init)(const limb_t *w)
{
    F(load_mod)(&F(fp), w);
    F(load_mod)(&F(fn), w + 4 * NL + 1);
    const limb_t *c = w + 8 * NL + 2;
    F(fe_copy)(F(b), c);
    F(fe_copy)(F(g).x, c + NL);
    F(fe_copy)(F(g).y, c + 2 * NL);

    return F(comb_table)(&F(gtab)[0][0], &F(g));
}

/* ---- the operations the Cython module offers -------------------------------------- */

/* out = x || y of k*G. */
static void F(base_mult)(unsigned char *out, const unsigned char *kb)
{
    limb_t k[NL], x[NL], y[NL];
    F(pt_t) R;
    F(load)(k, kb);
    F(mul_base_ct)(&R, k);
    F(pt_to_affine)(x, y, &R);
    F(store)(out, x);
    F(store)(out + FBYTES, y);
}

static void F(load_point)(F(pt_t) *P, const unsigned char *xy)
{
    limb_t t[NL];
    F(load)(t, xy);
    F(to_mont)(P->X, t, &F(fp));
    F(load)(t, xy + FBYTES);
    F(to_mont)(P->Y, t, &F(fp));
    F(fe_copy)(P->Z, F(fp).one);
}

/* out = x of k*peer; returns 0 if that is infinity. */
static int F(ecdh)(unsigned char *out, const unsigned char *kb, const unsigned char *peer)
{
    limb_t k[NL], x[NL], y[NL];
    F(pt_t) P, R;
    F(load)(k, kb);
    F(load_point)(&P, peer);
    limb_t inf = F(mul_ct_jac)(&R, k, &P);
    /* x = X / Z^2; whether the result is infinity is public */
    limb_t zi[NL], t[NL];
    F(fp_inv)(zi, R.Z);
    F(fp_sqr)(zi, zi);
    MUL(t, R.X, zi);
    F(from_mont)(x, t, &F(fp));
    (void)y;
    F(store)(out, x);
    return !inf;
}

/* ECDSA: r = x(kG) mod n, s = k^-1 (e + r d) mod n; returns 0 if r or s is 0. */
static int F(sign)(unsigned char *rout, unsigned char *sout, const unsigned char *db,
                   const unsigned char *kb, const unsigned char *eb)
{
    limb_t k[NL], x[NL], y[NL], r[NL], t[NL], rm[NL], dm[NL], em[NL], km[NL], s[NL];
    F(pt_t) R;
    F(load)(k, kb);
    F(mul_base_ct)(&R, k);
    F(pt_to_affine)(x, y, &R);
    /* x < p < 2n, and to_mont reduces any input below R: r = x mod n. */
    F(to_mont)(rm, x, &F(fn));
    F(from_mont)(r, rm, &F(fn));
    F(load)(t, db);
    F(to_mont)(dm, t, &F(fn));
    F(load)(t, eb);
    F(to_mont)(em, t, &F(fn));
    F(to_mont)(km, k, &F(fn));
    F(fe_inv)(km, km, &F(fn));
    F(fe_mul)(t, rm, dm, &F(fn));
    F(fe_add)(t, t, em, &F(fn));
    F(fe_mul)(t, t, km, &F(fn));
    F(from_mont)(s, t, &F(fn));
    F(store)(rout, r);
    F(store)(sout, s);
    return !(F(fe_zero_mask)(r) | F(fe_zero_mask)(s));
}

/* out = affine x of a Jacobian point; returns 0 (and writes nothing) for infinity. */
static int F(jac_store_x)(unsigned char *out, const F(pt_t) *R)
{
    limb_t zi[NL], t[NL], x[NL];
    if (F(fe_is_zero)(R->Z)) return 0;
    F(fp_inv)(zi, R->Z);
    F(fp_sqr)(zi, zi);
    MUL(t, R->X, zi);
    F(from_mont)(x, t, &F(fp));
    F(store)(out, x);
    return 1;
}

/* out = x of u1*G + u2*Q (all public); returns 0 if that is infinity. */
static int F(double_base_x)(unsigned char *out, const unsigned char *u1b,
                            const unsigned char *u2b, const unsigned char *q)
{
    limb_t u1[NL], u2[NL];
    F(pt_t) Q, R;
    F(load)(u1, u1b);
    F(load)(u2, u2b);
    F(load_point)(&Q, q);
    F(mul_double_vartime)(&R, u1, u2, &Q);
    return F(jac_store_x)(out, &R);
}

/* Bytes of one public key's comb table. */
#define F_TABLE_BYTES (NSWIN * 16 * sizeof(F(aff_t)))

/* The comb table of the public point q (x || y) into tab (F_TABLE_BYTES, suitably
 * aligned); returns -1 if memory runs out. */
static int F(point_table)(unsigned char *tab, const unsigned char *q)
{
    F(pt_t) Q;
    F(aff_t) P;
    F(load_point)(&Q, q);
    F(fe_copy)(P.x, Q.X);
    F(fe_copy)(P.y, Q.Y);
    return F(comb_table)((F(aff_t) *)tab, &P);
}

/* double_base_x with Q given by its comb table. */
static int F(double_base_x_table)(unsigned char *out, const unsigned char *u1b,
                                  const unsigned char *u2b, const unsigned char *tab)
{
    limb_t u1[NL], u2[NL];
    F(pt_t) R;
    F(load)(u1, u1b);
    F(load)(u2, u2b);
    F(mul_double_table_vartime)(&R, u1, u2, (const F(aff_t) *)tab);
    return F(jac_store_x)(out, &R);
}

#undef F_TABLE_BYTES
#undef MUL
#undef ADD
#undef SUB
#undef F
#undef NWIN
#undef NSWIN
