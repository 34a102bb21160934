"""Every certificate in cryptography_vectors' x509/ tree: puretls and cryptography agree.

Certificates cryptography loads either load in puretls with the same fields, or are
refused for a reason listed in REFUSED (each an RFC 5280 / DER rule cryptography is
lenient about).  Re-encoding is byte-exact: the DER, the signed TBS bytes, every
typed extension value, every parsed name and every public key re-encode to the
bytes they came from.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest
from cryptography import x509 as cx
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

import x509
from x509 import encode
from x509.name import Name

# file (relative to x509/) -> the rule puretls enforces that cryptography does not
REFUSED = {
    "utf8-dnsname.pem": "dNSName is IA5String: non-ASCII characters are invalid",
    "v1_cert.pem": "signatureAlgorithm must equal tbsCertificate.signature (RFC 5280 4.1.1.2)",
    "custom/malformed-san.pem": "otherName value must be [0] EXPLICIT",
    "custom/malformed-ian.pem": "otherName value must be [0] EXPLICIT",
    "custom/rsa_pss_cert_invalid_mgf.der": "signature algorithms differ (RFC 5280 4.1.1.2)",
    "custom/mismatch_inner_outer_sig_algorithm.der": "signature algorithms differ",
    "custom/rsa_pss_cert_no_sig_params.der": "signature algorithms differ",
    "custom/rsa_pss_cert_unsupported_mgf_hash.der": "signature algorithms differ",
    "custom/two_basic_constraints.pem": "duplicate extension (RFC 5280 4.2)",
    "custom/empty-eku.pem": "ExtKeyUsageSyntax is SIZE (1..MAX)",
    "custom/name_attribute_unsupported_tag.pem": "a CN must be a DirectoryString",
    "custom/invalid_utf8_common_name.pem": "UTF8String that is not UTF-8",
}


def _vector_files() -> list[tuple[str, bytes]]:
    import cryptography_vectors

    base = Path(cryptography_vectors.__file__).parent / "x509"
    out = []
    for root, _, files in os.walk(base):
        for f in sorted(files):
            path = Path(root) / f
            data = path.read_bytes()
            rel = str(path.relative_to(base))
            if b"-----BEGIN CERTIFICATE" in data or path.suffix in (".der", ".cer", ".crt"):
                out.append((rel, data))
    return sorted(out)


def _theirs(data: bytes) -> list[cx.Certificate]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if b"-----BEGIN CERTIFICATE" in data:
                certs = cx.load_pem_x509_certificates(data)
            else:
                certs = [cx.load_der_x509_certificate(data)]
        except (ValueError, cx.InvalidVersion):
            return []
        out = []
        for c in certs:
            try:
                _ = c.version  # cryptography checks some fields lazily
                out.append(c)
            except cx.InvalidVersion:
                # refused by both: puretls accepts only versions 1-3 as well
                with pytest.raises(x509.ParseError):
                    x509.Certificate.from_der(c.public_bytes(Encoding.DER))
        return out


def _compare(theirs: cx.Certificate, ours: x509.Certificate) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert ours.serial_number == theirs.serial_number
        assert ours.version == theirs.version.value + 1
        assert ours.not_valid_before == theirs.not_valid_before_utc
        assert ours.not_valid_after == theirs.not_valid_after_utc
        assert ours.tbs_bytes == theirs.tbs_certificate_bytes
        assert ours.signature == theirs.signature
        assert ours.signature_algorithm_oid == theirs.signature_algorithm_oid.dotted_string
        for ours_name, attr in ((ours.subject, "subject"), (ours.issuer, "issuer")):
            # a parsed name re-encodes exactly without its cached bytes
            assert encode.name(Name(ours_name.rdns)) == ours_name.der
            try:
                their_name = getattr(theirs, attr)
                their_text = their_name.rfc4514_string()
            except (ValueError, KeyError):  # cryptography parses names lazily, may give up
                continue
            # (cryptography prints non-string values as "#" + contents, RFC 4514 wants
            # the whole encoding: compare text names only)
            if all(len(r) == 1 and isinstance(r[0].value, str) for r in ours_name.rdns):
                assert ours_name.rfc4514_string() == their_text
        try:
            their_exts = [(e.oid.dotted_string, e.critical) for e in theirs.extensions]
        except (ValueError, cx.UnsupportedGeneralNameType):  # cryptography cannot decode it
            their_exts = None
        if their_exts is not None:
            assert [(e.oid, e.critical) for e in ours.extensions] == their_exts
        for e in ours.extensions:
            # (keyUsage with trailing zero bits is read leniently: its minimal DER differs)
            if not isinstance(e.value, bytes) and not (e.name == "keyUsage" and e.der[-1] == 0):
                assert encode.extension_value(e.value) == e.der, e.name
        try:
            their_key = theirs.public_key()
        except (ValueError, cx.UnsupportedGeneralNameType, Exception):  # noqa: B014
            their_key = None
        try:
            key = ours.public_key()
        except (x509.UnsupportedAlgorithm, x509.ParseError):
            key = None
        if key is not None and their_key is not None:
            spki = their_key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
            if spki == ours.spki_der:  # cryptography normalises some encodings
                assert key.to_der() == spki


def test_cryptography_vectors_agree() -> None:
    loaded = 0
    for rel, data in _vector_files():
        for theirs in _theirs(data):
            der = theirs.public_bytes(Encoding.DER)
            if rel in REFUSED:
                with pytest.raises(x509.ParseError):
                    x509.Certificate.from_der(der)
                continue
            ours = x509.Certificate.from_der(der)
            assert ours.to_der() == der
            _compare(theirs, ours)
            loaded += 1
    assert loaded > 400
