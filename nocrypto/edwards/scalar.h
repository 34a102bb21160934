/* Constant-time arithmetic modulo a group order L (edwards25519 or edwards448).
 *
 * The reduction is plain binary long division, one input bit at a time with a masked
 * conditional subtraction: slower than Barrett but short, obviously correct, and free of
 * branches and secret-dependent indexes.  Scalars are arrays of 64-bit limbs, little
 * endian; nl limbs must hold 2L (true for both curves: 4 limbs for 2^253, 7 for 2^447).
 * Ed25519, whose inputs never exceed 512 bits, uses a Barrett reduction instead
 * (sc25519_*), about forty times faster and equally branch-free.
 */
#ifndef PURETLS_SCALAR_H
#define PURETLS_SCALAR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SC_MAX_LIMBS 8

/* r = x mod L for an nbytes-long little-endian x; L has lbits bits.  The top lbits - 1
 * bits of x are below L already, so they are loaded whole and only the remaining bits go
 * through the divide step.  Inlined so that nl is a constant and the limb loops unroll. */
static inline __attribute__((always_inline)) void sc_mod(uint64_t *r, const uint8_t *x,
                                                        size_t nbytes, const uint64_t *L,
                                                        int nl, int lbits) {
    uint64_t t[SC_MAX_LIMBS], X[2 * SC_MAX_LIMBS + 3];
    size_t nbits = nbytes * 8, m = (size_t)lbits - 1, start = nbits > m ? nbits - m : 0;
    size_t nx = (nbytes + 7) / 8;
    for (size_t i = 0; i < nx + 1; i++) X[i] = 0;
    for (size_t i = 0; i < nbytes; i++) X[i >> 3] |= (uint64_t)x[i] << (8 * (i & 7));
    /* r = x >> start, at most m bits */
    size_t w = start / 64, b = start % 64;
    for (int i = 0; i < nl; i++) {
        uint64_t lo = (w + i < nx) ? X[w + i] : 0, hi = (w + i + 1 < nx) ? X[w + i + 1] : 0;
        r[i] = b ? (lo >> b) | (hi << (64 - b)) : lo;
    }
    for (size_t pos = start; pos-- > 0;) {
        uint64_t bit = (X[pos >> 6] >> (pos & 63)) & 1;
        for (int i = nl - 1; i > 0; i--) r[i] = (r[i] << 1) | (r[i - 1] >> 63);
        r[0] = (r[0] << 1) | bit;
        /* r < 2L here; subtract L unless that borrows. */
        uint64_t borrow = 0;
        for (int i = 0; i < nl; i++) {
            unsigned __int128 d = (unsigned __int128)r[i] - L[i] - borrow;
            t[i] = (uint64_t)d;
            borrow = (uint64_t)(d >> 64) & 1;
        }
        uint64_t keep = (uint64_t)0 - borrow; /* all ones: r < L, keep r */
        for (int i = 0; i < nl; i++) r[i] = (r[i] & keep) | (t[i] & ~keep);
    }
    memset(X, 0, sizeof X);
}

/* r = x mod L25519 for a 512-bit x (8 limbs) by Barrett reduction (HAC 14.42, b = 2^64,
 * k = 4): two fixed-size products and two masked subtractions, much faster than sc_mod
 * and just as constant time.  mu = floor(2^512 / L). */
static const uint64_t sc25519_L[4] = {
    UINT64_C(0x5812631a5cf5d3ed), UINT64_C(0x14def9dea2f79cd6), 0, UINT64_C(0x1000000000000000)};
static const uint64_t sc25519_mu[5] = {
    UINT64_C(0xed9ce5a30a2c131b), UINT64_C(0x2106215d086329a7), UINT64_C(0xffffffffffffffeb),
    UINT64_C(0xffffffffffffffff), UINT64_C(0x000000000000000f)};

static inline void sc25519_barrett(uint64_t r[4], const uint64_t x[8]) {
    uint64_t q2[10] = {0}, r2[5] = {0}, t[5], rr[5];
    /* q2 = floor(x / b^3) * mu; only limbs 5..9 (q3 = q2 / b^5) are used */
    for (int i = 0; i < 5; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < 5; j++) {
            unsigned __int128 p = (unsigned __int128)x[3 + i] * sc25519_mu[j] + q2[i + j] + carry;
            q2[i + j] = (uint64_t)p;
            carry = (uint64_t)(p >> 64);
        }
        q2[i + 5] = carry;
    }
    /* r2 = q3 * L mod b^5 */
    for (int i = 0; i < 5; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < 4 && i + j < 5; j++) {
            unsigned __int128 p = (unsigned __int128)q2[5 + i] * sc25519_L[j] + r2[i + j] + carry;
            r2[i + j] = (uint64_t)p;
            carry = (uint64_t)(p >> 64);
        }
        if (i + 4 < 5) r2[i + 4] += carry;
    }
    /* rr = (x mod b^5) - r2 mod b^5, then at most two subtractions of L */
    uint64_t borrow = 0;
    for (int i = 0; i < 5; i++) {
        unsigned __int128 d = (unsigned __int128)x[i] - r2[i] - borrow;
        rr[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    for (int pass = 0; pass < 2; pass++) {
        borrow = 0;
        for (int i = 0; i < 5; i++) {
            unsigned __int128 d = (unsigned __int128)rr[i] - (i < 4 ? sc25519_L[i] : 0) - borrow;
            t[i] = (uint64_t)d;
            borrow = (uint64_t)(d >> 64) & 1;
        }
        uint64_t keep = (uint64_t)0 - borrow; /* all ones when rr < L */
        for (int i = 0; i < 5; i++) rr[i] = (rr[i] & keep) | (t[i] & ~keep);
    }
    for (int i = 0; i < 4; i++) r[i] = rr[i];
}

/* The same for a 64-byte little-endian string. */
static inline void sc25519_reduce64(uint64_t r[4], const uint8_t in[64]) {
    uint64_t x[8] = {0};
    for (int i = 0; i < 64; i++) x[i >> 3] |= (uint64_t)in[i] << (8 * (i & 7));
    sc25519_barrett(r, x);
}

/* out = (k * a + c) mod L25519 for a 64-byte k and 32-byte a and c (a, c < 2^256). */
static inline void sc25519_muladd(uint8_t out[32], const uint8_t k[64], const uint8_t a[32],
                           const uint8_t c[32]) {
    uint64_t kr[4], av[4] = {0}, cv[4] = {0}, prod[8] = {0}, r[4];
    sc25519_reduce64(kr, k);
    for (int i = 0; i < 32; i++) {
        av[i >> 3] |= (uint64_t)a[i] << (8 * (i & 7));
        cv[i >> 3] |= (uint64_t)c[i] << (8 * (i & 7));
    }
    for (int i = 0; i < 4; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < 4; j++) {
            unsigned __int128 p = (unsigned __int128)kr[i] * av[j] + prod[i + j] + carry;
            prod[i + j] = (uint64_t)p;
            carry = (uint64_t)(p >> 64);
        }
        prod[i + 4] = carry;
    }
    /* kr < 2^253 and a < 2^256, so k a + c < 2^509 + 2^256 < 2^512 */
    uint64_t carry = 0;
    for (int i = 0; i < 8; i++) {
        unsigned __int128 p = (unsigned __int128)prod[i] + (i < 4 ? cv[i] : 0) + carry;
        prod[i] = (uint64_t)p;
        carry = (uint64_t)(p >> 64);
    }
    sc25519_barrett(r, prod);
    for (int i = 0; i < 32; i++) out[i] = (uint8_t)(r[i >> 3] >> (8 * (i & 7)));
    memset(prod, 0, sizeof prod);
    memset(av, 0, sizeof av);
    memset(kr, 0, sizeof kr);
}

/* nbytes little-endian bytes of the nl-limb r (zero bytes past its last limb). */
static inline void sc_tobytes(uint8_t *out, size_t nbytes, const uint64_t *r, int nl) {
    for (size_t i = 0; i < nbytes; i++)
        out[i] = (i >> 3) < (size_t)nl ? (uint8_t)(r[i >> 3] >> (8 * (i & 7))) : 0;
}

/* r must have room for max(nl, ceil(nbytes / 8)) limbs. */
static inline void sc_frombytes_raw(uint64_t *r, int nl, const uint8_t *in, size_t nbytes) {
    int n = (int)((nbytes + 7) / 8) > nl ? (int)((nbytes + 7) / 8) : nl;
    for (int i = 0; i < n; i++) r[i] = 0;
    for (size_t i = 0; i < nbytes; i++) r[i >> 3] |= (uint64_t)in[i] << (8 * (i & 7));
}

/* out = (k * a + c) mod L; k is a khash-long hash, a and c are nbytes long, out nbytes. */
static inline void sc_muladd(uint8_t *out, const uint8_t *k, size_t klen, const uint8_t *a,
                      const uint8_t *c, size_t nbytes, const uint64_t *L, int nl, int lbits) {
    uint64_t kr[SC_MAX_LIMBS], av[SC_MAX_LIMBS], cv[SC_MAX_LIMBS];
    uint64_t prod[2 * SC_MAX_LIMBS + 1];
    uint8_t buf[8 * 2 * SC_MAX_LIMBS];
    sc_mod(kr, k, klen, L, nl, lbits);
    sc_frombytes_raw(av, nl, a, nbytes);
    sc_frombytes_raw(cv, nl, c, nbytes);
    for (int i = 0; i < 2 * nl + 1; i++) prod[i] = 0;
    for (int i = 0; i < nl; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < nl; j++) {
            unsigned __int128 t = (unsigned __int128)kr[i] * av[j] + prod[i + j] + carry;
            prod[i + j] = (uint64_t)t;
            carry = (uint64_t)(t >> 64);
        }
        prod[i + nl] = carry;
    }
    /* kr < L < 2^(64 nl - 1) and c < L, so k a + c < 2^(128 nl): 2 nl limbs suffice. */
    uint64_t carry = 0;
    for (int i = 0; i < 2 * nl; i++) {
        unsigned __int128 t = (unsigned __int128)prod[i] + (i < nl ? cv[i] : 0) + carry;
        prod[i] = (uint64_t)t;
        carry = (uint64_t)(t >> 64);
    }
    sc_tobytes(buf, 8 * 2 * nl, prod, 2 * nl);
    sc_mod(kr, buf, 8 * 2 * nl, L, nl, lbits);
    sc_tobytes(out, nbytes, kr, nl);
    memset(buf, 0, sizeof buf);
    memset(prod, 0, sizeof prod);
    memset(av, 0, sizeof av);
}

/* 1 when the nbytes-long little-endian s is below L (public data: may branch). */
static inline int sc_is_canonical(const uint8_t *s, size_t nbytes, const uint64_t *L, int nl) {
    uint64_t v[SC_MAX_LIMBS + 1];
    sc_frombytes_raw(v, nl + 1, s, nbytes);
    if (v[nl] != 0) return 0;
    for (int i = nl - 1; i >= 0; i--) {
        if (v[i] < L[i]) return 1;
        if (v[i] > L[i]) return 0;
    }
    return 0;
}

#endif
