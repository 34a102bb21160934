"""Keys: load what cryptography writes, write what cryptography loads, and sign/verify
across the two libraries for every scheme."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa

import x509
from tests.x509.chains import key as cached_key

ENC = serialization.Encoding
FMT = serialization.PrivateFormat
HASHES = {
    "sha1": hashes.SHA1,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


def their_key(kind: str):
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    if kind == "ed448":
        return ed448.Ed448PrivateKey.generate()
    if kind == "p521":
        return ec.generate_private_key(ec.SECP521R1())
    return cached_key(kind)


FORMATS = [
    ("ec", ENC.PEM, FMT.PKCS8),
    ("ec", ENC.DER, FMT.PKCS8),
    ("ec", ENC.PEM, FMT.TraditionalOpenSSL),
    ("p384", ENC.PEM, FMT.PKCS8),
    ("p521", ENC.DER, FMT.TraditionalOpenSSL),
    ("rsa", ENC.PEM, FMT.PKCS8),
    ("rsa", ENC.PEM, FMT.TraditionalOpenSSL),
    ("rsa", ENC.DER, FMT.TraditionalOpenSSL),
    ("ed25519", ENC.PEM, FMT.PKCS8),
    ("ed448", ENC.DER, FMT.PKCS8),
]


@pytest.mark.parametrize(("kind", "encoding", "fmt"), FORMATS)
def test_loads_keys_written_by_cryptography(kind, encoding, fmt) -> None:
    theirs = their_key(kind)
    data = theirs.private_bytes(encoding, fmt, serialization.NoEncryption())
    load = x509.load_pem_private_key if encoding == ENC.PEM else x509.load_der_private_key
    ours = load(data)
    their_spki = theirs.public_key().public_bytes(
        ENC.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert ours.public_key().to_der() == their_spki
    # and our PKCS#8 is what cryptography writes, byte for byte, for EC and EdDSA
    back = serialization.load_der_private_key(ours.to_der(), None)
    assert (
        back.public_key().public_bytes(ENC.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        == their_spki
    )


def test_encrypted_pkcs8_both_ways() -> None:
    theirs = their_key("ec")
    data = theirs.private_bytes(ENC.PEM, FMT.PKCS8, serialization.BestAvailableEncryption(b"pw"))
    ours = x509.load_pem_private_key(data, password=b"pw")
    with pytest.raises(ValueError):
        x509.load_pem_private_key(data, password=b"wrong")
    with pytest.raises(ValueError):
        x509.load_pem_private_key(data)
    pem = ours.to_pem(password=b"s3cret")
    assert b"ENCRYPTED PRIVATE KEY" in pem
    back = serialization.load_pem_private_key(pem, password=b"s3cret")
    assert back.private_numbers().private_value == theirs.private_numbers().private_value


def _their_verify(pub, scheme: str, sig: bytes, msg: bytes) -> bool:
    try:
        if scheme.startswith("rsa_pkcs1_"):
            pub.verify(sig, msg, padding.PKCS1v15(), HASHES[scheme[10:]]())
        elif scheme.startswith("rsa_pss_"):
            h = HASHES[scheme[8:]]()
            pub.verify(sig, msg, padding.PSS(padding.MGF1(h), h.digest_size), h)
        elif scheme.startswith("ecdsa_"):
            pub.verify(sig, msg, ec.ECDSA(HASHES[scheme[6:]]()))
        else:
            pub.verify(sig, msg)
        return True
    except InvalidSignature:
        return False


def _their_sign(priv, scheme: str, msg: bytes) -> bytes:
    if scheme.startswith("rsa_pkcs1_"):
        return priv.sign(msg, padding.PKCS1v15(), HASHES[scheme[10:]]())
    if scheme.startswith("rsa_pss_"):
        h = HASHES[scheme[8:]]()
        return priv.sign(msg, padding.PSS(padding.MGF1(h), h.digest_size), h)
    if scheme.startswith("ecdsa_"):
        return priv.sign(msg, ec.ECDSA(HASHES[scheme[6:]]()))
    return priv.sign(msg)


SCHEMES = [
    ("rsa", "rsa_pkcs1_sha1"),
    ("rsa", "rsa_pkcs1_sha256"),
    ("rsa", "rsa_pkcs1_sha384"),
    ("rsa", "rsa_pkcs1_sha512"),
    ("rsa", "rsa_pss_sha256"),
    ("rsa", "rsa_pss_sha384"),
    ("rsa", "rsa_pss_sha512"),
    ("ec", "ecdsa_sha256"),
    ("ec", "ecdsa_sha1"),
    ("p384", "ecdsa_sha384"),
    ("p521", "ecdsa_sha512"),
    ("ed25519", "ed25519"),
    ("ed448", "ed448"),
]


@pytest.mark.parametrize(("kind", "scheme"), SCHEMES)
def test_sign_and_verify_across_libraries(kind, scheme) -> None:
    theirs = their_key(kind)
    ours = x509.load_der_private_key(
        theirs.private_bytes(ENC.DER, FMT.PKCS8, serialization.NoEncryption())
    )
    msg = b"puretls x509 " + scheme.encode()
    sig = ours.sign(msg, scheme)
    assert _their_verify(theirs.public_key(), scheme, sig, msg)
    their_sig = _their_sign(theirs, scheme, msg)
    pub = ours.public_key()
    assert pub.verify(their_sig, msg, scheme)
    assert not pub.verify(their_sig, msg + b"!", scheme)
    flipped = bytes([their_sig[0] ^ 1]) + their_sig[1:]
    assert not pub.verify(flipped, msg, scheme)


def test_key_cannot_use_other_families_schemes() -> None:
    ours = x509.generate_private_key("ec")
    assert not ours.public_key().verify(b"x" * 64, b"m", "rsa_pkcs1_sha256")
    with pytest.raises(ValueError):
        ours.sign(b"m", "ed25519")
    with pytest.raises(ValueError):
        ours.sign(b"m", "no_such_scheme")


@pytest.mark.parametrize(
    ("algorithm", "kw", "curve", "size"),
    [
        ("ec", {}, "secp256r1", 256),
        ("ec", {"curve": "secp384r1"}, "secp384r1", 384),
        ("ed25519", {}, None, 256),
        ("x25519", {}, None, 255),
    ],
)
def test_generated_keys_load_in_cryptography(algorithm, kw, curve, size) -> None:
    k = x509.generate_private_key(algorithm, **kw)
    assert (k.algorithm, k.curve, k.key_size) == (algorithm, curve, size)
    theirs = serialization.load_pem_private_key(k.to_pem(), None)
    assert (
        theirs.public_key().public_bytes(ENC.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        == k.public_key().to_der()
    )


def test_rsa_generation_size() -> None:
    k = x509.generate_private_key("rsa", key_size=2048)
    assert k.key_size == 2048 and isinstance(
        serialization.load_der_private_key(k.to_der(), None), rsa.RSAPrivateKey
    )
    with pytest.raises(ValueError):
        x509.generate_private_key("rsa", key_size=1024)


@pytest.mark.parametrize(
    "junk",
    [
        b"",
        b"\x30\x00",
        b"-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n",
        b"\x30\x03\x02\x01\x00",
    ],
)
def test_garbage_private_keys_raise_parse_error(junk) -> None:
    with pytest.raises(x509.ParseError):
        if junk.startswith(b"-----"):
            x509.load_pem_private_key(junk)
        else:
            x509.load_der_private_key(junk)


def test_bytes_like_arguments() -> None:
    k = x509.generate_private_key("ec")
    msg = bytearray(b"bytes-like message")
    sig = k.sign(memoryview(msg), "ecdsa_sha256")
    assert k.public_key().verify(bytearray(sig), memoryview(msg), "ecdsa_sha256")
    again = x509.load_der_private_key(memoryview(k.to_der()))
    assert again.public_key() == k.public_key()
    cert = x509.CertificateBuilder().subject("CN=b").public_key(k).ca().sign(k)
    assert x509.Certificate.from_der(bytearray(cert.to_der())) == cert
    assert x509.load_pem_certificates(bytearray(cert.to_pem())) == [cert]
    with pytest.raises(TypeError):
        k.sign("text is not bytes", "ecdsa_sha256")  # type: ignore[arg-type]


def _seeded(seed: int):
    import random

    return random.Random(seed).randbytes


@pytest.mark.parametrize(
    "scheme", ["rsa_pss_sha256", "rsa_pss_sha384", "rsa_pss_sha512", "rsa_pkcs1_sha256"]
)
def test_caller_randomness_gives_reproducible_rsa_signatures(scheme, monkeypatch) -> None:
    """``sign(..., rng_bytes=f)``: f supplies the PSS salt and the RSA blinding seed, so
    the same f gives byte-identical signatures and the system RNG is not read
    (ARCHITECTURE rule 1: the TLS engine is pure)."""
    from nocrypto import rng

    theirs = their_key("rsa")
    ours = x509.load_der_private_key(
        theirs.private_bytes(ENC.DER, FMT.PKCS8, serialization.NoEncryption())
    )

    def no_system_rng(n: int) -> bytes:
        raise AssertionError("system RNG used although rng_bytes was given")

    monkeypatch.setattr(rng, "entropy", no_system_rng)
    msg = b"TLS 1.3, server CertificateVerify"
    first = ours.sign(msg, scheme, rng_bytes=_seeded(42))
    second = ours.sign(msg, scheme, rng_bytes=_seeded(42))
    assert first == second
    assert _their_verify(theirs.public_key(), scheme, first, msg)
    if "pss" in scheme:
        assert ours.sign(msg, scheme, rng_bytes=_seeded(43)) != first


@pytest.mark.parametrize(("kind", "scheme"), [("ec", "ecdsa_sha256"), ("ed25519", "ed25519")])
def test_caller_randomness_accepted_by_deterministic_schemes(kind, scheme) -> None:
    ours = x509.load_der_private_key(
        their_key(kind).private_bytes(ENC.DER, FMT.PKCS8, serialization.NoEncryption())
    )
    assert ours.sign(b"m", scheme, rng_bytes=_seeded(1)) == ours.sign(b"m", scheme)
    with pytest.raises(TypeError):
        ours.sign(b"m", scheme, rng_bytes=b"not callable")  # type: ignore[arg-type]
