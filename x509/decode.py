"""DER bytes -> x509 model objects, through the shared grammars of ``x509.grammar``.

Every failure becomes ``x509.ParseError`` carrying the ASN.1 path of the element at
fault (e.g. ``Certificate.tbsCertificate.extensions[3]: subjectAltName``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

import asn1
from asn1 import der
from asn1.errors import Asn1Error, DecodeError
from asn1.values import BitString
from x509 import algorithms as alg
from x509 import extensions as ext
from x509 import grammar as G
from x509.errors import ParseError, UnsupportedAlgorithm
from x509.hostname import IPAddressValue
from x509.keys import PssRestriction, PublicKey
from x509.name import Name, NameAttribute


def parse(grammar: Any, data: bytes, where: str) -> Any:
    try:
        return der.decode(grammar, data)
    except DecodeError as exc:
        path = exc.path or where
        if not path.startswith(where.split(".")[0]):
            path = f"{where}.{path}"
        raise ParseError(exc.message, path) from None
    except Asn1Error as exc:
        raise ParseError(str(exc), where) from None


# -- names ---------------------------------------------------------------------------


# grammar string-type names -> NameAttribute.string_type
STRING_TYPES = {
    "utf8String": "utf8",
    "printableString": "printable",
    "ia5String": "ia5",
    "teletexString": "teletex",
    "bmpString": "bmp",
    "universalString": "universal",
    "visibleString": "visible",
    "numericString": "numeric",
}
GRAMMAR_STRING_TYPES = {v: k for k, v in STRING_TYPES.items()}


def attribute(item: dict[str, Any]) -> NameAttribute:
    value = item["value"]
    if isinstance(value, tuple):
        kind, text = value
        return NameAttribute(item["type"], text, STRING_TYPES[kind])
    try:
        kind, text = der.decode(G.DirectoryString, value.der)
        return NameAttribute(item["type"], text, STRING_TYPES[kind])
    except Asn1Error:
        # not a directory string: keep the exact DER so the name re-encodes
        return NameAttribute(item["type"], value.der, "der")


def name(rdns: list[list[dict[str, Any]]], raw: bytes | None = None) -> Name:
    return Name([[attribute(a) for a in rdn] for rdn in rdns], der=raw)


def general_name(choice: tuple[str, Any]) -> ext.GeneralName:
    kind, v = choice
    if kind == "dNSName":
        return ("dns", v)
    if kind == "iPAddress":
        return ("ip", IPAddressValue(v))
    if kind == "rfc822Name":
        return ("email", v)
    if kind == "uniformResourceIdentifier":
        return ("uri", v)
    if kind == "directoryName":
        return ("dirname", name(v))
    if kind == "otherName":
        return ("other", (v["type-id"], v["value"].der))
    if kind == "registeredID":
        return ("rid", v)
    if kind == "x400Address":
        return ("x400", tuple(a.der for a in v))
    return ("edi", tuple(a.der for a in v))


def general_names(values: list[tuple[str, Any]]) -> tuple[ext.GeneralName, ...]:
    return tuple(general_name(v) for v in values)


def time(choice: tuple[str, _dt.datetime]) -> _dt.datetime:
    return choice[1]


# -- extensions ----------------------------------------------------------------------


def _subtrees(v: list[dict[str, Any]] | None) -> tuple[ext.GeneralName, ...] | None:
    if v is None:
        return None
    out = []
    for subtree in v:
        if subtree.get("minimum", 0) != 0 or "maximum" in subtree:
            # RFC 5280 §4.2.1.10: minimum MUST be zero, maximum MUST be absent
            raise ValueError("name constraint subtree with minimum/maximum")
        out.append(general_name(subtree["base"]))
    return tuple(out)


def _key_usage(bits: frozenset[Any]) -> ext.KeyUsage:
    # the grammar keeps X.509's older name for bit 1
    names = {"contentCommitment" if b == "nonRepudiation" else b for b in bits}
    return ext.KeyUsage(frozenset(b for b in names if isinstance(b, str)))


def _policies(v: list[dict[str, Any]]) -> ext.CertificatePolicies:
    seen = [p["policyIdentifier"] for p in v]
    if len(set(seen)) != len(seen):
        raise ValueError("a policy appears twice in certificatePolicies")
    return ext.CertificatePolicies(
        tuple(
            ext.PolicyInformation(
                p["policyIdentifier"],
                tuple(p["policyQualifiers"]) if "policyQualifiers" in p else None,
            )
            for p in v
        )
    )


def _distribution_points(v: list[dict[str, Any]]) -> ext.CRLDistributionPoints:
    points = []
    for dp in v:
        full = relative = None
        if "distributionPoint" in dp:
            kind, value = dp["distributionPoint"]
            if kind == "fullName":
                full = general_names(value)
            else:
                relative = value
        points.append(
            ext.DistributionPoint(
                full,
                relative,
                dp.get("reasons"),
                general_names(dp["cRLIssuer"]) if "cRLIssuer" in dp else None,
            )
        )
    return ext.CRLDistributionPoints(tuple(points))


def _reason(v: int) -> ext.CRLReason:
    if v not in G.CRL_REASONS:
        raise ValueError(f"unknown CRL reason code {v}")
    return ext.CRLReason(G.CRL_REASONS[v])


# extension OID -> converter from the grammar's value (grammars: G.EXTENSION_VALUES)
EXTENSION_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    ext.BASIC_CONSTRAINTS: lambda v: ext.BasicConstraints(v["cA"], v.get("pathLenConstraint")),
    ext.KEY_USAGE: _key_usage,
    ext.EXTENDED_KEY_USAGE: lambda v: ext.ExtendedKeyUsage(tuple(v)),
    ext.SUBJECT_ALT_NAME: (lambda v: ext.SubjectAlternativeName(general_names(v))),
    ext.ISSUER_ALT_NAME: lambda v: ext.IssuerAlternativeName(general_names(v)),
    ext.NAME_CONSTRAINTS: (
        lambda v: ext.NameConstraints(
            _subtrees(v.get("permittedSubtrees")), _subtrees(v.get("excludedSubtrees"))
        )
    ),
    ext.AUTHORITY_KEY_IDENTIFIER: (
        lambda v: ext.AuthorityKeyIdentifier(
            v.get("keyIdentifier"),
            general_names(v["authorityCertIssuer"]) if "authorityCertIssuer" in v else None,
            v.get("authorityCertSerialNumber"),
        )
    ),
    ext.SUBJECT_KEY_IDENTIFIER: ext.SubjectKeyIdentifier,
    ext.CERTIFICATE_POLICIES: _policies,
    ext.POLICY_MAPPINGS: (
        lambda v: ext.PolicyMappings(
            tuple((m["issuerDomainPolicy"], m["subjectDomainPolicy"]) for m in v)
        )
    ),
    ext.POLICY_CONSTRAINTS: (
        lambda v: ext.PolicyConstraints(
            v.get("requireExplicitPolicy"), v.get("inhibitPolicyMapping")
        )
    ),
    ext.INHIBIT_ANY_POLICY: ext.InhibitAnyPolicy,
    ext.AUTHORITY_INFORMATION_ACCESS: (
        lambda v: ext.AuthorityInformationAccess(
            tuple(
                ext.AccessDescription(a["accessMethod"], general_name(a["accessLocation"]))
                for a in v
            )
        )
    ),
    ext.CRL_DISTRIBUTION_POINTS: _distribution_points,
    ext.TLS_FEATURE: lambda v: ext.TLSFeature(tuple(v)),
    ext.CRL_NUMBER: ext.CRLNumber,
    ext.DELTA_CRL_INDICATOR: ext.CRLNumber,
    ext.ISSUING_DISTRIBUTION_POINT: lambda v: ext.IssuingDistributionPoint(
        general_names(v["distributionPoint"][1])
        if "distributionPoint" in v and v["distributionPoint"][0] == "fullName"
        else None,
        v["onlyContainsUserCerts"],
        v["onlyContainsCACerts"],
        v.get("onlySomeReasons"),
        v["indirectCRL"],
        v["onlyContainsAttributeCerts"],
        v["distributionPoint"][1]
        if "distributionPoint" in v and v["distributionPoint"][0] != "fullName"
        else None,
    ),
    ext.REASON_CODE: _reason,
}


def _lenient_key_usage(raw: bytes, critical: bool, where: str) -> ext.Extension:
    """keyUsage whose BIT STRING keeps trailing zero bits (not DER, but found in
    trust stores in use today): read it as a plain BIT STRING; the raw bytes are kept."""
    bits = parse(asn1.bit_string, raw, f"{where}.keyUsage")
    names = {name for name, i in ext.KEY_USAGE_BITS.items() if bits.bit(i)}
    return ext.Extension(ext.KEY_USAGE, critical, ext.KeyUsage(frozenset(names)), raw)


def extensions(
    items: list[dict[str, Any]], where: str, decoded: bool = False
) -> list[ext.Extension]:
    """Typed extensions from grammar items whose extnValue is the raw bytes
    (``G.ShallowExtensions``) or, with ``decoded``, the already-decoded value."""
    out = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        oid, value = item["extnID"], item["extnValue"]
        here = f"{where}[{i}]"
        if oid in seen:
            raise ParseError(f"duplicate extension {ext.EXTENSION_NAMES.get(oid, oid)}", here)
        seen.add(oid)
        convert = EXTENSION_CONVERTERS.get(oid)
        grammar = G.EXTENSION_VALUES.get(oid)
        if decoded:
            raw = der.encode(grammar, value) if grammar is not None else value
        else:
            raw = value
            if convert is not None and grammar is not None:
                try:
                    value = parse(grammar, raw, f"{here}.{ext.EXTENSION_NAMES.get(oid, oid)}")
                except ParseError:
                    if oid == ext.KEY_USAGE:
                        out.append(_lenient_key_usage(raw, bool(item["critical"]), here))
                        continue
                    if oid != ext.CERTIFICATE_POLICIES or item["critical"]:
                        raise
                    # Policy qualifiers are display text that real CAs encode
                    # sloppily; a non-critical policies extension that does not
                    # parse strictly is kept raw (web-PKI validation ignores it).
                    out.append(ext.Extension(oid, False, raw, raw))
                    continue
        if convert is not None:
            try:
                value = convert(value)
            except (ValueError, TypeError) as exc:
                raise ParseError(str(exc), here) from None
        else:
            value = raw
        out.append(ext.Extension(oid, bool(item["critical"]), value, raw))
    return out


# -- algorithms and keys -------------------------------------------------------------


_ABSENT = object()


def _params_absent_or_null(ai: dict[str, Any]) -> bool:
    return ai.get("parameters", None) is None


def _pss(v: Any) -> PssRestriction | None:
    """The (hash, mgf hash, salt) of decoded RSASSA-PSS-params, None if unusable."""
    if not isinstance(v, dict):
        return None
    hash_oid = v["hashAlgorithm"]["algorithm"] if "hashAlgorithm" in v else "1.3.14.3.2.26"
    mgf_hash = "sha1"
    if "maskGenAlgorithm" in v:
        mgf = v["maskGenAlgorithm"]
        inner = mgf.get("parameters")
        if mgf["algorithm"] != alg.MGF1 or not isinstance(inner, dict):
            return None
        mgf_hash = alg.HASH_OIDS.get(inner["algorithm"], "?")
    if v.get("trailerField", 1) != 1:
        return None
    hash_name = alg.HASH_OIDS.get(hash_oid)
    if hash_name is None:
        return None
    return PssRestriction(hash_name, mgf_hash, v.get("saltLength", 20))


def signature_scheme(ai: dict[str, Any]) -> tuple[str, str | None]:
    """(display name, scheme or None) of a signature AlgorithmIdentifier."""
    oid = ai["algorithm"]
    display, scheme = alg.SIGNATURE_ALGORITHMS.get(oid, (oid, None))
    if oid == alg.RSASSA_PSS:
        pss = _pss(ai.get("parameters"))
        if (
            pss is None
            or pss.hash != pss.mgf_hash
            or pss.hash not in ("sha256", "sha384", "sha512")
        ):
            return display, None
        from x509.keys import HASH_LENGTH

        if pss.salt_length != HASH_LENGTH[pss.hash]:
            return display, None
        return display, f"rsa_pss_{pss.hash}"
    if oid in alg.RSA_PKCS1_OIDS:
        return (display, scheme) if _params_absent_or_null(ai) else (display, None)
    if "parameters" in ai:  # ECDSA and EdDSA take no parameters
        return display, None
    return display, scheme


def public_key(spki: dict[str, Any]) -> PublicKey:
    """The PublicKey of a decoded SubjectPublicKeyInfo; raises UnsupportedAlgorithm,
    ParseError or nocrypto.InvalidKeyError."""
    ai = spki["algorithm"]
    algorithm = ai["algorithm"]
    params = ai.get("parameters", _ABSENT)
    key_bits = spki["subjectPublicKey"]
    if algorithm == alg.RSA_ENCRYPTION:  # the grammar decodes RSAPublicKey itself
        if not _params_absent_or_null(ai):
            raise ParseError("rsaEncryption parameters must be NULL", "subjectPublicKeyInfo")
        return PublicKey.rsa(key_bits["modulus"], key_bits["publicExponent"])
    bits: BitString = key_bits
    if bits.unused:
        raise ParseError("subjectPublicKey has unused bits", "subjectPublicKeyInfo")
    data = bits.data
    if algorithm == alg.RSASSA_PSS:
        rsa = parse(G.RSAPublicKey, data, "RSAPublicKey")
        restriction = _pss(params) if params is not _ABSENT else None
        return PublicKey.rsa(rsa["modulus"], rsa["publicExponent"], pss=restriction or True)
    if algorithm == alg.EC_PUBLIC_KEY:
        if not isinstance(params, tuple):
            raise ParseError("id-ecPublicKey without parameters", "subjectPublicKeyInfo")
        if params[0] != "namedCurve":
            raise UnsupportedAlgorithm("explicit elliptic-curve parameters are not supported")
        curve_oid = str(params[1])
        return PublicKey.ec(alg.NAMED_CURVES.get(curve_oid, curve_oid), data)
    if algorithm in alg.OCTET_KEYS:
        if params is not _ABSENT:
            raise ParseError("parameters must be absent", "subjectPublicKeyInfo")
        return PublicKey.octets(alg.OCTET_KEYS[algorithm], data)
    if algorithm == alg.DSA:
        raise UnsupportedAlgorithm("DSA keys are not supported")
    raise UnsupportedAlgorithm(f"unsupported public key algorithm {algorithm}")


def spki_public_key(spki: dict[str, Any]) -> tuple[PublicKey | None, Exception | None]:
    try:
        return public_key(spki), None
    except (UnsupportedAlgorithm, ParseError) as exc:
        return None, exc
    except ValueError as exc:  # nocrypto.InvalidKeyError
        return None, ParseError(f"invalid public key: {exc}", "subjectPublicKeyInfo")


# -- whole objects -------------------------------------------------------------------


def certificate(data: bytes) -> Any:
    from x509.certificate import Certificate

    top = parse(G.ShallowCertificate, data, "Certificate")
    tbs, tbs_raw = top["tbsCertificate"]
    outer_ai, outer_raw = top["signatureAlgorithm"]
    inner_ai, inner_raw = tbs["signature"]
    if outer_raw != inner_raw:
        raise ParseError(
            "signatureAlgorithm differs from tbsCertificate.signature (RFC 5280 §4.1.1.2)",
            "Certificate.signatureAlgorithm",
        )
    sig: BitString = top["signatureValue"]
    version = tbs["version"] + 1
    if version not in (1, 2, 3):
        raise ParseError(f"unknown version {version}", "Certificate.tbsCertificate.version")
    if "extensions" in tbs and version != 3:
        raise ParseError("extensions in a v1/v2 certificate", "Certificate.tbsCertificate")
    exts = extensions(tbs.get("extensions", []), "Certificate.tbsCertificate.extensions")
    display, scheme = signature_scheme(outer_ai)
    if sig.unused:  # no signature scheme produces a partial octet: it cannot verify
        scheme = None
    spki, spki_raw = tbs["subjectPublicKeyInfo"]
    key, key_error = spki_public_key(spki)
    validity = tbs["validity"]
    return Certificate(
        der=bytes(data),
        tbs_bytes=tbs_raw,
        signature=sig.data,
        version=version,
        serial_number=tbs["serialNumber"],
        issuer=name(*tbs["issuer"]),
        subject=name(*tbs["subject"]),
        not_valid_before=time(validity["notBefore"]),
        not_valid_after=time(validity["notAfter"]),
        extensions=exts,
        signature_algorithm_oid=outer_ai["algorithm"],
        signature_algorithm=display,
        signature_scheme=scheme,
        spki_der=spki_raw,
        public_key=key,
        public_key_error=key_error,
    )


def crl(data: bytes) -> Any:
    from x509.crl import CRL, RevokedCertificate

    top = parse(G.CertificateList, data, "CertificateList")
    tbs, tbs_raw = top["tbsCertList"]
    if tbs["signature"] != top["signatureAlgorithm"]:
        raise ParseError("signatureAlgorithm differs from tbsCertList.signature", "CertificateList")
    display, scheme = signature_scheme(top["signatureAlgorithm"])
    revoked = []
    for i, entry in enumerate(tbs.get("revokedCertificates", [])):
        where = f"CertificateList.tbsCertList.revokedCertificates[{i}].crlEntryExtensions"
        revoked.append(
            RevokedCertificate(
                entry["userCertificate"],
                time(entry["revocationDate"]),
                tuple(extensions(entry.get("crlEntryExtensions", []), where, decoded=True)),
            )
        )
    return CRL(
        der=bytes(data),
        tbs_bytes=tbs_raw,
        signature=top["signatureValue"].data,
        version=tbs.get("version", 0) + 1,
        issuer=name(*tbs["issuer"]),
        this_update=time(tbs["thisUpdate"]),
        next_update=time(tbs["nextUpdate"]) if "nextUpdate" in tbs else None,
        revoked=revoked,
        extensions=extensions(
            tbs.get("crlExtensions", []), "CertificateList.crlExtensions", decoded=True
        ),
        signature_algorithm=display,
        signature_scheme=scheme,
    )
