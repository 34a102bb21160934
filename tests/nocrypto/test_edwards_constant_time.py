"""The secret-handling C kernels have no secret-dependent branch or memory index.

The ctgrind technique: the C code is compiled into a small harness with the flags
``setup.py`` uses, the secret inputs are marked "undefined" for valgrind's memcheck,
and memcheck then reports any conditional jump or address computed from them.  Output
values are marked defined again before they are used.  Covers X25519 (the MULX/ADX
ladder when the CPU has BMI2 and ADX, and the portable one), X448, Ed25519 and Ed448
fixed-base multiplication, the scalar arithmetic, and ML-KEM (K-PKE and the whole KEM,
implicit rejection included).  A deliberately
leaky function checks that the harness does catch a leak.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from nocrypto.edwards import ed448_ref, ed25519_ref
from tests.nocrypto._ctgrind import cpu_has_adx

ROOT = Path(__file__).resolve().parents[2]
FLAGS = ["-O3", "-fno-strict-aliasing", "-fwrapv", "-mtune=generic", "-g"]

HARNESS = r"""
#include <stdio.h>
#include <valgrind/memcheck.h>
#include "montgomery.h"
#include "ed25519.h"
#include "ed448.h"
#include "mlkem_poly.h"
#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED(p, n)
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED(p, n)

/* A branch on a secret bit: what the check must catch. */
static void leaky(const uint8_t *k) { if (k[0] & 1) puts("odd"); }

int main(int argc, char **argv) {
    uint8_t k[64], u[64], out[64], h[128], c[64];
    for (int i = 0; i < 64; i++) { k[i] = (uint8_t)(i * 37 + 5); u[i] = (uint8_t)(i * 11 + 9); c[i] = (uint8_t)(i * 3); }
    for (int i = 0; i < 128; i++) h[i] = (uint8_t)(i * 29 + 1);
    static const uint8_t d[32] = {@D25519@}, sqrtm1[32] = {@SQRTM1@}, b25519[32] = {@B25519@},
        b448[57] = {@B448@};
    if (ed25519_setup(d, sqrtm1, b25519) != 0 || ed448_setup(b448) != 0) return 2;
    mlkem_setup();
    SECRET(k, 64);
    if (argc > 1 && strcmp(argv[1], "leaky") == 0) { leaky(k); return 0; }
    /* The MULX/ADX ladder, called directly: valgrind's CPUID hides ADX, so the
     * dispatch would not pick it here; "adx" is passed when the real CPU has it. */
#if defined(FE25519_HAVE_ADX_CODE)
    if (argc > 1 && strcmp(argv[1], "adx") == 0) {
        uint8_t ref[32];
        puretls_x25519_adx(out, k, u); PUBLIC(out, 32);
        puretls_x25519_use_adx(0);
        puretls_x25519(ref, k, u); PUBLIC(ref, 32);
        if (memcmp(out, ref, 32) != 0) return 3;
        puts("x25519 adx");
    }
#endif
    puretls_x25519_use_adx(0);
    puretls_x25519(out, k, u); PUBLIC(out, 32);
    puretls_x448(out, k, u); PUBLIC(out, 56);
    uint8_t a[32], a57[57];
    memcpy(a, k, 32); a[31] &= 127;
    memcpy(a57, k, 57);
    ed25519_scalarmult_base(out, a); PUBLIC(out, 32);
    x25519_scalarmult_base(out, k); PUBLIC(out, 32);
    ed25519_scalarmult_base_pair(out, a, a); PUBLIC(out, 64);
    ed448_scalarmult_base(out, a57); PUBLIC(out, 57);
    x448_scalarmult_base(out, k); PUBLIC(out, 56);
    ed448_scalarmult_base_pair(h, a57, a57); PUBLIC(h, 114);
    SECRET(h, 128);
    uint64_t r[8];
    sc25519_reduce64(r, h); PUBLIC(r, sizeof r);
    sc25519_muladd(out, h, a, c); PUBLIC(out, 32);
    sc_mod(r, h, 114, ed448_L, 7, 446); PUBLIC(r, sizeof r);
    sc_muladd(out, h, 114, a57, c, 57, ed448_L, 7, 446); PUBLIC(out, 57);
    static uint8_t a_hat[384 * 9], t_hat[384 * 3], s_hat[384 * 3], ct[1088], noise[7][128], msg[32], m2[32];
    for (size_t i = 0; i < sizeof a_hat; i++) a_hat[i] = (uint8_t)(i * 7);
    for (int i = 0; i < 384 * 9; i += 3) a_hat[i + 1] &= 0x0c; /* coefficients below q */
    for (int j = 0; j < 7; j++) for (int i = 0; i < 128; i++) noise[j][i] = (uint8_t)(i * 13 + j);
    for (int i = 0; i < 32; i++) msg[i] = (uint8_t)i;
    const uint8_t *np[7];
    for (int j = 0; j < 7; j++) np[j] = noise[j];
    SECRET(noise, sizeof noise); SECRET(msg, 32);
    mlkem_keygen(3, a_hat, np, 2, t_hat, s_hat); PUBLIC(t_hat, sizeof t_hat);
    mlkem_encrypt(3, 10, 4, t_hat, a_hat, np, 2, 2, msg, ct); PUBLIC(ct, sizeof ct);
    mlkem_decrypt(3, 10, 4, s_hat, ct, m2); PUBLIC(m2, 32);
    uint8_t kk[32], kb[32], sel[32];
    memset(kk, 1, 32); memset(kb, 2, 32);
    SECRET(kk, 32); SECRET(ct, 32);
    mlkem_select_on_equal(sel, ct, ct, 1088, kk, kb, 32);
    /* The whole-KEM kernel calls (ML-KEM-768): seeds, message and decapsulation key
     * secret; decapsulation of a valid and of a corrupted ciphertext (implicit
     * rejection) must both run without a secret-dependent branch or index. */
    static uint8_t rho[32], sigma[32], ek_t[1152], dk[2400], mm[32], hh[32], kct[1088],
        ss[32], ss2[32];
    for (int i = 0; i < 32; i++) { rho[i] = (uint8_t)i; sigma[i] = (uint8_t)(3 * i); mm[i] = (uint8_t)(5 * i); }
    mlkem_expand_matrix(a_hat, rho, 3);
    SECRET(sigma, 32);
    mlkem_kem_keygen(3, 2, a_hat, sigma, ek_t, dk); PUBLIC(ek_t, sizeof ek_t);
    memcpy(dk + 1152, ek_t, 1152); memcpy(dk + 2304, rho, 32);
    MLKEM_H(dk + 1152, 1184, hh); memcpy(dk + 2336, hh, 32);
    for (int i = 0; i < 32; i++) dk[2368 + i] = (uint8_t)(7 * i);
    SECRET(mm, 32);
    mlkem_kem_encaps(3, 10, 4, 2, 2, dk + 1152, a_hat, hh, mm, ss, kct);
    PUBLIC(kct, sizeof kct); PUBLIC(ss, 32);
    SECRET(dk, 1152); SECRET(dk + 2368, 32);
    mlkem_kem_decaps(3, 10, 4, 2, 2, dk, a_hat, kct, ss2); PUBLIC(ss2, 32);
    if (memcmp(ss, ss2, 32) != 0) return 5;
    kct[5] ^= 1;
    mlkem_kem_decaps(3, 10, 4, 2, 2, dk, a_hat, kct, ss2); PUBLIC(ss2, 32);
    if (memcmp(ss, ss2, 32) == 0) return 6;
    puts("done");
    return 0;
}
"""


def _c_bytes(b: bytes) -> str:
    return ",".join(str(x) for x in b)


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    gcc, valgrind = shutil.which("gcc"), shutil.which("valgrind")
    if gcc is None or valgrind is None:
        pytest.skip("gcc or valgrind is not installed: constant-time check not run")
    if not Path("/usr/include/valgrind/memcheck.h").is_file():
        pytest.skip("valgrind/memcheck.h is absent: constant-time check not run")
    src = (
        HARNESS.replace("@D25519@", _c_bytes(ed25519_ref.D.to_bytes(32, "little")))
        .replace("@SQRTM1@", _c_bytes(ed25519_ref.SQRT_M1.to_bytes(32, "little")))
        .replace("@B25519@", _c_bytes(ed25519_ref.encode(ed25519_ref.BASE)))
        .replace("@B448@", _c_bytes(ed448_ref.encode(ed448_ref.BASE)))
    )
    work = tmp_path_factory.mktemp("ctgrind")
    (work / "harness.c").write_text(src)
    exe = work / "harness"
    include = ["-I", str(ROOT / "nocrypto" / "edwards"), "-I", str(ROOT / "nocrypto")]
    subprocess.run(
        [gcc, *FLAGS, *include, "-o", str(exe), str(work / "harness.c")],
        check=True,
        capture_output=True,
    )
    return valgrind, exe


def _memcheck(valgrind, exe, *args):
    return subprocess.run(
        [valgrind, "-q", "--error-exitcode=99", str(exe), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_no_secret_dependent_branch_or_index(harness):
    adx = cpu_has_adx()
    out = _memcheck(*harness, *(["adx"] if adx else []))
    assert out.returncode == 0, out.stderr[-3000:]
    assert "done" in out.stdout
    # On an x86-64 CPU with BMI2 and ADX the MULX/ADX X25519 ladder was checked too.
    assert ("x25519 adx" in out.stdout) == adx


def test_the_harness_catches_a_leak(harness):
    out = _memcheck(*harness, "leaky")
    assert out.returncode == 99
    assert "uninitialised" in out.stderr
