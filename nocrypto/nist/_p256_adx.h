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

/* One round: t0..t5 += a * bi, then += q*p and the value moves to t1..t5. */
#define P256_ADX_ROUND(t0, t1, t2, t3, t4, t5, bi)                              \
    do {                                                                        \
        limb_t lo_, hi_, tmp_, d_ = (bi);                                       \
        __asm__("xorl %k[lo], %k[lo]\n\t"                                       \
                "mulxq 0(%[a]), %[lo], %[hi]\n\t"                               \
                "adoxq %[lo], %[x0]\n\t"                                        \
                "adcxq %[hi], %[x1]\n\t"                                        \
                "mulxq 8(%[a]), %[lo], %[hi]\n\t"                               \
                "adoxq %[lo], %[x1]\n\t"                                        \
                "adcxq %[hi], %[x2]\n\t"                                        \
                "mulxq 16(%[a]), %[lo], %[hi]\n\t"                              \
                "adoxq %[lo], %[x2]\n\t"                                        \
                "adcxq %[hi], %[x3]\n\t"                                        \
                "mulxq 24(%[a]), %[lo], %[hi]\n\t"                              \
                "adoxq %[lo], %[x3]\n\t"                                        \
                "adcxq %[hi], %[x4]\n\t"                                        \
                "movl $0, %k[lo]\n\t"                                           \
                "adoxq %[lo], %[x4]\n\t"                                        \
                "adcxq %[lo], %[x5]\n\t"                                        \
                "adoxq %[lo], %[x5]\n\t"                                        \
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
    limb_t v[4] = {x4, x5, x0, x1}, d[4], junk;
    static const limb_t p[4] = {0xffffffffffffffffULL, 0x00000000ffffffffULL, 0,
                                0xffffffff00000001ULL};
    unsigned char br = 0;
    for (int j = 0; j < 4; j++) NIST_SUBB(br, v[j], p[j], &d[j]);
    NIST_SUBB(br, x2, 0, &junk);
    limb_t keep = 0 - (limb_t)br;
    for (int j = 0; j < 4; j++) r[j] = (v[j] & keep) | (d[j] & ~keep);
}
#endif

#endif
