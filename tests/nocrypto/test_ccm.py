"""AES-CCM on every AES backend against Wycheproof, NIST CAVP and `cryptography`."""

from __future__ import annotations

import random

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESCCM as OracleCCM
from hypothesis import given
from hypothesis import strategies as st

import nocrypto
from nocrypto import AuthenticationError, aead
from nocrypto.symmetric import aes as aes_py
from nocrypto.symmetric.ccm import CCM
from tests.nocrypto._symmetric import (
    backend_params,
    flip_bit,
    load_kernel,
    nist_records,
    wycheproof,
)


@pytest.fixture(params=backend_params(("aesni",), wide=True), scope="module")
def backend(request):
    """A function (key, tag_length) -> CCM object for one backend."""
    if request.param == "python":
        return lambda key, t=16: CCM(aes_py.AES(key), t)
    k = load_kernel("_ccm_cy")
    portable = request.param == "portable"
    wide = request.param != "hw128"
    wide_cpu = all(f in nocrypto.cpu_features for f in ("vaes", "avx512f", "avx512bw"))

    def make(key, t=16):
        c = k.CCM(key, t, portable=portable, wide=wide)
        assert c.hw_level == (0 if portable else 2 if wide and wide_cpu else 1)
        return c

    return make


def test_wycheproof(backend, wycheproof_dir):
    for group, t in wycheproof(wycheproof_dir / "aes_ccm_test.json"):
        key, iv = bytes.fromhex(t["key"]), bytes.fromhex(t["iv"])
        msg, aad = bytes.fromhex(t["msg"]), bytes.fromhex(t["aad"])
        sealed = bytes.fromhex(t["ct"] + t["tag"])
        tag_len = group["tagSize"] // 8
        if not 7 <= len(iv) <= 13 or tag_len not in (4, 6, 8, 10, 12, 14, 16):
            assert t["result"] == "invalid"
            with pytest.raises(ValueError):
                backend(key, tag_len).open(iv, sealed, aad)
            continue
        c = backend(key, tag_len)
        if t["result"] == "valid":
            assert c.seal(iv, msg, aad) == sealed, t["tcId"]
            assert c.open(iv, sealed, aad) == msg
        else:
            with pytest.raises(AuthenticationError):
                c.open(iv, sealed, aad)


@pytest.mark.parametrize("kind", ["VADT", "VNT", "VPT", "VTT"])
@pytest.mark.parametrize("size", [128, 192, 256])
def test_nist(backend, kind, size):
    for r in nist_records(f"ciphers/AES/CCM/{kind}{size}.rsp"):
        key, nonce = bytes.fromhex(r["Key"]), bytes.fromhex(r["Nonce"])
        aad = bytes.fromhex(r["Adata"])[: int(r["Alen"])]
        pt = bytes.fromhex(r["Payload"])[: int(r["Plen"])]
        c = backend(key, int(r["Tlen"]))
        assert c.seal(nonce, pt, aad) == bytes.fromhex(r["CT"])
        assert c.open(nonce, bytes.fromhex(r["CT"]), aad) == pt


@pytest.mark.parametrize("size", [128, 192, 256])
def test_nist_decrypt_verification(backend, size):
    n = 0
    for r in nist_records(f"ciphers/AES/CCM/DVPT{size}.rsp"):
        key, nonce = bytes.fromhex(r["Key"]), bytes.fromhex(r["Nonce"])
        aad = bytes.fromhex(r["Adata"])[: int(r["Alen"])]
        c = backend(key, int(r["Tlen"]))
        if r["Result"].startswith("Fail"):
            with pytest.raises(AuthenticationError):
                c.open(nonce, bytes.fromhex(r["CT"]), aad)
        else:
            pt = bytes.fromhex(r["Payload"])[: int(r["Plen"])]
            assert c.open(nonce, bytes.fromhex(r["CT"]), aad) == pt
        n += 1
        if n > 120:  # the file repeats one pattern at every length; a sample is enough
            break


messages = st.tuples(
    st.sampled_from([16, 24, 32]),
    st.integers(7, 13),
    st.sampled_from([4, 6, 8, 10, 12, 14, 16]),
    st.integers(0, 300),
    st.one_of(st.integers(0, 300), st.integers(0, 65000)),
    st.integers(0, 2**32),
)


def _materials(m):
    ksize, nlen, tlen, alen, plen, seed = m
    rnd = random.Random(seed)
    if nlen == 13:
        plen %= 1 << 16  # a 13-byte nonce leaves a 2-byte length field
    return rnd.randbytes(ksize), rnd.randbytes(nlen), tlen, rnd.randbytes(alen), rnd.randbytes(plen)


@given(m=messages)
def test_matches_cryptography(backend, m):
    key, nonce, tlen, aad, pt = _materials(m)
    c = backend(key, tlen)
    sealed = c.seal(nonce, pt, aad)
    assert sealed == OracleCCM(key, tlen).encrypt(nonce, pt, aad)
    assert c.open(nonce, sealed, aad) == pt


@given(m=messages, where=st.sampled_from(["ciphertext", "nonce", "aad"]), bit=st.integers(0, 10**9))
def test_any_flipped_bit_is_rejected(backend, m, where, bit):
    key, nonce, tlen, aad, pt = _materials(m)
    c = backend(key, tlen)
    sealed = c.seal(nonce, pt, aad)
    if where == "ciphertext":
        sealed = flip_bit(sealed, bit % (8 * len(sealed)))
    elif where == "nonce":
        nonce = flip_bit(nonce, bit % (8 * len(nonce)))
    else:
        aad = flip_bit(aad + b"\x00", bit % (8 * len(aad) + 8))
    with pytest.raises(AuthenticationError):
        c.open(nonce, sealed, aad)


def test_misuse_and_public_api():
    with pytest.raises(ValueError):
        aead.AESCCM(bytes(20))
    with pytest.raises(ValueError):
        aead.AESCCM(bytes(16), tag_length=5)
    c = aead.AESCCM(bytes(16), tag_length=8)
    with pytest.raises(ValueError):
        c.seal(bytes(6), b"x")
    with pytest.raises(ValueError):
        c.seal(bytes(13), bytes(1 << 16))  # longer than a 2-byte length field
    sealed = c.seal(bytes(12), b"record", b"ad")
    assert sealed == OracleCCM(bytes(16), 8).encrypt(bytes(12), b"record", b"ad")
    out = bytearray(len(sealed))
    with pytest.raises(AuthenticationError):
        c.open_into(bytes(12), flip_bit(sealed, 0), b"ad", out)
    assert out == bytes(len(sealed))
    assert c.open_into(bytes(12), sealed, b"ad", out) == 6 and out[:6] == b"record"
