"""Ed25519 (RFC 8032) on both backends: RFC vectors, Wycheproof, and cryptography as an oracle."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519 as oracle
from hypothesis import given
from hypothesis import strategies as st

import nocrypto
from nocrypto import ed25519
from nocrypto.edwards import ed25519_ref

VECTORS = Path(importlib.import_module("cryptography_vectors").__file__).parent / "asymmetric"
KERNEL = "nocrypto.edwards._ed25519_cy"


def _kernel():
    try:
        return importlib.import_module(KERNEL)
    except ImportError:
        return None


def _use(monkeypatch, which):
    """The public module running on the ``which`` backend."""
    mod = ed25519_ref if which == "python" else _kernel()
    if mod is None:
        pytest.skip(f"kernel {KERNEL} is not built")
    monkeypatch.setattr(ed25519, "_impl", mod)
    return ed25519


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


def test_rfc8032_section_7_1(backend, reference_dir):
    text = (reference_dir / "rfc8032.txt").read_text()
    vectors = rfc8032_vectors(text, "7.1.  Test Vectors for Ed25519", "7.2.  Test Vectors")
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
    lines = (VECTORS / "Ed25519" / "sign.input").read_text().splitlines()
    fast = backend._impl is not ed25519_ref and nocrypto.backend == "cython"  # SHA-512 too
    step = 1 if fast else 64
    for line in lines[::step]:
        sk, pk, msg, sm, _ = (bytes.fromhex(f) for f in line.split(":"))
        seed = sk[:32]
        assert backend.public_key(seed) == pk
        assert backend.sign(seed, msg) == sm[:64]
        assert backend.verify(pk, sm[:64], msg)


# Wycheproof lists no "acceptable" Ed25519 cases; valid must verify, invalid must not.
def test_wycheproof(backend, wycheproof_dir):
    data = json.loads((wycheproof_dir / "ed25519_test.json").read_text())
    count = 0
    for group in data["testGroups"]:
        pub = bytes.fromhex(group["publicKey"]["pk"])
        for t in group["tests"]:
            ok = backend.verify(pub, bytes.fromhex(t["sig"]), bytes.fromhex(t["msg"]))
            assert ok == (t["result"] == "valid"), (t["tcId"], t["comment"])
            count += 1
    assert count == data["numberOfTests"]


@given(seed=st.binary(min_size=32, max_size=32), msg=st.binary(max_size=200))
def test_oracle_public_key_and_signature(seed, msg):
    theirs = oracle.Ed25519PrivateKey.from_private_bytes(seed)
    pub = theirs.public_key().public_bytes_raw()
    expected = theirs.sign(msg)
    impls = [ed25519_ref] + ([_kernel()] if _kernel() else [])
    for impl in impls:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(ed25519, "_impl", impl)
            assert ed25519.public_key(seed) == pub
            assert ed25519.sign(seed, msg) == expected
            assert ed25519.verify(pub, expected, msg)
    theirs.public_key().verify(ed25519.sign(seed, msg), msg)  # raises if cryptography disagrees


@given(
    seed=st.binary(min_size=32, max_size=32),
    msg=st.binary(max_size=64),
    flip=st.integers(min_value=0, max_value=64 * 8 - 1),
)
def test_any_flipped_signature_bit_is_refused(seed, msg, flip):
    sig = bytearray(oracle.Ed25519PrivateKey.from_private_bytes(seed).sign(msg))
    sig[flip // 8] ^= 1 << (flip % 8)
    pub = ed25519.public_key(seed)
    impls = [ed25519_ref] + ([_kernel()] if _kernel() else [])
    for impl in impls:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(ed25519, "_impl", impl)
            assert not ed25519.verify(pub, bytes(sig), msg)


def test_generate_sign_verify_round_trip():
    seed, pub = ed25519.generate()
    sig = ed25519.sign(bytearray(seed), memoryview(b"message"))
    assert ed25519.verify(memoryview(pub), bytearray(sig), b"message")
    oracle.Ed25519PublicKey.from_public_bytes(pub).verify(sig, b"message")


def test_misuse_and_malformed_inputs():
    with pytest.raises(ValueError):
        ed25519.public_key(bytes(31))
    with pytest.raises(ValueError):
        ed25519.sign(bytes(33), b"")
    with pytest.raises(TypeError):
        ed25519.sign("seed", b"")
    seed = bytes(range(32))
    pub, sig = ed25519.public_key(seed), ed25519.sign(seed, b"m")
    # Wrong lengths are bad input from a peer: False, never an exception.
    assert not ed25519.verify(pub[:31], sig, b"m")
    assert not ed25519.verify(pub, sig + b"\0", b"m")
    assert not ed25519.verify(pub, sig[:63], b"m")
    assert not ed25519.verify(b"\xff" * 32, sig, b"m")


ORDER = 2**252 + 27742317777372353535851937790883648493  # L of RFC 8032 section 5.1


def _impls():
    return [ed25519_ref] + ([_kernel()] if _kernel() else [])


@given(
    h=st.binary(min_size=64, max_size=64),
    a=st.integers(min_value=0, max_value=2**255 - 1),
    r=st.integers(min_value=0, max_value=ORDER - 1),
)
def test_scalar_arithmetic_matches_integers(h, a, r):
    hn = int.from_bytes(h, "little")
    for impl in _impls():
        assert impl.sc_reduce(h) == (hn % ORDER).to_bytes(32, "little")
        got = impl.sc_muladd(h, a.to_bytes(32, "little"), r.to_bytes(32, "little"))
        assert got == ((hn * a + r) % ORDER).to_bytes(32, "little")


def test_base_point_multiples_of_the_group_order():
    identity = b"\x01" + bytes(31)  # (0, 1)
    for impl in _impls():
        base = impl.scalarmult_base((1).to_bytes(32, "little"))
        assert impl.scalarmult_base(ORDER.to_bytes(32, "little")) == identity
        assert impl.scalarmult_base((ORDER + 1).to_bytes(32, "little")) == base
        assert impl.scalarmult_base(bytes(32)) == identity
        assert base.hex() == "58" + "66" * 31  # y = 4/5, x even (RFC 8032 section 5.1)
