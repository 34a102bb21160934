"""Wycheproof ECDH and ECDSA vectors for P-256/384/521, on both backends.

Policy for ``acceptable`` cases (legal but dubious inputs):
* ECDH: these are compressed peer points and SubjectPublicKeyInfo quirks (BER
  encodings, explicit curve parameters).  We accept compressed points (SEC 1 allows
  them) and the SPKI is parsed by this test, strictly; whatever gets through must
  give exactly the expected shared secret, and a refusal must be InvalidKeyError.
* ECDSA: our verifier takes strict DER only, so an acceptable BER signature may be
  refused; an accepted one must be a correct signature (checked against ``valid``).
The kernel runs every vector; the pure-Python reference a deterministic sample.
"""

from __future__ import annotations

import importlib
import json

import pytest

from nocrypto import InvalidKeyError, ec
from nocrypto.nist import arith


def _kernel():
    try:
        return importlib.import_module("nocrypto.nist._arith_cy")
    except ImportError:
        return None


@pytest.fixture(params=["python", "cython", "cython-portable"])
def backend(request):
    """The reference; the kernel as it runs here (MULX/ADX P-256 multiplier when the
    CPU has it); and the kernel forced onto its portable C multiplier."""
    if request.param == "python":
        yield arith
        return
    kernel = _kernel()
    if kernel is None:
        pytest.skip("nocrypto.nist._arith_cy is not built")
    if request.param == "cython":
        kernel._use_adx(True)
        yield kernel
        return
    if request.node.callspec.params.get("curve_name") != "secp256r1":
        pytest.skip("only P-256 has a second (MULX/ADX) field multiplier")
    kernel._use_adx(False)
    try:
        yield kernel
    finally:
        kernel._use_adx(True)


PYTHON_SAMPLE = 24  # vectors per file for the slow reference

CURVE_OIDS = {  # DER of the namedCurve OIDs (RFC 5480 §2.1.1.1)
    "secp256r1": bytes.fromhex("06082a8648ce3d030107"),
    "secp384r1": bytes.fromhex("06052b81040022"),
    "secp521r1": bytes.fromhex("06052b81040023"),
}
EC_PUBLIC_KEY_OID = bytes.fromhex("06072a8648ce3d0201")


def _der_tlv(data: bytes, pos: int, tag: int) -> tuple[bytes, int] | None:
    """One strict-DER TLV with ``tag`` at ``pos``: (contents, end) or None."""
    if pos + 2 > len(data) or data[pos] != tag:
        return None
    length, pos = data[pos + 1], pos + 2
    if length & 0x80:
        count = length & 0x7F
        if count not in (1, 2) or pos + count > len(data):
            return None
        length = int.from_bytes(data[pos : pos + count], "big")
        if length < 0x80 or data[pos] == 0:
            return None
        pos += count
    if pos + length > len(data):
        return None
    return data[pos : pos + length], pos + length


def spki_point(spki: bytes, curve_name: str) -> bytes | None:
    """The SEC 1 point of a named-curve id-ecPublicKey SPKI (RFC 5480), else None."""
    outer = _der_tlv(spki, 0, 0x30)
    if outer is None or outer[1] != len(spki):
        return None
    body = outer[0]
    alg = _der_tlv(body, 0, 0x30)
    if alg is None or alg[0] != EC_PUBLIC_KEY_OID + CURVE_OIDS[curve_name]:
        return None
    bits = _der_tlv(body, alg[1], 0x03)
    if bits is None or bits[1] != len(body) or not bits[0] or bits[0][0] != 0:
        return None
    return bits[0][1:]


def _load(wycheproof_dir, name):
    with open(wycheproof_dir / name) as f:
        return json.load(f)


def _sample(tests, backend):
    if backend is arith and len(tests) > PYTHON_SAMPLE:
        step = len(tests) // PYTHON_SAMPLE
        return tests[::step]
    return tests


CURVE_NAMES = ["secp256r1", "secp384r1", "secp521r1"]


@pytest.mark.parametrize("curve_name", CURVE_NAMES)
@pytest.mark.parametrize("encoding", ["spki", "ecpoint"])
def test_wycheproof_ecdh(wycheproof_dir, backend, curve_name, encoding):
    suffix = "test" if encoding == "spki" else "ecpoint_test"
    data = _load(wycheproof_dir, f"ecdh_{curve_name}_{suffix}.json")
    curve = ec.curve(curve_name).with_arith(backend)
    tests = [(g, t) for g in data["testGroups"] for t in g["tests"]]
    checked = 0
    for group, t in _sample(tests, backend):
        assert group["curve"] == curve_name
        public = bytes.fromhex(t["public"])
        point = spki_point(public, curve_name) if encoding == "spki" else public
        key = curve.private_key(int(t["private"], 16))
        label = f"tcId {t['tcId']} {t['comment']} {t['flags']}"
        if point is None:  # the SPKI itself is malformed or names another curve
            assert t["result"] != "valid", label
            continue
        try:
            shared = key.exchange(point)
        except InvalidKeyError:
            assert t["result"] != "valid", label
            continue
        assert t["result"] != "invalid", label
        assert shared == bytes.fromhex(t["shared"]), label
        checked += 1
    assert checked > 0


ECDSA_FILES = [
    ("secp256r1", "sha256"),
    ("secp256r1", "sha512"),
    ("secp384r1", "sha256"),
    ("secp384r1", "sha384"),
    ("secp384r1", "sha512"),
    ("secp521r1", "sha512"),
]
P1363_FILES = [
    ("secp256r1", "sha256"),
    ("secp256r1", "sha512"),
    ("secp384r1", "sha384"),
    ("secp384r1", "sha512"),
    ("secp521r1", "sha512"),
]


def _ecdsa_cases(wycheproof_dir, curve_name, hash_name, p1363):
    name = f"ecdsa_{curve_name}_{hash_name}{'_p1363' if p1363 else ''}_test.json"
    data = _load(wycheproof_dir, name)
    for g in data["testGroups"]:
        assert g["sha"].replace("-", "").lower() == hash_name
        assert g["publicKey"]["curve"] == curve_name
        for t in g["tests"]:
            yield bytes.fromhex(g["publicKey"]["uncompressed"]), t


def _run_ecdsa(backend, cases, curve_name, hash_name, verify_name):
    curve = ec.curve(curve_name).with_arith(backend)
    accepted = 0
    for pub_bytes, t in _sample(list(cases), backend):
        pub = curve.public_key(pub_bytes)
        ok = getattr(pub, verify_name)(bytes.fromhex(t["sig"]), bytes.fromhex(t["msg"]), hash_name)
        label = f"tcId {t['tcId']} {t['comment']} {t['flags']}"
        if t["result"] == "valid":
            assert ok, label
            accepted += 1
        elif t["result"] == "invalid":
            assert not ok, label
    assert accepted > 0


@pytest.mark.parametrize(("curve_name", "hash_name"), ECDSA_FILES)
def test_wycheproof_ecdsa_der(wycheproof_dir, backend, curve_name, hash_name):
    cases = _ecdsa_cases(wycheproof_dir, curve_name, hash_name, p1363=False)
    _run_ecdsa(backend, cases, curve_name, hash_name, "verify")


@pytest.mark.parametrize(("curve_name", "hash_name"), P1363_FILES)
def test_wycheproof_ecdsa_p1363(wycheproof_dir, backend, curve_name, hash_name):
    cases = _ecdsa_cases(wycheproof_dir, curve_name, hash_name, p1363=True)
    _run_ecdsa(backend, cases, curve_name, hash_name, "verify_p1363")
