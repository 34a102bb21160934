"""Certificate revocation lists (RFC 5280 §5) and the revocation check of §6.3.

A CRL supplied to the verifier is used only if it is issued by the certificate's
issuer (same name); such a CRL must itself be valid — signed by the issuer's key,
the issuer allowed to sign CRLs (keyUsage cRLSign when keyUsage is present), a
non-critical cRLNumber present (§5.2.3), no unknown critical extension,
thisUpdate not in the future and nextUpdate not in the past.  An invalid CRL for
the issuer fails the path rather than being ignored: an attacker must not be able
to turn revocation off by corrupting the list.  A CRL whose issuingDistributionPoint
scope excludes the certificate (only user / only CA certificates, another
distribution point) does not apply to it.  Delta CRLs add revocations but never
vouch for a certificate.  A CRL signed by another key of the same CA (key rollover,
a separate CRL-signing certificate) is accepted when a certificate of that name and
key validates to a trust anchor (§6.3.3 (f)).  Not supported, and so ignored:
indirect CRLs and attribute-certificate CRLs.  With ``hard=True`` (the verifier's
default once CRLs are given) a certificate no applicable CRL covers fails with
reason ``revocation_unknown``; with ``hard=False`` it is accepted.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from x509 import extensions as ext
from x509.errors import ParseError, Reason, ValidationError
from x509.name import Name

if TYPE_CHECKING:
    from x509.certificate import Certificate
    from x509.keys import PublicKey

_UNDERSTOOD = frozenset(
    {
        ext.CRL_NUMBER,
        ext.AUTHORITY_KEY_IDENTIFIER,
        ext.ISSUER_ALT_NAME,
        ext.ISSUING_DISTRIBUTION_POINT,
        ext.DELTA_CRL_INDICATOR,
    }
)


@dataclass(frozen=True, slots=True)
class RevokedCertificate:
    serial_number: int
    revocation_date: _dt.datetime
    extensions: tuple[ext.Extension, ...] = ()

    @property
    def reason(self) -> str | None:
        for e in self.extensions:
            if e.oid == ext.REASON_CODE and isinstance(e.value, ext.CRLReason):
                return e.value.reason
        return None


class CRL:
    """A parsed CertificateList; ``to_der()`` returns the exact input."""

    def __init__(
        self,
        *,
        der: bytes,
        tbs_bytes: bytes,
        signature: bytes,
        version: int,
        issuer: Name,
        this_update: _dt.datetime,
        next_update: _dt.datetime | None,
        revoked: Sequence[RevokedCertificate],
        extensions: Sequence[ext.Extension],
        signature_algorithm: str,
        signature_scheme: str | None,
    ) -> None:
        self.der = der
        self.tbs_bytes = tbs_bytes
        self.signature = signature
        self.version = version
        self.issuer = issuer
        self.this_update = this_update
        self.next_update = next_update
        self.revoked = tuple(revoked)
        self.extensions = tuple(extensions)
        self.signature_algorithm = signature_algorithm
        self.signature_scheme = signature_scheme
        self._by_oid: dict[str, ext.Extension] = {}
        for e in self.extensions:
            if e.oid in self._by_oid:
                raise ParseError(f"duplicate CRL extension {e.oid}", "tbsCertList.crlExtensions")
            self._by_oid[e.oid] = e
        self._serials = {r.serial_number: r for r in self.revoked}

    @classmethod
    def from_der(cls, der: bytes | bytearray | memoryview) -> CRL:
        from x509 import decode

        return decode.crl(bytes(der))

    def to_der(self) -> bytes:
        return self.der

    def to_pem(self) -> bytes:
        from x509 import pem

        return pem.encode("X509 CRL", self.der)

    def extension(self, oid: str) -> ext.Extension | None:
        return self._by_oid.get(oid)

    @property
    def crl_number(self) -> int | None:
        e = self._by_oid.get(ext.CRL_NUMBER)
        return None if e is None else e.value.number

    def revoked_certificate(self, serial_number: int) -> RevokedCertificate | None:
        return self._serials.get(serial_number)

    def verify_signature(self, issuer_public_key: PublicKey, allow_sha1: bool = False) -> bool:
        scheme = self.signature_scheme
        if scheme is None or (scheme.endswith("sha1") and not allow_sha1):
            return False
        return issuer_public_key.verify(self.signature, self.tbs_bytes, scheme)

    def __repr__(self) -> str:
        return f"<CRL issuer={self.issuer.rfc4514_string()!r} revoked={len(self.revoked)}>"


class CRLBuilder:
    """Builds and signs a CRL (v2, with cRLNumber and authorityKeyIdentifier).

    crl = (CRLBuilder(issuer_cert, next_update=later, number=7)
           .revoke(serial, when, reason="keyCompromise").sign(issuer_key))
    """

    def __init__(
        self,
        issuer: Certificate,
        this_update: _dt.datetime | None = None,
        next_update: _dt.datetime | None = None,
        number: int = 1,
    ) -> None:
        now = _dt.datetime.now(_dt.UTC).replace(microsecond=0)
        self.issuer = issuer
        self.this_update = this_update or now
        self.next_update = next_update or self.this_update + _dt.timedelta(days=7)
        self.number = number
        self.entries: list[tuple[int, _dt.datetime, str | None]] = []

    def revoke(
        self, serial_number: int, when: _dt.datetime, reason: str | None = None
    ) -> CRLBuilder:
        self.entries.append((serial_number, when.replace(microsecond=0), reason))
        return self

    def sign(self, private_key: Any, algorithm: str | None = None) -> CRL:
        from asn1.values import BitString
        from x509 import encode
        from x509 import grammar as G

        scheme = algorithm or private_key.default_scheme()
        aki = self.issuer.subject_key_identifier
        exts = [ext.Extension(ext.CRL_NUMBER, False, ext.CRLNumber(self.number))]
        if aki is not None:
            exts.append(
                ext.Extension(ext.AUTHORITY_KEY_IDENTIFIER, False, ext.AuthorityKeyIdentifier(aki))
            )
        tbs: dict[str, Any] = {
            "version": 1,
            "signature": encode.signature_algorithm(scheme),
            "issuer": (None, encode.name(self.issuer.subject)),
            "thisUpdate": encode._time(self.this_update),
            "nextUpdate": encode._time(self.next_update),
            "crlExtensions": encode.extensions(exts, decoded=True),
        }
        if self.entries:
            revoked = []
            for serial, when, reason in self.entries:
                entry: dict[str, Any] = {
                    "userCertificate": serial,
                    "revocationDate": encode._time(when),
                }
                if reason is not None:
                    codes = {name: code for code, name in G.CRL_REASONS.items()}
                    if reason not in codes:
                        raise ValueError(f"unknown CRL reason {reason!r}")
                    entry["crlEntryExtensions"] = [
                        {"extnID": ext.REASON_CODE, "extnValue": codes[reason]}
                    ]
                revoked.append(entry)
            tbs["revokedCertificates"] = revoked
        tbs_der = encode._encode(G.TBSCertList, tbs, "TBSCertList")
        der = encode._encode(
            G.CertificateList,
            {
                "tbsCertList": (None, tbs_der),
                "signatureAlgorithm": encode.signature_algorithm(scheme),
                "signatureValue": BitString(private_key.sign(tbs_der, scheme), 0),
            },
            "CertificateList",
        )
        return CRL.from_der(der)


def load_pem_crls(data: bytes | str) -> list[CRL]:
    from x509 import pem

    return [CRL.from_der(b.der) for b in pem.decode_all(data) if b.label == "X509 CRL"]


def _problem(
    crl: CRL,
    issuer: Certificate,
    now: _dt.datetime,
    other_signers: Callable[[CRL], Iterable[Certificate]] | None = None,
) -> str | None:
    """Why ``crl`` cannot be trusted as ``issuer``'s list, or None.

    ``other_signers`` yields other certificates of the same CA name, already
    validated to the same trust anchor (§6.3.3 (f)), for CRLs signed with another
    key of the CA (key rollover, a separate CRL-signing key)."""
    number = crl.extension(ext.CRL_NUMBER)
    if number is None:
        return "CRL has no cRLNumber"
    if number.critical:
        return "cRLNumber must not be critical"
    for e in crl.extensions:
        if e.critical and e.oid not in _UNDERSTOOD:
            return f"CRL has unsupported critical extension {e.name}"
    if crl.this_update > now:
        return "CRL thisUpdate is in the future"
    if crl.next_update is not None and crl.next_update < now:
        return "CRL is out of date (nextUpdate has passed)"
    problem = _signer_problem(crl, issuer)
    if problem is not None and other_signers is not None:
        for signer in other_signers(crl):
            if _signer_problem(crl, signer) is None:
                return None
    return problem


def _signer_problem(crl: CRL, signer: Certificate) -> str | None:
    ku = signer.key_usage
    if ku is not None and "cRLSign" not in ku:
        return "CRL issuer's keyUsage lacks cRLSign"
    try:
        key = signer.public_key()
    except ValueError as exc:
        return f"CRL issuer key unusable: {exc}"
    if not crl.verify_signature(key):
        return "CRL signature does not verify"
    return None


def _point_names(
    full_name: tuple[ext.GeneralName, ...] | None, relative: object, issuer: Name
) -> list[ext.GeneralName]:
    """A distribution point's names; a name relative to the CRL issuer becomes the
    issuer's DN with the RDN appended (RFC 5280 §4.2.1.13)."""
    if full_name is not None:
        return list(full_name)
    if relative is not None:
        from x509 import decode

        rdn = decode.name([relative]).rdns  # type: ignore[list-item]
        return [("dirname", Name(issuer.rdns + rdn))]
    return []


def _same_name(a: ext.GeneralName, b: ext.GeneralName) -> bool:
    if a[0] == b[0] == "dirname":
        return bool(a[1].matches(b[1]))
    return a == b


ALL_REASONS = frozenset(
    {
        "keyCompromise",
        "cACompromise",
        "affiliationChanged",
        "superseded",
        "cessationOfOperation",
        "certificateHold",
        "privilegeWithdrawn",
        "aACompromise",
    }
)


def _applies(crl: CRL, cert: Certificate) -> bool:
    """Whether the CRL's scope (§5.2.5) covers ``cert``; unsupported kinds never do."""
    idp_ext = crl.extension(ext.ISSUING_DISTRIBUTION_POINT)
    if idp_ext is None:
        return True
    idp = idp_ext.value
    if not isinstance(idp, ext.IssuingDistributionPoint):
        return False
    if idp.indirect_crl or idp.only_attribute_certs:
        return False
    is_ca = cert.basic_constraints is not None and cert.basic_constraints.ca
    if (idp.only_user_certs and is_ca) or (idp.only_ca_certs and not is_ca):
        return False
    wanted = _point_names(idp.full_name, idp.relative_name, crl.issuer)
    if wanted:
        # §6.3.3 (b)(2)(i): one of the CRL's names must be one of the certificate's
        dps = cert.extension(ext.CRL_DISTRIBUTION_POINTS)
        names = [
            n
            for point in (dps.value.points if dps is not None else ())
            for n in _point_names(point.full_name, point.relative_name, cert.issuer)
        ]
        if not any(_same_name(a, b) for a in wanted for b in names):
            return False
    return True


def check_revocation(
    cert: Certificate,
    issuer: Certificate,
    crls: Iterable[CRL],
    now: _dt.datetime,
    index: int,
    hard: bool = True,
    other_signers: Callable[[CRL], Iterable[Certificate]] | None = None,
) -> None:
    """Raise ValidationError if a CRL from ``issuer`` revokes ``cert`` or is invalid,
    or (``hard``) if no CRL covers it."""
    covered: set[str] = set()  # revocation reasons the applicable CRLs speak for
    for crl in crls:
        if not crl.issuer.matches(issuer.subject) or not _applies(crl, cert):
            continue
        problem = _problem(crl, issuer, now, other_signers)
        if problem is not None:
            raise ValidationError(Reason.CRL_INVALID, problem, index)
        entry = crl.revoked_certificate(cert.serial_number)
        if crl.extension(ext.DELTA_CRL_INDICATOR) is not None:
            # A delta CRL only adds to a base list: its revocations count, but it
            # never proves a certificate good (removeFromCRL is not honoured).
            if entry is not None and entry.reason != "removeFromCRL":
                raise ValidationError(Reason.REVOKED, "revoked (delta CRL)", index)
            continue
        idp = crl.extension(ext.ISSUING_DISTRIBUTION_POINT)
        some = idp.value.only_some_reasons if idp is not None else None
        covered |= set(some) if some is not None else ALL_REASONS
        if entry is not None:
            why = f" ({entry.reason})" if entry.reason else ""
            raise ValidationError(
                Reason.REVOKED, f"revoked on {entry.revocation_date:%Y-%m-%d}{why}", index
            )
    if hard and not ALL_REASONS <= covered:
        raise ValidationError(
            Reason.REVOCATION_UNKNOWN, "no CRL among those given covers this certificate", index
        )
