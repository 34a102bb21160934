"""Per-certificate rules of the validation profiles ("webpki" and "rfc5280").

RFC 5280 §4 says what a conforming certificate contains; the web-PKI profile adds the
CA/Browser Forum Baseline Requirements rules that clients enforce (key sizes and
algorithms, subjectAltName-only identities, AKI/SKI shape, CN agreeing with the SAN).
Each check raises ``ValidationError`` naming the rule; the verifier calls them for
the certificate's role in the path: leaf (end entity), intermediate or trust anchor.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from x509 import extensions as ext
from x509.errors import ParseError, Reason, UnsupportedAlgorithm, ValidationError
from x509.hostname import IPAddressValue, is_valid_dns_name, is_valid_dns_pattern

if TYPE_CHECKING:
    from x509.certificate import Certificate


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    min_rsa_bits: int
    rsa_bits_multiple_of_8: bool
    allowed_curves: frozenset[str]
    allow_sha1: bool
    require_san_in_leaf: bool  # web PKI: identities only from subjectAltName
    cn_must_be_in_san: bool  # CABF BR 7.1.4.3
    strict_root_aki: bool  # CABF BR 7.1.2.1.3
    require_aki: bool  # RFC 5280 §4.2.1.1 (all but self-signed certificates)
    check_serial: bool  # RFC 5280 §4.1.2.2: positive, at most 20 octets
    v1_intermediates: bool
    policy_processing: bool  # RFC 5280 §6.1 valid_policy_tree
    ca_basic_constraints_critical: bool  # a rule for CAs (§4.2.1.9), not for validators
    # RFC 5280 MUSTs on extension criticality and on SKI in CA certificates: rules for
    # issuers that the web PKI (and x509-limbo) enforce when validating
    conformance: bool


WEBPKI = Profile(
    name="webpki",
    min_rsa_bits=2048,
    rsa_bits_multiple_of_8=True,
    allowed_curves=frozenset({"secp256r1", "secp384r1", "secp521r1"}),
    allow_sha1=False,
    require_san_in_leaf=True,
    cn_must_be_in_san=True,
    strict_root_aki=True,
    require_aki=True,
    check_serial=True,
    v1_intermediates=False,
    policy_processing=True,
    ca_basic_constraints_critical=True,
    conformance=True,
)
RFC5280 = Profile(
    name="rfc5280",
    min_rsa_bits=1024,
    rsa_bits_multiple_of_8=False,
    allowed_curves=frozenset({"secp256r1", "secp384r1", "secp521r1"}),
    allow_sha1=False,
    require_san_in_leaf=False,
    cn_must_be_in_san=False,
    strict_root_aki=False,
    require_aki=False,
    check_serial=False,
    v1_intermediates=False,
    policy_processing=True,
    ca_basic_constraints_critical=False,
    conformance=False,
)
PROFILES = {"webpki": WEBPKI, "rfc5280": RFC5280}

# Denial-of-service caps, in every profile.  Name-constraint checking costs SAN
# entries times subtrees, and a peer sends the certificates before it has
# authenticated; real certificates stay far below both (the CABF caps nothing, but
# public CAs issue at most a few hundred SANs; constrained CAs list tens of subtrees).
MAX_SAN_ENTRIES = 1024
MAX_NAME_SUBTREES = 1024

# Extensions whose semantics the verifier implements; any other critical one fails.
UNDERSTOOD = frozenset(
    {
        ext.SUBJECT_KEY_IDENTIFIER,
        ext.KEY_USAGE,
        ext.SUBJECT_ALT_NAME,
        ext.ISSUER_ALT_NAME,
        ext.BASIC_CONSTRAINTS,
        ext.NAME_CONSTRAINTS,
        ext.CRL_DISTRIBUTION_POINTS,
        ext.CERTIFICATE_POLICIES,
        ext.POLICY_MAPPINGS,
        ext.AUTHORITY_KEY_IDENTIFIER,
        ext.POLICY_CONSTRAINTS,
        ext.EXTENDED_KEY_USAGE,
        ext.INHIBIT_ANY_POLICY,
        ext.AUTHORITY_INFORMATION_ACCESS,
        ext.FRESHEST_CRL,
    }
)


# RFC 5280: §4.2.2.1 AIA MUST be non-critical; §4.2.1.11 policyConstraints,
# §4.2.1.14 inhibitAnyPolicy and §4.2.1.10 nameConstraints MUST be critical.
_CRITICALITY = (
    (ext.AUTHORITY_INFORMATION_ACCESS, False),
    (ext.POLICY_CONSTRAINTS, True),
    (ext.INHIBIT_ANY_POLICY, True),
    (ext.NAME_CONSTRAINTS, True),
)


def fail(reason: str, message: str, index: int | None) -> ValidationError:
    return ValidationError(reason, message, index)


def check_key(cert: Certificate, profile: Profile, index: int) -> None:
    """The subject public key is of an allowed type and strength."""
    try:
        key = cert.public_key()
    except (UnsupportedAlgorithm, ParseError) as exc:
        raise fail(Reason.WEAK_KEY, f"unusable public key: {exc}", index) from None
    except ValueError as exc:  # nocrypto.InvalidKeyError and friends
        raise fail(Reason.WEAK_KEY, f"invalid public key: {exc}", index) from None
    if key.algorithm in ("rsa", "rsa-pss"):
        if key.key_size < profile.min_rsa_bits:
            raise fail(Reason.WEAK_KEY, f"RSA key of {key.key_size} bits is too small", index)
        if profile.rsa_bits_multiple_of_8 and key.key_size % 8:
            raise fail(Reason.WEAK_KEY, f"RSA modulus of {key.key_size} bits", index)
    elif key.algorithm == "ec":
        if key.curve not in profile.allowed_curves:
            raise fail(Reason.WEAK_KEY, f"curve {key.curve} not allowed", index)


def check_signature_algorithm(cert: Certificate, profile: Profile, index: int) -> str:
    """The scheme the certificate is signed with, if allowed."""
    scheme = cert.signature_scheme
    if scheme is None:
        raise fail(
            Reason.UNSUPPORTED_ALGORITHM,
            f"signature algorithm {cert.signature_algorithm} is not supported",
            index,
        )
    if scheme.endswith("sha1") and not profile.allow_sha1:
        raise fail(Reason.WEAK_SIGNATURE, "SHA-1 signatures are refused", index)
    return scheme


def check_common(cert: Certificate, profile: Profile, index: int) -> None:
    """Rules for every certificate in the path, whatever its role."""
    for e in cert.extensions:
        if e.critical and e.oid not in UNDERSTOOD:
            raise fail(
                Reason.UNKNOWN_CRITICAL_EXTENSION, f"unknown critical extension {e.oid}", index
            )
    ski = cert.extension(ext.SUBJECT_KEY_IDENTIFIER)
    if ski is not None and ski.critical:
        raise fail(Reason.PROFILE, "subjectKeyIdentifier must not be critical", index)
    aki = cert.extension(ext.AUTHORITY_KEY_IDENTIFIER)
    if aki is not None and aki.critical:
        raise fail(Reason.PROFILE, "authorityKeyIdentifier must not be critical", index)
    if profile.conformance:
        for oid, must_be_critical in _CRITICALITY:
            found = cert.extension(oid)
            if found is not None and found.critical != must_be_critical:
                state = "critical" if must_be_critical else "non-critical"
                raise fail(Reason.PROFILE, f"{found.name} must be {state}", index)
    if len(cert.issuer) == 0:
        raise fail(Reason.PROFILE, "empty issuer name", index)
    ku = cert.key_usage
    bc = cert.basic_constraints
    if ku is not None and "keyCertSign" in ku and not (bc is not None and bc.ca):
        raise fail(Reason.KEY_USAGE, "keyCertSign asserted without basicConstraints cA", index)
    san = cert.extension(ext.SUBJECT_ALT_NAME)
    if san is not None:
        if not san.value.names:
            raise fail(Reason.PROFILE, "empty subjectAltName", index)
        if len(san.value.names) > MAX_SAN_ENTRIES:
            raise fail(
                Reason.WORK_BUDGET,
                f"subjectAltName has {len(san.value.names)} entries; at most "
                f"{MAX_SAN_ENTRIES} are accepted",
                index,
            )
        if len(cert.subject) == 0 and not san.critical:
            raise fail(
                Reason.PROFILE, "subjectAltName must be critical for an empty subject", index
            )


def check_serial(cert: Certificate, profile: Profile, index: int) -> None:
    """RFC 5280 §4.1.2.2: positive, at most 20 octets.  Trust anchors are exempt (old
    roots with serial 0 are still trusted), and 160-bit serials whose DER needs a
    21st sign octet are tolerated, a common CA mistake."""
    serial = cert.serial_number
    if profile.check_serial and (serial <= 0 or serial.bit_length() > 160):
        raise fail(Reason.PROFILE, "serial number must be positive and at most 20 octets", index)


def check_leaf(cert: Certificate, profile: Profile, server: bool = True) -> None:
    """End-entity rules (index 0).  ``server``: the leaf is validated as a TLS server
    certificate, so the CABF rules for those apply (a subjectAltName is required, the
    CN must agree with it); client certificates often carry only a subject name."""
    check_common(cert, profile, 0)
    check_serial(cert, profile, 0)
    bc = cert.basic_constraints
    ku = cert.key_usage
    if bc is not None and bc.ca and ku is not None and "keyCertSign" not in ku:
        raise fail(Reason.PROFILE, "cA asserted without keyCertSign in a leaf", 0)
    if cert.extension(ext.NAME_CONSTRAINTS) is not None and not (bc is not None and bc.ca):
        raise fail(Reason.PROFILE, "nameConstraints in an end-entity certificate", 0)
    if profile.require_aki and not cert.is_self_signed_candidate():
        aki = cert.authority_key_identifier
        if aki is None or aki.key_identifier is None:
            raise fail(Reason.PROFILE, "missing authorityKeyIdentifier keyIdentifier", 0)
    san = cert.san
    if profile.require_san_in_leaf:
        if san is None and server:
            raise fail(Reason.PROFILE, "end-entity certificate without subjectAltName", 0)
        for kind, value in san.names if san is not None else ():
            if kind == "dns" and not is_valid_dns_pattern(value):
                raise fail(Reason.PROFILE, f"malformed dNSName {value!r}", 0)
            if kind == "ip" and (not isinstance(value, IPAddressValue) or value.address is None):
                raise fail(Reason.PROFILE, f"malformed iPAddress {value}", 0)
    if profile.cn_must_be_in_san and server:
        _check_cn_in_san(cert)


_HEX_HOST = re.compile(r"^0[xX][0-9a-fA-F]{1,8}$")


def _looks_numeric(cn: str) -> bool:
    """inet_aton-style single-number IPv4 text (``0xC0A80101``, ``3232235777``)."""
    if _HEX_HOST.match(cn):
        return True
    return cn.isdigit() and len(cn) >= 8 and int(cn) < 2**32


_IPV6ISH = re.compile(r"^[0-9a-fA-F:.]+$")


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _parent(host: str) -> str:
    """The domain a host name sits in: everything after its first label."""
    return host.partition(".")[2]


def _check_cn_in_san(cert: Certificate) -> None:
    """CABF BR 7.1.4.3: a CN must be a character-for-character copy of a SAN value.

    The web PKI takes identities from the SAN only, and x509-limbo's reference set
    wants leaves whose CN names some unrelated host accepted (BetterTLS's
    name-constraint cases and the rfc5280/webpki cases whose generator puts a fixed
    ``example.com`` CN beside the SAN under test).  So only a CN that *cannot* be
    such a leftover is refused:

    * an address in a non-canonical text form (``0xC0A80101``, ``2001:0db8:0:…``);
    * a dotted name with non-ASCII characters (a U-label where the SAN must hold the
      A-label);
    * a name equal to a SAN dNSName except for letter case;
    * a host name that is a sibling of a SAN dNSName (same parent domain, e.g. CN
      ``other.example.com`` beside SAN ``www.example.com``) yet not itself in the
      SAN: it names one more host of the very zone the certificate was issued for,
      which a CA that checked 7.1.4.3 would have had to list.  A CN that a SAN
      wildcard covers, an ancestor of a SAN name, or a host in an unrelated domain
      claims nothing in that zone and is let through.
    """
    names = cert.san.names if cert.san is not None else ()
    dns = [v for k, v in names if k == "dns" and isinstance(v, str)]
    zones = {_parent(d.lower()) for d in dns if not d.startswith("*")}
    for cn in cert.subject.common_names:
        if cn in dns or any(c.isspace() for c in cn):
            continue
        if _looks_numeric(cn) or (":" in cn and _IPV6ISH.match(cn)):
            try:
                canonical = str(ipaddress.ip_address(cn))
            except ValueError:
                canonical = None
            if canonical != cn:
                raise fail(Reason.PROFILE, f"common name {cn!r} is not a canonical address", 0)
        elif "." in cn and not cn.isascii():
            raise fail(Reason.PROFILE, f"common name {cn!r} is not an A-label host name", 0)
        elif any(cn.lower() == d.lower() for d in dns):
            raise fail(Reason.PROFILE, f"common name {cn!r} differs from its SAN in case", 0)
        elif (
            "." in cn
            and not _is_address(cn)
            and is_valid_dns_name(cn)
            and _parent(cn.lower()) in zones
        ):
            raise fail(
                Reason.PROFILE,
                f"common name {cn!r} names a host of {_parent(cn.lower())!r} that is not "
                "in the subjectAltName (CABF BR 7.1.4.3)",
                0,
            )


def check_ca(cert: Certificate, profile: Profile, index: int, anchor: bool) -> None:
    """Rules for a certificate that issues the one below it (intermediate or anchor)."""
    check_common(cert, profile, index)
    if not anchor:
        check_serial(cert, profile, index)
    if profile.conformance and cert.subject_key_identifier is None:
        # §4.2.1.2: "MUST appear in all conforming CA certificates"
        raise fail(Reason.PROFILE, "CA certificate without subjectKeyIdentifier", index)
    bc = cert.basic_constraints
    if cert.version < 3 and not (anchor and profile.v1_intermediates):
        if not anchor:
            raise fail(Reason.NOT_A_CA, "v1/v2 certificate cannot be an intermediate CA", index)
    if bc is None or not bc.ca:
        raise fail(Reason.NOT_A_CA, "issuer lacks basicConstraints cA", index)
    bc_ext = cert.extension(ext.BASIC_CONSTRAINTS)
    if profile.ca_basic_constraints_critical and bc_ext is not None and not bc_ext.critical:
        raise fail(Reason.PROFILE, "basicConstraints must be critical in a CA", index)
    ku = cert.key_usage
    if ku is not None and "keyCertSign" not in ku:
        raise fail(Reason.KEY_USAGE, "issuer keyUsage lacks keyCertSign", index)
    nc = cert.name_constraints
    if nc is not None and not nc.permitted and not nc.excluded:
        raise fail(Reason.NAME_CONSTRAINTS, "nameConstraints with no subtrees", index)
    if nc is not None:
        subtrees = len(nc.permitted or ()) + len(nc.excluded or ())
        if subtrees > MAX_NAME_SUBTREES:
            raise fail(
                Reason.WORK_BUDGET,
                f"nameConstraints has {subtrees} subtrees; at most {MAX_NAME_SUBTREES} "
                "are accepted",
                index,
            )
    aki = cert.authority_key_identifier
    if anchor:
        if profile.strict_root_aki and aki is not None:
            if aki.key_identifier is None:
                raise fail(Reason.PROFILE, "root AKI without keyIdentifier", index)
            if (
                aki.authority_cert_issuer is not None
                or aki.authority_cert_serial_number is not None
            ):
                raise fail(Reason.PROFILE, "root AKI with issuer/serial fields", index)
            ski = cert.subject_key_identifier
            if cert.is_self_issued and ski is not None and ski != aki.key_identifier:
                raise fail(Reason.PROFILE, "root AKI does not match its SKI", index)
    if (
        (not anchor or not cert.is_self_issued)
        and profile.require_aki
        and (aki is None or aki.key_identifier is None)
    ):
        # a cross-signed anchor is an issued certificate like any other (RFC 5280 §4.2.1.1)
        raise fail(Reason.PROFILE, "CA certificate without authorityKeyIdentifier", index)


def check_eku(
    cert: Certificate, wanted: tuple[str, ...], index: int, leaf: bool, profile: Profile
) -> None:
    """Every certificate's EKU, when present, must allow the requested purposes
    (anyExtendedKeyUsage counts only in CA certificates; the web PKI forbids it in
    subscriber certificates, CABF BR 7.1.2.7.10)."""
    eku = cert.extended_key_usage
    if eku is None or not wanted:
        return
    if leaf and profile.name == "webpki" and ext.ANY_EXTENDED_KEY_USAGE in eku:
        raise fail(Reason.EXTENDED_KEY_USAGE, "anyExtendedKeyUsage in a leaf certificate", index)
    for purpose in wanted:
        if purpose in eku:
            continue
        if not leaf and ext.ANY_EXTENDED_KEY_USAGE in eku:
            continue
        raise fail(Reason.EXTENDED_KEY_USAGE, f"extKeyUsage does not allow {purpose}", index)
