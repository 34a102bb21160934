/* P-256 Montgomery multiplication with MULX/ADCX/ADOX (BMI2 + ADX), x86-64 only.
 *
 * Word-serial Montgomery (CIOS) in four rounds.  Each round adds a * b[i] to the
 * accumulator with two interleaved carry chains (ADOX for the low halves of the
 * partial products, ADCX for the high halves), then adds q*p with q = t0
 * (-p^-1 = 1 mod 2^64) using the shape of p: q*2^32 at limb 1 (from q*(2^64-1)
 * at limb 0 plus q*(2^32-1) at limb 1) and q*(2^64 - 2^32 + 1) at limb 3.
 * No branches, no memory indexes depending on data.  Only used when CPUID
 * reports both BMI2 and ADX (nist_have_adx, set at module initialisation).
 */
#ifndef NOCRYPTO_P256_ADX_H
#define NOCRYPTO_P256_ADX_H

#if defined(__x86_64__) && defined(__GNUC__)
#define NIST_HAVE_ADX_CODE 1

/* The first half of a round, shared by both kinds: t0..t5 += a * bi (bi in rdx),
 * products' low halves on the OF carry chain (ADOX), high halves on CF (ADCX). */
#define ADX4_MULADD_ASM                                                         \
    "xorl %k[lo], %k[lo]\n\t"                                                  \
    "mulxq 0(%[a]), %[lo], %[hi]\n\t"                                          \
    "adoxq %[lo], %[x0]\n\t"                                                   \
    "adcxq %[hi], %[x1]\n\t"                                                   \
    "mulxq 8(%[a]), %[lo], %[hi]\n\t"                                          \
    "adoxq %[lo], %[x1]\n\t"                                                   \
    "adcxq %[hi], %[x2]\n\t"                                                   \
    "mulxq 16(%[a]), %[lo], %[hi]\n\t"                                         \
    "adoxq %[lo], %[x2]\n\t"                                                   \
    "adcxq %[hi], %[x3]\n\t"                                                   \
    "mulxq 24(%[a]), %[lo], %[hi]\n\t"                                         \
    "adoxq %[lo], %[x3]\n\t"                                                   \
    "adcxq %[hi], %[x4]\n\t"                                                   \
    "movl $0, %k[lo]\n\t"                                                      \
    "adoxq %[lo], %[x4]\n\t"                                                   \
    "adcxq %[lo], %[x5]\n\t"                                                   \
    "adoxq %[lo], %[x5]\n\t"

/* q = t0 * m0inv, then t0..t4 += q*m (which clears t0): the reduction half of a
 * Montgomery round by a 4-limb run-time modulus, on the same two carry chains. */
#define ADX4_QM_ASM                                                             \
    "movq %[x0], %%rdx\n\t"                                                   \
    "imulq %[minv], %%rdx\n\t"                                                \
    "xorl %k[lo], %k[lo]\n\t"                                                 \
    "mulxq 0(%[m]), %[lo], %[hi]\n\t"                                         \
    "adoxq %[lo], %[x0]\n\t"                                                  \
    "adcxq %[hi], %[x1]\n\t"                                                  \
    "mulxq 8(%[m]), %[lo], %[hi]\n\t"                                         \
    "adoxq %[lo], %[x1]\n\t"                                                  \
    "adcxq %[hi], %[x2]\n\t"                                                  \
    "mulxq 16(%[m]), %[lo], %[hi]\n\t"                                        \
    "adoxq %[lo], %[x2]\n\t"                                                  \
    "adcxq %[hi], %[x3]\n\t"                                                  \
    "mulxq 24(%[m]), %[lo], %[hi]\n\t"                                        \
    "adoxq %[lo], %[x3]\n\t"                                                  \
    "adcxq %[hi], %[x4]\n\t"                                                  \
    "movl $0, %k[lo]\n\t"                                                     \
    "adoxq %[lo], %[x4]\n\t"

/* One round: t0..t5 += a * bi, then += q*p and the value moves to t1..t5. */
#define P256_ADX_ROUND(t0, t1, t2, t3, t4, t5, bi)                              \
    do {                                                                        \
        limb_t lo_, hi_, tmp_, d_ = (bi);                                       \
        __asm__(ADX4_MULADD_ASM                                                 \
                "movq %[x0], %%rdx\n\t"                                         \
                "mulxq %[p3], %[lo], %[hi]\n\t"                                 \
                "movq %[x0], %[tmp]\n\t"                                        \
                "shlq $32, %[tmp]\n\t"                                          \
                "shrq $32, %[x0]\n\t"                                           \
                "addq %[tmp], %[x1]\n\t"                                        \
                "adcq %[x0], %[x2]\n\t"                                         \
                "adcq %[lo], %[x3]\n\t"                                         \
                "adcq %[hi], %[x4]\n\t"                                         \
                "adcq $0, %[x5]\n\t"                                            \
                : [x0] "+&r"(t0), [x1] "+&r"(t1), [x2] "+&r"(t2), [x3] "+&r"(t3), \
                  [x4] "+&r"(t4), [x5] "+&r"(t5), [lo] "=&r"(lo_), [hi] "=&r"(hi_), \
                  [tmp] "=&r"(tmp_), "+&d"(d_)                                   \
                : [a] "r"(a), [p3] "r"(p3)                                      \
                : "cc", "memory");                                              \
    } while (0)

static const limb_t p256_p[4] = {0xffffffffffffffffULL, 0x00000000ffffffffULL, 0,
                                 0xffffffff00000001ULL};

/* r = v - m if the five-limb value (v, top) is at least m, else v: the masked final
 * subtraction every product and square here ends with (the value is below 2m). */
static inline void sub4_if_above(limb_t *r, const limb_t *v, limb_t top, const limb_t *m)
{
    limb_t d[4], junk;
    unsigned char br = 0;
    for (int j = 0; j < 4; j++) NIST_SUBB(br, v[j], m[j], &d[j]);
    NIST_SUBB(br, top, 0, &junk);
    limb_t keep = 0 - (limb_t)br;
    for (int j = 0; j < 4; j++) r[j] = (v[j] & keep) | (d[j] & ~keep);
}

static void p256_mul_adx(limb_t *r, const limb_t *a, const limb_t *b)
{
    const limb_t p3 = 0xffffffff00000001ULL;
    limb_t x0 = 0, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0;
    P256_ADX_ROUND(x0, x1, x2, x3, x4, x5, b[0]);
    x0 = 0;
    P256_ADX_ROUND(x1, x2, x3, x4, x5, x0, b[1]);
    x1 = 0;
    P256_ADX_ROUND(x2, x3, x4, x5, x0, x1, b[2]);
    x2 = 0;
    P256_ADX_ROUND(x3, x4, x5, x0, x1, x2, b[3]);
    /* value < 2p in x4, x5, x0, x1 (low to high) and x2 (0 or 1) */
    limb_t v[4] = {x4, x5, x0, x1};
    sub4_if_above(r, v, x2, p256_p);
}

/* The same word-serial product for any odd 4-limb modulus m (the group order n),
 * with q = t0 * m0inv and q*m added in full: the n-side of signing (k^-1, s)
 * is mostly Montgomery products, twice as fast this way as the portable one. */
#define MONT4_ADX_ROUND(t0, t1, t2, t3, t4, t5, bi)                             \
    do {                                                                        \
        limb_t lo_, hi_, d_ = (bi);                                             \
        __asm__(ADX4_MULADD_ASM                                                 \
                ADX4_QM_ASM                                                     \
                "adcxq %[lo], %[x5]\n\t"                                        \
                "adoxq %[lo], %[x5]\n\t"                                        \
                : [x0] "+&r"(t0), [x1] "+&r"(t1), [x2] "+&r"(t2), [x3] "+&r"(t3), \
                  [x4] "+&r"(t4), [x5] "+&r"(t5), [lo] "=&r"(lo_), [hi] "=&r"(hi_), \
                  "+&d"(d_)                                                     \
                : [a] "r"(a), [m] "r"(m), [minv] "r"(m0inv)                     \
                : "cc", "memory");                                              \
    } while (0)

/* r = a * b / 2^256 mod m for a < m, b < 2^256. */
static void mont4_mul_adx(limb_t *r, const limb_t *a, const limb_t *b, const limb_t *m,
                          limb_t m0inv)
{
    limb_t x0 = 0, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0;
    MONT4_ADX_ROUND(x0, x1, x2, x3, x4, x5, b[0]);
    x0 = 0;
    MONT4_ADX_ROUND(x1, x2, x3, x4, x5, x0, b[1]);
    x1 = 0;
    MONT4_ADX_ROUND(x2, x3, x4, x5, x0, x1, b[2]);
    x2 = 0;
    MONT4_ADX_ROUND(x3, x4, x5, x0, x1, x2, b[3]);
    /* value < 2m in x4, x5, x0, x1 (low to high) and x2 (0 or 1) */
    limb_t v[4] = {x4, x5, x0, x1};
    sub4_if_above(r, v, x2, m);
}

/* t[0..7] = a^2 (t[8], t[9] = 0): the six cross products once, doubled, then the
 * squares on the diagonal; MULX leaves the flags alone, so one carry chain runs
 * through the diagonal. */
static inline __attribute__((always_inline)) void sqr4_adx(limb_t *t, const limb_t *a)
{
    limb_t t0, t1, t2, t3, t4, t5, t6, t7, lo, hi, d = a[0];
    __asm__("xorl %k[t7], %k[t7]\n\t"
            "mulxq 8(%[a]), %[t1], %[t2]\n\t"   /* a0 a1 */
            "mulxq 16(%[a]), %[lo], %[t3]\n\t"  /* a0 a2 */
            "mulxq 24(%[a]), %[hi], %[t4]\n\t"  /* a0 a3 */
            "addq %[lo], %[t2]\n\t"
            "adcq %[hi], %[t3]\n\t"
            "adcq $0, %[t4]\n\t"
            "movq 8(%[a]), %%rdx\n\t"
            "xorl %k[t6], %k[t6]\n\t"
            "mulxq 16(%[a]), %[lo], %[hi]\n\t"  /* a1 a2 */
            "adcxq %[lo], %[t3]\n\t"
            "adoxq %[hi], %[t4]\n\t"
            "mulxq 24(%[a]), %[lo], %[t5]\n\t"  /* a1 a3 */
            "adcxq %[lo], %[t4]\n\t"
            "adoxq %[t6], %[t5]\n\t"
            "adcxq %[t6], %[t5]\n\t"
            "movq 16(%[a]), %%rdx\n\t"
            "mulxq 24(%[a]), %[lo], %[t6]\n\t"  /* a2 a3 */
            "addq %[lo], %[t5]\n\t"
            "adcq $0, %[t6]\n\t"
            "addq %[t1], %[t1]\n\t"             /* doubled */
            "adcq %[t2], %[t2]\n\t"
            "adcq %[t3], %[t3]\n\t"
            "adcq %[t4], %[t4]\n\t"
            "adcq %[t5], %[t5]\n\t"
            "adcq %[t6], %[t6]\n\t"
            "adcq $0, %[t7]\n\t"
            "movq 0(%[a]), %%rdx\n\t"
            "mulxq %%rdx, %[t0], %[hi]\n\t"
            "addq %[hi], %[t1]\n\t"
            "movq 8(%[a]), %%rdx\n\t"
            "mulxq %%rdx, %[lo], %[hi]\n\t"
            "adcq %[lo], %[t2]\n\t"
            "adcq %[hi], %[t3]\n\t"
            "movq 16(%[a]), %%rdx\n\t"
            "mulxq %%rdx, %[lo], %[hi]\n\t"
            "adcq %[lo], %[t4]\n\t"
            "adcq %[hi], %[t5]\n\t"
            "movq 24(%[a]), %%rdx\n\t"
            "mulxq %%rdx, %[lo], %[hi]\n\t"
            "adcq %[lo], %[t6]\n\t"
            "adcq %[hi], %[t7]\n\t"
            : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4),
              [t5] "=&r"(t5), [t6] "=&r"(t6), [t7] "=&r"(t7), [lo] "=&r"(lo), [hi] "=&r"(hi),
              "+&d"(d)
            : [a] "r"(a)
            : "cc", "memory");
    t[0] = t0; t[1] = t1; t[2] = t2; t[3] = t3;
    t[4] = t4; t[5] = t5; t[6] = t6; t[7] = t7;
    t[8] = 0; t[9] = 0;
}

/* The end of both squarings: r = (the reduced low half l + the high half t[4..7]) mod
 * m, for l <= m and the high half below m, by one masked subtraction. */
static inline void sqr4_finish(limb_t *r, limb_t l0, limb_t l1, limb_t l2, limb_t l3,
                               const limb_t *t, const limb_t *m)
{
    limb_t v[4], top = 0;
    unsigned char c = 0;
    NIST_ADDC(c, l0, t[4], &v[0]);
    NIST_ADDC(c, l1, t[5], &v[1]);
    NIST_ADDC(c, l2, t[6], &v[2]);
    NIST_ADDC(c, l3, t[7], &v[3]);
    NIST_ADDC(c, 0, 0, &top);
    sub4_if_above(r, v, top, m);
}

/* One step of the Montgomery reduction of a 256-bit value by a 4-limb modulus m:
 * t0..t4 (t4 = 0 on entry) += q*m with q = t0 * m0inv, which clears t0.  Four
 * steps leave (t + Q*m) / 2^256 <= m in four limbs, no carry past t4 on the way. */
#define MONT4_ADX_REDSTEP(t0, t1, t2, t3, t4)                                   \
    do {                                                                        \
        limb_t lo_, hi_, d_;                                                    \
        __asm__(ADX4_QM_ASM                                                     \
                : [x0] "+&r"(t0), [x1] "+&r"(t1), [x2] "+&r"(t2), [x3] "+&r"(t3), \
                  [x4] "+&r"(t4), [lo] "=&r"(lo_), [hi] "=&r"(hi_), "=&d"(d_)   \
                : [m] "r"(m), [minv] "r"(m0inv)                                 \
                : "cc", "memory");                                              \
    } while (0)

/* r = a^2 / 2^256 mod m for a < m: the low half of a^2 reduced on its own, then
 * the high half (below m) added, so one subtraction of m finishes it. */
static void mont4_sqr_adx(limb_t *r, const limb_t *a, const limb_t *m, limb_t m0inv)
{
    limb_t t[10];
    sqr4_adx(t, a);
    limb_t x0 = t[0], x1 = t[1], x2 = t[2], x3 = t[3], x4 = 0;
    MONT4_ADX_REDSTEP(x0, x1, x2, x3, x4);
    x0 = 0;
    MONT4_ADX_REDSTEP(x1, x2, x3, x4, x0);
    x1 = 0;
    MONT4_ADX_REDSTEP(x2, x3, x4, x0, x1);
    x2 = 0;
    MONT4_ADX_REDSTEP(x3, x4, x0, x1, x2);
    sqr4_finish(r, x4, x0, x1, x2, t, m);
}
/* One step of the P-256 Montgomery reduction of a 256-bit value: x0..x4 (x4 = 0 on
 * entry) += q*p with q = x0 (-p^-1 = 1 mod 2^64), which clears x0: q*2^32 at limb 1
 * and q*(2^64 - 2^32 + 1) at limb 3.  The value stays below 2^320: no carry out. */
#define P256_REDSTEP(x0, x1, x2, x3, x4)                                        \
    do {                                                                        \
        dlimb_t z_ = (dlimb_t)(x0) * 0xffffffff00000001ULL;                     \
        unsigned char c_ = 0;                                                   \
        NIST_ADDC(c_, x1, (x0) << 32, &x1);                                     \
        NIST_ADDC(c_, x2, (x0) >> 32, &x2);                                     \
        NIST_ADDC(c_, x3, (limb_t)z_, &x3);                                     \
        NIST_ADDC(c_, x4, (limb_t)(z_ >> 64), &x4);                             \
    } while (0)

/* r = a^2 / 2^256 mod p for a < p: the low half of a^2 reduced on its own (four
 * steps leave a value <= p), the high half (below p) added, one masked subtraction. */
static void p256_sqr_adx(limb_t *r, const limb_t *a)
{
    limb_t t[10];
    sqr4_adx(t, a);
    limb_t x0 = t[0], x1 = t[1], x2 = t[2], x3 = t[3], x4 = 0;
    P256_REDSTEP(x0, x1, x2, x3, x4);
    x0 = 0;
    P256_REDSTEP(x1, x2, x3, x4, x0);
    x1 = 0;
    P256_REDSTEP(x2, x3, x4, x0, x1);
    x2 = 0;
    P256_REDSTEP(x3, x4, x0, x1, x2);
    sqr4_finish(r, x4, x0, x1, x2, t, p256_p);
}
#endif

#endif
