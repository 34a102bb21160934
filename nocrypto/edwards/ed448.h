/* edwards448 group arithmetic for Ed448 (RFC 8032 section 5.2).
 *
 * Projective coordinates (X:Y:Z) with the complete formulas of RFC 8032 section 5.2.4
 * (a = 1, d = -39081 is not a square).  Fixed-base multiplication, used with secrets,
 * reduces the scalar modulo L in constant time, recodes it into 112 signed radix-16
 * digits and reads every table row in full, entries chosen with masks.  Verification
 * (public data) uses a variable-time double-base wNAF multiplication.
 */
#ifndef PURETLS_ED448_H
#define PURETLS_ED448_H

#include "fe448.h"
#include "scalar.h"

typedef struct { fe448 X, Y, Z; } ge448;
typedef struct { fe448 x, y; } ge448_affine;

#define ED448_D_ABS 39081 /* d = -39081 */

static ge448_affine ed448_base_table[112][8]; /* [i][j] = (j + 1) * 16^i * B */
static ge448_affine ed448_base_odd[32];       /* (2j + 1) * B */

static const uint64_t ed448_L[7] = {
    UINT64_C(0x2378c292ab5844f3), UINT64_C(0x216cc2728dc58f55), UINT64_C(0xc44edb49aed63690),
    UINT64_C(0xffffffff7cca23e9), UINT64_C(0xffffffffffffffff), UINT64_C(0xffffffffffffffff),
    UINT64_C(0x3fffffffffffffff)};

static void ge448_identity(ge448 *r) {
    fe448_set_small(r->X, 0);
    fe448_set_small(r->Y, 1);
    fe448_set_small(r->Z, 1);
}

/* B = (X1 + Y1)^2, C = X1^2, D = Y1^2, E = C + D, H = Z1^2, J = E - 2H;
 * X3 = (B - E) J, Y3 = E (C - D), Z3 = E J. */
static void ge448_dbl(ge448 *r, const ge448 *p) {
    fe448 b, c, d, e, h, j, t;
    fe448_add(t, p->X, p->Y);
    fe448_sq(b, t);
    fe448_sq(c, p->X);
    fe448_sq(d, p->Y);
    fe448_add(e, c, d);
    fe448_sq(h, p->Z);
    fe448_add(h, h, h);
    fe448_sub(j, e, h);
    fe448_sub(t, b, e);
    fe448_mul(r->X, t, j);
    fe448_sub(t, c, d);
    fe448_mul(r->Y, e, t);
    fe448_mul(r->Z, e, j);
}

/* The tail shared by both additions: given A = Z1 Z2, C = X1 X2, D = Y1 Y2 and
 * H = (X1 + Y1)(X2 + Y2): E = d C D, F = B - E, G = B + E with B = A^2;
 * X3 = A F (H - C - D), Y3 = A G (D - C), Z3 = F G.  With d = -39081, E = -39081 C D. */
static void ge448_add_tail(ge448 *r, const fe448 a, const fe448 c, const fe448 d, const fe448 h) {
    fe448 b, e, f, g, t, u;
    fe448_sq(b, a);
    fe448_mul(e, c, d);
    fe448_mul_small(e, e, ED448_D_ABS); /* -E */
    fe448_add(f, b, e);
    fe448_sub(g, b, e);
    fe448_sub(t, h, c);
    fe448_sub(t, t, d);
    fe448_mul(u, a, f);
    fe448_mul(r->X, u, t);
    fe448_sub(t, d, c);
    fe448_mul(u, a, g);
    fe448_mul(r->Y, u, t);
    fe448_mul(r->Z, f, g);
}

static void ge448_add(ge448 *r, const ge448 *p, const ge448 *q) {
    fe448 a, c, d, h, s1, s2;
    fe448_mul(a, p->Z, q->Z);
    fe448_mul(c, p->X, q->X);
    fe448_mul(d, p->Y, q->Y);
    fe448_add(s1, p->X, p->Y);
    fe448_add(s2, q->X, q->Y);
    fe448_mul(h, s1, s2);
    ge448_add_tail(r, a, c, d, h);
}

static void ge448_add_affine(ge448 *r, const ge448 *p, const ge448_affine *q) {
    fe448 a, c, d, h, s1, s2;
    fe448_copy(a, p->Z);
    fe448_mul(c, p->X, q->x);
    fe448_mul(d, p->Y, q->y);
    fe448_add(s1, p->X, p->Y);
    fe448_add(s2, q->x, q->y);
    fe448_mul(h, s1, s2);
    ge448_add_tail(r, a, c, d, h);
}

/* Encoding of p given zi = 1/Z. */
static void ge448_tobytes_zi(uint8_t s[57], const ge448 *p, const fe448 zi) {
    fe448 x, y;
    fe448_mul(x, p->X, zi);
    fe448_mul(y, p->Y, zi);
    fe448_tobytes(s, y);
    s[56] = (uint8_t)(fe448_isodd(x) << 7);
}

static void ge448_tobytes(uint8_t s[57], const ge448 *p) {
    fe448 zi;
    fe448_invert(zi, p->Z);
    ge448_tobytes_zi(s, p, zi);
}

/* RFC 8032 section 5.2.3 decoding; 0 on success, -1 otherwise.  Public data only. */
static int ge448_frombytes(ge448 *r, const uint8_t s[57]) {
    uint8_t check[56];
    fe448 u, v, u2, u3, u5, v3, t, one, dd;
    int sign = s[56] >> 7;
    if (s[56] & 0x7f) return -1;        /* bits 448..454 set: y >= p */
    fe448_frombytes(r->Y, s);
    fe448_tobytes(check, r->Y);
    if (memcmp(check, s, 56) != 0) return -1; /* y >= p */
    fe448_set_small(r->Z, 1);
    fe448_set_small(one, 1);
    fe448_set_small(dd, ED448_D_ABS);
    fe448_sq(u, r->Y);
    fe448_mul(v, u, dd);
    fe448_add(v, v, one);
    fe448_neg(v, v);                     /* v = d y^2 - 1 = -(39081 y^2 + 1) */
    fe448_sub(u, u, one);
    fe448_carry(u);                      /* u = y^2 - 1 */
    fe448_sq(u2, u);
    fe448_mul(u3, u2, u);
    fe448_mul(u5, u3, u2);
    fe448_sq(v3, v);
    fe448_mul(v3, v3, v);
    fe448_mul(t, u5, v3);
    fe448_pow_p34(t, t);
    fe448_mul(t, t, u3);
    fe448_mul(r->X, t, v);               /* x = u^3 v (u^5 v^3)^((p - 3) / 4) */
    fe448_sq(t, r->X);
    fe448_mul(t, t, v);
    fe448_sub(t, t, u);
    if (!fe448_iszero(t)) return -1;     /* (y^2 - 1) / (d y^2 - 1) is not a square */
    if (fe448_iszero(r->X) && sign) return -1;
    if ((int)fe448_isodd(r->X) != sign) fe448_neg(r->X, r->X);
    return 0;
}

/* Affine forms of n projective points with one inversion (Montgomery's trick). */
static void ge448_batch_affine(ge448_affine *out, const ge448 *pts, fe448 *prefix, int n) {
    fe448 inv, zi;
    fe448_copy(prefix[0], pts[0].Z);
    for (int i = 1; i < n; i++) fe448_mul(prefix[i], prefix[i - 1], pts[i].Z);
    fe448_invert(inv, prefix[n - 1]);
    for (int i = n - 1; i >= 0; i--) {
        if (i > 0) {
            fe448_mul(zi, inv, prefix[i - 1]);
            fe448_mul(inv, inv, pts[i].Z);
        } else {
            fe448_copy(zi, inv);
        }
        fe448_mul(out[i].x, pts[i].X, zi);
        fe448_mul(out[i].y, pts[i].Y, zi);
    }
}

static int ed448_setup(const uint8_t base[57]) {
    enum { N = 112 * 8 };
    static ge448 pts[N];
    static fe448 prefix[N];
    static ge448 odd[32];
    ge448 b, b2, row, acc;
    if (ge448_frombytes(&b, base) != 0) return -1;
    row = b;
    for (int i = 0; i < 112; i++) {
        acc = row;
        for (int j = 0; j < 8; j++) {
            pts[8 * i + j] = acc;
            ge448_add(&acc, &acc, &row);
        }
        ge448_dbl(&row, &pts[8 * i + 7]); /* 2 * (8 * 16^i B) = 16^(i+1) B */
    }
    ge448_batch_affine(&ed448_base_table[0][0], pts, prefix, N);
    ge448_dbl(&b2, &b);
    acc = b;
    for (int j = 0; j < 32; j++) {
        odd[j] = acc;
        ge448_add(&acc, &acc, &b2);
    }
    ge448_batch_affine(ed448_base_odd, odd, prefix, 32);
    return 0;
}

static inline uint64_t ed448_ct_eq(uint64_t a, uint64_t b) { return ((a ^ b) - 1) >> 63; }

static void ed448_select(ge448_affine *r, int i, int8_t digit) {
    uint64_t neg = (uint64_t)((int64_t)digit >> 63) & 1;
    uint64_t mag = (uint64_t)(((int64_t)digit ^ -(int64_t)neg) + (int64_t)neg);
    fe448 nx;
    fe448_set_small(r->x, 0);
    fe448_set_small(r->y, 1);
    for (int j = 0; j < 8; j++) {
        uint64_t m = ed448_ct_eq(mag, (uint64_t)(j + 1));
        fe448_cmov(r->x, ed448_base_table[i][j].x, m);
        fe448_cmov(r->y, ed448_base_table[i][j].y, m);
    }
    fe448_neg(nx, r->x);
    fe448_cmov(r->x, nx, neg);
}

/* h = [a mod L]B for a 57-byte scalar, in constant time. */
static void ed448_scalarmult_base_point(ge448 *h, const uint8_t a[57]) {
    uint64_t red[8];
    uint8_t s[56];
    int8_t e[112];
    ge448_affine q;
    sc_mod(red, a, 57, ed448_L, 7, 446);
    sc_tobytes(s, 56, red, 7);
    for (int i = 0; i < 56; i++) {
        e[2 * i] = (int8_t)(s[i] & 15);
        e[2 * i + 1] = (int8_t)(s[i] >> 4);
    }
    int8_t carry = 0;
    for (int i = 0; i < 111; i++) {
        e[i] += carry;
        carry = (int8_t)((e[i] + 8) >> 4);
        e[i] -= (int8_t)(carry * 16);
    }
    e[111] += carry; /* below 2^446 the top digit is at most 4 */
    ge448_identity(h);
    for (int i = 0; i < 112; i++) {
        ed448_select(&q, i, e[i]);
        ge448_add_affine(h, h, &q);
    }
    memset(e, 0, sizeof e);
    memset(s, 0, sizeof s);
    memset(red, 0, sizeof red);
}

/* out = encoding of [a mod L]B, in constant time. */
static void ed448_scalarmult_base(uint8_t out[57], const uint8_t a[57]) {
    ge448 h;
    ed448_scalarmult_base_point(&h, a);
    ge448_tobytes(out, &h);
}

/* out = encoding of [a]B || encoding of [r]B with one shared inversion. */
static void ed448_scalarmult_base_pair(uint8_t out[114], const uint8_t a[57], const uint8_t r[57]) {
    ge448 p, q;
    fe448 inv, zi;
    ed448_scalarmult_base_point(&p, a);
    ed448_scalarmult_base_point(&q, r);
    fe448_mul(inv, p.Z, q.Z);
    fe448_invert(inv, inv);
    fe448_mul(zi, inv, q.Z);
    ge448_tobytes_zi(out, &p, zi);
    fe448_mul(zi, inv, p.Z);
    ge448_tobytes_zi(out + 57, &q, zi);
}

/* X448(scalar, 5) through the Edwards fixed-base table.  The 4-isogeny of RFC 7748
 * section 4.2 sends (x, y) to u = y^2 / x^2 and the edwards448 base point to u = 5, so
 * X448(k, 5) = Y^2 / X^2 of [k]B.  A clamped k is never 0 modulo L, so X is never 0. */
static void x448_scalarmult_base(uint8_t out[56], const uint8_t scalar[56]) {
    uint8_t k[57];
    ge448 h;
    fe448 x2, y2;
    memcpy(k, scalar, 56);
    k[0] &= 252;
    k[55] |= 128;
    k[56] = 0;
    ed448_scalarmult_base_point(&h, k);
    fe448_sq(x2, h.X);
    fe448_sq(y2, h.Y);
    fe448_invert(x2, x2);
    fe448_mul(y2, y2, x2);
    fe448_tobytes(out, y2);
    memset(k, 0, sizeof k);
}

/* wNAF digits of a scalar below 2^446 (56 bytes). */
static void ed448_wnaf(int8_t naf[448], const uint8_t s[56], int w) {
    uint64_t x[8];
    for (int i = 0; i < 7; i++) {
        uint64_t v = 0;
        for (int j = 7; j >= 0; j--) v = (v << 8) | s[8 * i + j];
        x[i] = v;
    }
    x[7] = 0;
    memset(naf, 0, 448);
    uint64_t width = (uint64_t)1 << w, mask = width - 1, carry = 0;
    int pos = 0;
    while (pos < 448) {
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

static int ed448_verify(const uint8_t pub[57], const uint8_t r_enc[57], const uint8_t s[57],
                        const uint8_t k_hash[114]) {
    ge448 a, a2, acc, neg;
    ge448 a_odd[8];
    ge448_affine nb;
    uint64_t kr[8];
    uint8_t k[56], check[57];
    int8_t nk[448], ns[448];
    if (!sc_is_canonical(s, 57, ed448_L, 7)) return 0;
    if (ge448_frombytes(&a, pub) != 0) return 0;
    sc_mod(kr, k_hash, 114, ed448_L, 7, 446);
    sc_tobytes(k, 56, kr, 7);
    ge448_dbl(&a2, &a);
    a_odd[0] = a;
    for (int j = 1; j < 8; j++) ge448_add(&a_odd[j], &a_odd[j - 1], &a2);
    ed448_wnaf(nk, k, 5);
    ed448_wnaf(ns, s, 7); /* s < L < 2^446, so byte 56 is zero */
    int top = 447;
    while (top >= 0 && nk[top] == 0 && ns[top] == 0) top--;
    ge448_identity(&acc);
    for (int i = top; i >= 0; i--) {
        ge448_dbl(&acc, &acc);
        if (nk[i] > 0) { /* subtract [k]A */
            neg = a_odd[nk[i] / 2];
            fe448_neg(neg.X, neg.X);
            ge448_add(&acc, &acc, &neg);
        } else if (nk[i] < 0) {
            ge448_add(&acc, &acc, &a_odd[-nk[i] / 2]);
        }
        if (ns[i] > 0) {
            ge448_add_affine(&acc, &acc, &ed448_base_odd[ns[i] / 2]);
        } else if (ns[i] < 0) {
            nb = ed448_base_odd[-ns[i] / 2];
            fe448_neg(nb.x, nb.x);
            ge448_add_affine(&acc, &acc, &nb);
        }
    }
    ge448_tobytes(check, &acc);
    return memcmp(check, r_enc, 57) == 0;
}

#endif
