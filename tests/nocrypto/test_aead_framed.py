"""``seal_framed``: prefix || AEAD(plaintext || suffix, aad=prefix), the TLS 1.3 record
layout, built in one object.  Checked against `cryptography` for every AEAD and every
kernel level (portable, 128-bit hardware, wide hardware)."""

from __future__ import annotations

import random

import pytest
from cryptography.hazmat.primitives.ciphers import aead as oracle
from hypothesis import given
from hypothesis import strategies as st

from nocrypto import aead
from tests.nocrypto._symmetric import load_kernel

KINDS = {
    "aes-128-gcm": (aead.AESGCM, oracle.AESGCM, 16, 12),
    "aes-256-gcm": (aead.AESGCM, oracle.AESGCM, 32, 12),
    "chacha20-poly1305": (aead.ChaCha20Poly1305, oracle.ChaCha20Poly1305, 32, 12),
    "aes-128-ccm": (aead.AESCCM, oracle.AESCCM, 16, 12),
}

framings = st.tuples(
    st.sampled_from(sorted(KINDS)),
    st.integers(0, 70_000),  # plaintext length
    st.integers(0, 13),  # prefix length
    st.integers(0, 3),  # suffix length
    st.sampled_from([bytes, bytearray, memoryview]),
    st.integers(0, 2**32),
)


@given(f=framings)
def test_seal_framed_matches_the_oracle(f):
    kind, n, prefix_length, suffix_length, wrap, seed = f
    ours, theirs, key_length, nonce_length = KINDS[kind]
    rnd = random.Random(seed)
    key, nonce = rnd.randbytes(key_length), rnd.randbytes(nonce_length)
    prefix, plaintext, suffix = (
        rnd.randbytes(prefix_length),
        rnd.randbytes(n),
        rnd.randbytes(suffix_length),
    )
    framed = ours(key).seal_framed(nonce, prefix, wrap(plaintext), suffix)
    assert framed == prefix + theirs(key).encrypt(nonce, plaintext + suffix, prefix)
    assert ours(key).open(nonce, framed[prefix_length:], prefix) == plaintext + suffix


@pytest.mark.parametrize(
    "module, cls", [("_gcm_cy", "GCM"), ("_chacha20poly1305_cy", "ChaCha20Poly1305")]
)
@pytest.mark.parametrize("level", ["portable", "hw128", "wide"])
def test_kernel_seal_framed_on_every_level(module, cls, level):
    # The kernels encrypt in place inside the new object; every length around the block
    # and pipeline boundaries, on each code path the CPU offers.
    kernel = load_kernel(module)
    theirs = oracle.AESGCM if cls == "GCM" else oracle.ChaCha20Poly1305
    key = bytes(range(32)) if cls != "GCM" else bytes(range(16))
    k = getattr(kernel, cls)(key, portable=level == "portable", wide=level == "wide")
    rnd = random.Random(level)
    for n in [*range(0, 300), 1023, 1024, 4095, 16383, 16384, 16385, 70_000]:
        nonce, plaintext = rnd.randbytes(12), rnd.randbytes(n)
        framed = k.seal_framed(nonce, b"\x17\x03\x03\x40\x11", plaintext, b"\x17")
        expected = theirs(key).encrypt(nonce, plaintext + b"\x17", b"\x17\x03\x03\x40\x11")
        assert framed == b"\x17\x03\x03\x40\x11" + expected, n


def test_seal_framed_rejects_bad_input():
    g = aead.AESGCM(bytes(16))
    with pytest.raises(ValueError):
        g.seal_framed(b"", b"hd", b"data")
    with pytest.raises(TypeError):
        g.seal_framed(bytes(12), b"hd", "text")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        aead.ChaCha20Poly1305(bytes(32)).seal_framed(bytes(8), b"hd", b"data")
