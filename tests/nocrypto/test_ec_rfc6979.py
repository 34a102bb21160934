"""RFC 6979 deterministic ECDSA (appendix A.2.5-A.2.7: P-256, P-384, P-521 with
SHA-1/224/256/384/512 over "sample" and "test") reproduced byte for byte, on both
backends.  The vectors come from OpenSSL's copy of the RFC appendix shipped in
``cryptography_vectors``; the test keys are read from their PEM with `cryptography`."""

from __future__ import annotations

import importlib

import cryptography_vectors
import pytest
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from nocrypto import ec
from nocrypto.nist import arith
from nocrypto.nist.ecdsa import decode_der


def _kernel():
    try:
        return importlib.import_module("nocrypto.nist._arith_cy")
    except ImportError:
        return None


BACKENDS = [
    pytest.param(arith, id="python"),
    pytest.param(
        _kernel(),
        id="cython",
        marks=pytest.mark.skipif(_kernel() is None, reason="nocrypto.nist._arith_cy is not built"),
    ),
]
CURVES = {"P-256": ec.P256, "P-384": ec.P384, "P-521": ec.P521}


def _vectors():
    """(curve name, d, hash name, message, expected DER) for each deterministic Sign."""
    path = "asymmetric/ECDSA/RFC6979/evppkey_ecdsa_rfc6979.txt"
    with cryptography_vectors.open_vector_file(path, "r") as f:
        blocks = f.read().split("\n\n")
    keys: dict[str, int] = {}
    out = []
    for block in blocks:
        lines = [x for x in block.strip().splitlines() if not x.startswith("#")]
        if not lines:
            continue
        if lines[0].startswith("PrivateKey="):
            name = lines[0].split("=", 1)[1].strip()
            if name.split("_")[0] not in CURVES:
                continue  # binary and smaller curves: not ours
            key = load_pem_private_key("\n".join(lines[1:]).encode(), None)
            keys[name] = key.private_numbers().private_value
            continue
        fields = dict(x.split(" = ", 1) for x in lines if " = " in x)
        if "DigestSign" not in fields or fields.get("NonceType") != "deterministic":
            continue
        curve = fields["Key"].split("_")[0]
        if curve not in CURVES:
            continue
        out.append(
            (
                curve,
                keys[fields["Key"]],
                fields["DigestSign"].lower(),
                fields["Input"].strip('"').encode(),
                bytes.fromhex(fields["Output"]),
            )
        )
    return out


VECTORS = _vectors()


def test_every_curve_and_hash_is_covered():
    assert {(v[0], v[2]) for v in VECTORS} == {
        (c, h) for c in CURVES for h in ("sha1", "sha224", "sha256", "sha384", "sha512")
    }
    assert len(VECTORS) == 30


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("curve_name", "d", "hash_name", "message", "expected"),
    VECTORS,
    ids=[f"{v[0]}-{v[2]}-{v[3].decode()}" for v in VECTORS],
)
def test_rfc6979_signature(backend, curve_name, d, hash_name, message, expected):
    key = CURVES[curve_name].with_arith(backend).private_key(d)
    assert key.sign(message, hash_name) == expected
    r, s = decode_der(expected)
    w = key.curve.field_bytes
    assert key.sign_p1363(message, hash_name) == r.to_bytes(w, "big") + s.to_bytes(w, "big")
    assert key.public_key().verify(expected, message, hash_name)


@pytest.mark.parametrize("backend", BACKENDS)
def test_extra_entropy_changes_the_nonce_but_still_verifies(backend):
    curve_name, d, hash_name, message, expected = VECTORS[0]
    key = CURVES[curve_name].with_arith(backend).private_key(d)
    hedged = key.sign(message, hash_name, extra_entropy=b"\x01" * 32)
    assert hedged != expected
    assert key.sign(message, hash_name, extra_entropy=b"\x01" * 32) == hedged  # same input, same k
    assert key.sign(message, hash_name, extra_entropy=True) != hedged
    assert key.public_key().verify(hedged, message, hash_name)
