"""x509 model objects -> DER, through the grammars of ``x509._schema``."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from asn1 import der
from asn1.errors import Asn1Error
from asn1.values import Any as AnyValue
from asn1.values import BitString
from x509 import _schema as S
from x509 import algorithms as alg
from x509 import extensions as ext
from x509.hostname import IPAddressValue
from x509.keys import HASH_LENGTH, PublicKey
from x509.name import Name, NameAttribute

NULL_DER = b"\x05\x00"


def _encode(grammar: Any, value: Any, what: str) -> bytes:
    try:
        return der.encode(grammar, value)
    except Asn1Error as exc:
        raise ValueError(f"cannot encode {what}: {exc}") from None


# -- names ---------------------------------------------------------------------------


def attribute(a: NameAttribute) -> dict[str, Any]:
    if isinstance(a.value, bytes):
        raw = a.value
    else:
        raw = _encode(S.DirectoryString, (a.string_type, a.value), f"attribute {a.oid}")
    return {"type": a.oid, "value": AnyValue(raw)}


def name_value(n: Name) -> list[list[dict[str, Any]]]:
    return [[attribute(a) for a in rdn] for rdn in n.rdns]


def name(n: Name) -> bytes:
    """The DER of a Name (its original bytes when it was parsed)."""
    if n.der is not None:
        return n.der
    return _encode(S.Name, name_value(n), "Name")


def general_name(gn: ext.GeneralName) -> tuple[str, Any]:
    kind, v = gn
    if kind == "dns":
        return ("dNSName", v)
    if kind == "ip":
        raw = v.raw if isinstance(v, IPAddressValue) else v.packed
        return ("iPAddress", raw)
    if kind == "email":
        return ("rfc822Name", v)
    if kind == "uri":
        return ("uniformResourceIdentifier", v)
    if kind == "dirname":
        return ("directoryName", name_value(v))
    if kind == "rid":
        return ("registeredID", v)
    if kind == "other":
        type_id, value_der = v
        return ("otherName", {"type-id": type_id, "value": AnyValue(value_der)})
    if kind == "x400":
        return ("x400Address", [AnyValue(d) for d in v])
    if kind == "edi":
        return ("ediPartyName", [AnyValue(d) for d in v])
    raise ValueError(f"unknown general name kind {kind!r}")


def general_names(names: tuple[ext.GeneralName, ...]) -> list[tuple[str, Any]]:
    return [general_name(g) for g in names]


# -- extensions ----------------------------------------------------------------------


def _extension_value(value: Any) -> tuple[Any, Any]:
    """(grammar, grammar value) for a typed extension value."""
    if isinstance(value, ext.BasicConstraints):
        v: dict[str, Any] = {"cA": value.ca}
        if value.path_length is not None:
            v["pathLenConstraint"] = value.path_length
        return S.BasicConstraints, v
    if isinstance(value, ext.KeyUsage):
        return S.KeyUsage, frozenset(value.usages)
    if isinstance(value, ext.ExtendedKeyUsage):
        return S.ExtKeyUsageSyntax, list(value.usages)
    if isinstance(value, ext.SubjectAlternativeName | ext.IssuerAlternativeName):
        return S.GeneralNames, general_names(value.names)
    if isinstance(value, ext.NameConstraints):
        nc: dict[str, Any] = {}
        if value.permitted:
            nc["permittedSubtrees"] = [{"base": general_name(g)} for g in value.permitted]
        if value.excluded:
            nc["excludedSubtrees"] = [{"base": general_name(g)} for g in value.excluded]
        return S.NameConstraints, nc
    if isinstance(value, ext.AuthorityKeyIdentifier):
        aki: dict[str, Any] = {}
        if value.key_identifier is not None:
            aki["keyIdentifier"] = value.key_identifier
        if value.authority_cert_issuer is not None:
            aki["authorityCertIssuer"] = general_names(value.authority_cert_issuer)
        if value.authority_cert_serial_number is not None:
            aki["authorityCertSerialNumber"] = value.authority_cert_serial_number
        return S.AuthorityKeyIdentifier, aki
    if isinstance(value, ext.SubjectKeyIdentifier):
        return S.SubjectKeyIdentifier, value.digest
    if isinstance(value, ext.CertificatePolicies):
        infos = []
        for pi in value.policies:
            info: dict[str, Any] = {"policyIdentifier": pi.policy}
            if pi.qualifiers:
                info["policyQualifiers"] = [AnyValue(q) for q in pi.qualifiers]
            infos.append(info)
        return S.CertificatePolicies, infos
    if isinstance(value, ext.PolicyMappings):
        return S.PolicyMappings, [
            {"issuerDomainPolicy": a, "subjectDomainPolicy": b} for a, b in value.mappings
        ]
    if isinstance(value, ext.PolicyConstraints):
        pc: dict[str, Any] = {}
        if value.require_explicit_policy is not None:
            pc["requireExplicitPolicy"] = value.require_explicit_policy
        if value.inhibit_policy_mapping is not None:
            pc["inhibitPolicyMapping"] = value.inhibit_policy_mapping
        return S.PolicyConstraints, pc
    if isinstance(value, ext.InhibitAnyPolicy):
        return S.InhibitAnyPolicy, value.skip_certs
    if isinstance(value, ext.AuthorityInformationAccess):
        return S.AuthorityInfoAccessSyntax, [
            {"accessMethod": d.method, "accessLocation": general_name(d.location)}
            for d in value.descriptions
        ]
    if isinstance(value, ext.CRLDistributionPoints):
        points = []
        for p in value.points:
            dp: dict[str, Any] = {}
            if p.full_name is not None:
                dp["distributionPoint"] = ("fullName", general_names(p.full_name))
            elif p.relative_name is not None:
                dp["distributionPoint"] = ("nameRelativeToCRLIssuer", p.relative_name)
            if p.reasons is not None:
                dp["reasons"] = frozenset(p.reasons)
            if p.crl_issuer is not None:
                dp["cRLIssuer"] = general_names(p.crl_issuer)
            points.append(dp)
        return S.CRLDistributionPoints, points
    if isinstance(value, ext.TLSFeature):
        return S.TLSFeature, list(value.features)
    if isinstance(value, ext.CRLNumber):
        return S.CRLNumber, value.number
    raise TypeError(f"cannot encode extension value {type(value).__name__}")


def extension_value(value: Any) -> bytes:
    """The extnValue contents for a typed value (raw bytes pass through)."""
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    grammar, v = _extension_value(value)
    return _encode(grammar, v, type(value).__name__)


def extensions(items: list[ext.Extension]) -> list[dict[str, Any]]:
    out = []
    for e in items:
        item: dict[str, Any] = {"extnID": e.oid, "extnValue": extension_value(e.value)}
        if e.critical:
            item["critical"] = True
        out.append(item)
    return out


# -- algorithms and keys -------------------------------------------------------------


def _hash_ai(hash_name: str) -> dict[str, Any]:
    return {"algorithm": alg.HASH_OID_OF[hash_name], "parameters": AnyValue(NULL_DER)}


def pss_params(hash_name: str, salt_length: int | None = None) -> bytes:
    mgf = {
        "algorithm": alg.MGF1,
        "parameters": AnyValue(_encode(S.AlgorithmIdentifier, _hash_ai(hash_name), "MGF1")),
    }
    return _encode(
        S.RSASSA_PSS_params,
        {
            "hashAlgorithm": _hash_ai(hash_name),
            "maskGenAlgorithm": mgf,
            "saltLength": HASH_LENGTH[hash_name] if salt_length is None else salt_length,
        },
        "RSASSA-PSS-params",
    )


def signature_algorithm(scheme: str) -> dict[str, Any]:
    """The AlgorithmIdentifier announcing a signature scheme."""
    if scheme.startswith("rsa_pss_"):
        return {"algorithm": alg.RSASSA_PSS, "parameters": AnyValue(pss_params(scheme[8:]))}
    oid = alg.SCHEME_OIDS.get(scheme)
    if oid is None:
        raise ValueError(f"no AlgorithmIdentifier for {scheme!r}")
    if scheme.startswith("rsa_pkcs1_"):
        return {"algorithm": oid, "parameters": AnyValue(NULL_DER)}
    return {"algorithm": oid}


def subject_public_key_bits(key: PublicKey) -> bytes:
    """The contents of the subjectPublicKey BIT STRING."""
    if key.algorithm in ("rsa", "rsa-pss"):
        n = key.public_numbers()
        return _encode(S.RSAPublicKey, {"modulus": n["n"], "publicExponent": n["e"]}, "RSA key")
    return key.raw


def spki(key: PublicKey) -> bytes:
    if key.algorithm == "rsa":
        ai: dict[str, Any] = {"algorithm": alg.RSA_ENCRYPTION, "parameters": AnyValue(NULL_DER)}
    elif key.algorithm == "rsa-pss":
        ai = {"algorithm": alg.RSASSA_PSS}
        if key.pss is not None:
            ai["parameters"] = AnyValue(pss_params(key.pss.hash, key.pss.salt_length))
    elif key.algorithm == "ec":
        assert key.curve is not None
        curve = _encode(S.OID, alg.CURVE_OIDS[key.curve], "curve")
        ai = {"algorithm": alg.EC_PUBLIC_KEY, "parameters": AnyValue(curve)}
    else:
        ai = {"algorithm": alg.OCTET_KEY_OIDS[key.algorithm]}
    return _encode(
        S.SubjectPublicKeyInfo,
        {"algorithm": ai, "subjectPublicKey": BitString(subject_public_key_bits(key), 0)},
        "SubjectPublicKeyInfo",
    )


# -- certificates --------------------------------------------------------------------


def _time(when: _dt.datetime) -> tuple[str, _dt.datetime]:
    # RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050
    return ("utcTime", when) if 1950 <= when.year < 2050 else ("generalTime", when)


def tbs_certificate(
    *,
    version: int,
    serial: int,
    scheme: str,
    issuer: Name,
    not_before: _dt.datetime,
    not_after: _dt.datetime,
    subject: Name,
    public_key: PublicKey,
    extensions: list[ext.Extension],
) -> bytes:
    tbs: dict[str, Any] = {
        "version": version - 1,
        "serialNumber": serial,
        "signature": (signature_algorithm(scheme), None),
        "issuer": (None, name(issuer)),
        "validity": {"notBefore": _time(not_before), "notAfter": _time(not_after)},
        "subject": (None, name(subject)),
        "subjectPublicKeyInfo": (None, public_key.to_der()),
    }
    if extensions:
        tbs["extensions"] = globals()["extensions"](extensions)
    return _encode(S.TBSCertificate, tbs, "TBSCertificate")


def certificate(tbs: bytes, scheme: str, signature: bytes) -> bytes:
    return _encode(
        S.Certificate,
        {
            "tbsCertificate": (None, tbs),
            "signatureAlgorithm": (signature_algorithm(scheme), None),
            "signatureValue": BitString(signature, 0),
        },
        "Certificate",
    )
