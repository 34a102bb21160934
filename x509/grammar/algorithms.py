"""AlgorithmIdentifier and the parameters it carries (RFC 5280 4.1.1.2, RFC 4055,
RFC 5480, RFC 8018, RFC 3279).

Shape: ``{"algorithm": oid, "parameters": value}`` with ``parameters`` missing when
absent.  The algorithm picks the parameter grammar (``PARAMETERS``):

- RSA PKCS#1 v1.5 signatures, rsaEncryption, hashes and HMACs: ``None`` (NULL)
- RSASSA-PSS: ``RSASSA_PSS_params`` dict (see below); MGF1: an AlgorithmIdentifier
- id-ecPublicKey: ``ECParameters``: ``("namedCurve", oid)``, ``("implicitCurve", None)`` or
  ``("specifiedCurve", [Any, ...])`` (explicit curve parameters, kept raw so x509 can
  refuse them)
- PBES2: ``{"keyDerivationFunc": AlgorithmIdentifier, "encryptionScheme": AlgorithmIdentifier}``;
  PBKDF2: ``{"salt": ("specified", bytes) | ("otherSource", AlgorithmIdentifier),
  "iterationCount": int, "keyLength"?: int, "prf"?: AlgorithmIdentifier}``;
  AES-CBC and DES-EDE3-CBC: the IV ``bytes``
- anything else (DSA's Dss-Parms included): ``asn1.Any``, the exact element.

RSASSA-PSS-params: ``hashAlgorithm`` / ``maskGenAlgorithm`` are OPTIONAL here (absent
means SHA-1 / MGF1-SHA-1: RFC 4055 lets the hash parameters be NULL or absent, so a
DEFAULT comparison would be ambiguous); ``saltLength`` DEFAULT 20, ``trailerField``
DEFAULT 1 (DER: an encoded default is an error).
"""

from __future__ import annotations

import asn1
from asn1 import default, field, optional

from . import oids

ECParameters = asn1.choice(
    ("namedCurve", asn1.oid),
    ("implicitCurve", asn1.null),
    ("specifiedCurve", asn1.sequence_of(asn1.ANY)),
    name="ECParameters",
)


def _algorithm_identifier(self: asn1.Grammar) -> asn1.Grammar:
    pss = asn1.sequence(
        optional("hashAlgorithm", asn1.explicit(0, self)),
        optional("maskGenAlgorithm", asn1.explicit(1, self)),
        default("saltLength", asn1.explicit(2, asn1.integer), 20),
        default("trailerField", asn1.explicit(3, asn1.integer), 1),
        name="RSASSA-PSS-params",
    )
    pbkdf2 = asn1.sequence(
        field("salt", asn1.choice(("specified", asn1.octet_string), ("otherSource", self))),
        field("iterationCount", asn1.integer),
        optional("keyLength", asn1.integer),
        optional("prf", self),
        name="PBKDF2-params",
    )
    pbes2 = asn1.sequence(
        field("keyDerivationFunc", self),
        field("encryptionScheme", self),
        name="PBES2-params",
    )
    table: dict[str, asn1.Grammar] = {}
    for o in (*oids.RSA_PKCS1_SIGNATURES, oids.RSA_ENCRYPTION, *oids.HASHES, *oids.HMACS):
        table[o] = asn1.null
    table[oids.RSASSA_PSS] = pss
    table[oids.MGF1] = self
    table[oids.EC_PUBLIC_KEY] = ECParameters
    table[oids.PBES2] = pbes2
    table[oids.PBKDF2] = pbkdf2
    for o in (*oids.AES_CBC, oids.DES_EDE3_CBC):
        table[o] = asn1.octet_string
    return asn1.sequence(
        field("algorithm", asn1.oid),
        optional("parameters", asn1.any_defined_by("algorithm", table)),
        name="AlgorithmIdentifier",
    )


AlgorithmIdentifier = asn1.fix(_algorithm_identifier, name="AlgorithmIdentifier")

_body = AlgorithmIdentifier.body  # type: ignore[attr-defined]
PARAMETERS: dict[str, asn1.Grammar] = _body.fields[1].grammar.table
RSASSA_PSS_params = PARAMETERS[oids.RSASSA_PSS]
PBES2_params = PARAMETERS[oids.PBES2]
PBKDF2_params = PARAMETERS[oids.PBKDF2]

RSAPublicKey = asn1.sequence(
    field("modulus", asn1.integer), field("publicExponent", asn1.integer), name="RSAPublicKey"
)
ECDSA_Sig_Value = asn1.sequence(
    field("r", asn1.integer), field("s", asn1.integer), name="ECDSA-Sig-Value"
)
DssParms = asn1.sequence(
    field("p", asn1.integer), field("q", asn1.integer), field("g", asn1.integer), name="Dss-Parms"
)

# subjectPublicKey: RSA keys decode to RSAPublicKey; every other key stays a BitString
# (EC points, Ed25519/X25519 keys: the raw bytes are the key)
SubjectPublicKeyInfo = asn1.sequence(
    field("algorithm", AlgorithmIdentifier),
    field(
        "subjectPublicKey",
        asn1.any_defined_by(
            "algorithm.algorithm",
            {oids.RSA_ENCRYPTION: asn1.bit_string_containing(RSAPublicKey)},
            asn1.bit_string,
        ),
    ),
    name="SubjectPublicKeyInfo",
)
