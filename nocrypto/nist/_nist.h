/* The three NIST curves, instantiated from _nist_impl.h, plus a dispatch by index. */
#ifndef NOCRYPTO_NIST_H
#define NOCRYPTO_NIST_H

#include <stdint.h>
#include <stdlib.h>

typedef uint64_t limb_t;
typedef unsigned __int128 dlimb_t;

#define NL 4
#define FBYTES 32
#define NBITS 256
#define PFX p256_
#include "_nist_impl.h"
#undef NL
#undef FBYTES
#undef NBITS
#undef PFX

#define NL 6
#define FBYTES 48
#define NBITS 384
#define PFX p384_
#include "_nist_impl.h"
#undef NL
#undef FBYTES
#undef NBITS
#undef PFX

#define NL 9
#define FBYTES 66
#define NBITS 521
#define PFX p521_
#include "_nist_impl.h"
#undef NL
#undef FBYTES
#undef NBITS
#undef PFX

static int nist_init(int cid, const limb_t *words)
{
    switch (cid) {
    case 0: return p256_init(words);
    case 1: return p384_init(words);
    default: return p521_init(words);
    }
}

static void nist_base_mult(int cid, unsigned char *out, const unsigned char *k)
{
    switch (cid) {
    case 0: p256_base_mult(out, k); break;
    case 1: p384_base_mult(out, k); break;
    default: p521_base_mult(out, k); break;
    }
}

static int nist_ecdh(int cid, unsigned char *out, const unsigned char *k, const unsigned char *peer)
{
    switch (cid) {
    case 0: return p256_ecdh(out, k, peer);
    case 1: return p384_ecdh(out, k, peer);
    default: return p521_ecdh(out, k, peer);
    }
}

static int nist_sign(int cid, unsigned char *r, unsigned char *s, const unsigned char *d,
                     const unsigned char *k, const unsigned char *e)
{
    switch (cid) {
    case 0: return p256_sign(r, s, d, k, e);
    case 1: return p384_sign(r, s, d, k, e);
    default: return p521_sign(r, s, d, k, e);
    }
}

static int nist_double_base_x(int cid, unsigned char *out, const unsigned char *u1,
                              const unsigned char *u2, const unsigned char *q)
{
    switch (cid) {
    case 0: return p256_double_base_x(out, u1, u2, q);
    case 1: return p384_double_base_x(out, u1, u2, q);
    default: return p521_double_base_x(out, u1, u2, q);
    }
}

#endif
