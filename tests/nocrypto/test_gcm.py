"""AES-GCM on every backend against Wycheproof, NIST CAVP and `cryptography` as an oracle."""

from __future__ import annotations

import random

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM as OracleGCM
from hypothesis import given
from hypothesis import strategies as st

import nocrypto
from nocrypto import AuthenticationError, aead
from nocrypto.symmetric import gcm as gcm_py
from tests.nocrypto._symmetric import (
    WIDE_FEATURES,
    backend_params,
    flip_bit,
    load_kernel,
    nist_records,
    wycheproof,
)

BACKENDS = backend_params(("aesni", "pclmulqdq"), wide=True)


@pytest.fixture(params=BACKENDS, scope="module")
def backend(request):
    """A function key -> GCM object for one backend."""
    if request.param == "python":
        return gcm_py.GCM
    k = load_kernel("_gcm_cy")
    portable = request.param == "portable"
    wide = request.param != "hw128"
    wide_cpu = all(f in nocrypto.cpu_features for f in WIDE_FEATURES)

    def make(key):
        g = k.GCM(key, portable=portable, wide=wide)
        assert g.hardware is (not portable)
        assert g.hw_level == (0 if portable else 2 if wide and wide_cpu else 1)
        return g

    return make


def oracle_seal(key: bytes, nonce: bytes, pt: bytes, aad: bytes) -> bytes:
    if len(nonce) == 12:
        return OracleGCM(key).encrypt(nonce, pt, aad)
    enc = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(aad)
    return enc.update(pt) + enc.finalize() + enc.tag


def test_wycheproof(backend, wycheproof_dir):
    checked = 0
    for group, t in wycheproof(wycheproof_dir / "aes_gcm_test.json"):
        key, iv = bytes.fromhex(t["key"]), bytes.fromhex(t["iv"])
        msg, aad = bytes.fromhex(t["msg"]), bytes.fromhex(t["aad"])
        sealed = bytes.fromhex(t["ct"] + t["tag"])
        assert group["tagSize"] == 128
        if not iv:
            with pytest.raises(ValueError):
                backend(key).seal(iv, msg, aad)
            assert t["result"] == "invalid"
            continue
        g = backend(key)
        if t["result"] == "valid":
            assert g.seal(iv, msg, aad) == sealed, t["tcId"]
            assert g.open(iv, sealed, aad) == msg, t["tcId"]
        else:
            with pytest.raises(AuthenticationError):
                g.open(iv, sealed, aad)
        checked += 1
    assert checked > 300


def _sample(records, backend_is_python: bool):
    recs = list(records)
    return recs[::37] if backend_is_python else recs


@pytest.mark.parametrize("size", [128, 192, 256])
def test_nist_encrypt(backend, size):
    recs = nist_records(f"ciphers/AES/GCM/gcmEncryptExtIV{size}.rsp")
    n = 0
    for r in _sample(recs, backend is gcm_py.GCM):
        key, iv = bytes.fromhex(r["Key"]), bytes.fromhex(r["IV"])
        pt, aad = bytes.fromhex(r["PT"]), bytes.fromhex(r["AAD"])
        ct, tag = bytes.fromhex(r["CT"]), bytes.fromhex(r["Tag"])
        sealed = backend(key).seal(iv, pt, aad)
        assert sealed[: len(pt)] == ct
        assert sealed[len(pt) :][: len(tag)] == tag  # shorter NIST tags are truncations
        n += 1
    assert n > 200


@pytest.mark.parametrize("size", [128, 192, 256])
def test_nist_decrypt(backend, size):
    recs = [
        r for r in nist_records(f"ciphers/AES/GCM/gcmDecrypt{size}.rsp") if r["Taglen"] == "128"
    ]
    for r in _sample(recs, backend is gcm_py.GCM):
        key, iv = bytes.fromhex(r["Key"]), bytes.fromhex(r["IV"])
        ct, aad, tag = bytes.fromhex(r["CT"]), bytes.fromhex(r["AAD"]), bytes.fromhex(r["Tag"])
        g = backend(key)
        if "FAIL" in r:
            with pytest.raises(AuthenticationError):
                g.open(iv, ct + tag, aad)
        else:
            assert g.open(iv, ct + tag, aad) == bytes.fromhex(r["PT"])


messages = st.tuples(
    st.sampled_from([16, 24, 32]),
    st.one_of(st.just(12), st.integers(8, 80)),  # the oracle takes 8..128
    st.integers(0, 300),
    st.one_of(st.integers(0, 300), st.integers(0, 70000)),
    st.integers(0, 2**32),
)


def _materials(m):
    ksize, nlen, alen, plen, seed = m
    rnd = random.Random(seed)
    return rnd.randbytes(ksize), rnd.randbytes(nlen), rnd.randbytes(alen), rnd.randbytes(plen)


@given(m=messages)
def test_matches_cryptography(backend, m):
    key, nonce, aad, pt = _materials(m)
    g = backend(key)
    sealed = g.seal(nonce, pt, aad)
    assert sealed == oracle_seal(key, nonce, pt, aad)
    assert g.open(nonce, sealed, aad) == pt


@given(m=messages, where=st.sampled_from(["ciphertext", "nonce", "aad"]), bit=st.integers(0, 10**9))
def test_any_flipped_bit_is_rejected(backend, m, where, bit):
    key, nonce, aad, pt = _materials(m)
    g = backend(key)
    sealed = g.seal(nonce, pt, aad)
    if where == "ciphertext":  # covers the tag too
        sealed = flip_bit(sealed, bit % (8 * len(sealed)))
    elif where == "nonce":
        nonce = flip_bit(nonce, bit % (8 * len(nonce)))
    else:
        aad = flip_bit(aad + b"\x00", bit % (8 * len(aad) + 8))
    with pytest.raises(AuthenticationError):
        g.open(nonce, sealed, aad)


def test_into_buffers(backend):
    key, nonce, aad, pt = bytes(range(16)), bytes(12), b"hdr", bytes(range(200)) * 3
    g = backend(key)
    out = bytearray(len(pt) + 16 + 5)
    assert g.seal_into(memoryview(nonce), bytearray(pt), memoryview(aad), out) == len(pt) + 16
    assert bytes(out[: len(pt) + 16]) == OracleGCM(key).encrypt(nonce, pt, aad)
    back = bytearray(len(pt))
    assert g.open_into(nonce, memoryview(out)[: len(pt) + 16], aad, back) == len(pt)
    assert back == pt
    bad = flip_bit(bytes(out[: len(pt) + 16]), 3)
    spoiled = bytearray(b"\xaa" * len(pt))
    with pytest.raises(AuthenticationError):
        g.open_into(nonce, bad, aad, spoiled)
    assert spoiled == b"\xaa" * len(pt)  # no plaintext released
    with pytest.raises(ValueError):
        g.seal_into(nonce, pt, aad, bytearray(len(pt)))  # too small for the tag
    with pytest.raises(TypeError):
        g.seal_into(nonce, pt, aad, bytes(len(pt) + 16))  # read-only


def test_misuse_errors(backend):
    for bad in (b"", bytes(15), bytes(33)):
        with pytest.raises(ValueError):
            backend(bad)
    g = backend(bytes(16))
    with pytest.raises(AuthenticationError):
        g.open(bytes(12), bytes(15))
    with pytest.raises(TypeError):
        g.seal(bytes(12), "text")  # type: ignore[arg-type]


def test_public_api_matches_oracle():
    key, nonce = bytes(range(32)), bytes(range(12))
    g = aead.AESGCM(bytearray(key))
    sealed = g.seal(nonce, b"record", b"ad")
    assert sealed == OracleGCM(key).encrypt(nonce, b"record", b"ad")
    assert g.open(memoryview(nonce), sealed, b"ad") == b"record"
    with pytest.raises(AuthenticationError):
        g.open(nonce, sealed, b"ae")
