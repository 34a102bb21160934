/* GF(2^255 - 19) in radix 2^64 (four limbs) with MULX/ADCX/ADOX (BMI2 + ADX), and the
 * X25519 ladder on it.  x86-64 with GCC-style inline assembly only; used when CPUID
 * reports both BMI2 and ADX (fe25519_have_adx, a public fixed flag: branching on it
 * leaks nothing).  The portable radix-2^51 code in fe25519.h stays the fallback.
 *
 * An element is any 256-bit value h0 + h1*2^64 + h2*2^128 + h3*2^192, not necessarily
 * below p: every operation accepts and returns the whole range [0, 2^256), and only
 * fe25519x_tobytes reduces to the canonical representative.  2^256 = 38 (mod p), so a
 * carry out of the top limb comes back as 38 at the bottom.
 *   - mul/sq: the 512-bit product is L + 2^256 H; L + 38 H < 39 * 2^256 leaves a fifth
 *     limb top <= 38; top * 38 <= 1444 added at the bottom can carry out of the top limb
 *     only when the result is then below 1444, so the last + 38 cannot carry again;
 *   - add: one carry c gives + 38c, and a second carry leaves a value below 38, so the
 *     last + 38 cannot carry; sub is the mirror image with borrows.
 * No branch and no memory index depends on an element or on the scalar.
 */
#ifndef PURETLS_FE25519_ADX_H
#define PURETLS_FE25519_ADX_H

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define FE25519_HAVE_ADX_CODE 1

#include <x86intrin.h>

/* No auto-vectorisation here: GCC's SLP pass would pack pairs of limbs (the swap, the
 * copies) into 128-bit loads right after the 64-bit stores of the same bytes, and each
 * such load stalls on failed store-to-load forwarding (as in nist/_nist.h). */
#if !defined(__clang__)
#pragma GCC push_options
#pragma GCC optimize("no-tree-vectorize", "no-tree-slp-vectorize")
#endif

typedef uint64_t fe25519x[4];

#define FE25519X_FN static inline __attribute__((always_inline, target("bmi2,adx")))
#define FE25519X_IN(p) "m"(*(const uint64_t(*)[4])(p))

/* h = f * g.  Schoolbook rows b[i] * (a0..a3): the low halves of the partial products
 * go on the OF chain (ADOX), the high halves on the CF chain (ADCX).  Five registers
 * rotate through the row accumulators; limbs 0..2 of the product, final after their
 * row, go to t[] and are read back by the reduction L + 38 H (limb 3 stays in C). */
FE25519X_FN void fe25519x_mul(fe25519x h, const fe25519x f, const fe25519x g) {
    uint64_t A, B, C, D, E, lo, hi, t[3];
    __asm__(
        /* row 0: t0..t4 = E A B C D */
        "movq 0(%[g]), %%rdx\n\t"
        "mulxq 0(%[f]), %[E], %[A]\n\t"
        "mulxq 8(%[f]), %[lo], %[B]\n\t"
        "addq %[lo], %[A]\n\t"
        "mulxq 16(%[f]), %[lo], %[C]\n\t"
        "adcq %[lo], %[B]\n\t"
        "mulxq 24(%[f]), %[lo], %[D]\n\t"
        "adcq %[lo], %[C]\n\t"
        "adcq $0, %[D]\n\t"
        "movq %[E], 0(%[t])\n\t"
        /* row 1: t1..t5 = A B C D E */
        "movq 8(%[g]), %%rdx\n\t"
        "xorl %k[E], %k[E]\n\t"
        "mulxq 0(%[f]), %[lo], %[hi]\n\t"
        "adoxq %[lo], %[A]\n\t"
        "adcxq %[hi], %[B]\n\t"
        "mulxq 8(%[f]), %[lo], %[hi]\n\t"
        "adoxq %[lo], %[B]\n\t"
        "adcxq %[hi], %[C]\n\t"
        "mulxq 16(%[f]), %[lo], %[hi]\n\t"
        "adoxq %[lo], %[C]\n\t"
        "adcxq %[hi], %[D]\n\t"
        "mulxq 24(%[f]), %[lo], %[E]\n\t"
        "adoxq %[lo], %[D]\n\t"
        "movl $0, %k[lo]\n\t"
        "adcxq %[lo], %[E]\n\t"
        "adoxq %[lo], %[E]\n\t"
        "movq %[A], 8(%[t])\n\t"
        /* row 2: t2..t6 = B C D E A */
        "movq 16(%[g]), %%rdx\n\t"
        "xorl %k[A], %k[A]\n\t"
        "mulxq 0(%[f]), %[lo], %[hi]\n\t"
        "adoxq %[lo], %[B]\n\t"
        "adcxq %[hi], %[C]\n\t"
        "mulxq 8(%[f]), %[lo], %[hi]\n\t"
        "adoxq %[lo], %[C]\n\t"
        "adcxq %[hi], %[D]\n\t"
        "mulxq 16(%[f]), %[lo], %[hi]\n\t"
        "adoxq %[lo], %[D]\n\t"
        "adcxq %[hi], %[E]\n\t"
        "mulxq 24(%[f]), %[lo], %[A]\n\t"
        "adoxq %[lo], %[E]\n\t"
        "movl $0, %k[lo]\n\t"
        "adcxq %[lo], %[A]\n\t"
        "adoxq %[lo], %[A]\n\t"
        "movq %[B], 16(%[t])\n\t"
        /* row 3: t3..t7 = C D E A B */
        "movq 24(%[g]), %%rdx\n\t"
        "xorl %k[B], %k[B]\n\t"
        "mulxq 0(%[f]), %[lo], %[hi]\n\t"
        "adoxq %[lo], %[C]\n\t"
        "adcxq %[hi], %[D]\n\t"
        "mulxq 8(%[f]), %[lo], %[hi]\n\t"
        "adoxq %[lo], %[D]\n\t"
        "adcxq %[hi], %[E]\n\t"
        "mulxq 16(%[f]), %[lo], %[hi]\n\t"
        "adoxq %[lo], %[E]\n\t"
        "adcxq %[hi], %[A]\n\t"
        "mulxq 24(%[f]), %[lo], %[B]\n\t"
        "adoxq %[lo], %[A]\n\t"
        "movl $0, %k[lo]\n\t"
        "adcxq %[lo], %[B]\n\t"
        "adoxq %[lo], %[B]\n\t"
        /* L + 38 H with H = D E A B (limbs 0..2 of L in t[], limb 3 in C): the result
         * goes to D E A C, the fifth limb to B */
        "movl $38, %%edx\n\t"
        "xorl %k[lo], %k[lo]\n\t"
        "mulxq %[D], %[D], %[lo]\n\t"
        "adoxq 0(%[t]), %[D]\n\t"
        "mulxq %[E], %[E], %[hi]\n\t"
        "adcxq %[lo], %[E]\n\t"
        "adoxq 8(%[t]), %[E]\n\t"
        "mulxq %[A], %[A], %[lo]\n\t"
        "adcxq %[hi], %[A]\n\t"
        "adoxq 16(%[t]), %[A]\n\t"
        "mulxq %[B], %[hi], %[B]\n\t"
        "adcxq %[lo], %[C]\n\t"
        "adoxq %[hi], %[C]\n\t"
        "movl $0, %k[lo]\n\t"
        "adcxq %[lo], %[B]\n\t"
        "adoxq %[lo], %[B]\n\t"
        "imulq $38, %[B], %[B]\n\t"
        "addq %[B], %[D]\n\t"
        "adcq $0, %[E]\n\t"
        "adcq $0, %[A]\n\t"
        "adcq $0, %[C]\n\t"
        "sbbq %[lo], %[lo]\n\t"
        "andq $38, %[lo]\n\t"
        "addq %[lo], %[D]\n\t"
        : [A] "=&r"(A), [B] "=&r"(B), [C] "=&r"(C), [D] "=&r"(D), [E] "=&r"(E),
          [lo] "=&r"(lo), [hi] "=&r"(hi), "=m"(t)
        : [f] "r"(f), [g] "r"(g), [t] "r"(t), FE25519X_IN(f), FE25519X_IN(g)
        : "rdx", "cc");
    h[0] = D;
    h[1] = E;
    h[2] = A;
    h[3] = C;
}

/* h = f^2: the six cross products once (one carry chain), then doubled on the CF chain
 * while the four squares come in on the OF chain, then L + 38 H as in fe25519x_mul. */
FE25519X_FN void fe25519x_sq(fe25519x h, const fe25519x f) {
    uint64_t t0, t1, t2, t3, t4, t5, t6, t7, lo, hi;
    __asm__(
        "movq 0(%[f]), %%rdx\n\t"
        "mulxq 8(%[f]), %[t1], %[t2]\n\t"    /* a0 a1 at 1 */
        "mulxq 16(%[f]), %[lo], %[t3]\n\t"   /* a0 a2 at 2 */
        "addq %[lo], %[t2]\n\t"
        "mulxq 24(%[f]), %[lo], %[t4]\n\t"   /* a0 a3 at 3 */
        "adcq %[lo], %[t3]\n\t"
        "movq 8(%[f]), %%rdx\n\t"
        "mulxq 24(%[f]), %[lo], %[t5]\n\t"   /* a1 a3 at 4 */
        "adcq %[lo], %[t4]\n\t"
        "adcq $0, %[t5]\n\t"
        "mulxq 16(%[f]), %[lo], %[hi]\n\t"   /* a1 a2 at 3 */
        "addq %[lo], %[t3]\n\t"
        "adcq %[hi], %[t4]\n\t"
        "movq 16(%[f]), %%rdx\n\t"
        "mulxq 24(%[f]), %[lo], %[t6]\n\t"   /* a2 a3 at 5 */
        "adcq %[lo], %[t5]\n\t"
        "adcq $0, %[t6]\n\t"
        /* double and add the squares */
        "movq 0(%[f]), %%rdx\n\t"
        "xorl %k[t7], %k[t7]\n\t"
        "mulxq %%rdx, %[lo], %[hi]\n\t"
        "movq %[lo], %[t0]\n\t"
        "adcxq %[t1], %[t1]\n\t"
        "adoxq %[hi], %[t1]\n\t"
        "movq 8(%[f]), %%rdx\n\t"
        "mulxq %%rdx, %[lo], %[hi]\n\t"
        "adcxq %[t2], %[t2]\n\t"
        "adoxq %[lo], %[t2]\n\t"
        "adcxq %[t3], %[t3]\n\t"
        "adoxq %[hi], %[t3]\n\t"
        "movq 16(%[f]), %%rdx\n\t"
        "mulxq %%rdx, %[lo], %[hi]\n\t"
        "adcxq %[t4], %[t4]\n\t"
        "adoxq %[lo], %[t4]\n\t"
        "adcxq %[t5], %[t5]\n\t"
        "adoxq %[hi], %[t5]\n\t"
        "movq 24(%[f]), %%rdx\n\t"
        "mulxq %%rdx, %[lo], %[t7]\n\t"
        "adcxq %[t6], %[t6]\n\t"
        "adoxq %[lo], %[t6]\n\t"
        "movl $0, %k[lo]\n\t"
        "adcxq %[lo], %[t7]\n\t"
        "adoxq %[lo], %[t7]\n\t"
        /* L + 38 H: the result goes to t4 t1 t2 t3, the fifth limb to t7 */
        "movl $38, %%edx\n\t"
        "xorl %k[lo], %k[lo]\n\t"
        "mulxq %[t4], %[t4], %[hi]\n\t"
        "adoxq %[t0], %[t4]\n\t"
        "adcxq %[hi], %[t1]\n\t"
        "mulxq %[t5], %[lo], %[hi]\n\t"
        "adoxq %[lo], %[t1]\n\t"
        "adcxq %[hi], %[t2]\n\t"
        "mulxq %[t6], %[lo], %[hi]\n\t"
        "adoxq %[lo], %[t2]\n\t"
        "adcxq %[hi], %[t3]\n\t"
        "mulxq %[t7], %[lo], %[t7]\n\t"
        "adoxq %[lo], %[t3]\n\t"
        "movl $0, %k[lo]\n\t"
        "adcxq %[lo], %[t7]\n\t"
        "adoxq %[lo], %[t7]\n\t"
        "imulq $38, %[t7], %[t7]\n\t"
        "addq %[t7], %[t4]\n\t"
        "adcq $0, %[t1]\n\t"
        "adcq $0, %[t2]\n\t"
        "adcq $0, %[t3]\n\t"
        "sbbq %[lo], %[lo]\n\t"
        "andq $38, %[lo]\n\t"
        "addq %[lo], %[t4]\n\t"
        : [t0] "=&rm"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4),
          [t5] "=&r"(t5), [t6] "=&r"(t6), [t7] "=&r"(t7), [lo] "=&r"(lo), [hi] "=&r"(hi)
        : [f] "r"(f), FE25519X_IN(f)
        : "rdx", "cc");
    h[0] = t4;
    h[1] = t1;
    h[2] = t2;
    h[3] = t3;
}

FE25519X_FN void fe25519x_sqn(fe25519x h, const fe25519x f, int n) {
    fe25519x_sq(h, f);
    for (int i = 1; i < n; i++) fe25519x_sq(h, h);
}

FE25519X_FN void fe25519x_sub(fe25519x h, const fe25519x f, const fe25519x g) {
    uint64_t h0 = f[0], h1 = f[1], h2 = f[2], h3 = f[3], m;
    __asm__("subq 0(%[g]), %[h0]\n\t"
            "sbbq 8(%[g]), %[h1]\n\t"
            "sbbq 16(%[g]), %[h2]\n\t"
            "sbbq 24(%[g]), %[h3]\n\t"
            "sbbq %[m], %[m]\n\t"
            "andq $38, %[m]\n\t"
            "subq %[m], %[h0]\n\t"
            "sbbq $0, %[h1]\n\t"
            "sbbq $0, %[h2]\n\t"
            "sbbq $0, %[h3]\n\t"
            "sbbq %[m], %[m]\n\t"
            "andq $38, %[m]\n\t"
            "subq %[m], %[h0]\n\t"
            : [h0] "+&r"(h0), [h1] "+&r"(h1), [h2] "+&r"(h2), [h3] "+&r"(h3), [m] "=&r"(m)
            : [g] "r"(g), FE25519X_IN(g)
            : "cc");
    h[0] = h0;
    h[1] = h1;
    h[2] = h2;
    h[3] = h3;
}

/* s = f + g and d = f - g together (each as fe25519x_add and fe25519x_sub). */
FE25519X_FN void fe25519x_addsub(fe25519x s, fe25519x d, const fe25519x f, const fe25519x g) {
    uint64_t s0 = f[0], s1 = f[1], s2 = f[2], s3 = f[3], d0 = s0, d1 = s1, d2 = s2, d3 = s3;
    uint64_t m, n;
    __asm__("addq 0(%[g]), %[s0]\n\t"
            "adcq 8(%[g]), %[s1]\n\t"
            "adcq 16(%[g]), %[s2]\n\t"
            "adcq 24(%[g]), %[s3]\n\t"
            "sbbq %[m], %[m]\n\t"
            "subq 0(%[g]), %[d0]\n\t"
            "sbbq 8(%[g]), %[d1]\n\t"
            "sbbq 16(%[g]), %[d2]\n\t"
            "sbbq 24(%[g]), %[d3]\n\t"
            "sbbq %[n], %[n]\n\t"
            "andq $38, %[m]\n\t"
            "andq $38, %[n]\n\t"
            "addq %[m], %[s0]\n\t"
            "adcq $0, %[s1]\n\t"
            "adcq $0, %[s2]\n\t"
            "adcq $0, %[s3]\n\t"
            "sbbq %[m], %[m]\n\t"
            "subq %[n], %[d0]\n\t"
            "sbbq $0, %[d1]\n\t"
            "sbbq $0, %[d2]\n\t"
            "sbbq $0, %[d3]\n\t"
            "sbbq %[n], %[n]\n\t"
            "andq $38, %[m]\n\t"
            "andq $38, %[n]\n\t"
            "addq %[m], %[s0]\n\t"
            "subq %[n], %[d0]\n\t"
            : [s0] "+&r"(s0), [s1] "+&r"(s1), [s2] "+&r"(s2), [s3] "+&r"(s3), [d0] "+&r"(d0),
              [d1] "+&r"(d1), [d2] "+&r"(d2), [d3] "+&r"(d3), [m] "=&r"(m), [n] "=&r"(n)
            : [g] "r"(g), FE25519X_IN(g)
            : "cc");
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    d[0] = d0;
    d[1] = d1;
    d[2] = d2;
    d[3] = d3;
}

/* h = f * c + g for c < 2^32: a five-limb product plus g, whose top limb (<= c) comes
 * back times 38 (f * c + g < (c + 1) 2^256, so the fold is the one of fe25519x_mul). */
FE25519X_FN void fe25519x_mul_small_add(fe25519x h, const fe25519x f, uint64_t c,
                                        const fe25519x g) {
    uint64_t h0, h1, h2, h3, top, lo, m;
    __asm__("mulxq 0(%[f]), %[h0], %[h1]\n\t"
            "mulxq 8(%[f]), %[lo], %[h2]\n\t"
            "addq %[lo], %[h1]\n\t"
            "mulxq 16(%[f]), %[lo], %[h3]\n\t"
            "adcq %[lo], %[h2]\n\t"
            "mulxq 24(%[f]), %[lo], %[top]\n\t"
            "adcq %[lo], %[h3]\n\t"
            "adcq $0, %[top]\n\t"
            "addq 0(%[g]), %[h0]\n\t"
            "adcq 8(%[g]), %[h1]\n\t"
            "adcq 16(%[g]), %[h2]\n\t"
            "adcq 24(%[g]), %[h3]\n\t"
            "adcq $0, %[top]\n\t"
            "imulq $38, %[top], %[top]\n\t"
            "addq %[top], %[h0]\n\t"
            "adcq $0, %[h1]\n\t"
            "adcq $0, %[h2]\n\t"
            "adcq $0, %[h3]\n\t"
            "sbbq %[m], %[m]\n\t"
            "andq $38, %[m]\n\t"
            "addq %[m], %[h0]\n\t"
            : [h0] "=&r"(h0), [h1] "=&r"(h1), [h2] "=&r"(h2), [h3] "=&r"(h3), [top] "=&r"(top),
              [lo] "=&r"(lo), [m] "=&r"(m)
            : [f] "r"(f), [g] "r"(g), "d"(c), FE25519X_IN(f), FE25519X_IN(g)
            : "cc");
    h[0] = h0;
    h[1] = h1;
    h[2] = h2;
    h[3] = h3;
}

/* Swap f and g when swap is 1, leave them when it is 0, with the same instructions. */
FE25519X_FN void fe25519x_cswap(fe25519x f, fe25519x g, uint64_t swap) {
    uint64_t mask = (uint64_t)0 - swap;
    for (int i = 0; i < 4; i++) {
        uint64_t t = mask & (f[i] ^ g[i]);
        f[i] ^= t;
        g[i] ^= t;
    }
}

static inline uint64_t fe25519x_load64(const uint8_t *s) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | s[i];
    return v;
}

/* Bit 255 is ignored, as RFC 7748 asks; the rest may be >= p (non-canonical u). */
FE25519X_FN void fe25519x_frombytes(fe25519x h, const uint8_t s[32]) {
    h[0] = fe25519x_load64(s);
    h[1] = fe25519x_load64(s + 8);
    h[2] = fe25519x_load64(s + 16);
    h[3] = fe25519x_load64(s + 24) & 0x7fffffffffffffffULL;
}

/* The unique representative in [0, p), as 32 little-endian bytes. */
FE25519X_FN void fe25519x_tobytes(uint8_t s[32], const fe25519x f) {
    uint64_t h[4], q;
    unsigned char c;
    /* fold bit 255 back as 19: h < 2^255 + 19 */
    q = f[3] >> 63;
    c = _addcarry_u64(0, f[0], 19 * q, (unsigned long long *)&h[0]);
    c = _addcarry_u64(c, f[1], 0, (unsigned long long *)&h[1]);
    c = _addcarry_u64(c, f[2], 0, (unsigned long long *)&h[2]);
    (void)_addcarry_u64(c, f[3] & 0x7fffffffffffffffULL, 0, (unsigned long long *)&h[3]);
    /* h < 2p: h >= p exactly when h + 19 reaches 2^255; then h - p = h + 19 - 2^255 */
    uint64_t d[4];
    c = _addcarry_u64(0, h[0], 19, (unsigned long long *)&d[0]);
    c = _addcarry_u64(c, h[1], 0, (unsigned long long *)&d[1]);
    c = _addcarry_u64(c, h[2], 0, (unsigned long long *)&d[2]);
    (void)_addcarry_u64(c, h[3], 0, (unsigned long long *)&d[3]);
    uint64_t keep = (d[3] >> 63) - 1; /* all ones when h < p */
    d[3] &= 0x7fffffffffffffffULL;
    for (int i = 0; i < 4; i++) {
        uint64_t v = (h[i] & keep) | (d[i] & ~keep);
        for (int j = 0; j < 8; j++) s[8 * i + j] = (uint8_t)(v >> (8 * j));
    }
}

/* z^(p - 2) = 1/z (and 0 for z = 0): the same addition chain as fe25519_invert. */
FE25519X_FN void fe25519x_invert(fe25519x out, const fe25519x z) {
    fe25519x t0, t1, t2, t3, z11;
    fe25519x_sq(t0, z);              /* z^2 */
    fe25519x_sqn(t1, t0, 2);         /* z^8 */
    fe25519x_mul(t1, t1, z);         /* z^9 */
    fe25519x_mul(z11, t0, t1);       /* z^11 */
    fe25519x_sq(t0, z11);            /* z^22 */
    fe25519x_mul(t1, t1, t0);        /* z^(2^5 - 1) */
    fe25519x_sqn(t0, t1, 5);
    fe25519x_mul(t1, t0, t1);        /* 2^10 - 1 */
    fe25519x_sqn(t0, t1, 10);
    fe25519x_mul(t2, t0, t1);        /* 2^20 - 1 */
    fe25519x_sqn(t0, t2, 20);
    fe25519x_mul(t0, t0, t2);        /* 2^40 - 1 */
    fe25519x_sqn(t0, t0, 10);
    fe25519x_mul(t3, t0, t1);        /* 2^50 - 1 */
    fe25519x_sqn(t0, t3, 50);
    fe25519x_mul(t0, t0, t3);        /* 2^100 - 1 */
    fe25519x_sqn(t2, t0, 100);
    fe25519x_mul(t0, t2, t0);        /* 2^200 - 1 */
    fe25519x_sqn(t0, t0, 50);
    fe25519x_mul(t0, t0, t3);        /* 2^250 - 1 */
    fe25519x_sqn(t0, t0, 5);         /* 2^255 - 32 */
    fe25519x_mul(out, t0, z11);      /* 2^255 - 21 = p - 2 */
}

/* X25519(scalar, u) with the MULX/ADX field: the ladder of puretls_x25519, with the
 * same formulas in an order that interleaves squarings and multiplications (measured
 * ~6% faster on Zen 4 than the textbook order) and x2 + z2, x2 - z2 fused. */
static __attribute__((noinline, target("bmi2,adx"))) void
puretls_x25519_adx(uint8_t out[32], const uint8_t scalar[32], const uint8_t u[32]) {
    uint8_t k[32];
    fe25519x x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d, da, cb, t;
    memcpy(k, scalar, 32);
    k[0] &= 248;
    k[31] &= 127;
    k[31] |= 64;
    fe25519x_frombytes(x1, u);
    memset(x2, 0, sizeof x2);
    x2[0] = 1;
    memset(z2, 0, sizeof z2);
    memcpy(x3, x1, sizeof x3);
    memset(z3, 0, sizeof z3);
    z3[0] = 1;
    uint64_t swap = 0;
    for (int pos = 254; pos >= 0; pos--) {
        uint64_t bit = (k[pos >> 3] >> (pos & 7)) & 1;
        swap ^= bit;
        fe25519x_cswap(x2, x3, swap);
        fe25519x_cswap(z2, z3, swap);
        swap = bit;
        fe25519x_addsub(a, b, x2, z2);
        fe25519x_addsub(c, d, x3, z3);
        fe25519x_sq(aa, a);
        fe25519x_mul(da, d, a);
        fe25519x_sq(bb, b);
        fe25519x_mul(cb, c, b);
        fe25519x_sub(e, aa, bb);
        fe25519x_addsub(x3, t, da, cb);
        fe25519x_mul_small_add(z2, e, 121665, aa);
        fe25519x_sq(t, t);
        fe25519x_mul(z2, e, z2);
        fe25519x_sq(x3, x3);
        fe25519x_mul(z3, x1, t);
        fe25519x_mul(x2, aa, bb);
    }
    fe25519x_cswap(x2, x3, swap);
    fe25519x_cswap(z2, z3, swap);
    fe25519x_invert(z2, z2);
    fe25519x_mul(x2, x2, z2);
    fe25519x_tobytes(out, x2);
    memset(k, 0, sizeof k);
}

#if !defined(__clang__)
#pragma GCC pop_options
#endif

#endif

#endif
