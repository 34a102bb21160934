"""CSRs and CRLs: built by puretls and read by cryptography, and the other way round;
revocation enforced by the verifier."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509 as cx
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID

import x509
from tests.x509.chains import NOW, Spec, build, der, key


def test_csr_built_by_puretls_reads_in_cryptography() -> None:
    k = x509.generate_private_key("ec")
    csr = (
        x509.CSRBuilder()
        .subject("CN=www.example.com,O=Example")
        .subject_alt_names(dns=["www.example.com"], ip=["192.0.2.1"])
        .sign(k)
    )
    assert csr.verify_signature()
    theirs = cx.load_pem_x509_csr(csr.to_pem())
    assert theirs.is_signature_valid
    assert theirs.subject.rfc4514_string() == "CN=www.example.com,O=Example"
    san = theirs.extensions.get_extension_for_class(cx.SubjectAlternativeName).value
    assert san.get_values_for_type(cx.DNSName) == ["www.example.com"]


def test_csr_built_by_cryptography_reads_in_puretls() -> None:
    theirs = (
        cx.CertificateSigningRequestBuilder()
        .subject_name(cx.Name([cx.NameAttribute(NameOID.COMMON_NAME, "client")]))
        .add_extension(cx.SubjectAlternativeName([cx.RFC822Name("me@example.com")]), False)
        .sign(key("rsa"), hashes.SHA256())
    )
    ours = x509.CSR.from_der(der(theirs))
    assert ours.verify_signature()
    assert ours.subject.rfc4514_string() == "CN=client"
    assert ours.subject_alt_names == [("email", "me@example.com")]
    tampered = bytearray(ours.to_der())
    tampered[-5] ^= 1
    assert not x509.CSR.from_der(bytes(tampered)).verify_signature()


def _ca():
    specs = [
        Spec("Root", key("ec", 0)),
        Spec("leaf", key("ec", 2), issuer=0, ca=False, dns=["example.com"]),
    ]
    return build(specs)


def test_crl_from_cryptography_revokes_in_verifier() -> None:
    root, leaf = _ca()
    builder = (
        cx.CertificateRevocationListBuilder()
        .issuer_name(root.subject)
        .last_update(NOW - dt.timedelta(days=1))
        .next_update(NOW + dt.timedelta(days=1))
        .add_extension(cx.CRLNumber(3), False)
    )
    ours_root, ours_leaf = (
        x509.Certificate.from_der(der(root)),
        x509.Certificate.from_der(der(leaf)),
    )
    clean = x509.CRL.from_der(der(builder.sign(key("ec", 0), hashes.SHA256())))
    assert clean.crl_number == 3 and clean.verify_signature(ours_root.public_key())
    v = x509.Verifier([ours_root], time=NOW, crls=[clean])
    assert len(v.verify(ours_leaf, "example.com")) == 2
    revoked = builder.add_revoked_certificate(
        cx.RevokedCertificateBuilder()
        .serial_number(leaf.serial_number)
        .revocation_date(NOW - dt.timedelta(hours=1))
        .build()
    ).sign(key("ec", 0), hashes.SHA256())
    v = x509.Verifier([ours_root], time=NOW, crls=[x509.CRL.from_der(der(revoked))])
    with pytest.raises(x509.ValidationError) as info:
        v.verify(ours_leaf, "example.com")
    assert info.value.reason == x509.Reason.REVOKED


def test_crl_signed_by_someone_else_fails_closed() -> None:
    root, leaf = _ca()
    forged = (
        cx.CertificateRevocationListBuilder()
        .issuer_name(root.subject)
        .last_update(NOW - dt.timedelta(days=1))
        .next_update(NOW + dt.timedelta(days=1))
        .add_extension(cx.CRLNumber(1), False)
        .sign(key("ec", 5), hashes.SHA256())
    )
    v = x509.Verifier(
        [x509.Certificate.from_der(der(root))], time=NOW, crls=[x509.CRL.from_der(der(forged))]
    )
    with pytest.raises(x509.ValidationError) as info:
        v.verify(x509.Certificate.from_der(der(leaf)), "example.com")
    assert info.value.reason == x509.Reason.CRL_INVALID


def test_crl_built_by_puretls_reads_in_cryptography() -> None:
    k = x509.generate_private_key("ec")
    ca = x509.CertificateBuilder().subject("CN=CA").public_key(k).ca().sign(k)
    crl = (
        x509.CRLBuilder(ca, this_update=NOW, number=9)
        .revoke(4242, NOW - dt.timedelta(days=2), reason="keyCompromise")
        .sign(k)
    )
    theirs = cx.load_der_x509_crl(crl.to_der())
    assert theirs.is_signature_valid(cx.load_der_x509_certificate(ca.to_der()).public_key())
    entry = theirs.get_revoked_certificate_by_serial_number(4242)
    assert entry is not None
    assert entry.extensions.get_extension_for_class(cx.CRLReason).value.reason == (
        cx.ReasonFlags.key_compromise
    )
    assert theirs.extensions.get_extension_for_class(cx.CRLNumber).value.crl_number == 9


# cryptography_vectors CRLs/CSRs that cryptography loads but puretls refuses, and why
REFUSED = {
    "custom/crl_dup_entry_ext.pem": "duplicate CRL entry extension (RFC 5280 4.2)",
    "custom/crl_inval_cert_issuer_entry_ext.pem": "certificateIssuer is not GeneralNames",
    "custom/crl_inval_date_fractional_seconds.der": "DER GeneralizedTime has no fraction",
    "custom/crl_unsupported_reason.pem": "CRLReason 12 does not exist",
    "requests/freeipa-bad-critical.pem": "DER forbids encoding critical FALSE (a DEFAULT)",
    "requests/zero-element-attribute.pem": "extensionRequest with no value",
}


def test_cryptography_vectors_crls_and_csrs_agree() -> None:
    import warnings
    from pathlib import Path

    import cryptography_vectors
    from cryptography.hazmat.primitives.serialization import Encoding

    base = Path(cryptography_vectors.__file__).parent / "x509"
    counts = {"crl": 0, "csr": 0}
    loaders = {
        "crl": (cx.load_pem_x509_crl, cx.load_der_x509_crl, x509.CRL.from_der),
        "csr": (cx.load_pem_x509_csr, cx.load_der_x509_csr, x509.CSR.from_der),
    }
    for path in sorted(base.rglob("*")):
        if not path.is_file() or path.suffix not in (".pem", ".der", ".crl", ".csr"):
            continue
        data = path.read_bytes()
        rel = str(path.relative_to(base))
        for kind, (from_pem, from_der, ours) in loaders.items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    theirs = from_pem(data) if data.startswith(b"-----") else from_der(data)
                except Exception:  # noqa: BLE001 - not this kind of object
                    continue
                der_bytes = theirs.public_bytes(Encoding.DER)
                if rel in REFUSED:
                    with pytest.raises(x509.ParseError):
                        ours(der_bytes)
                    continue
                mine = ours(der_bytes)
                assert mine.to_der() == der_bytes
                if kind == "crl":
                    assert mine.issuer.der == theirs.issuer.public_bytes()
                    assert [r.serial_number for r in mine.revoked] == [
                        r.serial_number for r in theirs
                    ]
                    assert mine.this_update == theirs.last_update_utc
                else:
                    assert mine.verify_signature() == theirs.is_signature_valid, rel
                counts[kind] += 1
    assert counts["crl"] > 100 and counts["csr"] > 10
