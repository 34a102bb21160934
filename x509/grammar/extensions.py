"""Extensions (RFC 5280 4.1 / 4.2 / 5.2 / 5.3, RFC 6962, RFC 7633).

``Extension`` decodes to ``{"extnID": oid, "critical": bool, "extnValue": v}``: for the
extensions in ``EXTENSION_VALUES`` ``v`` is the decoded value (strict DER inside the
OCTET STRING too, errors point inside it); for any other ``extnID`` it stays ``bytes``.
``ShallowExtension`` keeps every ``extnValue`` as ``bytes``.

Value shapes:

- basicConstraints ``{"cA": bool, "pathLenConstraint"?: int}``
- keyUsage: frozenset of ``KEY_USAGE_BITS`` names; extKeyUsage: list of oids
- subjectAltName / issuerAltName / certificateIssuer: list of GeneralName tuples
- nameConstraints ``{"permittedSubtrees"?: [...], "excludedSubtrees"?: [...]}`` with
  subtrees ``{"base": GeneralName, "minimum": int, "maximum"?: int}``
- certificatePolicies: ``[{"policyIdentifier": oid, "policyQualifiers"?: [{"policyQualifierId":
  oid, "qualifier": str (CPS URI) | {"noticeRef"?: {"organization": DisplayText,
  "noticeNumbers": [int]}, "explicitText"?: DisplayText} | Any}]}]``; DisplayText is
  ``(string type, text)``
- policyMappings ``[{"issuerDomainPolicy": oid, "subjectDomainPolicy": oid}]``;
  policyConstraints ``{"requireExplicitPolicy"?: int, "inhibitPolicyMapping"?: int}``;
  inhibitAnyPolicy ``int``
- authorityKeyIdentifier ``{"keyIdentifier"?: bytes, "authorityCertIssuer"?: GeneralNames,
  "authorityCertSerialNumber"?: int}``; subjectKeyIdentifier ``bytes``
- cRLDistributionPoints / freshestCRL ``[{"distributionPoint"?: ("fullName", GeneralNames) |
  ("nameRelativeToCRLIssuer", RDN), "reasons"?: frozenset, "cRLIssuer"?: GeneralNames}]``
- authorityInfoAccess / subjectInfoAccess ``[{"accessMethod": oid, "accessLocation": GeneralName}]``
- TLS Feature ``[int]``; CT SCT list ``bytes`` (the TLS-encoded list); poison / OCSP
  no-check ``None``
- CRL: cRLNumber / deltaCRLIndicator ``int``; reasonCode ``int`` (CRLReason);
  invalidityDate ``datetime``; issuingDistributionPoint ``{"distributionPoint"?: ...,
  "onlyContainsUserCerts": bool, "onlyContainsCACerts": bool, "onlySomeReasons"?: frozenset,
  "indirectCRL": bool, "onlyContainsAttributeCerts": bool}``
"""

from __future__ import annotations

import asn1
from asn1 import default, field, optional

from . import oids
from .names import GeneralName, GeneralNames, RelativeDistinguishedName

KEY_USAGE_BITS = {
    "digitalSignature": 0,
    "nonRepudiation": 1,
    "keyEncipherment": 2,
    "dataEncipherment": 3,
    "keyAgreement": 4,
    "keyCertSign": 5,
    "cRLSign": 6,
    "encipherOnly": 7,
    "decipherOnly": 8,
}
REASON_BITS = {
    "unused": 0,
    "keyCompromise": 1,
    "cACompromise": 2,
    "affiliationChanged": 3,
    "superseded": 4,
    "cessationOfOperation": 5,
    "certificateHold": 6,
    "privilegeWithdrawn": 7,
    "aACompromise": 8,
}
# CRLReason ENUMERATED values (RFC 5280 5.3.1); 7 is not used
CRL_REASONS = {
    0: "unspecified",
    1: "keyCompromise",
    2: "cACompromise",
    3: "affiliationChanged",
    4: "superseded",
    5: "cessationOfOperation",
    6: "certificateHold",
    8: "removeFromCRL",
    9: "privilegeWithdrawn",
    10: "aACompromise",
}

BasicConstraints = asn1.sequence(
    default("cA", asn1.boolean, False),
    optional("pathLenConstraint", asn1.integer),
    name="BasicConstraints",
)
KeyUsage = asn1.named_bits(KEY_USAGE_BITS)
ExtKeyUsageSyntax = asn1.sequence_of(asn1.oid, min=1, name="ExtKeyUsageSyntax")

GeneralSubtree = asn1.sequence(
    field("base", GeneralName),
    default("minimum", asn1.implicit(0, asn1.integer), 0),
    optional("maximum", asn1.implicit(1, asn1.integer)),
    name="GeneralSubtree",
)
GeneralSubtrees = asn1.sequence_of(GeneralSubtree, min=1, name="GeneralSubtrees")
NameConstraints = asn1.sequence(
    optional("permittedSubtrees", asn1.implicit(0, GeneralSubtrees)),
    optional("excludedSubtrees", asn1.implicit(1, GeneralSubtrees)),
    name="NameConstraints",
)

DisplayText = asn1.choice(
    ("ia5String", asn1.ia5_string),
    ("visibleString", asn1.visible_string),
    ("bmpString", asn1.bmp_string),
    ("utf8String", asn1.utf8_string),
    name="DisplayText",
)
NoticeReference = asn1.sequence(
    field("organization", DisplayText),
    field("noticeNumbers", asn1.sequence_of(asn1.integer)),
    name="NoticeReference",
)
UserNotice = asn1.sequence(
    optional("noticeRef", NoticeReference),
    optional("explicitText", DisplayText),
    name="UserNotice",
)
PolicyQualifierInfo = asn1.sequence(
    field("policyQualifierId", asn1.oid),
    field(
        "qualifier",
        asn1.any_defined_by(
            "policyQualifierId", {oids.QT_CPS: asn1.ia5_string, oids.QT_UNOTICE: UserNotice}
        ),
    ),
    name="PolicyQualifierInfo",
)
PolicyInformation = asn1.sequence(
    field("policyIdentifier", asn1.oid),
    optional("policyQualifiers", asn1.sequence_of(PolicyQualifierInfo, min=1)),
    name="PolicyInformation",
)
CertificatePolicies = asn1.sequence_of(PolicyInformation, min=1, name="CertificatePolicies")
PolicyMappings = asn1.sequence_of(
    asn1.sequence(
        field("issuerDomainPolicy", asn1.oid),
        field("subjectDomainPolicy", asn1.oid),
        name="PolicyMapping",
    ),
    min=1,
    name="PolicyMappings",
)
PolicyConstraints = asn1.sequence(
    optional("requireExplicitPolicy", asn1.implicit(0, asn1.integer)),
    optional("inhibitPolicyMapping", asn1.implicit(1, asn1.integer)),
    name="PolicyConstraints",
)
AuthorityKeyIdentifier = asn1.sequence(
    optional("keyIdentifier", asn1.implicit(0, asn1.octet_string)),
    optional("authorityCertIssuer", asn1.implicit(1, GeneralNames)),
    optional("authorityCertSerialNumber", asn1.implicit(2, asn1.integer)),
    name="AuthorityKeyIdentifier",
)
SubjectKeyIdentifier = asn1.octet_string
DistributionPointName = asn1.choice(
    ("fullName", asn1.implicit(0, GeneralNames)),
    ("nameRelativeToCRLIssuer", asn1.implicit(1, RelativeDistinguishedName)),
    name="DistributionPointName",
)
DistributionPoint = asn1.sequence(
    # DistributionPointName is a CHOICE: its [0] is EXPLICIT
    optional("distributionPoint", asn1.explicit(0, DistributionPointName)),
    optional("reasons", asn1.implicit(1, asn1.named_bits(REASON_BITS))),
    optional("cRLIssuer", asn1.implicit(2, GeneralNames)),
    name="DistributionPoint",
)
CRLDistributionPoints = asn1.sequence_of(DistributionPoint, min=1, name="CRLDistributionPoints")
AccessDescription = asn1.sequence(
    field("accessMethod", asn1.oid),
    field("accessLocation", GeneralName),
    name="AccessDescription",
)
AuthorityInfoAccessSyntax = asn1.sequence_of(AccessDescription, min=1, name="AuthorityInfoAccess")
TLSFeature = asn1.sequence_of(asn1.integer, min=1, name="TLSFeature")
IssuingDistributionPoint = asn1.sequence(
    optional("distributionPoint", asn1.explicit(0, DistributionPointName)),
    default("onlyContainsUserCerts", asn1.implicit(1, asn1.boolean), False),
    default("onlyContainsCACerts", asn1.implicit(2, asn1.boolean), False),
    optional("onlySomeReasons", asn1.implicit(3, asn1.named_bits(REASON_BITS))),
    default("indirectCRL", asn1.implicit(4, asn1.boolean), False),
    default("onlyContainsAttributeCerts", asn1.implicit(5, asn1.boolean), False),
    name="IssuingDistributionPoint",
)

EXTENSION_VALUES: dict[str, asn1.Grammar] = {
    oids.BASIC_CONSTRAINTS: BasicConstraints,
    oids.KEY_USAGE: KeyUsage,
    oids.EXT_KEY_USAGE: ExtKeyUsageSyntax,
    oids.SUBJECT_ALT_NAME: GeneralNames,
    oids.ISSUER_ALT_NAME: GeneralNames,
    oids.NAME_CONSTRAINTS: NameConstraints,
    oids.CERTIFICATE_POLICIES: CertificatePolicies,
    oids.POLICY_MAPPINGS: PolicyMappings,
    oids.POLICY_CONSTRAINTS: PolicyConstraints,
    oids.INHIBIT_ANY_POLICY: asn1.integer,
    oids.AUTHORITY_KEY_IDENTIFIER: AuthorityKeyIdentifier,
    oids.SUBJECT_KEY_IDENTIFIER: SubjectKeyIdentifier,
    oids.CRL_DISTRIBUTION_POINTS: CRLDistributionPoints,
    oids.FRESHEST_CRL: CRLDistributionPoints,
    oids.AUTHORITY_INFO_ACCESS: AuthorityInfoAccessSyntax,
    oids.SUBJECT_INFO_ACCESS: AuthorityInfoAccessSyntax,
    oids.TLS_FEATURE: TLSFeature,
    oids.CT_PRECERT_SCTS: asn1.octet_string,
    oids.CT_PRECERT_POISON: asn1.null,
    oids.OCSP_NO_CHECK: asn1.null,
    # CRL and CRL entry extensions
    oids.CRL_NUMBER: asn1.integer,
    oids.DELTA_CRL_INDICATOR: asn1.integer,
    oids.CRL_REASON: asn1.enumerated,
    oids.INVALIDITY_DATE: asn1.generalized_time,
    oids.CERTIFICATE_ISSUER: GeneralNames,
    oids.ISSUING_DISTRIBUTION_POINT: IssuingDistributionPoint,
}

Extension = asn1.sequence(
    field("extnID", asn1.oid),
    default("critical", asn1.boolean, False),
    field(
        "extnValue",
        asn1.any_defined_by(
            "extnID",
            {k: asn1.contains(g) for k, g in EXTENSION_VALUES.items()},
            asn1.octet_string,
        ),
    ),
    name="Extension",
)
Extensions = asn1.sequence_of(Extension, min=1, name="Extensions")

ShallowExtension = asn1.sequence(
    field("extnID", asn1.oid),
    default("critical", asn1.boolean, False),
    field("extnValue", asn1.octet_string),
    name="Extension",
)
ShallowExtensions = asn1.sequence_of(ShallowExtension, min=1, name="Extensions")
