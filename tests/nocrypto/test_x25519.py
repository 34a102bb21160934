"""X25519 (RFC 7748) on both backends: RFC vectors, Wycheproof, and cryptography as an oracle."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import x25519 as oracle
from hypothesis import given
from hypothesis import strategies as st

import nocrypto
from nocrypto import x25519
from nocrypto.edwards import montgomery

VECTORS = Path(importlib.import_module("cryptography_vectors").__file__).parent / "asymmetric"


def _kernel():
    try:
        return importlib.import_module("nocrypto.edwards._montgomery_cy")
    except ImportError:
        return None


def _fixed_base_kernel():
    try:
        return importlib.import_module("nocrypto.edwards._ed25519_cy")
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
    text = (VECTORS / "X25519" / "rfc7748.txt").read_text()
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
    alice = bytes.fromhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
    bob = bytes.fromhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")
    alice_pub = x25519.public_key(alice)
    bob_pub = x25519.public_key(bob)
    assert alice_pub.hex() == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
    assert bob_pub.hex() == "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"
    shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"
    assert x25519.exchange(alice, bob_pub).hex() == shared
    assert x25519.exchange(bytearray(bob), memoryview(alice_pub)).hex() == shared


# Policy for Wycheproof "acceptable" cases (twist points, low-order points, non-canonical
# u): x25519() computes the RFC 7748 function for every 32-byte u, exactly as the RFC
# recommends, so it must return the listed shared value; exchange() must additionally
# refuse exactly those whose shared secret is all zero (RFC 7748 section 6.1).
def _wycheproof(wycheproof_dir, name):
    data = json.loads((wycheproof_dir / name).read_text())
    return [t for g in data["testGroups"] for t in g["tests"]]


def test_wycheproof_raw(impl, wycheproof_dir):
    for t in _wycheproof(wycheproof_dir, "x25519_test.json"):
        k, u = bytes.fromhex(t["private"]), bytes.fromhex(t["public"])
        assert t["result"] in ("valid", "acceptable"), t["tcId"]
        assert impl.x25519(k, u).hex() == t["shared"], t["tcId"]


def _sample(tests):
    # The public module's own backend: all vectors on the kernel, every 4th on the reference.
    return tests if x25519._impl is not montgomery else tests[::4]


def test_wycheproof_exchange_refuses_zero_secret(wycheproof_dir):
    for t in _sample(_wycheproof(wycheproof_dir, "x25519_test.json")):
        k, u = bytes.fromhex(t["private"]), bytes.fromhex(t["public"])
        if "ZeroSharedSecret" in t["flags"]:
            with pytest.raises(nocrypto.InvalidKeyError):
                x25519.exchange(k, u)
        else:
            assert x25519.exchange(k, u).hex() == t["shared"], t["tcId"]


def test_wycheproof_asn_wrapped(wycheproof_dir):
    # The DER wrappers are unwrapped with cryptography here; puretls only sees raw keys.
    # "invalid" cases are keys of another group or a malformed PKCS#8: they must not
    # survive as a 32-byte X25519 key pair.
    for t in _sample(_wycheproof(wycheproof_dir, "x25519_asn_test.json")):
        try:
            priv = serialization.load_der_private_key(bytes.fromhex(t["private"]), None)
            pub = serialization.load_der_public_key(bytes.fromhex(t["public"]))
            raw_priv = priv.private_bytes_raw()
            raw_pub = pub.public_bytes_raw()
        except (ValueError, TypeError, AttributeError, UnsupportedAlgorithm):
            assert t["result"] == "invalid", t["tcId"]
            continue
        if len(raw_priv) != 32 or len(raw_pub) != 32:
            assert t["result"] == "invalid", t["tcId"]
            with pytest.raises(ValueError):
                x25519.x25519(raw_priv, raw_pub)
            continue
        assert t["result"] != "invalid", t["tcId"]
        assert x25519.x25519(raw_priv, raw_pub).hex() == t["shared"], t["tcId"]


@given(k=st.binary(min_size=32, max_size=32), peer=st.binary(min_size=32, max_size=32))
def test_oracle_shared_secret_and_public_key(k, peer):
    ours = [montgomery.x25519(k, peer)]
    mod = _kernel()
    if mod is not None:
        ours.append(mod.x25519(k, peer))
    theirs = oracle.X25519PrivateKey.from_private_bytes(k)
    try:
        expected = theirs.exchange(oracle.X25519PublicKey.from_public_bytes(peer))
    except ValueError:  # cryptography refuses an all-zero result; the raw function gives zeros
        expected = bytes(32)
    assert all(o == expected for o in ours)
    pub = theirs.public_key().public_bytes_raw()
    assert montgomery.x25519(k, x25519.BASE_POINT) == pub
    assert x25519.public_key(k) == pub
    if mod is not None:
        assert mod.x25519(k, x25519.BASE_POINT) == pub
    fixed_base = _fixed_base_kernel()
    if fixed_base is not None:  # key generation through the Edwards fixed-base table
        assert fixed_base.x25519_base(k) == pub


def test_generate_gives_a_working_pair():
    a, a_pub = x25519.generate()
    b, b_pub = x25519.generate()
    assert a != b and len(a_pub) == 32
    assert x25519.exchange(a, b_pub) == x25519.exchange(b, a_pub)


def test_misuse_is_reported():
    with pytest.raises(ValueError):
        x25519.public_key(bytes(31))
    with pytest.raises(ValueError):
        x25519.x25519(bytes(32), bytes(33))
    with pytest.raises(TypeError):
        x25519.public_key("00" * 32)
    with pytest.raises(nocrypto.InvalidKeyError):
        x25519.exchange(bytes(32), bytes(31))
    assert x25519.is_all_zero(bytes(32)) and not x25519.is_all_zero(b"\0" * 31 + b"\1")
