"""Algorithm identifiers: OIDs, the names cryptography/OpenSSL print, and the
signature scheme names of ``x509.keys``.  One table per registry."""

from __future__ import annotations

# signature AlgorithmIdentifier OID -> (display name, scheme or None when unsupported)
SIGNATURE_ALGORITHMS: dict[str, tuple[str, str | None]] = {
    "1.2.840.113549.1.1.4": ("md5WithRSAEncryption", None),
    "1.2.840.113549.1.1.5": ("sha1WithRSAEncryption", "rsa_pkcs1_sha1"),
    "1.2.840.113549.1.1.14": ("sha224WithRSAEncryption", None),
    "1.2.840.113549.1.1.11": ("sha256WithRSAEncryption", "rsa_pkcs1_sha256"),
    "1.2.840.113549.1.1.12": ("sha384WithRSAEncryption", "rsa_pkcs1_sha384"),
    "1.2.840.113549.1.1.13": ("sha512WithRSAEncryption", "rsa_pkcs1_sha512"),
    "1.2.840.113549.1.1.10": ("RSASSA-PSS", None),  # scheme from the parameters
    "1.2.840.10045.4.1": ("ecdsa-with-SHA1", "ecdsa_sha1"),
    "1.2.840.10045.4.3.1": ("ecdsa-with-SHA224", "ecdsa_sha224"),
    "1.2.840.10045.4.3.2": ("ecdsa-with-SHA256", "ecdsa_sha256"),
    "1.2.840.10045.4.3.3": ("ecdsa-with-SHA384", "ecdsa_sha384"),
    "1.2.840.10045.4.3.4": ("ecdsa-with-SHA512", "ecdsa_sha512"),
    "1.3.101.112": ("ed25519", "ed25519"),
    "1.3.101.113": ("ed448", "ed448"),
    "1.2.840.10040.4.3": ("dsa-with-sha1", None),
    "2.16.840.1.101.3.4.3.2": ("dsa-with-sha256", None),
}
RSASSA_PSS = "1.2.840.113549.1.1.10"
SCHEME_OIDS: dict[str, str] = {
    scheme: oid for oid, (_, scheme) in SIGNATURE_ALGORITHMS.items() if scheme is not None
}
RSA_PKCS1_OIDS = frozenset(
    oid for oid, (name, _) in SIGNATURE_ALGORITHMS.items() if name.endswith("RSAEncryption")
)

HASH_OIDS: dict[str, str] = {
    "1.3.14.3.2.26": "sha1",
    "2.16.840.1.101.3.4.2.4": "sha224",
    "2.16.840.1.101.3.4.2.1": "sha256",
    "2.16.840.1.101.3.4.2.2": "sha384",
    "2.16.840.1.101.3.4.2.3": "sha512",
}
HASH_OID_OF = {v: k for k, v in HASH_OIDS.items()}
MGF1 = "1.2.840.113549.1.1.8"

# SubjectPublicKeyInfo algorithm OIDs
RSA_ENCRYPTION = "1.2.840.113549.1.1.1"
EC_PUBLIC_KEY = "1.2.840.10045.2.1"
DSA = "1.2.840.10040.4.1"
ED25519 = "1.3.101.112"
ED448 = "1.3.101.113"
X25519 = "1.3.101.110"
X448 = "1.3.101.111"
OCTET_KEYS = {ED25519: "ed25519", ED448: "ed448", X25519: "x25519", X448: "x448"}
OCTET_KEY_OIDS = {v: k for k, v in OCTET_KEYS.items()}

NAMED_CURVES: dict[str, str] = {
    "1.2.840.10045.3.1.1": "secp192r1",
    "1.3.132.0.33": "secp224r1",
    "1.2.840.10045.3.1.7": "secp256r1",
    "1.3.132.0.34": "secp384r1",
    "1.3.132.0.35": "secp521r1",
    "1.3.132.0.10": "secp256k1",
}
CURVE_OIDS = {v: k for k, v in NAMED_CURVES.items()}

# PKCS#5 / PKCS#8 encryption
PBES2 = "1.2.840.113549.1.5.13"
PBKDF2 = "1.2.840.113549.1.5.12"
HMAC_PRFS = {
    "1.2.840.113549.2.7": "sha1",
    "1.2.840.113549.2.8": "sha224",
    "1.2.840.113549.2.9": "sha256",
    "1.2.840.113549.2.10": "sha384",
    "1.2.840.113549.2.11": "sha512",
}
AES_CBC = {
    "2.16.840.1.101.3.4.1.2": 16,
    "2.16.840.1.101.3.4.1.22": 24,
    "2.16.840.1.101.3.4.1.42": 32,
}
