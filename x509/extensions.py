"""Typed certificate extensions (RFC 5280 §4.2) and the general-name model.

``Extension(oid, critical, value)``: ``value`` is one of the dataclasses below for
the extensions puretls understands, and the raw ``extnValue`` bytes otherwise.

A general name is a ``(kind, value)`` pair:

    ("dns", str)  ("email", str)  ("uri", str)  ("dirname", x509.Name)
    ("ip", IPAddressValue)        the raw octets: 4/16 in a SAN, 8/32 in a constraint
    ("rid", str)                  registeredID, dotted OID
    ("other", (type_id, der))     otherName: its OID and the DER of its value
    ("x400", der) ("edi", der)    kept raw
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# --- extension OIDs (id-ce = 2.5.29, id-pe = 1.3.6.1.5.5.7.1) ---------------------
SUBJECT_KEY_IDENTIFIER = "2.5.29.14"
KEY_USAGE = "2.5.29.15"
SUBJECT_ALT_NAME = "2.5.29.17"
ISSUER_ALT_NAME = "2.5.29.18"
BASIC_CONSTRAINTS = "2.5.29.19"
CRL_NUMBER = "2.5.29.20"
REASON_CODE = "2.5.29.21"
INVALIDITY_DATE = "2.5.29.24"
DELTA_CRL_INDICATOR = "2.5.29.27"
ISSUING_DISTRIBUTION_POINT = "2.5.29.28"
CERTIFICATE_ISSUER = "2.5.29.29"
NAME_CONSTRAINTS = "2.5.29.30"
CRL_DISTRIBUTION_POINTS = "2.5.29.31"
CERTIFICATE_POLICIES = "2.5.29.32"
POLICY_MAPPINGS = "2.5.29.33"
AUTHORITY_KEY_IDENTIFIER = "2.5.29.35"
POLICY_CONSTRAINTS = "2.5.29.36"
EXTENDED_KEY_USAGE = "2.5.29.37"
FRESHEST_CRL = "2.5.29.46"
INHIBIT_ANY_POLICY = "2.5.29.54"
AUTHORITY_INFORMATION_ACCESS = "1.3.6.1.5.5.7.1.1"
SUBJECT_INFORMATION_ACCESS = "1.3.6.1.5.5.7.1.11"
TLS_FEATURE = "1.3.6.1.5.5.7.1.24"
CT_PRECERT_SCTS = "1.3.6.1.4.1.11129.2.4.2"

# --- extended key usages ---------------------------------------------------------
ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0"
SERVER_AUTH = "1.3.6.1.5.5.7.3.1"
CLIENT_AUTH = "1.3.6.1.5.5.7.3.2"
CODE_SIGNING = "1.3.6.1.5.5.7.3.3"
EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4"
TIME_STAMPING = "1.3.6.1.5.5.7.3.8"
OCSP_SIGNING = "1.3.6.1.5.5.7.3.9"
EKU_NAMES = {
    "serverAuth": SERVER_AUTH,
    "clientAuth": CLIENT_AUTH,
    "codeSigning": CODE_SIGNING,
    "emailProtection": EMAIL_PROTECTION,
    "timeStamping": TIME_STAMPING,
    "OCSPSigning": OCSP_SIGNING,
    "anyExtendedKeyUsage": ANY_EXTENDED_KEY_USAGE,
}

ANY_POLICY = "2.5.29.32.0"

# RFC 5280 §4.2.1.3 KeyUsage bit numbers.
KEY_USAGE_BITS = {
    "digitalSignature": 0,
    "contentCommitment": 1,
    "keyEncipherment": 2,
    "dataEncipherment": 3,
    "keyAgreement": 4,
    "keyCertSign": 5,
    "cRLSign": 6,
    "encipherOnly": 7,
    "decipherOnly": 8,
}

GeneralName = tuple[str, Any]


@dataclass(frozen=True, slots=True)
class Extension:
    oid: str
    critical: bool
    value: Any  # a typed value below, or the raw extnValue bytes
    der: bytes = b""  # the extnValue contents as found (or as encoded)

    @property
    def name(self) -> str:
        return EXTENSION_NAMES.get(self.oid, self.oid)


@dataclass(frozen=True, slots=True)
class BasicConstraints:
    ca: bool = False
    path_length: int | None = None


@dataclass(frozen=True, slots=True)
class KeyUsage:
    usages: frozenset[str]

    def __contains__(self, name: str) -> bool:
        return name in self.usages


@dataclass(frozen=True, slots=True)
class ExtendedKeyUsage:
    usages: tuple[str, ...]  # dotted OIDs

    def __contains__(self, oid: str) -> bool:
        return oid in self.usages


@dataclass(frozen=True, slots=True)
class SubjectAlternativeName:
    names: tuple[GeneralName, ...]


@dataclass(frozen=True, slots=True)
class IssuerAlternativeName:
    names: tuple[GeneralName, ...]


@dataclass(frozen=True, slots=True)
class NameConstraints:
    """``None`` means the field was absent; an empty tuple that it was present but empty."""

    permitted: tuple[GeneralName, ...] | None = None
    excluded: tuple[GeneralName, ...] | None = None


@dataclass(frozen=True, slots=True)
class AuthorityKeyIdentifier:
    key_identifier: bytes | None = None
    authority_cert_issuer: tuple[GeneralName, ...] | None = None
    authority_cert_serial_number: int | None = None


@dataclass(frozen=True, slots=True)
class SubjectKeyIdentifier:
    digest: bytes


@dataclass(frozen=True, slots=True)
class PolicyInformation:
    policy: str
    qualifiers: tuple[Any, ...] | None = None


@dataclass(frozen=True, slots=True)
class CertificatePolicies:
    policies: tuple[PolicyInformation, ...]


@dataclass(frozen=True, slots=True)
class PolicyMappings:
    mappings: tuple[tuple[str, str], ...]  # (issuerDomainPolicy, subjectDomainPolicy)


@dataclass(frozen=True, slots=True)
class PolicyConstraints:
    require_explicit_policy: int | None = None
    inhibit_policy_mapping: int | None = None


@dataclass(frozen=True, slots=True)
class InhibitAnyPolicy:
    skip_certs: int


@dataclass(frozen=True, slots=True)
class AccessDescription:
    method: str
    location: GeneralName


@dataclass(frozen=True, slots=True)
class AuthorityInformationAccess:
    descriptions: tuple[AccessDescription, ...]


@dataclass(frozen=True, slots=True)
class DistributionPoint:
    full_name: tuple[GeneralName, ...] | None = None
    relative_name: Any = None
    reasons: frozenset[str] | None = None
    crl_issuer: tuple[GeneralName, ...] | None = None


@dataclass(frozen=True, slots=True)
class CRLDistributionPoints:
    points: tuple[DistributionPoint, ...]


@dataclass(frozen=True, slots=True)
class TLSFeature:
    features: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class IssuingDistributionPoint:
    """The scope of a CRL (RFC 5280 §5.2.5)."""

    full_name: tuple[GeneralName, ...] | None = None
    only_user_certs: bool = False
    only_ca_certs: bool = False
    only_some_reasons: frozenset[str] | None = None
    indirect_crl: bool = False
    only_attribute_certs: bool = False
    relative_name: Any = None  # nameRelativeToCRLIssuer, as the grammar decodes it


@dataclass(frozen=True, slots=True)
class CRLNumber:
    number: int


@dataclass(frozen=True, slots=True)
class CRLReason:
    reason: str


EXTENSION_NAMES = {
    SUBJECT_KEY_IDENTIFIER: "subjectKeyIdentifier",
    KEY_USAGE: "keyUsage",
    SUBJECT_ALT_NAME: "subjectAltName",
    ISSUER_ALT_NAME: "issuerAltName",
    BASIC_CONSTRAINTS: "basicConstraints",
    CRL_NUMBER: "cRLNumber",
    REASON_CODE: "reasonCode",
    INVALIDITY_DATE: "invalidityDate",
    DELTA_CRL_INDICATOR: "deltaCRLIndicator",
    ISSUING_DISTRIBUTION_POINT: "issuingDistributionPoint",
    CERTIFICATE_ISSUER: "certificateIssuer",
    NAME_CONSTRAINTS: "nameConstraints",
    CRL_DISTRIBUTION_POINTS: "cRLDistributionPoints",
    CERTIFICATE_POLICIES: "certificatePolicies",
    POLICY_MAPPINGS: "policyMappings",
    AUTHORITY_KEY_IDENTIFIER: "authorityKeyIdentifier",
    POLICY_CONSTRAINTS: "policyConstraints",
    EXTENDED_KEY_USAGE: "extKeyUsage",
    FRESHEST_CRL: "freshestCRL",
    INHIBIT_ANY_POLICY: "inhibitAnyPolicy",
    AUTHORITY_INFORMATION_ACCESS: "authorityInfoAccess",
    SUBJECT_INFORMATION_ACCESS: "subjectInfoAccess",
    TLS_FEATURE: "tlsFeature",
    CT_PRECERT_SCTS: "signedCertificateTimestampList",
}
