"""ChaCha20, Poly1305 and the RFC 8439 AEAD (and XChaCha20) on every backend."""

from __future__ import annotations

import random
import re

import pytest
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305 as OracleAEAD
from cryptography.hazmat.primitives.poly1305 import Poly1305 as OraclePoly1305
from hypothesis import given
from hypothesis import strategies as st

import nocrypto
from nocrypto import AuthenticationError, aead
from nocrypto.symmetric import chacha20poly1305 as py
from tests.nocrypto._symmetric import (
    backend_params,
    flip_bit,
    load_kernel,
    nist_records,
    wycheproof,
)


class _Backend:
    """One backend; ``opts`` are the kernel's path switches (none for pure Python)."""

    def __init__(self, module, opts):
        self.module = module
        self.opts = opts

    def aead(self, key):
        a = self.module.ChaCha20Poly1305(key, **self.opts)
        if self.opts:
            wide_cpu = "avx512f" in nocrypto.cpu_features
            expect = 0 if self.opts["portable"] else (2 if self.opts["wide"] and wide_cpu else 1)
            assert a.hw_level == expect
        return a

    def chacha20_xor(self, key, counter, nonce, data):
        return self.module.chacha20_xor(key, counter, nonce, data, **self.opts)

    def poly1305(self, key, msg):
        return self.module.poly1305_mac(key, msg, **self.opts)

    def hchacha20(self, key, n16):
        return self.module.hchacha20(key, n16)


@pytest.fixture(params=backend_params(("avx2",), wide=True), scope="module")
def backend(request):
    if request.param == "python":
        return _Backend(py, {})
    opts = {"portable": request.param == "portable", "wide": request.param != "hw128"}
    return _Backend(load_kernel("_chacha20poly1305_cy"), opts)


def test_rfc7539_chacha20_vectors(backend):
    for r in nist_records("ciphers/ChaCha20/rfc7539.txt"):
        out = backend.chacha20_xor(
            bytes.fromhex(r["KEY"]),
            int(r["INITIAL_BLOCK_COUNTER"]),
            bytes.fromhex(r["NONCE"]),
            bytes.fromhex(r["PLAINTEXT"]),
        )
        assert out == bytes.fromhex(r["CIPHERTEXT"])


def _rfc8439_hex(text: str, start: str, label: str) -> bytes:
    """The hex dump that follows ``label`` after ``start`` in RFC 8439's text."""
    i = text.index(start)
    j = text.index(label, i) + len(label)
    lines = []
    for line in text[j:].splitlines()[1:]:
        m = re.match(r"^\s+[0-9a-f]{3}\s+((?:[0-9a-f]{2}\s){1,16})", line + " ")
        if not m:
            if lines:
                break
            continue
        lines.append(m.group(1))
    return bytes.fromhex("".join(lines))


def test_rfc8439_aead_example(backend, reference_dir):
    # Section 2.8.2: the "Ladies and Gentlemen" sunscreen example.
    text = (reference_dir / "rfc8439.txt").read_text()
    key = bytes(range(0x80, 0xA0))
    nonce = bytes.fromhex("070000004041424344454647")
    aad = bytes.fromhex("50515253c0c1c2c3c4c5c6c7")
    pt = _rfc8439_hex(text, "2.8.2.  Example and Test Vector for AEAD", "Plaintext Sunscreen:")
    ct = _rfc8439_hex(text, "2.8.2.  Example and Test Vector for AEAD", "Ciphertext:")
    assert pt.startswith(b"Ladies and Gentlemen") and len(ct) == len(pt) == 114
    tag = bytes.fromhex("1ae10b594f09e26a7e902ecbd0600691")
    assert backend.aead(key).seal(nonce, pt, aad) == ct + tag


def _value(v: str) -> bytes:
    return v[1:-1].encode() if v.startswith('"') else bytes.fromhex(v)


def test_boringssl_aead_vectors(backend):
    n = 0
    for r in nist_records("ciphers/ChaCha20Poly1305/boringssl.txt"):
        key, iv = bytes.fromhex(r["KEY"]), bytes.fromhex(r["NONCE"])
        aad, pt = _value(r["AD"]), _value(r["IN"])
        n += 1
        sealed = _value(r["CT"]) + _value(r["TAG"])
        a = backend.aead(key)
        assert a.seal(iv, pt, aad) == sealed
        assert a.open(iv, sealed, aad) == pt
    assert n > 60


def test_wycheproof(backend, wycheproof_dir):
    for _, t in wycheproof(wycheproof_dir / "chacha20_poly1305_test.json"):
        key, iv = bytes.fromhex(t["key"]), bytes.fromhex(t["iv"])
        msg, aad = bytes.fromhex(t["msg"]), bytes.fromhex(t["aad"])
        sealed = bytes.fromhex(t["ct"] + t["tag"])
        if len(iv) != 12:
            with pytest.raises(ValueError):
                backend.aead(key).open(iv, sealed, aad)
            assert t["result"] == "invalid"
            continue
        a = backend.aead(key)
        if t["result"] == "valid":
            assert a.seal(iv, msg, aad) == sealed, t["tcId"]
            assert a.open(iv, sealed, aad) == msg
        else:
            with pytest.raises(AuthenticationError):
                a.open(iv, sealed, aad)


def test_wycheproof_xchacha(backend, wycheproof_dir):
    for _, t in wycheproof(wycheproof_dir / "xchacha20_poly1305_test.json"):
        key, iv = bytes.fromhex(t["key"]), bytes.fromhex(t["iv"])
        msg, aad = bytes.fromhex(t["msg"]), bytes.fromhex(t["aad"])
        sealed = bytes.fromhex(t["ct"] + t["tag"])
        if len(iv) != 24:
            assert t["result"] == "invalid"
            continue
        # XChaCha = ChaCha20-Poly1305 under the HChaCha20 subkey.
        a = backend.aead(backend.hchacha20(key, iv[:16]))
        n = bytes(4) + iv[16:]
        if t["result"] == "valid":
            assert a.seal(n, msg, aad) == sealed, t["tcId"]
        else:
            with pytest.raises(AuthenticationError):
                a.open(n, sealed, aad)


def test_public_xchacha(wycheproof_dir):
    for _, t in wycheproof(wycheproof_dir / "xchacha20_poly1305_test.json"):
        if t["result"] != "valid":
            continue
        a = aead.XChaCha20Poly1305(bytes.fromhex(t["key"]))
        iv, aad, msg = bytes.fromhex(t["iv"]), bytes.fromhex(t["aad"]), bytes.fromhex(t["msg"])
        assert a.seal(iv, msg, aad) == bytes.fromhex(t["ct"] + t["tag"])


messages = st.tuples(
    st.integers(0, 300),
    st.one_of(st.integers(0, 300), st.integers(0, 70000)),
    st.integers(0, 2**32),
)


def _materials(m):
    alen, plen, seed = m
    rnd = random.Random(seed)
    return rnd.randbytes(32), rnd.randbytes(12), rnd.randbytes(alen), rnd.randbytes(plen)


@given(m=messages)
def test_matches_cryptography(backend, m):
    key, nonce, aad, pt = _materials(m)
    a = backend.aead(key)
    sealed = a.seal(nonce, pt, aad)
    assert sealed == OracleAEAD(key).encrypt(nonce, pt, aad)
    assert a.open(nonce, sealed, aad) == pt


@given(
    key=st.binary(min_size=32, max_size=32),
    msg=st.one_of(st.binary(max_size=100), st.binary(min_size=250, max_size=2000)),
)
def test_poly1305_matches_cryptography(backend, key, msg):
    assert backend.poly1305(key, msg) == OraclePoly1305.generate_tag(key, msg)


def test_poly1305_limb_edge_cases(backend):
    # Accumulators near 2^130 - 5 exercise the final carry and reduction.
    # Long all-ones inputs keep every limb of the vector path at its maximum.
    key = b"\xff" * 32
    for msg in (b"\xff" * 16, b"\xff" * 64, b"\xfb" + b"\xff" * 15, b"\x00" * 15 + b"\x01", b""):
        for reps in (1, 17, 300):
            assert backend.poly1305(key, msg * reps) == OraclePoly1305.generate_tag(key, msg * reps)


@given(m=messages, where=st.sampled_from(["ciphertext", "nonce", "aad"]), bit=st.integers(0, 10**9))
def test_any_flipped_bit_is_rejected(backend, m, where, bit):
    key, nonce, aad, pt = _materials(m)
    a = backend.aead(key)
    sealed = a.seal(nonce, pt, aad)
    if where == "ciphertext":
        sealed = flip_bit(sealed, bit % (8 * len(sealed)))
    elif where == "nonce":
        nonce = flip_bit(nonce, bit % 96)
    else:
        aad = flip_bit(aad + b"\x00", bit % (8 * len(aad) + 8))
    with pytest.raises(AuthenticationError):
        a.open(nonce, sealed, aad)


def test_into_buffers_and_misuse(backend):
    key, nonce, pt = bytes(range(32)), bytes(12), bytes(range(256)) * 5
    a = backend.aead(key)
    out = bytearray(len(pt) + 16)
    assert a.seal_into(nonce, memoryview(pt), b"ad", out) == len(pt) + 16
    assert out == OracleAEAD(key).encrypt(nonce, pt, b"ad")
    back = bytearray(b"\x55" * len(pt))
    with pytest.raises(AuthenticationError):
        a.open_into(nonce, flip_bit(bytes(out), 7), b"ad", back)
    assert back == b"\x55" * len(pt)
    assert a.open_into(nonce, out, b"ad", back) == len(pt) and back == pt
    with pytest.raises(ValueError):
        backend.aead(bytes(16))
    with pytest.raises(ValueError):
        a.seal(bytes(8), b"")
    with pytest.raises(AuthenticationError):
        a.open(nonce, bytes(15))


def test_public_api():
    a = aead.ChaCha20Poly1305(memoryview(bytes(32)))
    assert a.seal(bytes(12), b"x") == OracleAEAD(bytes(32)).encrypt(bytes(12), b"x", None)


@pytest.mark.parametrize(
    "length", [1, 63, 64, 65, 129, 511, 512, 513, 1023, 1024, 1025, 1600, 4097]
)
def test_chacha20_every_chunk_boundary(backend, length):
    # The SIMD paths switch between 16-, 8- and 1-block code at these lengths.
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

    key, nonce, counter = bytes(range(1, 33)), bytes(range(12)), 7
    data = bytes(i * 7 & 0xFF for i in range(length))
    ref = Cipher(algorithms.ChaCha20(key, counter.to_bytes(4, "little") + nonce), None)
    assert backend.chacha20_xor(key, counter, nonce, data) == ref.encryptor().update(data)
