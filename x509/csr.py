"""PKCS#10 certification requests (RFC 2986): parse, verify, build.

    key = x509.generate_private_key("ec")
    csr = (x509.CSRBuilder().subject("CN=www.example.com")
           .subject_alt_names(dns=["www.example.com"]).sign(key))
    assert csr.verify_signature()

Requested extensions travel in the PKCS#9 extensionRequest attribute and are
exposed, typed, as ``csr.extensions``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from asn1 import der as asn1_der
from asn1.values import BitString
from x509 import extensions as ext
from x509 import grammar as G
from x509.builder import general_names
from x509.decode import extensions as decode_extensions
from x509.decode import name as decode_name
from x509.decode import parse, signature_scheme, spki_public_key
from x509.encode import _encode, signature_algorithm
from x509.encode import extensions as encode_extensions
from x509.encode import name as encode_name
from x509.errors import ParseError
from x509.keys import PrivateKey, PublicKey
from x509.name import Name

EXTENSION_REQUEST = "1.2.840.113549.1.9.14"


class CSR:
    """A parsed CertificationRequest; ``to_der()`` returns the exact input."""

    def __init__(self, der: bytes) -> None:
        top = parse(G.CertificationRequest, der, "CertificationRequest")
        info, self.info_bytes = top["certificationRequestInfo"]
        if info["version"] != 0:
            raise ParseError("unknown CSR version", "certificationRequestInfo.version")
        self.der = der
        self.subject: Name = decode_name(*info["subject"])
        spki, self.spki_der = info["subjectPKInfo"]
        self._key, self._key_error = spki_public_key(spki)
        self.signature_algorithm, self.signature_scheme = signature_scheme(
            top["signatureAlgorithm"]
        )
        self.signature: bytes = top["signature"].data
        self.attributes: list[tuple[str, list[bytes]]] = []
        exts: list[ext.Extension] = []
        for attr in info["attributes"]:
            if attr["type"] == EXTENSION_REQUEST:
                # the grammar decodes extensionRequest: a SET of Extensions lists
                if len(attr["values"]) != 1:
                    raise ParseError("extensionRequest needs exactly one value")
                items = attr["values"][0]
                exts.extend(decode_extensions(items, "extensionRequest", decoded=True))
                values = [asn1_der.encode(G.Extensions, items)]
            else:
                values = [v.der for v in attr["values"]]
            self.attributes.append((attr["type"], values))
        self.extensions: tuple[ext.Extension, ...] = tuple(exts)

    @classmethod
    def from_der(cls, der: bytes | bytearray | memoryview) -> CSR:
        return cls(bytes(der))

    @classmethod
    def from_pem(cls, data: bytes | str) -> CSR:
        from x509 import pem

        [der] = pem.decode(data, ("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"))[:1]
        return cls(der)

    def to_der(self) -> bytes:
        return self.der

    def to_pem(self) -> bytes:
        from x509 import pem

        return pem.encode("CERTIFICATE REQUEST", self.der)

    def public_key(self) -> PublicKey:
        if self._key is None:
            assert self._key_error is not None
            raise self._key_error
        return self._key

    def extension(self, oid: str) -> ext.Extension | None:
        return next((e for e in self.extensions if e.oid == oid), None)

    @property
    def subject_alt_names(self) -> list[tuple[str, Any]]:
        e = self.extension(ext.SUBJECT_ALT_NAME)
        return list(e.value.names) if e is not None else []

    def verify_signature(self, allow_sha1: bool = False) -> bool:
        """Whether the request is signed by the key it carries (proof of possession).
        SHA-1 signatures count as not verifying unless ``allow_sha1``."""
        if self.signature_scheme is None or self._key is None:
            return False
        if self.signature_scheme.endswith("sha1") and not allow_sha1:
            return False
        return self._key.verify(self.signature, self.info_bytes, self.signature_scheme)


@dataclass(frozen=True)
class CSRBuilder:
    """Immutable, fluent builder of certification requests."""

    _subject: Name | None = None
    _extensions: tuple[ext.Extension, ...] = ()

    def subject(self, name: Name | str) -> CSRBuilder:
        return replace(self, _subject=name if isinstance(name, Name) else Name.parse(name))

    def add_extension(self, value: Any, critical: bool = False, oid: str | None = None):
        from x509.builder import _OID_OF

        oid = oid or _OID_OF[type(value)]
        kept = tuple(e for e in self._extensions if e.oid != oid)
        return replace(self, _extensions=(*kept, ext.Extension(oid, critical, value)))

    def subject_alt_names(self, **kinds: Any) -> CSRBuilder:
        return self.add_extension(ext.SubjectAlternativeName(general_names(**kinds)))

    def sign(self, private_key: PrivateKey, algorithm: str | None = None) -> CSR:
        if self._subject is None:
            raise ValueError("the request needs a subject")
        scheme = algorithm or private_key.default_scheme()
        attributes = []
        if self._extensions:
            items = encode_extensions(list(self._extensions), decoded=True)
            attributes.append({"type": EXTENSION_REQUEST, "values": [items]})
        info = _encode(
            G.CertificationRequestInfo,
            {
                "version": 0,
                "subject": (None, encode_name(self._subject)),
                "subjectPKInfo": (None, private_key.public_key().to_der()),
                "attributes": attributes,
            },
            "CertificationRequestInfo",
        )
        der = _encode(
            G.CertificationRequest,
            {
                "certificationRequestInfo": (None, info),
                "signatureAlgorithm": signature_algorithm(scheme),
                "signature": BitString(private_key.sign(info, scheme), 0),
            },
            "CertificationRequest",
        )
        return CSR(der)
