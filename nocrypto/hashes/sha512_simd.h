/* SHA-512 with the message schedule in SSE registers, interleaved with the rounds.
 *
 * Included twice by sha512.h (deliberately no include guard), with
 *   NC_SIMD_NAME    the function's name,
 *   NC_SIMD_TARGET  its target attribute string,
 *   NC_X_ROR64      a 64-bit lane rotation on __m128i (two shifts and an OR for SSSE3,
 *                   vprorq for AVX-512VL).
 *
 * Why: the scalar rounds are limited by integer ALU throughput; computing W[t] + K[t]
 * for the NEXT block two words at a time on the vector units, spread between the
 * current block's rounds, takes the schedule off the integer ports.  The rounds are the
 * same as the portable code.  No data-dependent branch or index.
 */

/* W[t], W[t+1] into ring slot j of x[8] (which holds W[t-16 .. t-1] in pairs). */
#define NC_SCHED_PAIR(xr, j)                                                                 \
    do {                                                                                     \
        __m128i w15 = _mm_alignr_epi8(xr[((j) + 1) & 7], xr[(j)], 8);                        \
        __m128i w7 = _mm_alignr_epi8(xr[((j) + 5) & 7], xr[((j) + 4) & 7], 8);               \
        __m128i w2 = xr[((j) + 7) & 7];                                                      \
        __m128i s0 = _mm_xor_si128(_mm_xor_si128(NC_X_ROR64(w15, 1), NC_X_ROR64(w15, 8)),    \
                                   _mm_srli_epi64(w15, 7));                                  \
        __m128i s1 = _mm_xor_si128(_mm_xor_si128(NC_X_ROR64(w2, 19), NC_X_ROR64(w2, 61)),    \
                                   _mm_srli_epi64(w2, 6));                                   \
        xr[(j)] = _mm_add_epi64(_mm_add_epi64(xr[(j)], s0), _mm_add_epi64(w7, s1));          \
    } while (0)

/* Words 8q .. 8q+7 of a block's W + K into wk (q = 0..9); q < 2 loads the message.
 * Fully unrolled so every ring index is a constant and x[] stays in registers. */
#define NC_SCHED8(x, wk, p, q)                                                               \
    do {                                                                                     \
        _Pragma("GCC unroll 4")                                                              \
        for (int nc_i = 0; nc_i < 4; nc_i++) {                                               \
            int pair = 4 * (q) + nc_i;                                                       \
            int j = pair & 7;                                                                \
            if ((q) < 2)                                                                     \
                x[j] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)((p) + 16 * pair)), bswap); \
            else                                                                             \
                NC_SCHED_PAIR(x, j);                                                         \
            _mm_store_si128((__m128i *)&(wk)[2 * pair],                                      \
                            _mm_add_epi64(x[j], _mm_loadu_si128((const __m128i *)&nocrypto_k512[2 * pair]))); \
        }                                                                                    \
    } while (0)

__attribute__((target(NC_SIMD_TARGET)))
static void NC_SIMD_NAME(uint64_t st[8], const uint8_t *p, size_t n) {
    const __m128i bswap = _mm_set_epi64x(0x08090a0b0c0d0e0fULL, 0x0001020304050607ULL);
    uint64_t wk[2][80] __attribute__((aligned(16)));
    __m128i x[8];
    if (!n)
        return;
    _Pragma("GCC unroll 10")
    for (int q = 0; q < 10; q++)
        NC_SCHED8(x, wk[0], p, q);
    for (size_t blk = 0; blk < n; blk++) {
        const uint64_t *cur = wk[blk & 1];
        uint64_t *next = wk[(blk + 1) & 1];
        const uint8_t *np = p + 128;
        int more = blk + 1 < n;
        uint64_t a = st[0], b = st[1], c = st[2], d = st[3];
        uint64_t e = st[4], f = st[5], g = st[6], h = st[7];
        uint64_t u, v = b ^ c;
#define NC_RS(a, b, c, d, e, f, g, h, i, ab, bc)                                         \
    do {                                                                                \
        uint64_t t1 = h + (NC_ROR64(e, 14) ^ NC_ROR64(e, 18) ^ NC_ROR64(e, 41)) +       \
                      (e & f) + (~e & g) + cur[i];                                      \
        ab = a ^ b;                                                                     \
        uint64_t t2 = (NC_ROR64(a, 28) ^ NC_ROR64(a, 34) ^ NC_ROR64(a, 39)) +           \
                      (b ^ (ab & bc));                                                  \
        d += t1;                                                                        \
        h = t1 + t2;                                                                    \
    } while (0)
        _Pragma("GCC unroll 10")
        for (int q = 0; q < 10; q++) {
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
        p += 128;
    }
}

#undef NC_SCHED_PAIR
#undef NC_SCHED8
