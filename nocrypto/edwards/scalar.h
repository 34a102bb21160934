/* Constant-time arithmetic modulo a group order L (edwards25519 or edwards448).
 *
 * The reduction is plain binary long division, one input bit at a time with a masked
 * conditional subtraction: slower than Barrett but short, obviously correct, and free of
 * branches and secret-dependent indexes.  Scalars are arrays of 64-bit limbs, little
 * endian; nl limbs must hold 2L (true for both curves: 4 limbs for 2^253, 7 for 2^447).
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

/* nbytes little-endian bytes of the nl-limb r (zero bytes past its last limb). */
static void sc_tobytes(uint8_t *out, size_t nbytes, const uint64_t *r, int nl) {
    for (size_t i = 0; i < nbytes; i++)
        out[i] = (i >> 3) < (size_t)nl ? (uint8_t)(r[i >> 3] >> (8 * (i & 7))) : 0;
}

/* r must have room for max(nl, ceil(nbytes / 8)) limbs. */
static void sc_frombytes_raw(uint64_t *r, int nl, const uint8_t *in, size_t nbytes) {
    int n = (int)((nbytes + 7) / 8) > nl ? (int)((nbytes + 7) / 8) : nl;
    for (int i = 0; i < n; i++) r[i] = 0;
    for (size_t i = 0; i < nbytes; i++) r[i >> 3] |= (uint64_t)in[i] << (8 * (i & 7));
}

/* out = (k * a + c) mod L; k is a khash-long hash, a and c are nbytes long, out nbytes. */
static void sc_muladd(uint8_t *out, const uint8_t *k, size_t klen, const uint8_t *a,
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
static int sc_is_canonical(const uint8_t *s, size_t nbytes, const uint64_t *L, int nl) {
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
