"""Building and signing certificates.

``CertificateBuilder`` is immutable and fluent: each method returns a new builder,
so a half-configured builder can be shared as a template.

    ca_key = x509.generate_private_key("ec")
    ca = (x509.CertificateBuilder()
          .subject("CN=Example Root,O=Example")
          .public_key(ca_key.public_key())
          .ca(path_length=1)
          .sign(ca_key))                                  # self-signed: issuer = subject
    leaf_key = x509.generate_private_key("rsa", key_size=2048)
    leaf = (x509.CertificateBuilder()
            .subject("CN=www.example.com")
            .public_key(leaf_key.public_key())
            .subject_alt_names(dns=["www.example.com"], ip=["192.0.2.1"])
            .extended_key_usage("serverAuth")
            .issued_by(ca)                                # issuer name + AKI from the CA
            .sign(ca_key))

Defaults: a random positive 127-bit serial number; validity from one minute ago
for 365 days; subjectKeyIdentifier (SHA-1 of the key, RFC 5280 §4.2.1.2 method 1);
authorityKeyIdentifier from the issuer's SKI (or the signing key); a
digitalSignature keyUsage for leaves and keyCertSign+cRLSign for CAs unless
``key_usage`` is given.  The signature scheme defaults to the signing key's
(``rsa_pkcs1_sha256``, ``ecdsa_sha256/384/512`` by curve, ``ed25519``, ``ed448``).
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from x509 import extensions as ext
from x509.hostname import IPAddressValue
from x509.keys import PrivateKey, PublicKey
from x509.name import Name

if TYPE_CHECKING:
    from x509.certificate import Certificate


def _name(value: Name | str) -> Name:
    if isinstance(value, Name):
        return value
    if isinstance(value, str):
        return Name.parse(value)
    raise TypeError("a name must be an x509.Name or an RFC 4514 string")


def general_names(
    dns: Iterable[str] = (),
    ip: Iterable[Any] = (),
    email: Iterable[str] = (),
    uri: Iterable[str] = (),
    dirname: Iterable[Name | str] = (),
) -> tuple[ext.GeneralName, ...]:
    """GeneralNames from plain values (IP addresses as text or ipaddress objects)."""
    names: list[ext.GeneralName] = [("dns", d) for d in dns]
    for a in ip:
        packed = a.packed if hasattr(a, "packed") else ipaddress.ip_address(a).packed
        names.append(("ip", IPAddressValue(packed)))
    names += [("email", e) for e in email]
    names += [("uri", u) for u in uri]
    names += [("dirname", _name(d)) for d in dirname]
    return tuple(names)


def subtrees(values: Iterable[Any]) -> tuple[ext.GeneralName, ...]:
    """Name-constraint subtrees from ``("dns", "example.com")``-style pairs; an "ip"
    value may be a network in text (``"192.0.2.0/24"``) or an ipaddress network."""
    out: list[ext.GeneralName] = []
    for kind, value in values:
        if kind == "ip" and not isinstance(value, IPAddressValue):
            net = ipaddress.ip_network(value)
            value = IPAddressValue(net.network_address.packed + net.netmask.packed)
        elif kind == "dirname":
            value = _name(value)
        out.append((kind, value))
    return tuple(out)


@dataclass(frozen=True)
class CertificateBuilder:
    """An immutable description of a certificate to be signed."""

    _subject: Name | None = None
    _issuer: Name | None = None
    _serial: int | None = None
    _not_before: _dt.datetime | None = None
    _not_after: _dt.datetime | None = None
    _public_key: PublicKey | None = None
    _extensions: tuple[ext.Extension, ...] = ()
    _issuer_ski: bytes | None = None
    _auto_ski: bool = True
    _auto_aki: bool = True
    _version: int = 3
    _flags: dict[str, Any] = field(default_factory=dict)

    # -- fields ---------------------------------------------------------------

    def subject(self, name: Name | str) -> CertificateBuilder:
        return replace(self, _subject=_name(name))

    def issuer(self, name: Name | str) -> CertificateBuilder:
        return replace(self, _issuer=_name(name))

    def issued_by(self, issuer: Certificate) -> CertificateBuilder:
        """Issuer name and authorityKeyIdentifier taken from the issuing certificate."""
        return replace(self, _issuer=issuer.subject, _issuer_ski=issuer.subject_key_identifier)

    def serial_number(self, serial: int) -> CertificateBuilder:
        return replace(self, _serial=int(serial))

    def not_valid_before(self, when: _dt.datetime) -> CertificateBuilder:
        return replace(self, _not_before=_aware(when))

    def not_valid_after(self, when: _dt.datetime) -> CertificateBuilder:
        return replace(self, _not_after=_aware(when))

    def validity(self, start: _dt.datetime, end: _dt.datetime) -> CertificateBuilder:
        return replace(self, _not_before=_aware(start), _not_after=_aware(end))

    def public_key(self, key: PublicKey | PrivateKey) -> CertificateBuilder:
        if isinstance(key, PrivateKey):
            key = key.public_key()
        return replace(self, _public_key=key)

    def version(self, version: int) -> CertificateBuilder:
        """1 or 3 (a v1 certificate carries no extensions)."""
        if version not in (1, 2, 3):
            raise ValueError("version must be 1, 2 or 3")
        return replace(self, _version=version)

    # -- extensions -----------------------------------------------------------

    def add_extension(self, value: Any, critical: bool = False, oid: str | None = None):
        """Add a typed extension value (from ``x509.extensions``), or raw DER
        ``extnValue`` bytes with ``oid``.  Replaces an extension of the same OID."""
        if oid is None:
            oid = _OID_OF.get(type(value))
            if oid is None:
                raise TypeError(f"{type(value).__name__} is not an extension value; pass oid=")
        elif not isinstance(value, bytes | bytearray) and type(value) in _OID_OF:
            pass
        kept = tuple(e for e in self._extensions if e.oid != oid)
        flags = dict(self._flags)
        if oid == ext.SUBJECT_KEY_IDENTIFIER:
            flags["ski"] = True
        if oid == ext.AUTHORITY_KEY_IDENTIFIER:
            flags["aki"] = True
        return replace(self, _extensions=(*kept, ext.Extension(oid, critical, value)), _flags=flags)

    def ca(self, ca: bool = True, path_length: int | None = None) -> CertificateBuilder:
        """basicConstraints (critical); a CA also gets keyCertSign+cRLSign by default."""
        return self.add_extension(ext.BasicConstraints(ca, path_length), critical=True)

    def key_usage(self, *usages: str, critical: bool = True) -> CertificateBuilder:
        for u in usages:
            if u not in ext.KEY_USAGE_BITS:
                raise ValueError(f"unknown key usage {u!r}")
        return self.add_extension(ext.KeyUsage(frozenset(usages)), critical=critical)

    def extended_key_usage(self, *usages: str, critical: bool = False) -> CertificateBuilder:
        oids = tuple(ext.EKU_NAMES.get(u, u) for u in usages)
        return self.add_extension(ext.ExtendedKeyUsage(oids), critical=critical)

    def subject_alt_names(
        self,
        dns: Iterable[str] = (),
        ip: Iterable[Any] = (),
        email: Iterable[str] = (),
        uri: Iterable[str] = (),
        dirname: Iterable[Name | str] = (),
        critical: bool | None = None,
    ) -> CertificateBuilder:
        names = general_names(dns, ip, email, uri, dirname)
        if critical is None:  # RFC 5280 §4.2.1.6: critical when the subject is empty
            critical = self._subject is not None and len(self._subject) == 0
        return self.add_extension(ext.SubjectAlternativeName(names), critical=critical)

    def name_constraints(
        self, permitted: Iterable[Any] = (), excluded: Iterable[Any] = ()
    ) -> CertificateBuilder:
        p, x = subtrees(permitted), subtrees(excluded)
        return self.add_extension(ext.NameConstraints(p or None, x or None), critical=True)

    def certificate_policies(self, *policies: str) -> CertificateBuilder:
        infos = tuple(ext.PolicyInformation(p) for p in policies)
        return self.add_extension(ext.CertificatePolicies(infos))

    def subject_key_identifier(self, digest: bytes | None) -> CertificateBuilder:
        """Set the SKI explicitly, or ``None`` to leave it out."""
        if digest is None:
            kept = tuple(e for e in self._extensions if e.oid != ext.SUBJECT_KEY_IDENTIFIER)
            return replace(self, _extensions=kept, _auto_ski=False)
        return self.add_extension(ext.SubjectKeyIdentifier(bytes(digest)))

    def authority_key_identifier(self, key_id: bytes | None) -> CertificateBuilder:
        """Set the AKI keyIdentifier explicitly, or ``None`` to leave the AKI out."""
        if key_id is None:
            kept = tuple(e for e in self._extensions if e.oid != ext.AUTHORITY_KEY_IDENTIFIER)
            return replace(self, _extensions=kept, _auto_aki=False)
        return self.add_extension(ext.AuthorityKeyIdentifier(key_identifier=bytes(key_id)))

    # -- signing --------------------------------------------------------------

    def sign(self, private_key: PrivateKey, algorithm: str | None = None) -> Certificate:
        """Sign with ``private_key`` (the issuer's) and return the parsed certificate."""
        from x509 import encode
        from x509.certificate import Certificate

        if self._subject is None:
            raise ValueError("the certificate needs a subject (use Name([]) for an empty one)")
        if self._public_key is None:
            raise ValueError("the certificate needs a public key")
        issuer = self._issuer if self._issuer is not None else self._subject
        scheme = algorithm or private_key.default_scheme()
        now = _dt.datetime.now(_dt.UTC).replace(microsecond=0)
        not_before = self._not_before or now - _dt.timedelta(minutes=1)
        not_after = self._not_after or not_before + _dt.timedelta(days=365)
        serial = self._serial if self._serial is not None else _random_serial()
        extensions = list(self._extensions) if self._version == 3 else []
        if self._version == 3:
            extensions = self._defaults(extensions, private_key)
        tbs = encode.tbs_certificate(
            version=self._version,
            serial=serial,
            scheme=scheme,
            issuer=issuer,
            not_before=not_before,
            not_after=not_after,
            subject=self._subject,
            public_key=self._public_key,
            extensions=extensions,
        )
        signature = private_key.sign(tbs, scheme)
        return Certificate.from_der(encode.certificate(tbs, scheme, signature))

    def _defaults(self, extensions: list[ext.Extension], signer: PrivateKey) -> list:
        have = {e.oid for e in extensions}
        assert self._public_key is not None
        bc = next((e.value for e in extensions if e.oid == ext.BASIC_CONSTRAINTS), None)
        if ext.KEY_USAGE not in have and self._public_key.algorithm not in ("x25519", "x448"):
            usages = {"keyCertSign", "cRLSign"} if bc and bc.ca else {"digitalSignature"}
            if bc and bc.ca:
                usages.add("digitalSignature")
            extensions.append(ext.Extension(ext.KEY_USAGE, True, ext.KeyUsage(frozenset(usages))))
        if ext.SUBJECT_KEY_IDENTIFIER not in have and self._auto_ski:
            ski = key_identifier(self._public_key)
            extensions.append(
                ext.Extension(ext.SUBJECT_KEY_IDENTIFIER, False, ext.SubjectKeyIdentifier(ski))
            )
        if ext.AUTHORITY_KEY_IDENTIFIER not in have and self._auto_aki:
            aki = self._issuer_ski or key_identifier(signer.public_key())
            extensions.append(
                ext.Extension(ext.AUTHORITY_KEY_IDENTIFIER, False, ext.AuthorityKeyIdentifier(aki))
            )
        return extensions


def key_identifier(key: PublicKey) -> bytes:
    """RFC 5280 §4.2.1.2 (1): SHA-1 of the subjectPublicKey BIT STRING contents."""
    from nocrypto import hashes
    from x509 import encode

    return hashes.sha1(encode.subject_public_key_bits(key)).digest()


def _random_serial() -> int:
    from nocrypto import rng

    # 127 bits: positive in DER and at most 16 octets (CABF asks for >= 64 random bits)
    return int.from_bytes(rng.entropy(16), "big") >> 1 | 1


def _aware(when: _dt.datetime) -> _dt.datetime:
    if when.tzinfo is None:
        raise ValueError("certificate times must be timezone-aware")
    return when.astimezone(_dt.UTC).replace(microsecond=0)


_OID_OF: dict[type, str] = {
    ext.BasicConstraints: ext.BASIC_CONSTRAINTS,
    ext.KeyUsage: ext.KEY_USAGE,
    ext.ExtendedKeyUsage: ext.EXTENDED_KEY_USAGE,
    ext.SubjectAlternativeName: ext.SUBJECT_ALT_NAME,
    ext.IssuerAlternativeName: ext.ISSUER_ALT_NAME,
    ext.NameConstraints: ext.NAME_CONSTRAINTS,
    ext.AuthorityKeyIdentifier: ext.AUTHORITY_KEY_IDENTIFIER,
    ext.SubjectKeyIdentifier: ext.SUBJECT_KEY_IDENTIFIER,
    ext.CertificatePolicies: ext.CERTIFICATE_POLICIES,
    ext.PolicyMappings: ext.POLICY_MAPPINGS,
    ext.PolicyConstraints: ext.POLICY_CONSTRAINTS,
    ext.InhibitAnyPolicy: ext.INHIBIT_ANY_POLICY,
    ext.AuthorityInformationAccess: ext.AUTHORITY_INFORMATION_ACCESS,
    ext.CRLDistributionPoints: ext.CRL_DISTRIBUTION_POINTS,
    ext.TLSFeature: ext.TLS_FEATURE,
}
