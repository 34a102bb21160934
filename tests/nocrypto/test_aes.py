"""The AES block function, CBC (no padding) and CTR on every backend."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import given
from hypothesis import strategies as st

import nocrypto
from nocrypto import cipher
from nocrypto.symmetric import aes as aes_py
from tests.nocrypto._symmetric import (
    WIDE_FEATURES,
    backend_params,
    load_kernel,
    nist_records,
    wycheproof,
)


@pytest.fixture(params=backend_params(("aesni",), wide=True), scope="module")
def backend(request):
    """A function key -> AES object for one backend."""
    if request.param == "python":
        return aes_py.AES
    k = load_kernel("_aes_cy")
    portable = request.param == "portable"
    wide = request.param != "hw128"
    wide_cpu = all(f in nocrypto.cpu_features for f in WIDE_FEATURES)

    def make(key):
        a = k.AES(key, portable=portable, wide=wide)
        assert a.hardware is (not portable)
        assert a.hw_level == (0 if portable else 2 if wide and wide_cpu else 1)
        return a

    return make


KATS = [
    f"{mode}/{mode}{kind}{size}.rsp"
    for mode in ("ECB", "CBC")
    for kind in ("GFSbox", "KeySbox", "VarKey", "VarTxt", "MMT")
    for size in (128, 192, 256)
]


@pytest.mark.parametrize("name", KATS)
def test_nist_known_answers(backend, name):
    n = 0
    for r in nist_records(f"ciphers/AES/{name}"):
        a = backend(bytes.fromhex(r["KEY"]))
        pt, ct = bytes.fromhex(r["PLAINTEXT"]), bytes.fromhex(r["CIPHERTEXT"])
        if name.startswith("ECB"):
            for i in range(0, len(pt), 16):
                assert a.encrypt_block(pt[i : i + 16]) == ct[i : i + 16]
                assert a.decrypt_block(ct[i : i + 16]) == pt[i : i + 16]
        else:
            iv = bytes.fromhex(r["IV"])
            assert a.cbc_encrypt(iv, pt) == ct
            assert a.cbc_decrypt(iv, ct) == pt
        n += 1
    assert n >= 10


def test_wycheproof_cbc_pkcs5(backend, wycheproof_dir):
    for _, t in wycheproof(wycheproof_dir / "aes_cbc_pkcs5_test.json"):
        key, iv = bytes.fromhex(t["key"]), bytes.fromhex(t["iv"])
        msg, ct = bytes.fromhex(t["msg"]), bytes.fromhex(t["ct"])
        a = backend(key)
        if t["result"] == "valid":
            pad = 16 - len(msg) % 16
            assert a.cbc_encrypt(iv, msg + bytes([pad]) * pad) == ct, t["tcId"]
            assert a.cbc_decrypt(iv, ct) == msg + bytes([pad]) * pad
            continue
        # Invalid cases are bad paddings or bad lengths: raw CBC must refuse the
        # lengths, and the padding check (the caller's job) must fail on the rest.
        if len(ct) % 16:
            with pytest.raises(ValueError):
                a.cbc_decrypt(iv, ct)
            continue
        padded = a.cbc_decrypt(iv, ct)
        pad = padded[-1] if padded else 0
        assert not (1 <= pad <= 16 and padded.endswith(bytes([pad]) * pad)), t["tcId"]


@given(
    key=st.sampled_from([16, 24, 32]).flatmap(lambda n: st.binary(min_size=n, max_size=n)),
    iv=st.binary(min_size=16, max_size=16),
    blocks=st.one_of(st.integers(0, 20), st.integers(0, 4400)),
    seed=st.binary(min_size=16, max_size=16),
)
def test_matches_cryptography(backend, key, iv, blocks, seed):
    data = (seed * blocks)[: 16 * blocks]
    data = bytes(b ^ (i & 0xFF) for i, b in enumerate(data)) if blocks < 64 else data
    a = backend(key)
    ref = Cipher(algorithms.AES(key), modes.CBC(iv))
    ct = ref.encryptor().update(data)
    assert a.cbc_encrypt(iv, data) == ct
    assert a.cbc_decrypt(iv, ct) == data
    assert a.cbc_decrypt(iv, data) == ref.decryptor().update(data)
    ctr_iv = iv[:12] + b"\x00\x00\x00\x05"  # no 32-bit wrap, so equal to 128-bit CTR
    assert a.ctr32(ctr_iv, data[:-3]) == Cipher(
        algorithms.AES(key), modes.CTR(ctr_iv)
    ).encryptor().update(data[:-3])
    if data:
        ecb = Cipher(algorithms.AES(key), modes.ECB()).encryptor().update(data[:16])
        assert a.encrypt_block(data[:16]) == ecb
        assert a.decrypt_block(ecb) == data[:16]


def test_ctr32_wraps_only_the_low_word(backend):
    # inc32 of SP 800-38D: the counter wraps within the last four bytes.
    a = backend(bytes(16))
    cb = bytes(range(12)) + b"\xff\xff\xff\xff"
    ks = a.ctr32(cb, bytes(32))
    assert ks[:16] == a.encrypt_block(cb)
    assert ks[16:] == a.encrypt_block(bytes(range(12)) + bytes(4))


def test_cbc_mac_is_last_cbc_block(backend):
    a = backend(bytes(range(16)))
    data = bytes(range(96))
    assert a.cbc_mac(data) == a.cbc_encrypt(bytes(16), data)[-16:]


def test_misuse(backend):
    with pytest.raises(ValueError):
        backend(bytes(17))
    a = backend(bytes(16))
    with pytest.raises(ValueError):
        a.encrypt_block(bytes(15))
    with pytest.raises(ValueError):
        a.cbc_encrypt(bytes(16), bytes(17))
    with pytest.raises(ValueError):
        a.cbc_decrypt(bytes(8), bytes(16))


def test_public_api():
    key, iv, data = bytearray(range(16)), memoryview(bytes(16)), bytes(range(64))
    ct = cipher.aes_cbc_encrypt(key, iv, data)
    assert ct == Cipher(algorithms.AES(bytes(key)), modes.CBC(bytes(16))).encryptor().update(data)
    assert cipher.aes_cbc_decrypt(key, iv, ct) == data
    with pytest.raises(ValueError):
        cipher.aes_cbc_encrypt(key, iv, data[:-1])
    a = cipher.AES(bytes(32))
    assert a.decrypt_block(a.encrypt_block(bytes(16))) == bytes(16)
