/* Bitsliced AES round function, a template: the includer defines BSW (the word type),
 * NC_BS_LANES (uint64_t lanes per word, 4 blocks each) and BS(name) (a name prefix). */
#ifndef BS_REP
#define BS_REP(m) ((uint64_t)(m) * 0x0001000100010001ULL)
#endif

#define bs_sbox BS(sbox)
#define bs_inv_sbox BS(inv_sbox)
#define ZERO ((BSW){0})
#include "_aes_sbox_bs.h"
#undef bs_sbox
#undef bs_inv_sbox
#undef ZERO

static inline void BS(load)(BSW q[8], const uint8_t *in) {
#if NC_BS_LANES == 1
    bs_load4(q, in);
#else
    uint64_t t[NC_BS_LANES][8];
    for (int l = 0; l < NC_BS_LANES; l++) bs_load4(t[l], in + 64 * l);
    for (int b = 0; b < 8; b++) {
        union { BSW v; uint64_t u[NC_BS_LANES]; } x;
        for (int l = 0; l < NC_BS_LANES; l++) x.u[l] = t[l][b];
        q[b] = x.v;
    }
#endif
}

static inline void BS(store)(uint8_t *out, const BSW q[8]) {
#if NC_BS_LANES == 1
    bs_store4(out, q);
#else
    uint64_t t[NC_BS_LANES][8];
    for (int b = 0; b < 8; b++) {
        union { BSW v; uint64_t u[NC_BS_LANES]; } x;
        x.v = q[b];
        for (int l = 0; l < NC_BS_LANES; l++) t[l][b] = x.u[l];
    }
    for (int l = 0; l < NC_BS_LANES; l++) bs_store4(out + 64 * l, t[l]);
#endif
}


static inline BSW BS(shift_rows1)(BSW x) {
    return (x & BS_REP(0x1111)) | ((x >> 4) & BS_REP(0x0222)) | ((x << 12) & BS_REP(0x2000))
         | ((x >> 8) & BS_REP(0x0044)) | ((x << 8) & BS_REP(0x4400))
         | ((x >> 12) & BS_REP(0x0008)) | ((x << 4) & BS_REP(0x8880));
}
static inline BSW BS(inv_shift_rows1)(BSW x) {
    return (x & BS_REP(0x1111)) | ((x << 4) & BS_REP(0x2220)) | ((x >> 12) & BS_REP(0x0002))
         | ((x >> 8) & BS_REP(0x0044)) | ((x << 8) & BS_REP(0x4400))
         | ((x << 12) & BS_REP(0x8000)) | ((x >> 4) & BS_REP(0x0888));
}
/* Rotate each column (a nibble: rows 0..3) so that row r receives row r+k. */
static inline BSW BS(rot1)(BSW x) { return ((x >> 1) & 0x7777777777777777ULL) | ((x << 3) & 0x8888888888888888ULL); }
static inline BSW BS(rot2)(BSW x) { return ((x >> 2) & 0x3333333333333333ULL) | ((x << 2) & 0xCCCCCCCCCCCCCCCCULL); }
static inline BSW BS(rot3)(BSW x) { return ((x >> 3) & 0x1111111111111111ULL) | ((x << 1) & 0xEEEEEEEEEEEEEEEEULL); }

/* Multiply every byte by {02}: a plane shift with the x^8 = x^4+x^3+x+1 feedback. */
static inline void BS(xtime)(BSW o[8], const BSW a[8]) {
    BSW h = a[7];
    o[7] = a[6]; o[6] = a[5]; o[5] = a[4]; o[4] = a[3] ^ h;
    o[3] = a[2] ^ h; o[2] = a[1]; o[1] = a[0] ^ h; o[0] = h;
}

static inline void BS(mix_columns)(BSW q[8]) {
    BSW r1[8], t[8], xt[8];
    for (int b = 0; b < 8; b++) { r1[b] = BS(rot1)(q[b]); t[b] = q[b] ^ r1[b]; }
    BS(xtime)(xt, t);
    for (int b = 0; b < 8; b++) q[b] = xt[b] ^ r1[b] ^ BS(rot2)(q[b]) ^ BS(rot3)(q[b]);
}

static inline void BS(inv_mix_columns)(BSW q[8]) {
    /* InvMixColumns = MixColumns after adding {04}(a_r + a_{r+2}) to each row. */
    BSW t[8], u[8], v[8];
    for (int b = 0; b < 8; b++) t[b] = q[b] ^ BS(rot2)(q[b]);
    BS(xtime)(u, t);
    BS(xtime)(v, u);
    for (int b = 0; b < 8; b++) q[b] ^= v[b];
    BS(mix_columns)(q);
}

NC_BS_CLONES static void BS(encrypt)(const nc_aes_key *k, const uint8_t *in, uint8_t *out) {
    BSW q[8];
    BS(load)(q, in);
    for (int b = 0; b < 8; b++) q[b] ^= k->bs_rk[0][b];
    for (int r = 1; r <= k->rounds; r++) {
        BS(sbox)(q);
        for (int b = 0; b < 8; b++) q[b] = BS(shift_rows1)(q[b]);
        if (r != k->rounds) BS(mix_columns)(q);
        for (int b = 0; b < 8; b++) q[b] ^= k->bs_rk[r][b];
    }
    BS(store)(out, q);
}

NC_BS_CLONES static void BS(decrypt)(const nc_aes_key *k, const uint8_t *in, uint8_t *out) {
    BSW q[8];
    BS(load)(q, in);
    for (int b = 0; b < 8; b++) q[b] ^= k->bs_rk[k->rounds][b];
    for (int r = k->rounds - 1; r >= 0; r--) {
        for (int b = 0; b < 8; b++) q[b] = BS(inv_shift_rows1)(q[b]);
        BS(inv_sbox)(q);
        for (int b = 0; b < 8; b++) q[b] ^= k->bs_rk[r][b];
        if (r) BS(inv_mix_columns)(q);
    }
    BS(store)(out, q);
}

