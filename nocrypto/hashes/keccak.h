/* Keccak-f[1600] (FIPS 202 3.3) on 25 little-endian 64-bit lanes, lane x + 5*y = A[x,y].
 * Pure bitwise work on fixed lane positions: no data-dependent branch or index. */
#ifndef NOCRYPTO_KECCAK_H
#define NOCRYPTO_KECCAK_H

#include <stddef.h>
#include <stdint.h>

static const uint64_t nocrypto_keccak_rc[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

#define NC_ROL64(x, n) (((x) << (n)) | ((x) >> ((64 - (n)) & 63)))

static void keccak_f1600(uint64_t s[25]) {
    /* Local copies so the compiler can keep lanes in registers across a round. */
    uint64_t a00 = s[0], a01 = s[1], a02 = s[2], a03 = s[3], a04 = s[4];
    uint64_t a05 = s[5], a06 = s[6], a07 = s[7], a08 = s[8], a09 = s[9];
    uint64_t a10 = s[10], a11 = s[11], a12 = s[12], a13 = s[13], a14 = s[14];
    uint64_t a15 = s[15], a16 = s[16], a17 = s[17], a18 = s[18], a19 = s[19];
    uint64_t a20 = s[20], a21 = s[21], a22 = s[22], a23 = s[23], a24 = s[24];
    for (int r = 0; r < 24; r++) {
        /* theta */
        uint64_t c0 = a00 ^ a05 ^ a10 ^ a15 ^ a20;
        uint64_t c1 = a01 ^ a06 ^ a11 ^ a16 ^ a21;
        uint64_t c2 = a02 ^ a07 ^ a12 ^ a17 ^ a22;
        uint64_t c3 = a03 ^ a08 ^ a13 ^ a18 ^ a23;
        uint64_t c4 = a04 ^ a09 ^ a14 ^ a19 ^ a24;
        uint64_t d0 = c4 ^ NC_ROL64(c1, 1);
        uint64_t d1 = c0 ^ NC_ROL64(c2, 1);
        uint64_t d2 = c1 ^ NC_ROL64(c3, 1);
        uint64_t d3 = c2 ^ NC_ROL64(c4, 1);
        uint64_t d4 = c3 ^ NC_ROL64(c0, 1);
        /* rho and pi: b[y + 5*((2x+3y) mod 5)] = rot(a[x + 5y] ^ d[x], r[x,y]) */
        uint64_t b00 = a00 ^ d0;
        uint64_t b10 = NC_ROL64(a01 ^ d1, 1);
        uint64_t b20 = NC_ROL64(a02 ^ d2, 62);
        uint64_t b05 = NC_ROL64(a03 ^ d3, 28);
        uint64_t b15 = NC_ROL64(a04 ^ d4, 27);
        uint64_t b16 = NC_ROL64(a05 ^ d0, 36);
        uint64_t b01 = NC_ROL64(a06 ^ d1, 44);
        uint64_t b11 = NC_ROL64(a07 ^ d2, 6);
        uint64_t b21 = NC_ROL64(a08 ^ d3, 55);
        uint64_t b06 = NC_ROL64(a09 ^ d4, 20);
        uint64_t b07 = NC_ROL64(a10 ^ d0, 3);
        uint64_t b17 = NC_ROL64(a11 ^ d1, 10);
        uint64_t b02 = NC_ROL64(a12 ^ d2, 43);
        uint64_t b12 = NC_ROL64(a13 ^ d3, 25);
        uint64_t b22 = NC_ROL64(a14 ^ d4, 39);
        uint64_t b23 = NC_ROL64(a15 ^ d0, 41);
        uint64_t b08 = NC_ROL64(a16 ^ d1, 45);
        uint64_t b18 = NC_ROL64(a17 ^ d2, 15);
        uint64_t b03 = NC_ROL64(a18 ^ d3, 21);
        uint64_t b13 = NC_ROL64(a19 ^ d4, 8);
        uint64_t b14 = NC_ROL64(a20 ^ d0, 18);
        uint64_t b24 = NC_ROL64(a21 ^ d1, 2);
        uint64_t b09 = NC_ROL64(a22 ^ d2, 61);
        uint64_t b19 = NC_ROL64(a23 ^ d3, 56);
        uint64_t b04 = NC_ROL64(a24 ^ d4, 14);
        /* chi, row by row; iota on lane 0 */
#define NC_CHI(o0, o1, o2, o3, o4, i0, i1, i2, i3, i4) \
    o0 = i0 ^ (~i1 & i2); o1 = i1 ^ (~i2 & i3); o2 = i2 ^ (~i3 & i4); \
    o3 = i3 ^ (~i4 & i0); o4 = i4 ^ (~i0 & i1);
        NC_CHI(a00, a01, a02, a03, a04, b00, b01, b02, b03, b04)
        NC_CHI(a05, a06, a07, a08, a09, b05, b06, b07, b08, b09)
        NC_CHI(a10, a11, a12, a13, a14, b10, b11, b12, b13, b14)
        NC_CHI(a15, a16, a17, a18, a19, b15, b16, b17, b18, b19)
        NC_CHI(a20, a21, a22, a23, a24, b20, b21, b22, b23, b24)
#undef NC_CHI
        a00 ^= nocrypto_keccak_rc[r];
    }
    s[0] = a00; s[1] = a01; s[2] = a02; s[3] = a03; s[4] = a04;
    s[5] = a05; s[6] = a06; s[7] = a07; s[8] = a08; s[9] = a09;
    s[10] = a10; s[11] = a11; s[12] = a12; s[13] = a13; s[14] = a14;
    s[15] = a15; s[16] = a16; s[17] = a17; s[18] = a18; s[19] = a19;
    s[20] = a20; s[21] = a21; s[22] = a22; s[23] = a23; s[24] = a24;
}

/* XOR `n` whole blocks of `rate` bytes into the state, permuting after each. */
static void keccak_absorb_blocks(uint64_t s[25], const uint8_t *p, size_t n, size_t rate) {
    size_t words = rate / 8;
    while (n--) {
        for (size_t i = 0; i < words; i++) {
            uint64_t v;
            __builtin_memcpy(&v, p + 8 * i, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            v = __builtin_bswap64(v);
#endif
            s[i] ^= v;
        }
        keccak_f1600(s);
        p += rate;
    }
}

#endif
