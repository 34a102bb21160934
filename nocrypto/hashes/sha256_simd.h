/* SHA-256 for CPUs without SHA-NI: the message schedule in SSE registers, four words
 * per step, interleaved with the scalar rounds of the previous block.
 *
 * Included twice by sha256.h (deliberately no include guard), with
 *   NC_SIMD_NAME    the function's name,
 *   NC_SIMD_TARGET  its target attribute string,
 *   NC_X_ROR32      a 32-bit lane rotation on __m128i (two shifts and an OR for SSSE3,
 *                   vprord for AVX-512VL).
 *
 * Same reasoning as sha512_simd.h: the rounds are bound by integer ALU throughput, so
 * W[t] + K[t] for the next block is computed on the vector units in between.
 * No data-dependent branch or index.
 */

/* W[t .. t+3] into ring slot j of x[4] (which holds W[t-16 .. t-1]).  sigma1 of the
 * two highest new words needs the two lowest, so it is applied in two halves. */
#define NC_SCHED_QUAD(xr, j)                                                                 \
    do {                                                                                     \
        __m128i w15 = _mm_alignr_epi8(xr[((j) + 1) & 3], xr[(j)], 4);                        \
        __m128i w7 = _mm_alignr_epi8(xr[((j) + 3) & 3], xr[((j) + 2) & 3], 4);               \
        __m128i s0 = _mm_xor_si128(_mm_xor_si128(NC_X_ROR32(w15, 7), NC_X_ROR32(w15, 18)),   \
                                   _mm_srli_epi32(w15, 3));                                  \
        __m128i nw = _mm_add_epi32(_mm_add_epi32(xr[(j)], s0), w7);                          \
        __m128i y = _mm_shuffle_epi32(xr[((j) + 3) & 3], 0xEE); /* W[t-2], W[t-1] twice */   \
        __m128i s1 = _mm_xor_si128(_mm_xor_si128(NC_X_ROR32(y, 17), NC_X_ROR32(y, 19)),      \
                                   _mm_srli_epi32(y, 10));                                   \
        nw = _mm_add_epi32(nw, _mm_and_si128(s1, lo64));                                     \
        y = _mm_shuffle_epi32(nw, 0x44); /* W[t], W[t+1] twice */                            \
        s1 = _mm_xor_si128(_mm_xor_si128(NC_X_ROR32(y, 17), NC_X_ROR32(y, 19)),              \
                           _mm_srli_epi32(y, 10));                                           \
        xr[(j)] = _mm_add_epi32(nw, _mm_andnot_si128(lo64, s1));                             \
    } while (0)

/* Words 8q .. 8q+7 of a block's W + K into wk (q = 0..7); q < 2 loads the message. */
#define NC_SCHED8(x, wk, p, q)                                                               \
    do {                                                                                     \
        _Pragma("GCC unroll 2")                                                              \
        for (int nc_i = 0; nc_i < 2; nc_i++) {                                               \
            int quad = 2 * (q) + nc_i;                                                       \
            int j = quad & 3;                                                                \
            if ((q) < 2)                                                                     \
                x[j] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)((p) + 16 * quad)), bswap); \
            else                                                                             \
                NC_SCHED_QUAD(x, j);                                                         \
            _mm_store_si128((__m128i *)&(wk)[4 * quad],                                      \
                            _mm_add_epi32(x[j], _mm_loadu_si128((const __m128i *)&nocrypto_k256[4 * quad]))); \
        }                                                                                    \
    } while (0)

__attribute__((target(NC_SIMD_TARGET)))
static void NC_SIMD_NAME(uint32_t st[8], const uint8_t *p, size_t n) {
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    const __m128i lo64 = _mm_set_epi64x(0, -1);
    uint32_t wk[2][64] __attribute__((aligned(16)));
    __m128i x[4];
    if (!n)
        return;
    _Pragma("GCC unroll 8")
    for (int q = 0; q < 8; q++)
        NC_SCHED8(x, wk[0], p, q);
    for (size_t blk = 0; blk < n; blk++) {
        const uint32_t *cur = wk[blk & 1];
        uint32_t *next = wk[(blk + 1) & 1];
        const uint8_t *np = p + 64;
        int more = blk + 1 < n;
        uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
        uint32_t e = st[4], f = st[5], g = st[6], h = st[7];
        uint32_t u, v = b ^ c;
#define NC_RS(a, b, c, d, e, f, g, h, i, ab, bc)                                         \
    do {                                                                                \
        uint32_t t1 = h + (NC_ROR32(e, 6) ^ NC_ROR32(e, 11) ^ NC_ROR32(e, 25)) +        \
                      (e & f) + (~e & g) + cur[i];                                      \
        ab = a ^ b;                                                                     \
        uint32_t t2 = (NC_ROR32(a, 2) ^ NC_ROR32(a, 13) ^ NC_ROR32(a, 22)) +            \
                      (b ^ (ab & bc));                                                  \
        d += t1;                                                                        \
        h = t1 + t2;                                                                    \
    } while (0)
        _Pragma("GCC unroll 8")
        for (int q = 0; q < 8; q++) {
            int i = 8 * q;
            if (more)
                NC_SCHED8(x, next, np, q);
            NC_RS(a, b, c, d, e, f, g, h, i, u, v);
            NC_RS(h, a, b, c, d, e, f, g, i + 1, v, u);
            NC_RS(g, h, a, b, c, d, e, f, i + 2, u, v);
            NC_RS(f, g, h, a, b, c, d, e, i + 3, v, u);
            NC_RS(e, f, g, h, a, b, c, d, i + 4, u, v);
            NC_RS(d, e, f, g, h, a, b, c, i + 5, v, u);
            NC_RS(c, d, e, f, g, h, a, b, i + 6, u, v);
            NC_RS(b, c, d, e, f, g, h, a, i + 7, v, u);
        }
#undef NC_RS
        st[0] += a; st[1] += b; st[2] += c; st[3] += d;
        st[4] += e; st[5] += f; st[6] += g; st[7] += h;
        p += 64;
    }
}

#undef NC_SCHED_QUAD
#undef NC_SCHED8
