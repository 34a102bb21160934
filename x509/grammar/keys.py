"""Private keys: PKCS#1 RSAPrivateKey (RFC 8017 A.1.2), SEC1 ECPrivateKey (RFC 5915),
PKCS#8 PrivateKeyInfo / OneAsymmetricKey (RFC 5208, RFC 5958) and
EncryptedPrivateKeyInfo (RFC 5958 / RFC 8018 PBES2).

Shapes:

- ``RSAPrivateKey``: dict of ints ``version, modulus, publicExponent, privateExponent,
  prime1, prime2, exponent1, exponent2, coefficient`` (+ ``otherPrimeInfos``? list of Any).
- ``ECPrivateKey``: ``{"version": 1, "privateKey": bytes, "parameters"?: ECParameters,
  "publicKey"?: BitString}``.
- ``OneAsymmetricKey`` (``PrivateKeyInfo`` is the same grammar; version 0 or 1):
  ``{"version", "privateKeyAlgorithm": AlgorithmIdentifier, "privateKey": v,
  "attributes"?: [Any], "publicKey"?: BitString}`` where ``v`` is the decoded
  RSAPrivateKey / ECPrivateKey for RSA / EC, the raw key ``bytes`` for Ed25519, Ed448,
  X25519, X448 (CurvePrivateKey, RFC 8410), and the ``bytes`` of the OCTET STRING for
  anything else.
- ``EncryptedPrivateKeyInfo``: ``{"encryptionAlgorithm": AlgorithmIdentifier (PBES2
  parameters decoded), "encryptedData": bytes}``.

Decoding is not constant time (see ``asn1``): it reveals the lengths of the key's
fields through timing, not their values.
"""

from __future__ import annotations

import asn1
from asn1 import field, optional

from . import oids
from .algorithms import AlgorithmIdentifier, ECParameters

RSAPrivateKey = asn1.sequence(
    field("version", asn1.integer),
    field("modulus", asn1.integer),
    field("publicExponent", asn1.integer),
    field("privateExponent", asn1.integer),
    field("prime1", asn1.integer),
    field("prime2", asn1.integer),
    field("exponent1", asn1.integer),
    field("exponent2", asn1.integer),
    field("coefficient", asn1.integer),
    optional("otherPrimeInfos", asn1.sequence_of(asn1.ANY, min=1)),
    name="RSAPrivateKey",
)
ECPrivateKey = asn1.sequence(
    field("version", asn1.integer),
    field("privateKey", asn1.octet_string),
    optional("parameters", asn1.explicit(0, ECParameters)),
    optional("publicKey", asn1.explicit(1, asn1.bit_string)),
    name="ECPrivateKey",
)
CurvePrivateKey = asn1.octet_string

PRIVATE_KEYS: dict[str, asn1.Grammar] = {
    oids.RSA_ENCRYPTION: RSAPrivateKey,
    oids.RSASSA_PSS: RSAPrivateKey,
    oids.EC_PUBLIC_KEY: ECPrivateKey,
    oids.ED25519: CurvePrivateKey,
    oids.ED448: CurvePrivateKey,
    oids.X25519: CurvePrivateKey,
    oids.X448: CurvePrivateKey,
}

OneAsymmetricKey = asn1.sequence(
    field("version", asn1.integer),
    field("privateKeyAlgorithm", AlgorithmIdentifier),
    field(
        "privateKey",
        asn1.any_defined_by(
            "privateKeyAlgorithm.algorithm",
            {k: asn1.contains(g) for k, g in PRIVATE_KEYS.items()},
            asn1.octet_string,
        ),
    ),
    optional("attributes", asn1.implicit(0, asn1.set_of(asn1.ANY))),
    optional("publicKey", asn1.implicit(1, asn1.bit_string)),
    name="OneAsymmetricKey",
)
PrivateKeyInfo = OneAsymmetricKey

EncryptedPrivateKeyInfo = asn1.sequence(
    field("encryptionAlgorithm", AlgorithmIdentifier),
    field("encryptedData", asn1.octet_string),
    name="EncryptedPrivateKeyInfo",
)
