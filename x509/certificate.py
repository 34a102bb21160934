"""The X.509 certificate model (RFC 5280 §4.1).

A ``Certificate`` is immutable and keeps the exact DER it was parsed from:
``to_der()`` returns it, ``tbs_bytes`` is the signed part byte for byte.  Standard
extensions are decoded into the typed values of ``x509.extensions``; unknown ones
keep their raw ``extnValue``.  Parsing is strict DER; anything else raises
``x509.ParseError`` naming the ASN.1 element at fault.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
from collections.abc import Sequence
from typing import Any

from x509 import extensions as ext
from x509.errors import ParseError
from x509.hostname import IPAddressValue, dns_identities
from x509.keys import PublicKey
from x509.name import Name


class Certificate:
    """One parsed certificate.  Build with ``from_der``/``from_pem``/``load_pem_certificates``."""

    __slots__ = (
        "der",
        "tbs_bytes",
        "signature",
        "version",
        "serial_number",
        "issuer",
        "subject",
        "not_valid_before",
        "not_valid_after",
        "extensions",
        "signature_algorithm_oid",
        "signature_scheme",
        "signature_algorithm",
        "spki_der",
        "_public_key",
        "_public_key_error",
        "_by_oid",
        "_self_issued",
        "_verified_by",
        "_checks",
        "_dns_ids",
        "_policy_plain",
    )

    def __init__(
        self,
        *,
        der: bytes,
        tbs_bytes: bytes,
        signature: bytes,
        version: int,
        serial_number: int,
        issuer: Name,
        subject: Name,
        not_valid_before: _dt.datetime,
        not_valid_after: _dt.datetime,
        extensions: Sequence[ext.Extension],
        signature_algorithm_oid: str,
        signature_algorithm: str,
        signature_scheme: str | None,
        spki_der: bytes,
        public_key: PublicKey | None,
        public_key_error: Exception | None,
    ) -> None:
        self.der = der
        # (issuer SPKI DER, scheme) pairs whose signature check succeeded: the check is a
        # pure function of those, the signed bytes and the signature, all fixed here.
        self._verified_by: set[tuple[bytes, str]] = set()
        self.tbs_bytes = tbs_bytes
        self.signature = signature
        self.version = version
        self.serial_number = serial_number
        self.issuer = issuer
        self.subject = subject
        self.not_valid_before = not_valid_before
        self.not_valid_after = not_valid_after
        self.extensions: tuple[ext.Extension, ...] = tuple(extensions)
        self.signature_algorithm_oid = signature_algorithm_oid
        self.signature_algorithm = signature_algorithm  # e.g. "ecdsa-with-SHA256"
        self.signature_scheme = signature_scheme  # e.g. "ecdsa_sha256"; None if unsupported
        self.spki_der = spki_der
        self._public_key = public_key
        self._public_key_error = public_key_error
        self._by_oid: dict[str, ext.Extension] = {}
        for e in self.extensions:
            if e.oid in self._by_oid:
                raise ParseError(f"duplicate extension {e.oid}", "tbsCertificate.extensions")
            self._by_oid[e.oid] = e
        self._self_issued = subject.matches(issuer)
        # Outcomes of the validation profile's per-certificate rules, which depend on
        # the certificate (fixed here) and the rule's inputs only, never on the time,
        # the reference name or the rest of the path: (rule, inputs) -> None (passed)
        # or the (reason, message) it failed with.  Filled by x509.verify.
        self._checks: dict[tuple, Any] = {}
        # The subjectAltName dNSNames prepared for matching (see dns_identities).
        self._dns_ids: tuple[frozenset[str], frozenset[str]] | None = None
        # No extension that can make RFC 5280 policy processing fail (policyConstraints,
        # policyMappings, or a certificatePolicies kept undecoded): see x509.verify.
        by_oid = self._by_oid
        cp = by_oid.get(ext.CERTIFICATE_POLICIES)
        self._policy_plain = (
            ext.POLICY_CONSTRAINTS not in by_oid
            and ext.POLICY_MAPPINGS not in by_oid
            and (cp is None or isinstance(cp.value, ext.CertificatePolicies))
        )

    # -- constructors ----------------------------------------------------------

    @classmethod
    def from_der(cls, der: bytes | bytearray | memoryview) -> Certificate:
        from x509 import decode

        return decode.certificate(bytes(der))

    @classmethod
    def from_pem(cls, data: bytes | str) -> Certificate:
        certs = load_pem_certificates(data)
        if len(certs) != 1:
            raise ParseError(f"expected one certificate, found {len(certs)}")
        return certs[0]

    def to_der(self) -> bytes:
        return self.der

    def to_pem(self) -> bytes:
        from x509 import pem

        return pem.encode("CERTIFICATE", self.der)

    # -- fields ----------------------------------------------------------------

    def public_key(self) -> PublicKey:
        """The subject public key; raises UnsupportedAlgorithm/ParseError if unusable."""
        if self._public_key is None:
            assert self._public_key_error is not None
            raise self._public_key_error
        return self._public_key

    def extension(self, oid: str) -> ext.Extension | None:
        return self._by_oid.get(oid)

    def _value(self, oid: str) -> Any:
        e = self._by_oid.get(oid)
        return None if e is None else e.value

    @property
    def basic_constraints(self) -> ext.BasicConstraints | None:
        return self._value(ext.BASIC_CONSTRAINTS)

    @property
    def key_usage(self) -> ext.KeyUsage | None:
        return self._value(ext.KEY_USAGE)

    @property
    def extended_key_usage(self) -> ext.ExtendedKeyUsage | None:
        return self._value(ext.EXTENDED_KEY_USAGE)

    @property
    def san(self) -> ext.SubjectAlternativeName | None:
        return self._value(ext.SUBJECT_ALT_NAME)

    @property
    def name_constraints(self) -> ext.NameConstraints | None:
        return self._value(ext.NAME_CONSTRAINTS)

    @property
    def authority_key_identifier(self) -> ext.AuthorityKeyIdentifier | None:
        return self._value(ext.AUTHORITY_KEY_IDENTIFIER)

    @property
    def subject_key_identifier(self) -> bytes | None:
        v = self._value(ext.SUBJECT_KEY_IDENTIFIER)
        return None if v is None else v.digest

    @property
    def subject_alt_names(self) -> list[tuple[str, Any]]:
        """SAN entries as (kind, value); "ip" values are ``ipaddress`` objects
        (``IPAddressValue`` when the octets are not a valid address)."""
        san = self.san
        if san is None:
            return []
        out: list[tuple[str, Any]] = []
        for kind, value in san.names:
            if kind == "ip" and isinstance(value, IPAddressValue) and value.address is not None:
                out.append(("ip", value.address))
            elif kind in ("rid", "x400", "edi"):
                out.append(("other", (kind, value)))
            else:
                out.append((kind, value))
        return out

    def dns_identities(self) -> tuple[frozenset[str], frozenset[str]]:
        """The subjectAltName dNSNames that can match a host (``hostname.match_dns``):
        (exact names, the parent domains of ``*.`` wildcards), lower-cased; entries
        that are not valid web-PKI dNSNames are left out, as they match nothing."""
        ids = self._dns_ids
        if ids is None:
            san = self.san
            ids = self._dns_ids = dns_identities(san.names if san is not None else ())
        return ids

    @property
    def is_self_issued(self) -> bool:
        """Subject and issuer are the same name (RFC 5280 §6.1)."""
        return self._self_issued

    def is_self_signed_candidate(self) -> bool:
        """Self-issued, and the AKI (if any) names the certificate's own key."""
        if not self._self_issued:
            return False
        aki = self.authority_key_identifier
        ski = self.subject_key_identifier
        return aki is None or aki.key_identifier is None or ski is None or aki.key_identifier == ski

    def verify_signature(
        self, issuer_public_key: PublicKey, allow_sha1: bool = False, scheme: str | None = None
    ) -> bool:
        """Whether ``issuer_public_key`` signed this certificate.  SHA-1 signatures
        count as not verifying unless ``allow_sha1``."""
        scheme = scheme or self.signature_scheme
        if scheme is None:
            return False
        if scheme.endswith("sha1") and not allow_sha1:
            return False
        # A success is remembered: a client that meets the same certificate again (every
        # connection to one server) skips the public-key operation, and only that; every
        # other check of path validation runs each time.
        memo = (issuer_public_key.to_der(), scheme)
        if memo in self._verified_by:
            return True
        if not issuer_public_key.verify(self.signature, self.tbs_bytes, scheme):
            return False
        if len(self._verified_by) < 8:  # a certificate has few issuers; keep it bounded
            self._verified_by.add(memo)
        return True

    def fingerprint(self, hash_name: str = "sha256") -> bytes:
        from nocrypto import hashes

        return hashes.new(hash_name, data=self.der).digest()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Certificate):
            return NotImplemented
        return self.der == other.der

    def __hash__(self) -> int:
        return hash(self.der)

    def __repr__(self) -> str:
        return f"<Certificate subject={self.subject.rfc4514_string()!r} serial={self.serial_number:#x}>"


def load_pem_certificates(data: bytes | bytearray | memoryview | str) -> list[Certificate]:
    """Every ``CERTIFICATE`` block in ``data`` (other blocks are ignored), in order."""
    from x509 import pem

    blocks = [b for b in pem.decode_all(data) if b.label in ("CERTIFICATE", "X509 CERTIFICATE")]
    return [Certificate.from_der(b.der) for b in blocks]


SYSTEM_BUNDLES = (
    "/etc/ssl/certs/ca-certificates.crt",  # Debian, Ubuntu, Alpine
    "/etc/pki/tls/certs/ca-bundle.crt",  # Fedora, RHEL
    "/etc/ssl/cert.pem",  # macOS, OpenBSD
    "/etc/ssl/ca-bundle.pem",  # openSUSE
)


def load_trust_store(source: str | bytes | None = None) -> list[Certificate]:
    """Trust anchors from a PEM bundle: a path, the PEM bytes, or (None) the system
    bundle.  Unlike ``load_pem_certificates``, a certificate that does not parse is
    skipped rather than failing the whole store: one odd root must not take every
    other one down with it."""
    from pathlib import Path

    from x509 import pem

    if source is None:
        path = next((p for p in SYSTEM_BUNDLES if Path(p).is_file()), None)
        if path is None:
            raise FileNotFoundError("no system certificate bundle found")
        source = path
    data = Path(source).read_bytes() if isinstance(source, str) else source
    out = []
    for block in pem.decode_all(data):
        if block.label in ("CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CERTIFICATE"):
            try:
                out.append(Certificate.from_der(block.der))
            except ParseError:
                continue
    return out


def load_der_certificate(data: bytes | bytearray | memoryview) -> Certificate:
    return Certificate.from_der(data)


def ip_general_name(address: str | ipaddress.IPv4Address | ipaddress.IPv6Address) -> tuple:
    """("ip", IPAddressValue) for a SAN address."""
    return ("ip", IPAddressValue(ipaddress.ip_address(address).packed))
