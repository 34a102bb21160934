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
