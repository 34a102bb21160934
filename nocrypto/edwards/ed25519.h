/* edwards25519 group arithmetic for Ed25519 (RFC 8032 section 5.1).
 *
 * Points are in extended coordinates (X:Y:Z:T) with x = X/Z, y = Y/Z, xy = T/Z; the
 * addition and doubling formulas are the complete ones of RFC 8032 section 5.1.4
 * (Hisil-Wong-Carter-Dawson), split at the point where the "completed" form
 * (E, H, G, F) with x = E/G and y = H/F is available, so callers pay only for the
 * coordinates they need next.
 *
 * Fixed-base multiplication, used with secrets, is constant time: the scalar is recoded
 * into 64 signed radix-16 digits and each table row is read in full, entries chosen with
 * masks.  The double-base multiplication in verification is variable time (public data).
 */
#ifndef PURETLS_ED25519_H
#define PURETLS_ED25519_H

#include "fe25519.h"
#include "scalar.h"

typedef struct { fe25519 X, Y, Z, T; } ge25519_p3;
typedef struct { fe25519 X, Y, Z; } ge25519_p2;
typedef struct { fe25519 E, H, G, F; } ge25519_p1p1;     /* x = E/G, y = H/F */
typedef struct { fe25519 ypx, ymx, xy2d; } ge25519_precomp; /* affine, for mixed addition */
typedef struct { fe25519 ypx, ymx, Z, T2d; } ge25519_cached;

static fe25519 ed25519_d, ed25519_d2, ed25519_sqrtm1;
static ge25519_precomp ed25519_base_table[64][8]; /* [i][j] = (j + 1) * 16^i * B */
static ge25519_cached ed25519_base_odd[32];       /* (2j + 1) * B, for verification */

static const uint64_t ed25519_L[4] = {
    UINT64_C(0x5812631a5cf5d3ed), UINT64_C(0x14def9dea2f79cd6), 0, UINT64_C(0x1000000000000000)};

static void ge25519_to_p2(ge25519_p2 *r, const ge25519_p1p1 *p) {
    fe25519_mul(r->X, p->E, p->F);
    fe25519_mul(r->Y, p->H, p->G);
    fe25519_mul(r->Z, p->G, p->F);
}

static void ge25519_to_p3(ge25519_p3 *r, const ge25519_p1p1 *p) {
    fe25519_mul(r->X, p->E, p->F);
    fe25519_mul(r->Y, p->H, p->G);
    fe25519_mul(r->Z, p->G, p->F);
    fe25519_mul(r->T, p->E, p->H);
}

static void ge25519_identity(ge25519_p3 *r) {
    fe25519_set_small(r->X, 0);
    fe25519_set_small(r->Y, 1);
    fe25519_set_small(r->Z, 1);
    fe25519_set_small(r->T, 0);
}

static void ge25519_to_cached(ge25519_cached *r, const ge25519_p3 *p) {
    fe25519_add(r->ypx, p->Y, p->X);
    fe25519_sub(r->ymx, p->Y, p->X);
    fe25519_carry(r->ypx);
    fe25519_carry(r->ymx);
    fe25519_copy(r->Z, p->Z);
    fe25519_mul(r->T2d, p->T, ed25519_d2);
}

/* 2P from (X:Y:Z): A = X^2, B = Y^2, C = 2Z^2, H = A + B, E = H - (X + Y)^2, G = A - B,
 * F = C + G. */
static void ge25519_dbl(ge25519_p1p1 *r, const ge25519_p2 *p) {
    fe25519 a, b, c, t;
    fe25519_sq(a, p->X);
    fe25519_sq(b, p->Y);
    fe25519_sq(c, p->Z);
    fe25519_add(c, c, c);
    fe25519_add(r->H, a, b);
    fe25519_add(t, p->X, p->Y);
    fe25519_sq(t, t);
    fe25519_sub(r->E, r->H, t);
    fe25519_sub(r->G, a, b);
    fe25519_carry(r->G);
    fe25519_add(r->F, c, r->G);
}

static void ge25519_p3_dbl(ge25519_p1p1 *r, const ge25519_p3 *p) {
    ge25519_p2 q;
    fe25519_copy(q.X, p->X);
    fe25519_copy(q.Y, p->Y);
    fe25519_copy(q.Z, p->Z);
    ge25519_dbl(r, &q);
}

/* P + Q (sign = 0) or P - Q (sign = 1) for Q in cached form; A = (Y1 - X1)(Y2 - X2),
 * B = (Y1 + X1)(Y2 + X2), C = 2d T1 T2, D = 2 Z1 Z2; E = B - A, F = D - C, G = D + C,
 * H = B + A.  Subtracting swaps the roles of Y2 + X2 and Y2 - X2 and the sign of C. */
static void ge25519_add_cached(ge25519_p1p1 *r, const ge25519_p3 *p, const ge25519_cached *q,
                               int sign) {
    fe25519 a, b, c, d, ypx, ymx;
    fe25519_add(ypx, p->Y, p->X);
    fe25519_sub(ymx, p->Y, p->X);
    fe25519_mul(a, ymx, sign ? q->ypx : q->ymx);
    fe25519_mul(b, ypx, sign ? q->ymx : q->ypx);
    fe25519_mul(c, p->T, q->T2d);
    fe25519_mul(d, p->Z, q->Z);
    fe25519_add(d, d, d);
    fe25519_sub(r->E, b, a);
    fe25519_add(r->H, b, a);
    if (sign) {
        fe25519_add(r->F, d, c);
        fe25519_sub(r->G, d, c);
    } else {
        fe25519_sub(r->F, d, c);
        fe25519_add(r->G, d, c);
    }
}

/* P + Q for an affine precomputed Q (Z2 = 1): same formulas, D = 2 Z1. */
static void ge25519_add_precomp(ge25519_p1p1 *r, const ge25519_p3 *p, const ge25519_precomp *q) {
    fe25519 a, b, c, d, ypx, ymx;
    fe25519_add(ypx, p->Y, p->X);
    fe25519_sub(ymx, p->Y, p->X);
    fe25519_mul(a, ymx, q->ymx);
    fe25519_mul(b, ypx, q->ypx);
    fe25519_mul(c, p->T, q->xy2d);
    fe25519_add(d, p->Z, p->Z);
    fe25519_sub(r->E, b, a);
    fe25519_add(r->H, b, a);
    fe25519_sub(r->F, d, c);
    fe25519_add(r->G, d, c);
}

/* Encoding of p given zi = 1/Z. */
static void ge25519_tobytes_zi(uint8_t s[32], const ge25519_p3 *p, const fe25519 zi) {
    fe25519 x, y;
    fe25519_mul(x, p->X, zi);
    fe25519_mul(y, p->Y, zi);
    fe25519_tobytes(s, y);
    s[31] |= (uint8_t)(fe25519_isodd(x) << 7);
}

static void ge25519_tobytes(uint8_t s[32], const ge25519_p3 *p) {
    fe25519 zi;
    fe25519_invert(zi, p->Z);
    ge25519_tobytes_zi(s, p, zi);
}

/* RFC 8032 section 5.1.3 decoding; 0 on success, -1 for a non-canonical y, a y with no
 * x on the curve, or x = 0 with the sign bit set.  Public data only (branches). */
static int ge25519_frombytes(ge25519_p3 *r, const uint8_t s[32]) {
    uint8_t check[32];
    fe25519 u, v, v3, vxx, t;
    int sign = s[31] >> 7;
    fe25519_frombytes(r->Y, s);
    fe25519_tobytes(check, r->Y);
    check[31] |= (uint8_t)(sign << 7);
    if (memcmp(check, s, 32) != 0) return -1; /* y >= p */
    fe25519_set_small(r->Z, 1);
    fe25519_sq(u, r->Y);
    fe25519_mul(v, u, ed25519_d);
    fe25519_set_small(t, 1);
    fe25519_sub(u, u, t);
    fe25519_carry(u);
    fe25519_add(v, v, t);               /* u = y^2 - 1, v = d y^2 + 1 */
    fe25519_sq(v3, v);
    fe25519_mul(v3, v3, v);             /* v^3 */
    fe25519_sq(t, v3);
    fe25519_mul(t, t, v);
    fe25519_mul(t, t, u);               /* u v^7 */
    fe25519_pow22523(t, t);
    fe25519_mul(t, t, v3);
    fe25519_mul(r->X, t, u);            /* x = u v^3 (u v^7)^((p - 5) / 8) */
    fe25519_sq(vxx, r->X);
    fe25519_mul(vxx, vxx, v);
    fe25519_sub(t, vxx, u);
    if (!fe25519_iszero(t)) {
        fe25519_add(t, vxx, u);
        if (!fe25519_iszero(t)) return -1; /* not a square: no such point */
        fe25519_mul(r->X, r->X, ed25519_sqrtm1);
    }
    if (fe25519_iszero(r->X) && sign) return -1;
    if ((int)fe25519_isodd(r->X) != sign) fe25519_neg(r->X, r->X);
    fe25519_mul(r->T, r->X, r->Y);
    return 0;
}

static void ed25519_precomp_from_p3(ge25519_precomp *q, const ge25519_p3 *p, const fe25519 zi) {
    fe25519 x, y;
    fe25519_mul(x, p->X, zi);
    fe25519_mul(y, p->Y, zi);
    fe25519_add(q->ypx, y, x);
    fe25519_sub(q->ymx, y, x);
    fe25519_carry(q->ypx);
    fe25519_carry(q->ymx);
    fe25519_mul(q->xy2d, x, y);
    fe25519_mul(q->xy2d, q->xy2d, ed25519_d2);
}

/* Build the tables from the constants the Python side computed; -1 if B does not decode. */
static int ed25519_setup(const uint8_t d[32], const uint8_t sqrtm1[32], const uint8_t base[32]) {
    enum { N = 64 * 8 };
    static ge25519_p3 pts[N];
    static fe25519 prefix[N];
    ge25519_p3 b, row, acc;
    ge25519_cached c;
    ge25519_p1p1 t;
    fe25519 inv, tmp;
    fe25519_frombytes(ed25519_d, d);
    fe25519_add(ed25519_d2, ed25519_d, ed25519_d);
    fe25519_carry(ed25519_d2);
    fe25519_frombytes(ed25519_sqrtm1, sqrtm1);
    if (ge25519_frombytes(&b, base) != 0) return -1;
    row = b;
    for (int i = 0; i < 64; i++) {
        acc = row;
        ge25519_to_cached(&c, &row);
        for (int j = 0; j < 8; j++) {
            pts[8 * i + j] = acc;
            ge25519_add_cached(&t, &acc, &c, 0);
            ge25519_to_p3(&acc, &t);
        }
        ge25519_p3_dbl(&t, &pts[8 * i + 7]); /* 2 * (8 * 16^i B) = 16^(i+1) B */
        ge25519_to_p3(&row, &t);
    }
    /* Montgomery's trick: one inversion for all 512 Z coordinates. */
    fe25519_copy(prefix[0], pts[0].Z);
    for (int i = 1; i < N; i++) fe25519_mul(prefix[i], prefix[i - 1], pts[i].Z);
    fe25519_invert(inv, prefix[N - 1]);
    for (int i = N - 1; i > 0; i--) {
        fe25519_mul(tmp, inv, prefix[i - 1]); /* 1 / Z_i */
        fe25519_mul(inv, inv, pts[i].Z);
        ed25519_precomp_from_p3(&ed25519_base_table[i / 8][i % 8], &pts[i], tmp);
    }
    ed25519_precomp_from_p3(&ed25519_base_table[0][0], &pts[0], inv);
    /* Odd multiples of B for the verification window. */
    ge25519_p3 b2;
    ge25519_cached b2c;
    ge25519_p3_dbl(&t, &b);
    ge25519_to_p3(&b2, &t);
    ge25519_to_cached(&b2c, &b2);
    acc = b;
    for (int j = 0; j < 32; j++) {
        ge25519_to_cached(&ed25519_base_odd[j], &acc);
        ge25519_add_cached(&t, &acc, &b2c, 0);
        ge25519_to_p3(&acc, &t);
    }
    return 0;
}

static inline uint64_t ct_eq_small(uint64_t a, uint64_t b) {
    return ((a ^ b) - 1) >> 63; /* 1 when a == b (both small) */
}

static void ed25519_select(ge25519_precomp *r, int i, int8_t digit) {
    uint64_t neg = (uint64_t)((int64_t)digit >> 63) & 1;
    uint64_t mag = (uint64_t)(((int64_t)digit ^ -(int64_t)neg) + (int64_t)neg);
    fe25519_set_small(r->ypx, 1);
    fe25519_set_small(r->ymx, 1);
    fe25519_set_small(r->xy2d, 0);
    for (int j = 0; j < 8; j++) {
        uint64_t m = ct_eq_small(mag, (uint64_t)(j + 1));
        fe25519_cmov(r->ypx, ed25519_base_table[i][j].ypx, m);
        fe25519_cmov(r->ymx, ed25519_base_table[i][j].ymx, m);
        fe25519_cmov(r->xy2d, ed25519_base_table[i][j].xy2d, m);
    }
    /* -Q swaps y + x with y - x and negates xy2d. */
    fe25519 nxy;
    fe25519_neg(nxy, r->xy2d);
    fe25519_cswap(r->ypx, r->ymx, neg);
    fe25519_cmov(r->xy2d, nxy, neg);
}

/* h = [a]B for a 32-byte scalar a < 2^255, in constant time. */
static void ed25519_scalarmult_base_p3(ge25519_p3 *h, const uint8_t a[32]) {
    int8_t e[64];
    ge25519_p1p1 t;
    ge25519_precomp q;
    for (int i = 0; i < 32; i++) {
        e[2 * i] = (int8_t)(a[i] & 15);
        e[2 * i + 1] = (int8_t)(a[i] >> 4);
    }
    /* Signed digits in [-8, 8): add 8 and carry what overflows a nibble. */
    int8_t carry = 0;
    for (int i = 0; i < 63; i++) {
        e[i] += carry;
        carry = (int8_t)((e[i] + 8) >> 4);
        e[i] -= (int8_t)(carry * 16);
    }
    e[63] += carry; /* a < 2^255 keeps this digit at most 8 */
    ge25519_identity(h);
    for (int i = 0; i < 64; i++) {
        ed25519_select(&q, i, e[i]);
        ge25519_add_precomp(&t, h, &q);
        ge25519_to_p3(h, &t);
    }
    memset(e, 0, sizeof e);
}

/* out = encoding of [a]B, in constant time. */
static void ed25519_scalarmult_base(uint8_t out[32], const uint8_t a[32]) {
    ge25519_p3 h;
    ed25519_scalarmult_base_p3(&h, a);
    ge25519_tobytes(out, &h);
}

/* out = encoding of [a]B || encoding of [r]B, sharing one inversion (Montgomery's
 * trick): signing needs both A and R. */
static void ed25519_scalarmult_base_pair(uint8_t out[64], const uint8_t a[32],
                                         const uint8_t r[32]) {
    ge25519_p3 p, q;
    fe25519 inv, zi;
    ed25519_scalarmult_base_p3(&p, a);
    ed25519_scalarmult_base_p3(&q, r);
    fe25519_mul(inv, p.Z, q.Z);
    fe25519_invert(inv, inv);
    fe25519_mul(zi, inv, q.Z);
    ge25519_tobytes_zi(out, &p, zi);
    fe25519_mul(zi, inv, p.Z);
    ge25519_tobytes_zi(out + 32, &q, zi);
}

/* X25519(scalar, 9) through the Edwards fixed-base table: the birational map of
 * RFC 7748 section 4.1 sends (x, y) to u = (1 + y) / (1 - y) = (Z + Y) / (Z - Y).
 * A clamped scalar is never a multiple of the group order, so Z - Y is never zero. */
static void x25519_scalarmult_base(uint8_t out[32], const uint8_t scalar[32]) {
    uint8_t k[32];
    ge25519_p3 h;
    fe25519 n, d;
    memcpy(k, scalar, 32);
    k[0] &= 248;
    k[31] &= 127;
    k[31] |= 64;
    ed25519_scalarmult_base_p3(&h, k);
    fe25519_add(n, h.Z, h.Y);
    fe25519_sub(d, h.Z, h.Y);
    fe25519_invert(d, d);
    fe25519_mul(n, n, d);
    fe25519_tobytes(out, n);
    memset(k, 0, sizeof k);
}

/* Width-w signed sliding window (wNAF) digits of a 256-bit scalar below 2^253. */
static void ed25519_wnaf(int8_t naf[256], const uint8_t s[32], int w) {
    uint64_t x[5];
    for (int i = 0; i < 4; i++) x[i] = fe25519_load64(s + 8 * i);
    x[4] = 0;
    memset(naf, 0, 256);
    uint64_t width = (uint64_t)1 << w, mask = width - 1, carry = 0;
    int pos = 0;
    while (pos < 256) {
        int idx = pos / 64, bit = pos % 64;
        uint64_t bits = x[idx] >> bit;
        if (bit + w > 64) bits |= x[idx + 1] << (64 - bit);
        uint64_t window = carry + (bits & mask);
        if ((window & 1) == 0) { pos += 1; continue; }
        if (window < width / 2) { carry = 0; naf[pos] = (int8_t)window; }
        else { carry = 1; naf[pos] = (int8_t)((int64_t)window - (int64_t)width); }
        pos += w;
    }
}

/* Cofactorless RFC 8032 check: encode([S]B - [k]A) == R, with S < L and A canonical.
 * k is the 64-byte SHA-512 hash; all inputs are public. */
static int ed25519_verify(const uint8_t pub[32], const uint8_t r_enc[32], const uint8_t s[32],
                          const uint8_t k_hash[64]) {
    ge25519_p3 a, a2, acc3;
    ge25519_p2 acc;
    ge25519_p1p1 t;
    ge25519_cached a_odd[8], a2c;
    uint64_t kr[4];
    uint8_t k[32], check[32];
    int8_t nk[256], ns[256];
    if (!sc_is_canonical(s, 32, ed25519_L, 4)) return 0;
    if (ge25519_frombytes(&a, pub) != 0) return 0;
    sc25519_reduce64(kr, k_hash);
    sc_tobytes(k, 32, kr, 4);
    /* odd multiples 1, 3, ..., 15 of A; we subtract [k]A */
    ge25519_p3_dbl(&t, &a);
    ge25519_to_p3(&a2, &t);
    ge25519_to_cached(&a2c, &a2);
    acc3 = a;
    for (int j = 0; j < 8; j++) {
        ge25519_to_cached(&a_odd[j], &acc3);
        ge25519_add_cached(&t, &acc3, &a2c, 0);
        ge25519_to_p3(&acc3, &t);
    }
    ed25519_wnaf(nk, k, 5);
    ed25519_wnaf(ns, s, 7);
    int top = 255;
    while (top >= 0 && nk[top] == 0 && ns[top] == 0) top--;
    fe25519_set_small(acc.X, 0);
    fe25519_set_small(acc.Y, 1);
    fe25519_set_small(acc.Z, 1);
    for (int i = top; i >= 0; i--) {
        ge25519_dbl(&t, &acc);
        if (nk[i] || ns[i]) {
            ge25519_to_p3(&acc3, &t);
            if (nk[i] > 0) {
                ge25519_add_cached(&t, &acc3, &a_odd[nk[i] / 2], 1);
                ge25519_to_p3(&acc3, &t);
            } else if (nk[i] < 0) {
                ge25519_add_cached(&t, &acc3, &a_odd[-nk[i] / 2], 0);
                ge25519_to_p3(&acc3, &t);
            }
            if (ns[i] > 0) {
                ge25519_add_cached(&t, &acc3, &ed25519_base_odd[ns[i] / 2], 0);
            } else if (ns[i] < 0) {
                ge25519_add_cached(&t, &acc3, &ed25519_base_odd[-ns[i] / 2], 1);
            }
            /* with ns[i] == 0, t still holds acc3 in completed form */
        }
        ge25519_to_p2(&acc, &t);
    }
    ge25519_p3 res;
    fe25519_copy(res.X, acc.X);
    fe25519_copy(res.Y, acc.Y);
    fe25519_copy(res.Z, acc.Z);
    ge25519_tobytes(check, &res);
    return memcmp(check, r_enc, 32) == 0;
}

#endif
