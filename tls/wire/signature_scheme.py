"""TLS SignatureScheme registry (RFC 8446 §4.2.3) mapped to the x509 algorithm names."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class SignatureScheme(IntEnum):
    rsa_pkcs1_sha256 = 0x0401
    rsa_pkcs1_sha384 = 0x0501
    rsa_pkcs1_sha512 = 0x0601
    ecdsa_secp256r1_sha256 = 0x0403
    ecdsa_secp384r1_sha384 = 0x0503
    ecdsa_secp521r1_sha512 = 0x0603
    rsa_pss_rsae_sha256 = 0x0804
    rsa_pss_rsae_sha384 = 0x0805
    rsa_pss_rsae_sha512 = 0x0806
    ed25519 = 0x0807
    ed448 = 0x0808
    rsa_pss_pss_sha256 = 0x0809
    rsa_pss_pss_sha384 = 0x080A
    rsa_pss_pss_sha512 = 0x080B
    rsa_pkcs1_sha1 = 0x0201
    ecdsa_sha1 = 0x0203


@dataclass(frozen=True, slots=True)
class SchemeParameters:
    key_algorithm: str  # x509 PublicKey.algorithm this scheme needs
    curve: str | None  # for ECDSA in TLS 1.3 the curve is fixed by the scheme
    x509_name: str  # the algorithm string x509 keys sign/verify with


SCHEMES: dict[SignatureScheme, SchemeParameters] = {
    SignatureScheme.ecdsa_secp256r1_sha256: SchemeParameters("ec", "secp256r1", "ecdsa_sha256"),
    SignatureScheme.ecdsa_secp384r1_sha384: SchemeParameters("ec", "secp384r1", "ecdsa_sha384"),
    SignatureScheme.ecdsa_secp521r1_sha512: SchemeParameters("ec", "secp521r1", "ecdsa_sha512"),
    SignatureScheme.rsa_pss_rsae_sha256: SchemeParameters("rsa", None, "rsa_pss_sha256"),
    SignatureScheme.rsa_pss_rsae_sha384: SchemeParameters("rsa", None, "rsa_pss_sha384"),
    SignatureScheme.rsa_pss_rsae_sha512: SchemeParameters("rsa", None, "rsa_pss_sha512"),
    SignatureScheme.rsa_pss_pss_sha256: SchemeParameters("rsa-pss", None, "rsa_pss_sha256"),
    SignatureScheme.rsa_pss_pss_sha384: SchemeParameters("rsa-pss", None, "rsa_pss_sha384"),
    SignatureScheme.rsa_pss_pss_sha512: SchemeParameters("rsa-pss", None, "rsa_pss_sha512"),
    SignatureScheme.ed25519: SchemeParameters("ed25519", None, "ed25519"),
    SignatureScheme.ed448: SchemeParameters("ed448", None, "ed448"),
    SignatureScheme.rsa_pkcs1_sha256: SchemeParameters("rsa", None, "rsa_pkcs1_sha256"),
    SignatureScheme.rsa_pkcs1_sha384: SchemeParameters("rsa", None, "rsa_pkcs1_sha384"),
    SignatureScheme.rsa_pkcs1_sha512: SchemeParameters("rsa", None, "rsa_pkcs1_sha512"),
}

# RFC 8446 §4.4.3: PKCS#1 v1.5 and SHA-1 never sign a TLS 1.3 handshake.
HANDSHAKE_FORBIDDEN = frozenset(
    {
        SignatureScheme.rsa_pkcs1_sha256,
        SignatureScheme.rsa_pkcs1_sha384,
        SignatureScheme.rsa_pkcs1_sha512,
        SignatureScheme.rsa_pkcs1_sha1,
        SignatureScheme.ecdsa_sha1,
    }
)
