"""Ed448 (RFC 8032) on both backends: RFC vectors, Wycheproof, and cryptography as an oracle."""

from __future__ import annotations

import importlib
import json
import re

import pytest
from cryptography.hazmat.primitives.asymmetric import ed448 as oracle
from hypothesis import given
from hypothesis import strategies as st

from nocrypto import ed448
from nocrypto.edwards import ed448_ref

KERNEL = "nocrypto.edwards._ed448_cy"


def _kernel():
    try:
        return importlib.import_module(KERNEL)
    except ImportError:
        return None


def _use(monkeypatch, which):
    """The public module running on the ``which`` backend."""
    mod = ed448_ref if which == "python" else _kernel()
    if mod is None:
        pytest.skip(f"kernel {KERNEL} is not built")
    monkeypatch.setattr(ed448, "_impl", mod)
    return ed448


@pytest.fixture(params=["python", "cython"])
def backend(request, monkeypatch):
    return _use(monkeypatch, request.param)


def rfc8032_vectors(text, first, last):
    """The test blocks of RFC 8032 between the headings ``first`` and ``last``."""
    start = text.index(first + "\n")  # the heading itself, not its table-of-contents line
    body = text[start : text.index(last, start)]
    out = []
    for block in body.split("-----")[1:]:
        fields, key = {}, None
        for raw in block.splitlines():
            line = raw.strip()
            if line.endswith(":") or line.startswith("MESSAGE ("):
                key = line.split(" (")[0].rstrip(":")
                fields[key] = ""
            elif key and re.fullmatch(r"[0-9a-f]+", line):
                fields[key] += line
        if "SIGNATURE" in fields:
            out.append({k: bytes.fromhex(v) for k, v in fields.items() if k != "ALGORITHM"})
    return out


def test_rfc8032_section_7_4(backend, reference_dir):
    text = (reference_dir / "rfc8032.txt").read_text()
    vectors = rfc8032_vectors(text, "7.4.  Test Vectors for Ed448", "7.5.  Test Vectors")
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


# Wycheproof lists no "acceptable" Ed448 cases; valid must verify, invalid must not.
def test_wycheproof(backend, wycheproof_dir):
    data = json.loads((wycheproof_dir / "ed448_test.json").read_text())
    count = 0
    for group in data["testGroups"]:
        pub = bytes.fromhex(group["publicKey"]["pk"])
        for t in group["tests"]:
            ok = backend.verify(pub, bytes.fromhex(t["sig"]), bytes.fromhex(t["msg"]))
            assert ok == (t["result"] == "valid"), (t["tcId"], t["comment"])
            count += 1
    assert count == data["numberOfTests"]


@given(seed=st.binary(min_size=57, max_size=57), msg=st.binary(max_size=200))
def test_oracle_public_key_and_signature(seed, msg):
    theirs = oracle.Ed448PrivateKey.from_private_bytes(seed)
    pub = theirs.public_key().public_bytes_raw()
    expected = theirs.sign(msg)
    impls = [ed448_ref] + ([_kernel()] if _kernel() else [])
    for impl in impls:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(ed448, "_impl", impl)
            assert ed448.public_key(seed) == pub
            assert ed448.sign(seed, msg) == expected
            assert ed448.verify(pub, expected, msg)
    theirs.public_key().verify(ed448.sign(seed, msg), msg)  # raises if cryptography disagrees


@given(
    seed=st.binary(min_size=57, max_size=57),
    msg=st.binary(max_size=64),
    context=st.binary(min_size=1, max_size=255),
)
def test_context_is_bound_into_the_signature(seed, msg, context):
    pub = ed448.public_key(seed)
    impls = [ed448_ref] + ([_kernel()] if _kernel() else [])
    for impl in impls:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(ed448, "_impl", impl)
            sig = ed448.sign(seed, msg, context)
            assert ed448.verify(pub, sig, msg, context)
            assert not ed448.verify(pub, sig, msg)
            assert not ed448.verify(pub, sig, msg, context[:-1])


@given(
    seed=st.binary(min_size=57, max_size=57),
    msg=st.binary(max_size=64),
    flip=st.integers(min_value=0, max_value=114 * 8 - 1),
)
def test_any_flipped_signature_bit_is_refused(seed, msg, flip):
    sig = bytearray(oracle.Ed448PrivateKey.from_private_bytes(seed).sign(msg))
    sig[flip // 8] ^= 1 << (flip % 8)
    pub = ed448.public_key(seed)
    impls = [ed448_ref] + ([_kernel()] if _kernel() else [])
    for impl in impls:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(ed448, "_impl", impl)
            assert not ed448.verify(pub, bytes(sig), msg)


def test_generate_sign_verify_round_trip():
    seed, pub = ed448.generate()
    sig = ed448.sign(bytearray(seed), memoryview(b"message"))
    assert ed448.verify(memoryview(pub), bytearray(sig), b"message")
    oracle.Ed448PublicKey.from_public_bytes(pub).verify(sig, b"message")


def test_misuse_and_malformed_inputs():
    with pytest.raises(ValueError):
        ed448.public_key(bytes(56))
    with pytest.raises(ValueError):
        ed448.sign(bytes(58), b"")
    with pytest.raises(ValueError):
        ed448.sign(bytes(57), b"", context=bytes(256))
    with pytest.raises(TypeError):
        ed448.sign("seed", b"")
    seed = bytes(range(57))
    pub, sig = ed448.public_key(seed), ed448.sign(seed, b"m")
    # Wrong lengths are bad input from a peer: False, never an exception.
    assert not ed448.verify(pub[:56], sig, b"m")
    assert not ed448.verify(pub, sig + b"\0", b"m")
    assert not ed448.verify(pub, sig[:113], b"m")
    assert not ed448.verify(b"\xff" * 57, sig, b"m")
    assert not ed448.verify(pub, sig, b"m", context=bytes(256))


ORDER = (
    2**446 - 13818066809895115352007386748515426880336692474882178609894547503885
)  # L of RFC 8032 section 5.2


def _impls():
    return [ed448_ref] + ([_kernel()] if _kernel() else [])


@given(
    h=st.binary(min_size=114, max_size=114),
    a=st.integers(min_value=0, max_value=2**448 - 1),
    r=st.integers(min_value=0, max_value=ORDER - 1),
)
def test_scalar_arithmetic_matches_integers(h, a, r):
    hn = int.from_bytes(h, "little")
    for impl in _impls():
        assert impl.sc_reduce(h) == (hn % ORDER).to_bytes(57, "little")
        got = impl.sc_muladd(h, a.to_bytes(57, "little"), r.to_bytes(57, "little"))
        assert got == ((hn * a + r) % ORDER).to_bytes(57, "little")


def test_base_point_multiples_of_the_group_order():
    identity = b"\x01" + bytes(56)  # (0, 1)
    for impl in _impls():
        base = impl.scalarmult_base((1).to_bytes(57, "little"))
        assert impl.scalarmult_base(ORDER.to_bytes(57, "little")) == identity
        assert impl.scalarmult_base((ORDER + 1).to_bytes(57, "little")) == base
        assert impl.scalarmult_base(bytes(57)) == identity
        x, y = ed448_ref.BASE[0], ed448_ref.BASE[1]  # the RFC 8032 table 2 coordinates
        assert base == (y | (x & 1) << 455).to_bytes(57, "little")
