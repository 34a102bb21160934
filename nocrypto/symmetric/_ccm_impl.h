/* AES-CCM (SP 800-38C / RFC 3610) for the Cython kernel, on either AES path of
 * _aes_impl.h.  Lengths (public) are the only values branched on.  Decryption runs CTR
 * twice: once into a stack buffer that feeds the MAC and is wiped, and once into the
 * output only after the tag has verified, so nothing is written on failure. */
#ifndef NC_CCM_IMPL_H
#define NC_CCM_IMPL_H

#include "_aes_impl.h"

typedef struct {
    uint8_t x[16];
    size_t pos;
} nc_ccm_mac;

static void ccm_absorb(const nc_aes_key *k, nc_ccm_mac *m, const uint8_t *d, size_t n) {
    while (n) {
        if (m->pos == 0 && n >= 16) {
            size_t nb = n / 16;
            nc_aes_cbc_encrypt(k, m->x, d, NULL, nb);  /* CBC-MAC: state carried in x */
            d += 16 * nb; n -= 16 * nb;
            continue;
        }
        size_t t = 16 - m->pos;
        if (t > n) t = n;
        for (size_t i = 0; i < t; i++) m->x[m->pos + i] ^= d[i];
        m->pos += t; d += t; n -= t;
        if (m->pos == 16) { nc_aes_ecb_encrypt(k, m->x, m->x, 1); m->pos = 0; }
    }
}

static void ccm_pad(const nc_aes_key *k, nc_ccm_mac *m) {
    if (m->pos) { nc_aes_ecb_encrypt(k, m->x, m->x, 1); m->pos = 0; }
}

/* MAC the header (B0 and the encoded associated data); returns the state. */
static void ccm_start(const nc_aes_key *k, nc_ccm_mac *m, const uint8_t *nonce, size_t nlen, size_t tlen,
                      const uint8_t *aad, size_t alen, size_t plen) {
    size_t q = 15 - nlen;
    uint8_t b0[16], head[10];
    size_t hl = 0;
    b0[0] = (uint8_t)((alen ? 0x40 : 0) | (((tlen - 2) / 2) << 3) | (q - 1));
    memcpy(b0 + 1, nonce, nlen);
    for (size_t i = 0; i < q; i++) b0[15 - i] = (uint8_t)((uint64_t)plen >> (8 * i));
    memset(m, 0, sizeof *m);
    ccm_absorb(k, m, b0, 16);
    if (alen) {
        if (alen < 0xFF00) {
            head[0] = (uint8_t)(alen >> 8); head[1] = (uint8_t)alen; hl = 2;
        } else if ((uint64_t)alen < ((uint64_t)1 << 32)) {
            head[0] = 0xFF; head[1] = 0xFE; nc_store32be(head + 2, (uint32_t)alen); hl = 6;
        } else {
            head[0] = 0xFF; head[1] = 0xFF; nc_store64be(head + 2, (uint64_t)alen); hl = 10;
        }
        ccm_absorb(k, m, head, hl);
        ccm_absorb(k, m, aad, alen);
        ccm_pad(k, m);
    }
}

static void ccm_counter(const uint8_t *nonce, size_t nlen, uint32_t i, uint8_t a[16]) {
    memset(a, 0, 16);
    a[0] = (uint8_t)(14 - nlen);
    memcpy(a + 1, nonce, nlen);
    nc_store32be(a + 12, nc_load32be(a + 12) | i);  /* i < 2^(8q): fits in the counter field */
}

static void nc_ccm_seal(const nc_aes_key *k, const uint8_t *nonce, size_t nlen, size_t tlen,
                        const uint8_t *aad, size_t alen, const uint8_t *pt, size_t len, uint8_t *out) {
    nc_ccm_mac m;
    uint8_t a[16], s0[16];
    ccm_start(k, &m, nonce, nlen, tlen, aad, alen, len);
    ccm_absorb(k, &m, pt, len);
    ccm_pad(k, &m);
    ccm_counter(nonce, nlen, 0, a);
    nc_aes_ecb_encrypt(k, a, s0, 1);
    ccm_counter(nonce, nlen, 1, a);
    nc_aes_ctr32(k, a, pt, out, len);
    for (size_t i = 0; i < tlen; i++) out[len + i] = m.x[i] ^ s0[i];
    memset(&m, 0, sizeof m);
    memset(s0, 0, 16);
}

static int nc_ccm_open(const nc_aes_key *k, const uint8_t *nonce, size_t nlen, size_t tlen,
                       const uint8_t *aad, size_t alen, const uint8_t *ct, size_t len, const uint8_t *tag,
                       uint8_t *out) {
    nc_ccm_mac m;
    uint8_t a[16], s0[16], buf[1024];
    uint8_t diff = 0;
    ccm_start(k, &m, nonce, nlen, tlen, aad, alen, len);
    for (size_t off = 0; off < len; off += sizeof buf) {
        size_t n = len - off < sizeof buf ? len - off : sizeof buf;
        ccm_counter(nonce, nlen, (uint32_t)(1 + off / 16), a);
        nc_aes_ctr32(k, a, ct + off, buf, n);
        ccm_absorb(k, &m, buf, n);
    }
    memset(buf, 0, sizeof buf);
    ccm_pad(k, &m);
    ccm_counter(nonce, nlen, 0, a);
    nc_aes_ecb_encrypt(k, a, s0, 1);
    for (size_t i = 0; i < tlen; i++) diff |= (uint8_t)(m.x[i] ^ s0[i] ^ tag[i]);
    memset(&m, 0, sizeof m);
    memset(s0, 0, 16);
    NC_DECLASSIFY(&diff, sizeof diff);
    if (diff) return -1;
    ccm_counter(nonce, nlen, 1, a);
    nc_aes_ctr32(k, a, ct, out, len);
    return 0;
}

#endif
