"""X448 (RFC 7748) on both backends: RFC vectors, Wycheproof, and cryptography as an oracle."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import x448 as oracle
from hypothesis import given
from hypothesis import strategies as st

from nocrypto import x448
from tests.nocrypto import _edwards_cases as cases

CURVE = cases.Montgomery(
    module=x448,
    name="x448",
    length=56,
    fixed_base_kernel="nocrypto.edwards._ed448_cy",  # Ed448's table and the 4-isogeny
    oracle=oracle,
    wycheproof_has_wrong_lengths=True,
)


@pytest.fixture(params=["python", "cython"])
def impl(request):
    return cases.montgomery_backend(request.param)


@pytest.mark.parametrize("scalar,u,expected", cases.rfc7748_vectors(CURVE))
def test_rfc7748_section_5_2(impl, scalar, u, expected):
    assert impl.x448(scalar, u) == expected


def _iterate(impl, n):
    # RFC 7748 section 5.2: k, u = X448(k, u), k starting from k = u = 5.
    k = u = (5).to_bytes(56, "little")
    for _ in range(n):
        k, u = impl.x448(k, u), k
    return k.hex()


def test_rfc7748_iterated_once(impl):
    assert _iterate(impl, 1) == (
        "3f482c8a9f19b01e6c46ee9711d9dc14fd4bf67af30765c2ae2b846a"
        "4d23a8cd0db897086239492caf350b51f833868b9bc2b3bca9cf4113"
    )


def test_rfc7748_iterated_1000_on_the_kernel():
    mod = cases.montgomery_backend("cython")
    assert _iterate(mod, 1000) == (
        "aa3b4749d55b9daf1e5b00288826c467274ce3ebbdd5c17b975e09d4"
        "af6c67cf10d087202db88286e2b79fceea3ec353ef54faa26e219f38"
    )


def test_rfc7748_section_6_2_diffie_hellman():
    cases.check_diffie_hellman(
        CURVE,
        alice=bytes.fromhex(
            "9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28d"
            "d9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b"
        ),
        bob=bytes.fromhex(
            "1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d"
            "6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d"
        ),
        alice_pub=(
            "9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c"
            "22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0"
        ),
        bob_pub=(
            "3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b430"
            "27d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609"
        ),
        shared=(
            "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282b"
            "b60c0b56fd2464c335543936521c24403085d59a449a5037514a879d"
        ),
    )


def test_wycheproof_raw(impl, wycheproof_dir):
    cases.check_wycheproof_raw(CURVE, impl, wycheproof_dir)


def test_wycheproof_exchange_refuses_zero_secret(wycheproof_dir):
    cases.check_wycheproof_exchange(CURVE, wycheproof_dir)


def test_wycheproof_asn_wrapped(wycheproof_dir):
    cases.check_wycheproof_asn(CURVE, wycheproof_dir)


@given(k=st.binary(min_size=56, max_size=56), peer=st.binary(min_size=56, max_size=56))
def test_oracle_shared_secret_and_public_key(k, peer):
    cases.check_oracle(CURVE, k, peer)


def test_generate_gives_a_working_pair():
    cases.check_generate(CURVE)


def test_misuse_is_reported():
    cases.check_misuse(CURVE)
