"""Certificates (RFC 5280 4.1), CRLs (RFC 5280 5.1) and PKCS#10 requests (RFC 2986).

Shapes (SEQUENCE -> dict keyed by the RFC field names; OPTIONAL fields missing when
absent):

- ``Certificate``: ``{"tbsCertificate": (TBSCertificate, exact bytes),
  "signatureAlgorithm": (AlgorithmIdentifier, exact bytes), "signatureValue": BitString}``.
  ``TBSCertificate``: ``version`` (int, 0 = v1 .. 2 = v3; DEFAULT v1), ``serialNumber``,
  ``signature``, ``issuer``, ``subject``, ``subjectPublicKeyInfo`` — the last four as
  ``(value, exact bytes)`` (signature comparison, name chaining, key pinning need the
  original bytes) — ``validity`` ``{"notBefore": Time, "notAfter": Time}`` with Time
  ``("utcTime" | "generalTime", datetime)``, ``issuerUniqueID``? / ``subjectUniqueID``?
  BitString, ``extensions``? list of Extension (values decoded, see ``extensions``).
- ``ShallowCertificate``: the same with every extnValue left as bytes.
- ``CertificateList``: ``{"tbsCertList": (TBSCertList, bytes), "signatureAlgorithm",
  "signatureValue"}``; ``TBSCertList``: ``version``? (1 = v2), ``signature``, ``issuer``
  (raw), ``thisUpdate``, ``nextUpdate``?, ``revokedCertificates``? list of
  ``{"userCertificate": int, "revocationDate": Time, "crlEntryExtensions"?: [Extension]}``,
  ``crlExtensions``? list of Extension.
- ``CertificationRequest``: ``{"certificationRequestInfo": (info, bytes),
  "signatureAlgorithm", "signature": BitString}``; info ``{"version": int, "subject" (raw),
  "subjectPKInfo" (raw), "attributes": [{"type": oid, "values": [...]}]}`` where
  extensionRequest values are lists of Extension; other attributes (challengePassword
  included) keep ``asn1.Any`` values.
"""

from __future__ import annotations

import asn1
from asn1 import default, field, optional

from . import oids
from .algorithms import AlgorithmIdentifier, SubjectPublicKeyInfo
from .extensions import Extensions, ShallowExtensions
from .names import Name

Time = asn1.choice(("utcTime", asn1.utc_time), ("generalTime", asn1.generalized_time), name="Time")
Validity = asn1.sequence(field("notBefore", Time), field("notAfter", Time), name="Validity")


def _tbs(extensions: asn1.Grammar) -> asn1.Grammar:
    return asn1.sequence(
        default("version", asn1.explicit(0, asn1.integer), 0),
        field("serialNumber", asn1.integer),
        field("signature", asn1.raw(AlgorithmIdentifier)),
        field("issuer", asn1.raw(Name)),
        field("validity", Validity),
        field("subject", asn1.raw(Name)),
        field("subjectPublicKeyInfo", asn1.raw(SubjectPublicKeyInfo)),
        optional("issuerUniqueID", asn1.implicit(1, asn1.bit_string)),
        optional("subjectUniqueID", asn1.implicit(2, asn1.bit_string)),
        optional("extensions", asn1.explicit(3, extensions)),
        name="TBSCertificate",
    )


def _certificate(tbs: asn1.Grammar) -> asn1.Grammar:
    return asn1.sequence(
        field("tbsCertificate", asn1.raw(tbs)),
        field("signatureAlgorithm", asn1.raw(AlgorithmIdentifier)),
        field("signatureValue", asn1.bit_string),
        name="Certificate",
    )


TBSCertificate = _tbs(Extensions)
Certificate = _certificate(TBSCertificate)
ShallowTBSCertificate = _tbs(ShallowExtensions)
ShallowCertificate = _certificate(ShallowTBSCertificate)

RevokedCertificate = asn1.sequence(
    field("userCertificate", asn1.integer),
    field("revocationDate", Time),
    optional("crlEntryExtensions", Extensions),
    name="RevokedCertificate",
)
TBSCertList = asn1.sequence(
    optional("version", asn1.integer),
    field("signature", AlgorithmIdentifier),
    field("issuer", asn1.raw(Name)),
    field("thisUpdate", Time),
    optional("nextUpdate", Time),
    optional("revokedCertificates", asn1.sequence_of(RevokedCertificate, min=1)),
    optional("crlExtensions", asn1.explicit(0, Extensions)),
    name="TBSCertList",
)
CertificateList = asn1.sequence(
    field("tbsCertList", asn1.raw(TBSCertList)),
    field("signatureAlgorithm", AlgorithmIdentifier),
    field("signatureValue", asn1.bit_string),
    name="CertificateList",
)

Attribute = asn1.sequence(
    field("type", asn1.oid),
    field(
        "values",
        asn1.any_defined_by(
            "type",
            # challengePassword and the rest stay raw: real requests carry them in
            # odd string types, and nothing here interprets them
            {oids.EXTENSION_REQUEST: asn1.set_of(Extensions)},
            asn1.set_of(asn1.ANY),
        ),
    ),
    name="Attribute",
)
CertificationRequestInfo = asn1.sequence(
    field("version", asn1.integer),
    field("subject", asn1.raw(Name)),
    field("subjectPKInfo", asn1.raw(SubjectPublicKeyInfo)),
    field("attributes", asn1.implicit(0, asn1.set_of(Attribute))),
    name="CertificationRequestInfo",
)
CertificationRequest = asn1.sequence(
    field("certificationRequestInfo", asn1.raw(CertificationRequestInfo)),
    field("signatureAlgorithm", AlgorithmIdentifier),
    field("signature", asn1.bit_string),
    name="CertificationRequest",
)
