"""The AEAD and bignum kernels never branch on, or index memory with, a secret.

As for the curves (``test_ec_constant_time``), small C drivers call the kernels' C with
the secrets marked *undefined* for Valgrind's memcheck (the "ctgrind" technique), and
memcheck reports every conditional jump or memory address that depends on them:

* AES-GCM and AES-CCM with 128-, 192- and 256-bit keys on the portable path (bitsliced
  AES, carry-less multiply from integer multiplies) and on AES-NI + PCLMULQDQ; key and
  plaintext secret, seal and open (the tag check's verdict is public and declassified by
  the kernel's ``NC_DECLASSIFY`` hook);
* ChaCha20-Poly1305 on the portable and AVX2 paths;
* the RSA bignum kernel's fixed-window exponentiation with a secret base and exponent
  (1024-, 1536- and 2048-bit moduli), its modular subtraction, and its modular inverse
  (Bernstein-Yang divsteps) with the value and the modulus both secret; only the
  verdict "invertible or not" is declassified, as ``Modulus.inverse`` reveals it.

Valgrind cannot run AVX-512, so the VAES/VPCLMULQDQ GCM path, the AVX-512 ChaCha20 and
Poly1305 lanes and the IFMA RSA engine are not covered here; their code is written in
the same branch-free style (see their headers).  Skipped without gcc, valgrind and its
headers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.nocrypto._ctgrind import build, memcheck

NOCRYPTO = Path(__file__).resolve().parents[2] / "nocrypto"

_CONTROL = """
    if (argc > 1) {  /* control: a deliberate secret-dependent branch */
        unsigned char k[8];
        memset(k, 0x5a, sizeof k);
        VALGRIND_MAKE_MEM_UNDEFINED(k, sizeof k);
        if (k[3] & 1)
            puts("odd");
        else
            puts("even");
        return 0;
    }
"""

AEAD_DRIVER = (
    """
#include <valgrind/memcheck.h>
#define NC_DECLASSIFY(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#include "_gcm_impl.h"
#include "_ccm_impl.h"
#include "_chacha20poly1305_impl.h"
#include <stdio.h>
#include <string.h>

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

int main(int argc, char **argv) {
    (void)argv;
"""
    + _CONTROL
    + """
    unsigned char key[32], nonce[12], aad[21], pt[333], ct[333 + 16], back[333];
    int failures = 0;
    memset(nonce, 0x11, sizeof nonce);
    memset(aad, 0x22, sizeof aad);
    for (int hw = 0; hw <= 1; hw++) {  /* portable, then AES-NI + PCLMULQDQ */
        for (size_t klen = 16; klen <= 32; klen += 8) {
            nc_gcm_key g;
            nc_aes_key a;
            memset(key, 0x5c, sizeof key);
            memset(pt, 0x3a, sizeof pt);
            SECRET(key, sizeof key);
            SECRET(pt, sizeof pt);
            nc_gcm_setup(&g, key, klen, hw, hw);
            nc_gcm_seal(&g, nonce, sizeof nonce, aad, sizeof aad, pt, sizeof pt, ct);
            PUBLIC(ct, sizeof ct);  /* what goes on the wire */
            failures += nc_gcm_open(&g, nonce, sizeof nonce, aad, sizeof aad, ct, sizeof pt,
                                    ct + sizeof pt, back) != 0;
            ct[5] ^= 1;  /* a forgery is refused the same way */
            failures += nc_gcm_open(&g, nonce, sizeof nonce, aad, sizeof aad, ct, sizeof pt,
                                    ct + sizeof pt, back) == 0;
            nc_aes_setup(&a, key, klen, hw, hw);
            nc_ccm_seal(&a, nonce, sizeof nonce, 16, aad, sizeof aad, pt, sizeof pt, ct);
            PUBLIC(ct, sizeof ct);
            failures += nc_ccm_open(&a, nonce, sizeof nonce, 16, aad, sizeof aad, ct,
                                    sizeof pt, ct + sizeof pt, back) != 0;
        }
    }
    for (int simd = 0; simd <= 1; simd++) {  /* portable, then AVX2 */
        memset(key, 0x5c, sizeof key);
        memset(pt, 0x3a, sizeof pt);
        SECRET(key, sizeof key);
        SECRET(pt, sizeof pt);
        nc_cc_seal(key, nonce, aad, sizeof aad, pt, sizeof pt, ct, simd);
        PUBLIC(ct, sizeof ct);
        failures += nc_cc_open(key, nonce, aad, sizeof aad, ct, sizeof pt, ct + sizeof pt,
                               back, simd) != 0;
        ct[7] ^= 1;
        failures += nc_cc_open(key, nonce, aad, sizeof aad, ct, sizeof pt, ct + sizeof pt,
                               back, simd) == 0;
    }
    return failures;
}
"""
)

BIGNUM_DRIVER = (
    """
#include <valgrind/memcheck.h>
#include "_bignum.h"
#include <stdio.h>
#include <string.h>

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

int main(int argc, char **argv) {
    (void)argv;
"""
    + _CONTROL
    + """
    static uint64_t table[32 * 32];
    uint64_t n[32], a[32], one[32], e[32], r[32], s[32];
    int failures = 0;
    for (int k = 16; k <= 32; k += 8) {  /* 1024-, 1536- and 2048-bit moduli */
        for (int i = 0; i < k; i++) {
            n[i] = 0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1);
            a[i] = 0x0123456789abcdefULL ^ (uint64_t)i;
            e[i] = 0xfedcba9876543210ULL + (uint64_t)i;
            one[i] = (uint64_t)i;
        }
        n[0] |= 1;
        n[k - 1] |= 1ULL << 63;
        a[k - 1] >>= 1;  /* below n */
        one[k - 1] = 0;
        uint64_t n0inv = bn_neg_inverse64(n[0]);
        SECRET(a, sizeof a);
        SECRET(e, sizeof e);
        bn_mont_exp_consttime(r, a, one, e, k, 64 * k, n, n0inv, k, table, 5);
        bn_mod_sub(s, r, a, n, k);
        /* the inverse, secret in the value and the modulus alike.  gcd(a, n) = 3 for
         * k = 16, so the refusal runs too; otherwise inverting twice gives a back. */
        SECRET(n, sizeof n);
        int ok = bn_mod_inverse(r, a, n, k, 64 * k);
        PUBLIC(&ok, sizeof ok);
        failures += ok != (k != 16);
        if (ok) {
            ok = bn_mod_inverse(s, r, n, k, 64 * k);
            PUBLIC(&ok, sizeof ok);
            PUBLIC(s, sizeof s);
            PUBLIC(a, sizeof a);
            failures += !ok || memcmp(s, a, 8 * (size_t)k) != 0;
        }
        PUBLIC(n, sizeof n);
    }
    return failures;
}
"""
)


@pytest.fixture(scope="module")
def aead_driver(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("ct_aead")
    return build(tmp, "ct_aead", AEAD_DRIVER, NOCRYPTO / "symmetric")


@pytest.fixture(scope="module")
def bignum_driver(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("ct_bignum"), "ct_bignum", BIGNUM_DRIVER, NOCRYPTO)


@pytest.mark.parametrize("which", ["aead_driver", "bignum_driver"])
def test_the_check_catches_a_secret_branch(which, request):
    run = memcheck(request.getfixturevalue(which), "control")
    assert "Conditional jump or move depends on uninitialised value" in run.stderr


def test_aead_kernels_have_no_secret_dependent_branches_or_addresses(aead_driver):
    run = memcheck(aead_driver)
    assert "ERROR SUMMARY: 0 errors" in run.stderr, run.stderr[-3000:]
    assert run.returncode == 0  # and every seal/open pair agreed, forgeries refused


def test_bignum_exponentiation_has_no_secret_dependent_branches_or_addresses(bignum_driver):
    run = memcheck(bignum_driver)
    assert "ERROR SUMMARY: 0 errors" in run.stderr, run.stderr[-3000:]
    assert run.returncode == 0  # and every inverse inverted back to its value
