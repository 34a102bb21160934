"""The kernel's C never branches on, or indexes memory with, a secret scalar.

A small C driver calls the kernel's key generation, ECDH and signing for each
curve with the private key and nonce marked *undefined* for Valgrind's memcheck
(the "ctgrind" technique): memcheck then reports any conditional jump, conditional
move it cannot prove harmless, or memory address that depends on them.  Both P-256
field multipliers (MULX/ADX and portable C) are checked: valgrind's CPUID hides ADX,
so the run-time dispatch would pick the portable one; when the real CPU has BMI2 and
ADX the driver is told so and switches the MULX/ADX code on itself.  Skipped without
gcc, valgrind and its headers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nocrypto.nist.curves import BY_NAME
from tests.nocrypto._ctgrind import build, cpu_has_adx, memcheck

NIST_DIR = Path(__file__).resolve().parents[2] / "nocrypto" / "nist"
LIMBS = {"secp256r1": 4, "secp384r1": 6, "secp521r1": 9}
PREFIX = {"secp256r1": "p256", "secp384r1": "p384", "secp521r1": "p521"}


def _words(name: str) -> list[int]:
    """The constants the Cython module hands to nist_init, computed independently."""
    c, nl = BY_NAME[name], LIMBS[name]
    R = 1 << (64 * nl)

    def limbs(v: int) -> list[int]:
        return [(v >> (64 * i)) & (2**64 - 1) for i in range(nl)]

    def record(m: int) -> list[int]:
        m0inv = (-pow(m, -1, 2**64)) % 2**64
        return limbs(m) + [m0inv] + limbs(R * R % m) + limbs(R % m) + limbs(m - 2)

    words = record(c.p) + record(c.n)
    for v in (c.b, c.gx, c.gy):
        words += limbs(v * R % c.p)
    return words


def _driver() -> str:
    lines = ['#include "_nist.h"', "#include <valgrind/memcheck.h>", "#include <string.h>"]
    for name, pfx in PREFIX.items():
        words = ", ".join(f"0x{w:x}ULL" for w in _words(name))
        lines.append(f"static const limb_t W_{pfx}[] = {{{words}}};")
    lines.append("int main(int argc, char **argv) {")
    lines.append("    unsigned char k[66], d[66], e[66], out[132], peer[132], x[66], r[66], s[66];")
    lines.append('    if (argc > 1 && strcmp(argv[1], "control") == 0) {  /* a secret branch */')
    lines.append("        memset(k, 0x5a, sizeof k);")
    lines.append("        VALGRIND_MAKE_MEM_UNDEFINED(k, sizeof k);")
    lines.append("        return (k[3] & 1) ? 3 : 0;")
    lines.append("    }")
    for pfx in PREFIX.values():
        lines.append(f"    {pfx}_init(W_{pfx});")
    lines.append('    int adx = argc > 1 && strcmp(argv[1], "adx") == 0;')
    lines.append(
        "    for (int mode = adx ? 1 : 0; mode >= 0; mode--) {  /* MULX/ADX, then portable */"
    )
    lines.append("        nist_use_adx(0);")
    lines.append(
        "        nist_have_adx = mode;  /* the real CPU has it; valgrind's CPUID hides it */"
    )
    lines.append('        if (mode) puts("p256 adx");')
    for pfx in PREFIX.values():
        lines += [
            "        memset(k, 0x5a, sizeof k); k[0] = 0x01; memset(d, 0x33, sizeof d); d[0] = 0;",
            "        memset(e, 0x77, sizeof e);",
            f"        {pfx}_base_mult(peer, k);",
            "        VALGRIND_MAKE_MEM_UNDEFINED(k, sizeof k);",
            "        VALGRIND_MAKE_MEM_UNDEFINED(d, sizeof d);",
            f"        {pfx}_base_mult(out, k);",
            f"        {pfx}_ecdh(x, k, peer);",
            f"        {pfx}_sign(r, s, d, k, e);",
            "        VALGRIND_MAKE_MEM_DEFINED(k, sizeof k);",
            "        VALGRIND_MAKE_MEM_DEFINED(d, sizeof d);",
        ]
    lines.append("    }")
    lines += ["    return 0;", "}"]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def driver(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("ctgrind"), "ct", _driver(), NIST_DIR, "-O3")


def test_the_check_catches_a_secret_branch(driver):
    run = memcheck(driver, "control")
    assert "Conditional jump or move depends on uninitialised value" in run.stderr


def test_no_secret_dependent_branches_or_addresses(driver):
    adx = cpu_has_adx()
    run = memcheck(driver, *(["adx"] if adx else []))
    assert "ERROR SUMMARY: 0 errors" in run.stderr, run.stderr[-3000:]
    assert run.returncode == 0
    # On a CPU with BMI2 and ADX the MULX/ADX multiplier was checked as well.
    assert ("p256 adx" in run.stdout) == adx
