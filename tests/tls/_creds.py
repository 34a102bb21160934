"""Test certificates, made with ``cryptography`` (a test tool), used through ``x509`` keys."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.x509.oid import NameOID

import x509.keys
from nocrypto import rsa as nrsa

KINDS = ("p256", "p384", "p521", "ed25519", "ed448", "rsa2048")


@dataclass(frozen=True)
class TestCert:
    """Enough of an ``x509.Certificate`` for a ServerConfig: DER and DNS names."""

    der: bytes
    names: tuple[str, ...]

    def to_der(self) -> bytes:
        return self.der

    @property
    def subject_alt_names(self):
        return [("dns", n) for n in self.names]


@dataclass(frozen=True)
class Credential:
    cert: TestCert
    key: x509.keys.PrivateKey
    public: x509.keys.PublicKey
    cert_pem: bytes
    key_pem: bytes


def _crypto_key(kind: str):
    if kind.startswith("p"):
        curve = {"p256": ec.SECP256R1(), "p384": ec.SECP384R1(), "p521": ec.SECP521R1()}[kind]
        return ec.generate_private_key(curve)
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    if kind == "ed448":
        return ed448.Ed448PrivateKey.generate()
    return rsa.generate_private_key(65537, 2048)


def _to_x509_key(k) -> x509.keys.PrivateKey:
    if isinstance(k, ec.EllipticCurvePrivateKey):
        return x509.keys.PrivateKey.ec(k.curve.name, k.private_numbers().private_value)
    if isinstance(k, rsa.RSAPrivateKey):
        p = k.private_numbers()
        n, e = p.public_numbers.n, p.public_numbers.e
        return x509.keys.PrivateKey.rsa(nrsa.RSAPrivateKey(n, e, p.d, p.p, p.q))
    raw = k.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return x509.keys.PrivateKey.octets(
        "ed25519" if isinstance(k, ed25519.Ed25519PrivateKey) else "ed448", raw
    )


@functools.cache
def credential(kind: str, name: str = "localhost") -> Credential:
    key = _crypto_key(kind)
    subject = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        cx509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(cx509.SubjectAlternativeName([cx509.DNSName(name)]), critical=False)
        .add_extension(cx509.BasicConstraints(ca=True, path_length=None), critical=True)
    )
    algorithm = None if kind in ("ed25519", "ed448") else hashes.SHA256()
    cert = builder.sign(key, algorithm)
    der = cert.public_bytes(serialization.Encoding.DER)
    private = _to_x509_key(key)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return Credential(
        TestCert(der, (name,)),
        private,
        private.public_key(),
        cert.public_bytes(serialization.Encoding.PEM),
        key_pem,
    )


def pinned(cred: Credential):
    """An authenticator trusting exactly ``cred``'s certificate (checked by DER equality)."""

    def authenticate(chain, server_name, now):
        from tls.failures import PeerError, Reason

        if chain[0] != cred.cert.der:
            raise PeerError(Reason.bad_certificate, "not the pinned certificate")
        return cred.public

    return authenticate


def oracle_verify_pss(cert_der: bytes, signature: bytes, message: bytes) -> None:
    public = cx509.load_der_x509_certificate(cert_der).public_key()
    public.verify(
        signature, message, padding.PSS(padding.MGF1(hashes.SHA256()), 32), hashes.SHA256()
    )


def ca_and_leaf(name: str = "client.example") -> tuple[bytes, Credential]:
    """A root CA (PEM) and a P-256 leaf it issued for ``name`` (clientAuth and serverAuth)."""
    from cryptography.x509.oid import ExtendedKeyUsageOID

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)

    def base(subject: str, issuer: str, public):
        return (
            cx509.CertificateBuilder()
            .subject_name(cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(public)
            .serial_number(cx509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
        )

    ca = (
        base("test client root", "test client root", ca_key.public_key())
        .add_extension(cx509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(cx509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf = (
        base(name, "test client root", key.public_key())
        .add_extension(cx509.SubjectAlternativeName([cx509.DNSName(name)]), critical=False)
        .add_extension(
            cx509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .add_extension(
            cx509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH]
            ),
            False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    key_pem = key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    private = _to_x509_key(key)
    cred = Credential(
        TestCert(leaf.public_bytes(serialization.Encoding.DER), (name,)),
        private,
        private.public_key(),
        leaf.public_bytes(pem),
        key_pem,
    )
    return ca.public_bytes(pem), cred
