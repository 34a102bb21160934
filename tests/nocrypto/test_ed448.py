"""Ed448 (RFC 8032) on both backends: RFC vectors, Wycheproof, and cryptography as an oracle."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ed448 as oracle
from hypothesis import given
from hypothesis import strategies as st

from nocrypto import ed448
from nocrypto.edwards import ed448_ref
from tests.nocrypto import _edwards_cases as cases

ORDER = (
    2**446 - 13818066809895115352007386748515426880336692474882178609894547503885
)  # L of RFC 8032 section 5.2

CURVE = cases.Edwards(
    module=ed448,
    reference=ed448_ref,
    kernel_name="nocrypto.edwards._ed448_cy",
    oracle_private=oracle.Ed448PrivateKey,
    oracle_public=oracle.Ed448PublicKey,
    length=57,
    order=ORDER,
)


@pytest.fixture(params=["python", "cython"])
def backend(request, monkeypatch):
    return CURVE.use(monkeypatch, request.param)


def test_rfc8032_section_7_4(backend, reference_dir):
    text = (reference_dir / "rfc8032.txt").read_text()
    vectors = cases.rfc8032_vectors(text, "7.4.  Test Vectors for Ed448", "7.5.  Test Vectors")
    assert len(vectors) == 9  # blank, 1 octet (with and without context), 11 ... 1023 octets
    assert sum("CONTEXT" in v for v in vectors) == 1
    for v in vectors:
        seed, pub, msg, sig = v["SECRET KEY"], v["PUBLIC KEY"], v["MESSAGE"], v["SIGNATURE"]
        ctx = v.get("CONTEXT", b"")
        assert backend.public_key(seed) == pub
        assert backend.sign(seed, msg, ctx) == sig
        assert backend.verify(pub, sig, msg, ctx)
        assert not backend.verify(pub, sig, msg, ctx + b"x")
        assert not backend.verify(pub, sig, msg + b"\0", ctx)


def test_wycheproof(backend, wycheproof_dir):
    cases.check_wycheproof_signatures(backend, wycheproof_dir / "ed448_test.json")


@given(seed=st.binary(min_size=57, max_size=57), msg=st.binary(max_size=200))
def test_oracle_public_key_and_signature(seed, msg):
    cases.check_oracle_signature(CURVE, seed, msg)


@given(
    seed=st.binary(min_size=57, max_size=57),
    msg=st.binary(max_size=64),
    context=st.binary(min_size=1, max_size=255),
)
def test_context_is_bound_into_the_signature(seed, msg, context):
    pub = ed448.public_key(seed)
    for impl in CURVE.impls():
        with CURVE.running_on(impl) as mod:
            sig = mod.sign(seed, msg, context)
            assert mod.verify(pub, sig, msg, context)
            assert not mod.verify(pub, sig, msg)
            assert not mod.verify(pub, sig, msg, context[:-1])


@given(
    seed=st.binary(min_size=57, max_size=57),
    msg=st.binary(max_size=64),
    flip=st.integers(min_value=0, max_value=114 * 8 - 1),
)
def test_any_flipped_signature_bit_is_refused(seed, msg, flip):
    cases.check_flipped_bit_refused(CURVE, seed, msg, flip)


def test_generate_sign_verify_round_trip():
    cases.check_generate_sign_verify(CURVE)


def test_misuse_and_malformed_inputs():
    with pytest.raises(ValueError):
        ed448.public_key(bytes(56))
    with pytest.raises(ValueError):
        ed448.sign(bytes(58), b"")
    with pytest.raises(ValueError):
        ed448.sign(bytes(57), b"", context=bytes(256))
    with pytest.raises(TypeError):
        ed448.sign("seed", b"")
    pub, sig = cases.check_malformed_verify_inputs(CURVE)
    assert not ed448.verify(pub, sig, b"m", context=bytes(256))


@given(
    h=st.binary(min_size=114, max_size=114),
    a=st.integers(min_value=0, max_value=2**448 - 1),
    r=st.integers(min_value=0, max_value=ORDER - 1),
)
def test_scalar_arithmetic_matches_integers(h, a, r):
    cases.check_scalar_arithmetic(CURVE, h, a, r)


def test_base_point_multiples_of_the_group_order():
    x, y = ed448_ref.BASE[0], ed448_ref.BASE[1]  # the RFC 8032 table 2 coordinates
    for base in cases.check_multiples_of_the_order(CURVE):
        assert base == (y | (x & 1) << 455).to_bytes(57, "little")
