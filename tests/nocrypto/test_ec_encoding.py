"""The edges of the public API: SEC 1 point parsing, private-key ranges, strict DER
signatures, pre-hashed signing and the buffer types callers may pass."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import hashes as chashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec as cec
from cryptography.hazmat.primitives.asymmetric.utils import (
    Prehashed,
    decode_dss_signature,
    encode_dss_signature,
)
from hypothesis import given
from hypothesis import strategies as st

from nocrypto import InvalidKeyError, ec, hashes
from nocrypto.nist import arith
from nocrypto.nist.ecdsa import decode_der, encode_der
from tests.nocrypto._nist_backends import BACKENDS, kernel

CURVES = [ec.P256, ec.P384, ec.P521]
CCURVES = {"secp256r1": cec.SECP256R1(), "secp384r1": cec.SECP384R1(), "secp521r1": cec.SECP521R1()}


def test_curve_lookup_by_every_common_name():
    assert ec.curve("secp256r1") is ec.P256
    assert ec.curve("P-256") is ec.P256
    assert ec.curve("prime256v1") is ec.P256
    assert ec.curve("secp384r1") is ec.P384
    assert ec.curve("P-521") is ec.P521
    assert [c.name for c in CURVES] == ["secp256r1", "secp384r1", "secp521r1"]
    with pytest.raises(ValueError, match="unknown curve"):
        ec.curve("secp256k1")


@pytest.mark.parametrize("curve", CURVES, ids=lambda c: c.name)
def test_private_scalar_must_be_in_range(curve):
    n = curve.params.n
    for bad in (0, n, n + 1, -1):
        with pytest.raises(InvalidKeyError):
            curve.private_key(bad)
    for wrong_type in (1.0, "1", True):
        with pytest.raises(TypeError):
            curve.private_key(wrong_type)
    assert curve.private_key(n - 1).d == n - 1
    with pytest.raises(InvalidKeyError):
        curve.private_key_from_bytes(b"\x01")


@pytest.mark.parametrize("curve", CURVES, ids=lambda c: c.name)
def test_sec1_points_round_trip_and_match_openssl(curve):
    other = cec.generate_private_key(CCURVES[curve.name]).public_key()
    raw = other.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    comp = other.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
    )
    pub = curve.public_key(raw)
    assert curve.public_key(comp) == pub
    assert pub.public_bytes() == raw
    assert pub.public_bytes(compressed=True) == comp
    assert (pub.x, pub.y) == (other.public_numbers().x, other.public_numbers().y)
    assert pub.curve.name == curve.name
    assert curve.public_key(bytearray(raw)) == curve.public_key(memoryview(raw)) == pub


def _malformed_points(curve: ec.Curve) -> dict[str, bytes]:
    c = curve.params
    w = c.field_bytes
    good = curve.private_key(7).public_bytes()
    x, y = good[1 : 1 + w], good[1 + w :]
    # An x for which x^3 - 3x + b is not a square: the x of no point.
    bad_x = next(
        v for v in range(1, 100) if pow((v**3 - 3 * v + c.b) % c.p, (c.p - 1) // 2, c.p) != 1
    )
    return {
        "empty": b"",
        "infinity": b"\x00",
        "hybrid": b"\x06" + x + y,
        "unknown tag": b"\x05" + x + y,
        "short": good[:-1],
        "long": good + b"\x00",
        "compressed too long": b"\x02" + x + b"\x00",
        "off the curve": b"\x04" + x + (int.from_bytes(y, "big") ^ 1).to_bytes(w, "big"),
        "x = p": b"\x04" + c.p.to_bytes(w, "big") + y,
        "y = p": b"\x04" + x + c.p.to_bytes(w, "big"),
        "compressed x off the curve": b"\x02" + bad_x.to_bytes(w, "big"),
        "compressed x = p": b"\x03" + c.p.to_bytes(w, "big"),
    }


@pytest.mark.parametrize("curve", CURVES, ids=lambda c: c.name)
@pytest.mark.parametrize("label", list(_malformed_points(ec.P256)))
def test_malformed_points_are_refused(curve, label):
    data = _malformed_points(curve)[label]
    with pytest.raises(InvalidKeyError):
        curve.public_key(data)
    with pytest.raises(InvalidKeyError):
        curve.private_key(5).exchange(data)


def test_public_key_objects_cannot_hold_an_off_curve_point():
    # Building the object directly must not bypass the check that SEC 1 parsing
    # does: ECDH with an off-curve point is the invalid-curve attack.
    good = ec.P256.private_key(11).public_key()
    with pytest.raises(InvalidKeyError):
        ec.PublicKey(ec.P256, good.x, good.y ^ 1)
    with pytest.raises(InvalidKeyError):
        ec.P256.public_key_from_ints(good.x, good.y + ec.P256.params.p)
    assert ec.P256.public_key_from_ints(good.x, good.y) == good


def test_exchange_refuses_a_key_of_another_curve():
    with pytest.raises(InvalidKeyError):
        ec.P256.private_key(3).exchange(ec.P384.private_key(3).public_key())
    with pytest.raises(InvalidKeyError):
        ec.P256.private_key(3).exchange(ec.P384.private_key(3).public_bytes())


def _der_variants(r: int, s: int) -> dict[str, bytes]:
    """BER and malformed encodings of (r, s) that strict DER must refuse."""

    def integer(v: int, pad: bytes = b"") -> bytes:
        body = pad + v.to_bytes(v.bit_length() // 8 + 1, "big")
        return b"\x02" + bytes([len(body)]) + body

    def negative(v: int) -> bytes:
        body = v.to_bytes((v.bit_length() + 7) // 8, "big")
        body = bytes([body[0] | 0x80]) + body[1:]  # sign bit set, no 0 pad
        return b"\x02" + bytes([len(body)]) + body

    ri, si = integer(r), integer(s)
    body = ri + si
    neg = negative(r) + si
    return {
        "long-form length": b"\x30\x81" + bytes([len(body)]) + body,
        "indefinite length": b"\x30\x80" + body + b"\x00\x00",
        "padded r": b"\x30" + bytes([len(body) + 1]) + integer(r, b"\x00") + si,
        "negative r": b"\x30" + bytes([len(neg)]) + neg,
        "trailing byte": b"\x30" + bytes([len(body)]) + body + b"\x00",
        "extra integer": b"\x30" + bytes([len(body) + 3]) + body + b"\x02\x01\x01",
        "wrong outer tag": b"\x31" + bytes([len(body)]) + body,
        "empty": b"",
        "r alone": b"\x30" + bytes([len(ri)]) + ri,
    }


@pytest.mark.parametrize("backend", BACKENDS)
def test_strict_der_and_range_checks(backend):
    key = ec.P256.with_arith(backend).private_key(0xC0FFEE)
    pub = key.public_key()
    msg = b"strict"
    sig = key.sign(msg, "sha256")
    assert pub.verify(sig, msg, "sha256")
    raw = key.sign_p1363(msg, "sha256")
    r, s = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    assert encode_dss_signature(r, s) == sig  # our DER is OpenSSL's DER
    for label, bad in _der_variants(r, s).items():
        assert not pub.verify(bad, msg, "sha256"), label
    n = ec.P256.params.n
    for rr, ss in ((0, s), (r, 0), (r + n, s), (r, s + n), (r, n - s)):
        if (rr, ss) == (r, n - s):
            # (r, -s) is the other valid signature of the same nonce; ECDSA accepts it.
            assert pub.verify(encode_dss_signature(rr, ss), msg, "sha256")
            continue
        assert not pub.verify(encode_dss_signature(rr, ss), msg, "sha256")
    assert not pub.verify_p1363(raw[:-1], msg, "sha256")
    assert not pub.verify_p1363(raw + b"\x00", msg, "sha256")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("curve", CURVES, ids=lambda c: c.name)
def test_prehashed_sign_and_verify_match_openssl(backend, curve):
    curve = curve.with_arith(backend)
    key = curve.private_key(0x1234567)
    digest = hashes.new("sha384", b"prehashed").digest()
    sig = key.sign_digest(digest, "sha384")
    theirs = cec.derive_private_key(0x1234567, CCURVES[curve.name])
    theirs.public_key().verify(sig, digest, cec.ECDSA(Prehashed(chashes.SHA384())))
    assert key.public_key().verify_digest(sig, digest)
    assert key.public_key().verify(sig, b"prehashed", "sha384")
    assert sig == key.sign(b"prehashed", "sha384")
    with pytest.raises(ValueError):
        key.sign_digest(digest[:-1], "sha384")
    other = theirs.sign(digest, cec.ECDSA(Prehashed(chashes.SHA384())))
    assert key.public_key().verify_digest(other, digest)


def test_buffers_and_bad_arguments():
    key = ec.P384.private_key(99)
    pub = key.public_key()
    msg = b"buffers"
    sig = key.sign(bytearray(msg), "sha384")
    assert sig == key.sign(memoryview(msg), "sha384")
    assert pub.verify(bytearray(sig), memoryview(msg), "sha384")
    with pytest.raises(TypeError):
        key.sign("text", "sha384")
    with pytest.raises(ValueError):
        key.sign(msg, "md5")
    with pytest.raises(ValueError):
        key.sign(msg, "shake128")
    assert pub.verify(sig, msg, "SHA384")  # hash names are case-insensitive


def test_generated_keys_are_fresh_and_work_with_openssl():
    a, b = ec.P256.generate(), ec.P256.generate()
    assert a.d != b.d
    theirs = cec.derive_private_key(b.d, cec.SECP256R1())
    peer = cec.EllipticCurvePublicKey.from_encoded_point(cec.SECP256R1(), a.public_bytes())
    assert a.exchange(b.public_bytes()) == theirs.exchange(cec.ECDH(), peer)


@pytest.mark.parametrize("backend", BACKENDS)
@given(junk=st.binary(max_size=150), flip=st.integers(min_value=0, max_value=8 * 70 - 1))
def test_verify_never_raises_on_garbage(backend, junk, flip):
    key = ec.P256.with_arith(backend).private_key(0xBADC0DE)
    pub = key.public_key()
    assert pub.verify(junk, b"m", "sha256") is False
    assert pub.verify_p1363(junk, b"m", "sha256") is False
    sig = bytearray(key.sign(b"m", "sha256"))
    sig[(flip // 8) % len(sig)] ^= 1 << (flip % 8)
    assert pub.verify(bytes(sig), b"m", "sha256") is False


@given(r=st.integers(min_value=1, max_value=2**530), s=st.integers(min_value=1, max_value=2**530))
def test_der_signature_encoding_matches_openssl(r, s):
    der = encode_der(r, s)
    assert der == encode_dss_signature(r, s)
    assert decode_der(der) == (r, s) == decode_dss_signature(der)


def _oracle_x(curve, u1: int, u2: int, q_xy: bytes) -> bytes | None:
    """x of u1*G + u2*Q by the pure-Python reference (affine formulas, every case)."""
    return arith.double_base_x(
        curve.name,
        u1.to_bytes(curve.params.field_bytes, "big"),
        u2.to_bytes(curve.params.field_bytes, "big"),
        q_xy,
    )


@pytest.mark.parametrize("curve", CURVES, ids=lambda c: c.name)
def test_verification_multiplier_edge_cases(curve):
    # The kernel's u1*G + u2*Q is variable-time and takes shortcuts for doubling,
    # infinity and P = -Q in the middle of a sum; drive it into each of them.
    k = kernel()
    if k is None:
        pytest.skip("nocrypto.nist._arith_cy is not built")
    n, w = curve.params.n, curve.params.field_bytes
    g = curve.private_key(1).public_key().public_bytes()[1:]
    cases = []
    for d in (1, 2, 3, 15, 16, 17, 31, 32, n - 1, n - 2, n - 16):
        q = curve.private_key(d).public_key().public_bytes()[1:]
        for u1, u2 in (
            (0, 1),
            (1, 0),
            (1, 1),
            (2, n - 2),
            (n - d, 1),  # the last sums to infinity
            (d, n - 1),
            (5, 7),
            (n - 1, n - 1),
            (2**100 + 1, 2**130 - 1),
        ):
            cases.append((u1 % n, u2 % n, q))
    cases.append((0, 0, g))
    for u1, u2, q in cases:
        ours = k.double_base_x(curve.name, u1.to_bytes(w, "big"), u2.to_bytes(w, "big"), q)
        assert ours == _oracle_x(curve, u1, u2, q), (u1, u2)


@pytest.mark.parametrize("curve", CURVES, ids=lambda c: c.name)
def test_kernel_point_table_matches_the_plain_multiplier(curve):
    # A public key that verifies often gets a comb table; u1*G + u2*Q from it must equal
    # the plain variable-time multiplier's, edge cases included.
    k = kernel()
    if k is None:
        pytest.skip("nocrypto.nist._arith_cy is not built")
    n, w = curve.params.n, curve.params.field_bytes
    for d in (1, 2, 17, n - 1, 0x1234567890ABCDEF):
        q = curve.private_key(d).public_key().public_bytes()[1:]
        table = k.point_table(curve.name, q)
        for u1, u2 in ((0, 1), (1, 0), (1, 1), (n - d, 1), (d, n - 1), (7, 2**200 + 3)):
            a, b = (u1 % n).to_bytes(w, "big"), (u2 % n).to_bytes(w, "big")
            plain = k.double_base_x(curve.name, a, b, q)
            assert k.double_base_x_table(curve.name, a, b, table) == plain, (d, u1, u2)
    with pytest.raises(ValueError):
        k.double_base_x_table(curve.name, bytes(w), bytes(w), b"short")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("curve", CURVES, ids=lambda c: c.name)
def test_a_key_that_verifies_often_keeps_its_verdicts(backend, curve):
    # Past ec.TABLE_AFTER verifications the key switches to its table: every good
    # signature still verifies, every altered one still fails, with cryptography's
    # signatures as the reference.
    c = curve.with_arith(backend)
    theirs = cec.generate_private_key(CCURVES[curve.name])
    ours = c.public_key(
        theirs.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )
    for i in range(ec.TABLE_AFTER + 4):
        msg = b"message %d" % i
        sig = theirs.sign(msg, cec.ECDSA(chashes.SHA256()))
        assert ours.verify(sig, msg, "sha256")
        assert not ours.verify(sig, msg + b"!", "sha256")
    assert ours._table is not None
