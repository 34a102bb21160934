"""X448 (RFC 7748) on both backends: RFC vectors, Wycheproof, and cryptography as an oracle."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import x448 as oracle
from hypothesis import given
from hypothesis import strategies as st

import nocrypto
from nocrypto import x448
from nocrypto.edwards import montgomery

VECTORS = Path(importlib.import_module("cryptography_vectors").__file__).parent / "asymmetric"


def _kernel():
    try:
        return importlib.import_module("nocrypto.edwards._montgomery_cy")
    except ImportError:
        return None


def _fixed_base_kernel():
    try:
        return importlib.import_module("nocrypto.edwards._ed448_cy")
    except ImportError:
        return None


@pytest.fixture(params=["python", "cython"])
def impl(request):
    if request.param == "python":
        return montgomery
    mod = _kernel()
    if mod is None:
        pytest.skip("kernel nocrypto.edwards._montgomery_cy is not built")
    return mod


def _rfc7748_vectors():
    text = (VECTORS / "X448" / "rfc7748.txt").read_text()
    out, cur = [], {}
    for line in text.splitlines():
        if " = " in line and not line.startswith("COUNT"):
            k, v = line.split(" = ")
            cur[k.strip()] = bytes.fromhex(v.strip())
            if k.strip() == "OUTPUT_U":
                out.append((cur["INPUT_SCALAR"], cur["INPUT_U"], cur["OUTPUT_U"]))
                cur = {}
    return out


@pytest.mark.parametrize("scalar,u,expected", _rfc7748_vectors())
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
    mod = _kernel()
    if mod is None:
        pytest.skip("kernel nocrypto.edwards._montgomery_cy is not built")
    assert _iterate(mod, 1000) == (
        "aa3b4749d55b9daf1e5b00288826c467274ce3ebbdd5c17b975e09d4"
        "af6c67cf10d087202db88286e2b79fceea3ec353ef54faa26e219f38"
    )


def test_rfc7748_section_6_2_diffie_hellman():
    alice = bytes.fromhex(
        "9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28d"
        "d9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b"
    )
    bob = bytes.fromhex(
        "1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d"
        "6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d"
    )
    alice_pub = x448.public_key(alice)
    bob_pub = x448.public_key(bob)
    assert alice_pub.hex() == (
        "9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c"
        "22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0"
    )
    assert bob_pub.hex() == (
        "3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b430"
        "27d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609"
    )
    shared = (
        "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282b"
        "b60c0b56fd2464c335543936521c24403085d59a449a5037514a879d"
    )
    assert x448.exchange(alice, bob_pub).hex() == shared
    assert x448.exchange(bytearray(bob), memoryview(alice_pub)).hex() == shared


# Policy for Wycheproof "acceptable" cases (twist points, low-order points, non-canonical
# u): x448() computes the RFC 7748 function for every 56-byte u, exactly as the RFC
# recommends, so it must return the listed shared value; exchange() must additionally
# refuse exactly those whose shared secret is all zero (RFC 7748 section 6.1).
def _wycheproof(wycheproof_dir, name):
    data = json.loads((wycheproof_dir / name).read_text())
    return [t for g in data["testGroups"] for t in g["tests"]]


def test_wycheproof_raw(impl, wycheproof_dir):
    for t in _wycheproof(wycheproof_dir, "x448_test.json"):
        k, u = bytes.fromhex(t["private"]), bytes.fromhex(t["public"])
        if t["result"] == "invalid":  # only wrong-length public keys
            assert len(u) != 56, t["tcId"]
            with pytest.raises(ValueError):
                x448.x448(k, u)
            continue
        assert impl.x448(k, u).hex() == t["shared"], t["tcId"]


def _sample(tests):
    # The public module's own backend: all vectors on the kernel, every 4th on the reference.
    return tests if x448._impl is not montgomery else tests[::4]


def test_wycheproof_exchange_refuses_zero_secret(wycheproof_dir):
    for t in _sample(_wycheproof(wycheproof_dir, "x448_test.json")):
        k, u = bytes.fromhex(t["private"]), bytes.fromhex(t["public"])
        if t["result"] == "invalid":
            with pytest.raises(nocrypto.InvalidKeyError):
                x448.exchange(k, u)
        elif "ZeroSharedSecret" in t["flags"]:
            with pytest.raises(nocrypto.InvalidKeyError):
                x448.exchange(k, u)
        else:
            assert x448.exchange(k, u).hex() == t["shared"], t["tcId"]


def test_wycheproof_asn_wrapped(wycheproof_dir):
    # The DER wrappers are unwrapped with cryptography here; puretls only sees raw keys.
    # "invalid" cases are keys of another group or a malformed PKCS#8: they must not
    # survive as a 56-byte X448 key pair.
    for t in _sample(_wycheproof(wycheproof_dir, "x448_asn_test.json")):
        try:
            priv = serialization.load_der_private_key(bytes.fromhex(t["private"]), None)
            pub = serialization.load_der_public_key(bytes.fromhex(t["public"]))
            raw_priv = priv.private_bytes_raw()
            raw_pub = pub.public_bytes_raw()
        except (ValueError, TypeError, AttributeError, UnsupportedAlgorithm):
            assert t["result"] == "invalid", t["tcId"]
            continue
        if len(raw_priv) != 56 or len(raw_pub) != 56:
            assert t["result"] == "invalid", t["tcId"]
            with pytest.raises(ValueError):
                x448.x448(raw_priv, raw_pub)
            continue
        assert t["result"] != "invalid", t["tcId"]
        assert x448.x448(raw_priv, raw_pub).hex() == t["shared"], t["tcId"]


@given(k=st.binary(min_size=56, max_size=56), peer=st.binary(min_size=56, max_size=56))
def test_oracle_shared_secret_and_public_key(k, peer):
    ours = [montgomery.x448(k, peer)]
    mod = _kernel()
    if mod is not None:
        ours.append(mod.x448(k, peer))
    theirs = oracle.X448PrivateKey.from_private_bytes(k)
    try:
        expected = theirs.exchange(oracle.X448PublicKey.from_public_bytes(peer))
    except ValueError:  # cryptography refuses an all-zero result; the raw function gives zeros
        expected = bytes(56)
    assert all(o == expected for o in ours)
    pub = theirs.public_key().public_bytes_raw()
    assert montgomery.x448(k, x448.BASE_POINT) == pub
    assert x448.public_key(k) == pub
    if mod is not None:
        assert mod.x448(k, x448.BASE_POINT) == pub
    fixed_base = _fixed_base_kernel()
    if fixed_base is not None:  # key generation through Ed448's table and the 4-isogeny
        assert fixed_base.x448_base(k) == pub


def test_generate_gives_a_working_pair():
    a, a_pub = x448.generate()
    b, b_pub = x448.generate()
    assert a != b and len(a_pub) == 56
    assert x448.exchange(a, b_pub) == x448.exchange(b, a_pub)


def test_misuse_is_reported():
    with pytest.raises(ValueError):
        x448.public_key(bytes(55))
    with pytest.raises(ValueError):
        x448.x448(bytes(56), bytes(57))
    with pytest.raises(TypeError):
        x448.public_key("00" * 56)
    with pytest.raises(nocrypto.InvalidKeyError):
        x448.exchange(bytes(56), bytes(55))
    assert x448.is_all_zero(bytes(56)) and not x448.is_all_zero(b"\0" * 55 + b"\1")
