/* CPUID feature probe for the kernels' run-time dispatch. */
#ifndef NOCRYPTO_CPU_H
#define NOCRYPTO_CPU_H

#include <stdint.h>

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
#include <cpuid.h>

static inline uint64_t nocrypto_xgetbv0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

/* Bit i of the result is feature i of the enum in _cpu.pyx. */
static inline uint32_t nocrypto_cpu_probe(void) {
    unsigned int a, b, c, d;
    uint32_t f = 0;
    int avx_os = 0, avx512_os = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (d & (1u << 26)) f |= 1u << 0;      /* sse2 */
    if (c & (1u << 9))  f |= 1u << 1;      /* ssse3 */
    if (c & (1u << 19)) f |= 1u << 2;      /* sse4_1 */
    if (c & (1u << 25)) f |= 1u << 3;      /* aesni */
    if (c & (1u << 1))  f |= 1u << 4;      /* pclmulqdq */
    if (c & (1u << 27)) {                  /* osxsave: the OS saves YMM/ZMM state */
        uint64_t xcr0 = nocrypto_xgetbv0();
        avx_os = (xcr0 & 0x6) == 0x6;
        avx512_os = (xcr0 & 0xe6) == 0xe6;
    }
    if ((c & (1u << 28)) && avx_os) f |= 1u << 5;   /* avx */
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        if ((b & (1u << 5)) && avx_os) f |= 1u << 6;      /* avx2 */
        if (b & (1u << 3))  f |= 1u << 7;                 /* bmi1 */
        if (b & (1u << 8))  f |= 1u << 8;                 /* bmi2 */
        if (b & (1u << 19)) f |= 1u << 9;                 /* adx */
        if (b & (1u << 29)) f |= 1u << 10;                /* sha_ni */
        if ((b & (1u << 16)) && avx512_os) f |= 1u << 11; /* avx512f */
        if ((b & (1u << 30)) && avx512_os) f |= 1u << 12; /* avx512bw */
        if ((c & (1u << 9)) && avx_os) f |= 1u << 13;     /* vaes */
        if ((c & (1u << 10)) && avx_os) f |= 1u << 14;    /* vpclmulqdq */
    }
    return f;
}
#else
static inline uint32_t nocrypto_cpu_probe(void) { return 0; }
#endif

#endif
