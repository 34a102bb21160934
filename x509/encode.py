"""x509 model objects -> DER, through the shared grammars of ``x509.grammar``."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from asn1 import der
from asn1.errors import Asn1Error
from asn1.values import Any as AnyValue
from asn1.values import BitString
from x509 import algorithms as alg
from x509 import extensions as ext
from x509 import grammar as G
from x509.grammar.names import STRING_ATTRIBUTES
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


_STRING_ATTRIBUTES = frozenset(STRING_ATTRIBUTES)


def attribute(a: NameAttribute) -> dict[str, Any]:
    from x509.decode import GRAMMAR_STRING_TYPES

    if isinstance(a.value, bytes):
        return {"type": a.oid, "value": AnyValue(a.value)}
    kind = GRAMMAR_STRING_TYPES.get(a.string_type)
    if kind is None:
        raise ValueError(f"unknown string type {a.string_type!r}")
    if a.oid in _STRING_ATTRIBUTES:
        return {"type": a.oid, "value": (kind, a.value)}
    raw = _encode(G.DirectoryString, (kind, a.value), f"attribute {a.oid}")
    return {"type": a.oid, "value": AnyValue(raw)}


def name_value(n: Name) -> list[list[dict[str, Any]]]:
    return [[attribute(a) for a in rdn] for rdn in n.rdns]


def name(n: Name) -> bytes:
    """The DER of a Name (its original bytes when it was parsed)."""
    if n.der is not None:
        return n.der
    return _encode(G.Name, name_value(n), "Name")


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
    from x509.builder import _OID_OF

    oid = _OID_OF.get(type(value))
    if oid is None:
        raise TypeError(f"cannot encode extension value {type(value).__name__}")
    return G.EXTENSION_VALUES[oid], _grammar_value(value)


def _grammar_value(value: Any) -> Any:
    """The grammar's value for a typed extension value."""
    if isinstance(value, ext.BasicConstraints):
        v: dict[str, Any] = {"cA": value.ca}
        if value.path_length is not None:
            v["pathLenConstraint"] = value.path_length
        return v
    if isinstance(value, ext.KeyUsage):
        return frozenset("nonRepudiation" if u == "contentCommitment" else u for u in value.usages)
    if isinstance(value, ext.ExtendedKeyUsage):
        return list(value.usages)
    if isinstance(value, ext.SubjectAlternativeName | ext.IssuerAlternativeName):
        return general_names(value.names)
    if isinstance(value, ext.NameConstraints):
        nc: dict[str, Any] = {}
        if value.permitted:
            nc["permittedSubtrees"] = [{"base": general_name(g)} for g in value.permitted]
        if value.excluded:
            nc["excludedSubtrees"] = [{"base": general_name(g)} for g in value.excluded]
        return nc
    if isinstance(value, ext.AuthorityKeyIdentifier):
        aki: dict[str, Any] = {}
        if value.key_identifier is not None:
            aki["keyIdentifier"] = value.key_identifier
        if value.authority_cert_issuer is not None:
            aki["authorityCertIssuer"] = general_names(value.authority_cert_issuer)
        if value.authority_cert_serial_number is not None:
            aki["authorityCertSerialNumber"] = value.authority_cert_serial_number
        return aki
    if isinstance(value, ext.SubjectKeyIdentifier):
        return value.digest
    if isinstance(value, ext.CertificatePolicies):
        infos = []
        for pi in value.policies:
            info: dict[str, Any] = {"policyIdentifier": pi.policy}
            if pi.qualifiers:
                info["policyQualifiers"] = list(pi.qualifiers)
            infos.append(info)
        return infos
    if isinstance(value, ext.PolicyMappings):
        return [{"issuerDomainPolicy": a, "subjectDomainPolicy": b} for a, b in value.mappings]
    if isinstance(value, ext.PolicyConstraints):
        pc: dict[str, Any] = {}
        if value.require_explicit_policy is not None:
            pc["requireExplicitPolicy"] = value.require_explicit_policy
        if value.inhibit_policy_mapping is not None:
            pc["inhibitPolicyMapping"] = value.inhibit_policy_mapping
        return pc
    if isinstance(value, ext.InhibitAnyPolicy):
        return value.skip_certs
    if isinstance(value, ext.AuthorityInformationAccess):
        return [
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
        return points
    if isinstance(value, ext.TLSFeature):
        return list(value.features)
    if isinstance(value, ext.CRLNumber):
        return value.number
    raise TypeError(f"cannot encode extension value {type(value).__name__}")


def extension_value(value: Any) -> bytes:
    """The extnValue contents for a typed value (raw bytes pass through)."""
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    grammar, v = _extension_value(value)
    return _encode(grammar, v, type(value).__name__)


def extensions(items: list[ext.Extension], decoded: bool = False) -> list[dict[str, Any]]:
    """Grammar items for ``G.ShallowExtensions`` (extnValue as bytes) or, with
    ``decoded``, for ``G.Extensions`` (extnValue as the grammar's value)."""
    out = []
    for e in items:
        if decoded and not isinstance(e.value, bytes | bytearray):
            value: Any = _grammar_value(e.value)
        else:
            value = extension_value(e.value)
        item: dict[str, Any] = {"extnID": e.oid, "extnValue": value}
        if e.critical:
            item["critical"] = True
        out.append(item)
    return out


# -- algorithms and keys -------------------------------------------------------------


def _hash_ai(hash_name: str) -> dict[str, Any]:
    return {"algorithm": alg.HASH_OID_OF[hash_name], "parameters": None}


def pss_params(hash_name: str, salt_length: int | None = None) -> dict[str, Any]:
    """RSASSA-PSS-params (RFC 4055): the hash, MGF1 with the same hash, the salt."""
    return {
        "hashAlgorithm": _hash_ai(hash_name),
        "maskGenAlgorithm": {"algorithm": alg.MGF1, "parameters": _hash_ai(hash_name)},
        "saltLength": HASH_LENGTH[hash_name] if salt_length is None else salt_length,
    }


def signature_algorithm(scheme: str) -> dict[str, Any]:
    """The AlgorithmIdentifier announcing a signature scheme."""
    if scheme.startswith("rsa_pss_"):
        return {"algorithm": alg.RSASSA_PSS, "parameters": pss_params(scheme[8:])}
    oid = alg.SCHEME_OIDS.get(scheme)
    if oid is None:
        raise ValueError(f"no AlgorithmIdentifier for {scheme!r}")
    if scheme.startswith("rsa_pkcs1_"):
        return {"algorithm": oid, "parameters": None}
    return {"algorithm": oid}


def subject_public_key_bits(key: PublicKey) -> bytes:
    """The contents of the subjectPublicKey BIT STRING."""
    if key.algorithm in ("rsa", "rsa-pss"):
        n = key.public_numbers()
        return _encode(G.RSAPublicKey, {"modulus": n["n"], "publicExponent": n["e"]}, "RSA key")
    return key.raw


def spki(key: PublicKey) -> bytes:
    bits: Any = BitString(subject_public_key_bits(key), 0)
    if key.algorithm == "rsa":
        ai: dict[str, Any] = {"algorithm": alg.RSA_ENCRYPTION, "parameters": None}
        n = key.public_numbers()
        bits = {"modulus": n["n"], "publicExponent": n["e"]}  # the grammar wraps it
    elif key.algorithm == "rsa-pss":
        ai = {"algorithm": alg.RSASSA_PSS}
        if key.pss is not None:
            ai["parameters"] = pss_params(key.pss.hash, key.pss.salt_length)
    elif key.algorithm == "ec":
        assert key.curve is not None
        ai = {
            "algorithm": alg.EC_PUBLIC_KEY,
            "parameters": ("namedCurve", alg.CURVE_OIDS[key.curve]),
        }
    else:
        ai = {"algorithm": alg.OCTET_KEY_OIDS[key.algorithm]}
    return _encode(
        G.SubjectPublicKeyInfo, {"algorithm": ai, "subjectPublicKey": bits}, "SubjectPublicKeyInfo"
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
    return _encode(G.ShallowTBSCertificate, tbs, "TBSCertificate")


def certificate(tbs: bytes, scheme: str, signature: bytes) -> bytes:
    return _encode(
        G.ShallowCertificate,
        {
            "tbsCertificate": (None, tbs),
            "signatureAlgorithm": (signature_algorithm(scheme), None),
            "signatureValue": BitString(signature, 0),
        },
        "Certificate",
    )
