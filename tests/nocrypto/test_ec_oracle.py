"""P-256/384/521 against `cryptography` (OpenSSL) on random keys and messages, on
both backends: same public keys, same ECDH secrets, signatures verify both ways."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import hashes as chashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec as cec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from hypothesis import given
from hypothesis import strategies as st

from nocrypto import ec
from tests.nocrypto._nist_backends import BACKENDS

CURVES = [
    (ec.P256, cec.SECP256R1(), "sha256", chashes.SHA256()),
    (ec.P384, cec.SECP384R1(), "sha384", chashes.SHA384()),
    (ec.P521, cec.SECP521R1(), "sha512", chashes.SHA512()),
]
CURVE_IDS = ["P256", "P384", "P521"]


def _uncompressed(pub: cec.EllipticCurvePublicKey) -> bytes:
    return pub.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def _compressed(pub: cec.EllipticCurvePublicKey) -> bytes:
    return pub.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)


scalars = st.integers(min_value=1)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("curve", "ccurve", "h", "ch"), CURVES, ids=CURVE_IDS)
@given(
    seed=st.integers(min_value=1, max_value=2**600),
    edge=st.sampled_from(["rand", "1", "n-1", "small"]),
)
def test_public_key_matches_openssl(backend, curve, ccurve, h, ch, seed, edge):
    curve = curve.with_arith(backend)
    n = curve.params.n
    d = {"rand": seed % (n - 1) + 1, "1": 1, "n-1": n - 1, "small": seed % 1000 + 1}[edge]
    ours = curve.private_key(d)
    theirs = cec.derive_private_key(d, ccurve)
    assert ours.public_bytes() == _uncompressed(theirs.public_key())
    assert ours.public_bytes(compressed=True) == _compressed(theirs.public_key())
    nums = theirs.public_key().public_numbers()
    assert (ours.public_key().x, ours.public_key().y) == (nums.x, nums.y)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("curve", "ccurve", "h", "ch"), CURVES, ids=CURVE_IDS)
@given(
    seed=st.integers(min_value=1, max_value=2**600),
    compressed=st.booleans(),
    edge=st.sampled_from(["rand", "1", "2", "n-1", "n-2", "small", "top"]),
)
def test_ecdh_matches_openssl(backend, curve, ccurve, h, ch, seed, compressed, edge):
    curve = curve.with_arith(backend)
    n = curve.params.n
    # Edge scalars: leading zero windows, a single window, all-ones windows near n.
    d = {
        "rand": seed % (n - 1) + 1,
        "1": 1,
        "2": 2,
        "n-1": n - 1,
        "n-2": n - 2,
        "small": seed % 2**20 + 1,
        "top": (1 << (n.bit_length() - 1)) + seed % 2**32,
    }[edge]
    ours = curve.private_key(d)
    peer = cec.generate_private_key(ccurve)
    peer_bytes = _compressed(peer.public_key()) if compressed else _uncompressed(peer.public_key())
    expected = peer.exchange(cec.ECDH(), cec.derive_private_key(d, ccurve).public_key())
    assert ours.exchange(peer_bytes) == expected
    assert len(expected) == curve.field_bytes


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("curve", "ccurve", "h", "ch"), CURVES, ids=CURVE_IDS)
@given(seed=st.integers(min_value=1, max_value=2**600), message=st.binary(max_size=200))
def test_our_signatures_verify_in_openssl(backend, curve, ccurve, h, ch, seed, message):
    curve = curve.with_arith(backend)
    d = seed % (curve.params.n - 1) + 1
    key = curve.private_key(d)
    theirs = cec.derive_private_key(d, ccurve).public_key()
    theirs.verify(key.sign(message, h), message, cec.ECDSA(ch))  # raises if invalid
    raw = key.sign_p1363(message, h, extra_entropy=True)
    w = curve.field_bytes
    r, s = int.from_bytes(raw[:w], "big"), int.from_bytes(raw[w:], "big")
    theirs.verify(encode_dss_signature(r, s), message, cec.ECDSA(ch))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("curve", "ccurve", "h", "ch"), CURVES, ids=CURVE_IDS)
@given(message=st.binary(max_size=200), tamper=st.integers(min_value=0, max_value=7))
def test_openssl_signatures_verify_here(backend, curve, ccurve, h, ch, message, tamper):
    curve = curve.with_arith(backend)
    theirs = cec.generate_private_key(ccurve)
    sig = theirs.sign(message, cec.ECDSA(ch))
    pub = curve.public_key(_uncompressed(theirs.public_key()))
    assert pub.verify(sig, message, h)
    r, s = decode_dss_signature(sig)
    w = curve.field_bytes
    raw = r.to_bytes(w, "big") + s.to_bytes(w, "big")
    assert pub.verify_p1363(raw, message, h)
    # Any change to the message or to r or s must be refused.
    assert not pub.verify(sig, message + b"\x00", h)
    bad = bytearray(raw)
    bad[tamper * (2 * w // 8)] ^= 0x01
    assert not pub.verify_p1363(bytes(bad), message, h)


def _window_boundary_scalars(n: int) -> list[int]:
    """Scalars whose signed 5-bit recoding puts the partial sum of k*G next to the
    window being added (+-d 32^i, n -+ d 32^i, halfway): where a fixed-base
    multiplication with incomplete addition formulas would meet a doubling or an
    opposite point."""
    windows = (n.bit_length() + 5) // 5
    out = set()
    for i in range(windows + 1):
        for d in (1, 16, 17):
            step = d * 32**i
            for base in (step, n - step, (n + step) // 2, (n - step) // 2):
                out.update(k for k in (base - 1, base, base + 1) if 1 <= k < n)
    return sorted(out)


@pytest.mark.parametrize("backend", BACKENDS[1:])
@pytest.mark.parametrize(("curve", "ccurve", "h", "ch"), CURVES, ids=CURVE_IDS)
def test_base_mult_at_window_boundaries(backend, curve, ccurve, h, ch):
    n, width = curve.params.n, curve.params.field_bytes
    for k in _window_boundary_scalars(n):
        want = _uncompressed(cec.derive_private_key(k, ccurve).public_key())[1:]
        assert backend.base_mult(curve.params.name, k.to_bytes(width, "big")) == want, hex(k)


def _ecdh_edge_scalars(n: int) -> list[int]:
    """Scalars where the variable-base k*P with incomplete Jacobian additions meets its
    exceptional cases or comes near them: small k (accumulator at infinity), k = 2d and
    n + 2d for every digit d (the last window's doubling case: P-521's n - 18), n - 1,
    and the window boundaries."""
    out = set(range(1, 40)) | {n - j for j in range(1, 40)}
    out.update(k for d in range(-16, 17) for k in (2 * d, n + 2 * d) if 1 <= k < n)
    out.update(k for k in _window_boundary_scalars(n)[::7])
    return sorted(out)


@pytest.mark.parametrize("backend", BACKENDS[1:])
@pytest.mark.parametrize(("curve", "ccurve", "h", "ch"), CURVES, ids=CURVE_IDS)
def test_ecdh_at_edge_scalars(backend, curve, ccurve, h, ch):
    n = curve.params.n
    peer = cec.derive_private_key(0x1234567, ccurve).public_key()
    ours = curve.with_arith(backend)
    for k in _ecdh_edge_scalars(n):
        want = cec.derive_private_key(k, ccurve).exchange(cec.ECDH(), peer)
        assert ours.private_key(k).exchange(_uncompressed(peer)) == want, hex(k)
