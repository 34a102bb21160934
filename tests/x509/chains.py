"""Certificate chains made with ``cryptography`` (the oracle), for the x509 tests."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass, field

from cryptography import x509 as cx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)

_KEYS: dict[str, list] = {}


def key(kind: str = "ec", n: int = 0):
    """Deterministically cached keys so tests stay fast (RSA generation is slow)."""
    pool = _KEYS.setdefault(kind, [])
    while len(pool) <= n:
        if kind == "ec":
            pool.append(ec.generate_private_key(ec.SECP256R1()))
        elif kind == "p384":
            pool.append(ec.generate_private_key(ec.SECP384R1()))
        elif kind == "rsa":
            pool.append(rsa.generate_private_key(65537, 2048))
        elif kind == "ed25519":
            pool.append(ed25519.Ed25519PrivateKey.generate())
        else:
            raise ValueError(kind)
    return pool[n]


def _hash_for(k):
    return None if isinstance(k, ed25519.Ed25519PrivateKey) else hashes.SHA256()


@dataclass
class Spec:
    """One certificate to make; ``issuer`` is the index of its issuer in the list."""

    cn: str
    key: object
    issuer: int | None = None  # None: self-signed
    ca: bool | None = True  # None: no basicConstraints at all
    path_length: int | None = None
    not_before: dt.datetime = NOW - dt.timedelta(days=30)
    not_after: dt.datetime = NOW + dt.timedelta(days=30)
    dns: list[str] = field(default_factory=list)
    ips: list[str] = field(default_factory=list)
    eku: list | None = None
    permitted_dns: list[str] | None = None
    excluded_dns: list[str] | None = None
    key_cert_sign: bool = True
    key_usage: dict[str, bool] | None = None  # KeyUsage fields to override
    omit_key_usage: bool = False


def build(specs: list[Spec]) -> list[cx.Certificate]:
    out: list[cx.Certificate] = []
    for s in specs:
        subject = cx.Name([cx.NameAttribute(NameOID.COMMON_NAME, s.cn)])
        if s.issuer is None:
            issuer_name, signer, issuer_pub = subject, s.key, s.key.public_key()
        else:
            parent = out[s.issuer]
            issuer_name, signer = parent.subject, specs[s.issuer].key
            issuer_pub = parent.public_key()
        b = (
            cx.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer_name)
            .public_key(s.key.public_key())
            .serial_number(cx.random_serial_number())
            .not_valid_before(s.not_before)
            .not_valid_after(s.not_after)
            .add_extension(cx.SubjectKeyIdentifier.from_public_key(s.key.public_key()), False)
            .add_extension(cx.AuthorityKeyIdentifier.from_issuer_public_key(issuer_pub), False)
        )
        if s.ca is not None:
            b = b.add_extension(cx.BasicConstraints(s.ca, s.path_length if s.ca else None), True)
        is_ca = bool(s.ca)
        usage = {
            "digital_signature": True,
            "content_commitment": False,
            "key_encipherment": False,
            "data_encipherment": False,
            "key_agreement": False,
            "key_cert_sign": is_ca and s.key_cert_sign,
            "crl_sign": is_ca,
            "encipher_only": False,
            "decipher_only": False,
        }
        usage.update(s.key_usage or {})
        if not s.omit_key_usage:
            b = b.add_extension(cx.KeyUsage(**usage), True)
        names = [cx.DNSName(d) for d in s.dns] + [
            cx.IPAddress(ipaddress.ip_address(i)) for i in s.ips
        ]
        if names:
            b = b.add_extension(cx.SubjectAlternativeName(names), False)
        if s.eku is not None:
            b = b.add_extension(cx.ExtendedKeyUsage(s.eku), False)
        if s.permitted_dns is not None or s.excluded_dns is not None:
            b = b.add_extension(
                cx.NameConstraints(
                    [cx.DNSName(d) for d in s.permitted_dns] if s.permitted_dns else None,
                    [cx.DNSName(d) for d in s.excluded_dns] if s.excluded_dns else None,
                ),
                True,
            )
        out.append(b.sign(signer, _hash_for(signer)))
    return out


def der(cert: cx.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


SERVER_AUTH = ExtendedKeyUsageOID.SERVER_AUTH
CLIENT_AUTH = ExtendedKeyUsageOID.CLIENT_AUTH
