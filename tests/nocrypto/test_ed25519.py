"""Ed25519 (RFC 8032) on both backends: RFC vectors, Wycheproof, and cryptography as an oracle."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519 as oracle
from hypothesis import given
from hypothesis import strategies as st

import nocrypto
from nocrypto import ed25519
from nocrypto.edwards import ed25519_ref
from tests.nocrypto import _edwards_cases as cases

ORDER = 2**252 + 27742317777372353535851937790883648493  # L of RFC 8032 section 5.1

CURVE = cases.Edwards(
    module=ed25519,
    reference=ed25519_ref,
    kernel_name="nocrypto.edwards._ed25519_cy",
    oracle_private=oracle.Ed25519PrivateKey,
    oracle_public=oracle.Ed25519PublicKey,
    length=32,
    order=ORDER,
)


@pytest.fixture(params=["python", "cython"])
def backend(request, monkeypatch):
    return CURVE.use(monkeypatch, request.param)


def test_rfc8032_section_7_1(backend, reference_dir):
    text = (reference_dir / "rfc8032.txt").read_text()
    vectors = cases.rfc8032_vectors(text, "7.1.  Test Vectors for Ed25519", "7.2.  Test Vectors")
    assert len(vectors) == 5  # TEST 1, 2, 3, 1024 and SHA(abc)
    for v in vectors:
        seed, pub, msg, sig = v["SECRET KEY"], v["PUBLIC KEY"], v["MESSAGE"], v["SIGNATURE"]
        assert backend.public_key(seed) == pub
        assert backend.sign(seed, msg) == sig
        assert backend.verify(pub, sig, msg)
        assert not backend.verify(pub, sig, msg + b"\0")


def test_ed25519_cr_yp_to_sign_input(backend, request):
    # 1024 lines of seed:public:message:signature||message.  Every line on the kernels,
    # every 64th on the slow pure-Python reference (or pure-Python hashes).
    lines = (cases.VECTORS / "Ed25519" / "sign.input").read_text().splitlines()
    fast = backend._impl is not ed25519_ref and nocrypto.backend == "cython"  # SHA-512 too
    step = 1 if fast else 64
    for line in lines[::step]:
        sk, pk, msg, sm, _ = (bytes.fromhex(f) for f in line.split(":"))
        seed = sk[:32]
        assert backend.public_key(seed) == pk
        assert backend.sign(seed, msg) == sm[:64]
        assert backend.verify(pk, sm[:64], msg)


def test_wycheproof(backend, wycheproof_dir):
    cases.check_wycheproof_signatures(backend, wycheproof_dir / "ed25519_test.json")


@given(seed=st.binary(min_size=32, max_size=32), msg=st.binary(max_size=200))
def test_oracle_public_key_and_signature(seed, msg):
    cases.check_oracle_signature(CURVE, seed, msg)


@given(
    seed=st.binary(min_size=32, max_size=32),
    msg=st.binary(max_size=64),
    flip=st.integers(min_value=0, max_value=64 * 8 - 1),
)
def test_any_flipped_signature_bit_is_refused(seed, msg, flip):
    cases.check_flipped_bit_refused(CURVE, seed, msg, flip)


def test_generate_sign_verify_round_trip():
    cases.check_generate_sign_verify(CURVE)


def test_misuse_and_malformed_inputs():
    with pytest.raises(ValueError):
        ed25519.public_key(bytes(31))
    with pytest.raises(ValueError):
        ed25519.sign(bytes(33), b"")
    with pytest.raises(TypeError):
        ed25519.sign("seed", b"")
    cases.check_malformed_verify_inputs(CURVE)


@given(
    h=st.binary(min_size=64, max_size=64),
    a=st.integers(min_value=0, max_value=2**255 - 1),
    r=st.integers(min_value=0, max_value=ORDER - 1),
)
def test_scalar_arithmetic_matches_integers(h, a, r):
    cases.check_scalar_arithmetic(CURVE, h, a, r)


def test_base_point_multiples_of_the_group_order():
    for base in cases.check_multiples_of_the_order(CURVE):
        assert base.hex() == "58" + "66" * 31  # y = 4/5, x even (RFC 8032 section 5.1)
