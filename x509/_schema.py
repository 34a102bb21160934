"""ASN.1 grammars x509 decodes and encodes with (RFC 5280, 5208/5958, 3447/8017, 5915,
4055, 8018, 2986), declared with the ``asn1`` combinators.

Interim: the project's shared declarations are to live in ``x509/grammar/`` (owned
by the asn1 developer); until they land, x509 uses these.  Values follow the
combinators' shapes: SEQUENCE -> dict keyed by the RFC field names (OPTIONAL fields
absent when not encoded), CHOICE -> (alternative, value), SEQUENCE/SET OF -> list,
``raw(g)`` -> (value, exact bytes), ANY -> ``asn1.values.Any``.
"""

from __future__ import annotations

from asn1.grammar import (
    ANY,
    bit_string,
    bmp_string,
    boolean,
    choice,
    default,
    enumerated,
    explicit,
    field,
    generalized_time,
    ia5_string,
    implicit,
    integer,
    named_bits,
    null,
    numeric_string,
    octet_string,
    oid,
    optional,
    printable_string,
    raw,
    sequence,
    sequence_of,
    set_of,
    teletex_string,
    universal_string,
    utc_time,
    utf8_string,
    visible_string,
)
from x509.extensions import KEY_USAGE_BITS

AlgorithmIdentifier = sequence(
    field("algorithm", oid), optional("parameters", ANY), name="AlgorithmIdentifier"
)

# -- names ------------------------------------------------------------------------
AttributeTypeAndValue = sequence(
    field("type", oid), field("value", ANY), name="AttributeTypeAndValue"
)
RelativeDistinguishedName = set_of(AttributeTypeAndValue, min=1, name="RDN")
Name = sequence_of(RelativeDistinguishedName, name="Name")
DirectoryString = choice(
    ("teletex", teletex_string),
    ("printable", printable_string),
    ("universal", universal_string),
    ("utf8", utf8_string),
    ("bmp", bmp_string),
    ("ia5", ia5_string),
    ("visible", visible_string),
    ("numeric", numeric_string),
    name="DirectoryString",
)

OtherName = sequence(field("type-id", oid), field("value", explicit(0, ANY)), name="OtherName")
GeneralName = choice(
    ("otherName", implicit(0, OtherName)),
    ("rfc822Name", implicit(1, ia5_string)),
    ("dNSName", implicit(2, ia5_string)),
    ("x400Address", implicit(3, sequence_of(ANY))),
    ("directoryName", explicit(4, Name)),
    ("ediPartyName", implicit(5, sequence_of(ANY))),
    ("uniformResourceIdentifier", implicit(6, ia5_string)),
    ("iPAddress", implicit(7, octet_string)),
    ("registeredID", implicit(8, oid)),
    name="GeneralName",
)
GeneralNames = sequence_of(GeneralName, min=1, name="GeneralNames")

# -- certificate ------------------------------------------------------------------
Time = choice(("utcTime", utc_time), ("generalTime", generalized_time), name="Time")
Validity = sequence(field("notBefore", Time), field("notAfter", Time), name="Validity")
SubjectPublicKeyInfo = sequence(
    field("algorithm", AlgorithmIdentifier),
    field("subjectPublicKey", bit_string),
    name="SubjectPublicKeyInfo",
)
Extension = sequence(
    field("extnID", oid),
    default("critical", boolean, False),
    field("extnValue", octet_string),
    name="Extension",
)
Extensions = sequence_of(Extension, min=1, name="Extensions")
TBSCertificate = sequence(
    default("version", explicit(0, integer), 0),
    field("serialNumber", integer),
    field("signature", raw(AlgorithmIdentifier)),
    field("issuer", raw(Name)),
    field("validity", Validity),
    field("subject", raw(Name)),
    field("subjectPublicKeyInfo", raw(SubjectPublicKeyInfo)),
    optional("issuerUniqueID", implicit(1, bit_string)),
    optional("subjectUniqueID", implicit(2, bit_string)),
    optional("extensions", explicit(3, Extensions)),
    name="TBSCertificate",
)
Certificate = sequence(
    field("tbsCertificate", raw(TBSCertificate)),
    field("signatureAlgorithm", raw(AlgorithmIdentifier)),
    field("signatureValue", bit_string),
    name="Certificate",
)

# -- extension values (RFC 5280 §4.2) ---------------------------------------------
BasicConstraints = sequence(
    default("cA", boolean, False),
    optional("pathLenConstraint", integer),
    name="BasicConstraints",
)
KeyUsage = named_bits(KEY_USAGE_BITS)
ExtKeyUsageSyntax = sequence_of(oid, min=1, name="ExtKeyUsageSyntax")
GeneralSubtree = sequence(
    field("base", GeneralName),
    default("minimum", implicit(0, integer), 0),
    optional("maximum", implicit(1, integer)),
    name="GeneralSubtree",
)
GeneralSubtrees = sequence_of(GeneralSubtree, min=1)
NameConstraints = sequence(
    optional("permittedSubtrees", implicit(0, GeneralSubtrees)),
    optional("excludedSubtrees", implicit(1, GeneralSubtrees)),
    name="NameConstraints",
)
AuthorityKeyIdentifier = sequence(
    optional("keyIdentifier", implicit(0, octet_string)),
    optional("authorityCertIssuer", implicit(1, GeneralNames)),
    optional("authorityCertSerialNumber", implicit(2, integer)),
    name="AuthorityKeyIdentifier",
)
SubjectKeyIdentifier = octet_string
PolicyInformation = sequence(
    field("policyIdentifier", oid),
    optional("policyQualifiers", sequence_of(ANY, min=1)),
    name="PolicyInformation",
)
CertificatePolicies = sequence_of(PolicyInformation, min=1, name="CertificatePolicies")
PolicyMappings = sequence_of(
    sequence(field("issuerDomainPolicy", oid), field("subjectDomainPolicy", oid)),
    min=1,
    name="PolicyMappings",
)
PolicyConstraints = sequence(
    optional("requireExplicitPolicy", implicit(0, integer)),
    optional("inhibitPolicyMapping", implicit(1, integer)),
    name="PolicyConstraints",
)
InhibitAnyPolicy = integer
AccessDescription = sequence(
    field("accessMethod", oid), field("accessLocation", GeneralName), name="AccessDescription"
)
AuthorityInfoAccessSyntax = sequence_of(AccessDescription, min=1, name="AuthorityInfoAccess")
DistributionPointName = choice(
    ("fullName", implicit(0, GeneralNames)),
    ("nameRelativeToCRLIssuer", implicit(1, RelativeDistinguishedName)),
)
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
DistributionPoint = sequence(
    optional("distributionPoint", explicit(0, DistributionPointName)),
    optional("reasons", implicit(1, named_bits(REASON_BITS))),
    optional("cRLIssuer", implicit(2, GeneralNames)),
    name="DistributionPoint",
)
CRLDistributionPoints = sequence_of(DistributionPoint, min=1, name="CRLDistributionPoints")
TLSFeature = sequence_of(integer, min=1, name="TLSFeature")
CRLNumber = integer
CRLReason = enumerated

# -- CRL (RFC 5280 §5) --------------------------------------------------------------
RevokedCertificate = sequence(
    field("userCertificate", integer),
    field("revocationDate", Time),
    optional("crlEntryExtensions", Extensions),
    name="RevokedCertificate",
)
TBSCertList = sequence(
    optional("version", integer),
    field("signature", AlgorithmIdentifier),
    field("issuer", raw(Name)),
    field("thisUpdate", Time),
    optional("nextUpdate", Time),
    optional("revokedCertificates", sequence_of(RevokedCertificate, min=1)),
    optional("crlExtensions", explicit(0, Extensions)),
    name="TBSCertList",
)
CertificateList = sequence(
    field("tbsCertList", raw(TBSCertList)),
    field("signatureAlgorithm", AlgorithmIdentifier),
    field("signatureValue", bit_string),
    name="CertificateList",
)

# -- PKCS#10 (RFC 2986) --------------------------------------------------------------
Attribute = sequence(field("type", oid), field("values", set_of(ANY)), name="Attribute")
CertificationRequestInfo = sequence(
    field("version", integer),
    field("subject", raw(Name)),
    field("subjectPKInfo", raw(SubjectPublicKeyInfo)),
    field("attributes", implicit(0, set_of(Attribute))),
    name="CertificationRequestInfo",
)
CertificationRequest = sequence(
    field("certificationRequestInfo", raw(CertificationRequestInfo)),
    field("signatureAlgorithm", AlgorithmIdentifier),
    field("signature", bit_string),
    name="CertificationRequest",
)

# -- keys --------------------------------------------------------------------------
RSAPublicKey = sequence(
    field("modulus", integer), field("publicExponent", integer), name="RSAPublicKey"
)
RSAPrivateKey = sequence(
    field("version", integer),
    field("modulus", integer),
    field("publicExponent", integer),
    field("privateExponent", integer),
    field("prime1", integer),
    field("prime2", integer),
    field("exponent1", integer),
    field("exponent2", integer),
    field("coefficient", integer),
    optional("otherPrimeInfos", sequence_of(ANY, min=1)),
    name="RSAPrivateKey",
)
RSASSA_PSS_params = sequence(
    optional("hashAlgorithm", explicit(0, AlgorithmIdentifier)),
    optional("maskGenAlgorithm", explicit(1, AlgorithmIdentifier)),
    optional("saltLength", explicit(2, integer)),
    optional("trailerField", explicit(3, integer)),
    name="RSASSA-PSS-params",
)
ECPrivateKey = sequence(
    field("version", integer),
    field("privateKey", octet_string),
    optional("parameters", explicit(0, ANY)),
    optional("publicKey", explicit(1, bit_string)),
    name="ECPrivateKey",
)
OneAsymmetricKey = sequence(
    field("version", integer),
    field("privateKeyAlgorithm", AlgorithmIdentifier),
    field("privateKey", octet_string),
    optional("attributes", implicit(0, set_of(ANY))),
    optional("publicKey", implicit(1, bit_string)),
    name="OneAsymmetricKey",
)
EncryptedPrivateKeyInfo = sequence(
    field("encryptionAlgorithm", AlgorithmIdentifier),
    field("encryptedData", octet_string),
    name="EncryptedPrivateKeyInfo",
)
PBES2_params = sequence(
    field("keyDerivationFunc", AlgorithmIdentifier),
    field("encryptionScheme", AlgorithmIdentifier),
    name="PBES2-params",
)
PBKDF2_params = sequence(
    field("salt", octet_string),
    field("iterationCount", integer),
    optional("keyLength", integer),
    optional("prf", AlgorithmIdentifier),
    name="PBKDF2-params",
)
CurvePrivateKey = octet_string
NULL = null
OID = oid
INTEGER = integer
OCTET_STRING = octet_string
