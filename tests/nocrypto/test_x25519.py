"""X25519 (RFC 7748) on both backends: RFC vectors, Wycheproof, and cryptography as an oracle."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import x25519 as oracle
from hypothesis import given
from hypothesis import strategies as st

from nocrypto import x25519
from tests.nocrypto import _edwards_cases as cases

CURVE = cases.Montgomery(
    module=x25519,
    name="x25519",
    length=32,
    fixed_base_kernel="nocrypto.edwards._ed25519_cy",
    oracle=oracle,
    wycheproof_has_wrong_lengths=False,
)


@pytest.fixture(params=["python", "cython", "cython-portable"])
def impl(request):
    """The reference; the kernel as it runs here (the MULX/ADX ladder when the CPU has
    BMI2 and ADX); and the kernel forced onto its portable radix-2^51 ladder."""
    if request.param != "cython-portable":
        mod = cases.montgomery_backend(request.param)
        if request.param == "cython":
            mod._use_adx(True)
        return mod
    mod = cases.montgomery_backend("cython")
    mod._use_adx(False)
    request.addfinalizer(lambda: mod._use_adx(True))
    return mod


def test_kernel_uses_mulx_adx_when_the_cpu_has_it():
    mod = cases.montgomery_backend("cython")
    from nocrypto import _cpu

    features = _cpu.probe()
    assert mod._use_adx(True) == ("bmi2" in features and "adx" in features)


@pytest.mark.parametrize("scalar,u,expected", cases.rfc7748_vectors(CURVE))
def test_rfc7748_section_5_2(impl, scalar, u, expected):
    assert impl.x25519(scalar, u) == expected


def test_rfc7748_iterated_1000(impl):
    # RFC 7748 section 5.2: k, u = X25519(k, u), k starting from k = u = 9.
    k = u = (9).to_bytes(32, "little")
    for i in range(1000):
        k, u = impl.x25519(k, u), k
        if i == 0:
            assert k.hex() == "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079"
    assert k.hex() == "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51"


def test_rfc7748_section_6_1_diffie_hellman():
    cases.check_diffie_hellman(
        CURVE,
        alice=bytes.fromhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"),
        bob=bytes.fromhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"),
        alice_pub="8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
        bob_pub="de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
        shared="4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
    )


def test_wycheproof_raw(impl, wycheproof_dir):
    cases.check_wycheproof_raw(CURVE, impl, wycheproof_dir)


def test_wycheproof_exchange_refuses_zero_secret(wycheproof_dir):
    cases.check_wycheproof_exchange(CURVE, wycheproof_dir)


def test_wycheproof_asn_wrapped(wycheproof_dir):
    cases.check_wycheproof_asn(CURVE, wycheproof_dir)


@given(k=st.binary(min_size=32, max_size=32), peer=st.binary(min_size=32, max_size=32))
def test_oracle_shared_secret_and_public_key(k, peer):
    cases.check_oracle(CURVE, k, peer)


def test_generate_gives_a_working_pair():
    cases.check_generate(CURVE)


def test_misuse_is_reported():
    cases.check_misuse(CURVE)
