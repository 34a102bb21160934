"""CertificateBuilder: what it builds loads in cryptography, passes `openssl verify`,
and survives build -> DER -> parse unchanged; hostile DER raises only ParseError."""

from __future__ import annotations

import datetime as dt
import ipaddress
import shutil
import subprocess

import pytest
from cryptography import x509 as cx
from cryptography.x509.oid import ExtendedKeyUsageOID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import x509
from x509 import extensions as ext

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
_KEYS: dict[str, x509.PrivateKey] = {}


def key(kind: str) -> x509.PrivateKey:
    if kind not in _KEYS:
        alg, _, curve = kind.partition(":")
        _KEYS[kind] = x509.generate_private_key(alg, curve=curve or None)
    return _KEYS[kind]


_PKI: dict[str, tuple] = {}


def pki(kind: str = "ec"):
    if kind not in _PKI:
        _PKI[kind] = _make_pki(kind)
    return _PKI[kind]


def _make_pki(kind: str):
    root_key, inter_key, leaf_key = key(kind), key("ec:secp384r1"), key("ec:secp256r1")
    start, end = NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=30)
    root = (
        x509.CertificateBuilder()
        .subject("CN=puretls test root,O=puretls")
        .public_key(root_key)
        .validity(start, end)
        .ca(path_length=1)
        .sign(root_key)
    )
    inter = (
        x509.CertificateBuilder()
        .subject("CN=puretls intermediate,O=puretls")
        .public_key(inter_key)
        .validity(start, end)
        .ca(path_length=0)
        .name_constraints(permitted=[("dns", "example.com"), ("ip", "192.0.2.0/24")])
        .issued_by(root)
        .sign(root_key)
    )
    leaf = (
        x509.CertificateBuilder()
        .subject("CN=www.example.com")
        .public_key(leaf_key)
        .validity(start, end)
        .subject_alt_names(dns=["www.example.com"], ip=["192.0.2.1"])
        .extended_key_usage("serverAuth", "clientAuth")
        .issued_by(inter)
        .sign(inter_key)
    )
    return root, inter, leaf


@pytest.mark.parametrize("kind", ["ec", "rsa", "ed25519", "ec:secp521r1"])
def test_built_chain_is_valid_for_both_verifiers(kind) -> None:
    root, inter, leaf = pki(kind)
    path = x509.Verifier([root], [inter], time=NOW).verify(leaf, "www.example.com")
    assert path == [leaf, inter, root]
    assert x509.Verifier([root], [inter], time=NOW).verify(leaf, ipaddress.ip_address("192.0.2.1"))
    if kind == "ed25519":
        return  # cryptography's web-PKI policy refuses Ed25519 (not in CABF); puretls allows it
    from cryptography.x509.verification import PolicyBuilder, Store

    theirs = [cx.load_der_x509_certificate(c.to_der()) for c in (root, inter, leaf)]
    verifier = (
        PolicyBuilder()
        .store(Store([theirs[0]]))
        .time(NOW)
        .build_server_verifier(cx.DNSName("www.example.com"))
    )
    assert len(verifier.verify(theirs[2], [theirs[1]])) == 3


def test_fields_as_cryptography_reads_them() -> None:
    root, inter, leaf = pki()
    c = cx.load_der_x509_certificate(leaf.to_der())
    assert c.subject.rfc4514_string() == "CN=www.example.com"
    assert c.issuer.rfc4514_string() == "CN=puretls intermediate,O=puretls"
    assert c.serial_number == leaf.serial_number > 0
    san = c.extensions.get_extension_for_class(cx.SubjectAlternativeName).value
    assert san.get_values_for_type(cx.DNSName) == ["www.example.com"]
    assert san.get_values_for_type(cx.IPAddress) == [ipaddress.ip_address("192.0.2.1")]
    eku = c.extensions.get_extension_for_class(cx.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
    aki = c.extensions.get_extension_for_class(cx.AuthorityKeyIdentifier).value
    i = cx.load_der_x509_certificate(inter.to_der())
    ski = i.extensions.get_extension_for_class(cx.SubjectKeyIdentifier).value
    assert (
        aki.key_identifier
        == ski.digest
        == cx.SubjectKeyIdentifier.from_public_key(i.public_key()).digest
    )
    nc = i.extensions.get_extension_for_class(cx.NameConstraints)
    assert nc.critical and nc.value.permitted_subtrees[0] == cx.DNSName("example.com")
    bc = i.extensions.get_extension_for_class(cx.BasicConstraints)
    assert bc.critical and bc.value.ca and bc.value.path_length == 0
    # every signature verifies with cryptography too
    i.verify_directly_issued_by(cx.load_der_x509_certificate(root.to_der()))
    c.verify_directly_issued_by(i)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl binary not installed")
def test_openssl_verify_accepts_built_chain(tmp_path) -> None:
    root, inter, leaf = pki("rsa")
    (tmp_path / "root.pem").write_bytes(root.to_pem())
    (tmp_path / "inter.pem").write_bytes(inter.to_pem())
    (tmp_path / "leaf.pem").write_bytes(leaf.to_pem())
    (tmp_path / "key.pem").write_bytes(key("ed25519").to_pem())
    when = str(int(NOW.timestamp()))
    out = subprocess.run(
        [
            "openssl",
            "verify",
            "-attime",
            when,
            "-CAfile",
            str(tmp_path / "root.pem"),
            "-untrusted",
            str(tmp_path / "inter.pem"),
            "-verify_hostname",
            "www.example.com",
            str(tmp_path / "leaf.pem"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    # openssl reads our PKCS#8 key, and what it writes we read back
    out = subprocess.run(
        ["openssl", "pkey", "-in", str(tmp_path / "key.pem")], capture_output=True, check=True
    )
    assert x509.load_pem_private_key(out.stdout).public_key() == key("ed25519").public_key()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl binary not installed")
def test_certificate_made_by_openssl_loads(tmp_path) -> None:
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            str(tmp_path / "k.pem"),
            "-out",
            str(tmp_path / "c.pem"),
            "-subj",
            "/CN=localhost/O=OpenSSL",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-days",
            "2",
        ],
        capture_output=True,
        check=True,
    )
    [cert] = x509.load_pem_certificates((tmp_path / "c.pem").read_bytes())
    k = x509.load_pem_private_key((tmp_path / "k.pem").read_bytes())
    assert cert.public_key() == k.public_key()
    assert cert.subject.rfc4514_string() == "O=OpenSSL,CN=localhost"
    assert cert.verify_signature(cert.public_key())
    # a self-signed certificate trusted directly validates as a path of one
    assert x509.Verifier([cert]).verify(cert, "localhost") == [cert]


names = st.lists(
    st.from_regex(r"[a-z][a-z0-9]{0,10}(\.[a-z][a-z0-9]{0,10}){1,3}", fullmatch=True),
    min_size=1,
    max_size=4,
)
texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cn=texts,
    dns=names,
    ips=st.lists(st.ip_addresses(), max_size=3),
    ca=st.booleans(),
    path_length=st.one_of(st.none(), st.integers(0, 5)),
    serial=st.integers(1, 2**159),
    usages=st.sets(st.sampled_from(sorted(ext.KEY_USAGE_BITS)), min_size=1),
    seconds=st.integers(0, 2**33),
)
def test_build_parse_roundtrip(cn, dns, ips, ca, path_length, serial, usages, seconds) -> None:
    k = key("ec")
    start = dt.datetime(1951, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=seconds)
    b = (
        x509.CertificateBuilder()
        .subject(x509.Name.from_attributes([("2.5.4.3", cn)]))
        .public_key(k)
        .serial_number(serial)
        .validity(start, start + dt.timedelta(days=1))
        .subject_alt_names(dns=dns, ip=ips)
        .key_usage(*usages)
        .ca(ca, path_length if ca else None)
    )
    cert = b.sign(k)
    again = x509.Certificate.from_der(cert.to_der())
    assert again.subject.common_names == [cn]
    assert again.serial_number == serial
    assert again.not_valid_before == start
    assert [v for kind, v in again.subject_alt_names if kind == "dns"] == dns
    assert [v for kind, v in again.subject_alt_names if kind == "ip"] == ips
    assert again.key_usage.usages == frozenset(usages)
    assert again.basic_constraints == ext.BasicConstraints(ca, path_length if ca else None)
    assert again.verify_signature(k.public_key())
    theirs = cx.load_der_x509_certificate(cert.to_der())
    assert theirs.serial_number == serial


@settings(deadline=None)
@given(data=st.data())
def test_mutated_and_truncated_der_raise_only_parse_error(data) -> None:
    der = bytearray(pki()[2].to_der())
    if data.draw(st.booleans()):
        del der[data.draw(st.integers(0, len(der) - 1)) :]
    else:
        for _ in range(data.draw(st.integers(1, 4))):
            der[data.draw(st.integers(0, len(der) - 1))] = data.draw(st.integers(0, 255))
    try:
        x509.Certificate.from_der(bytes(der))
    except x509.ParseError:
        pass


@pytest.mark.parametrize(
    ("kind", "scheme"),
    [
        ("rsa", "rsa_pss_sha256"),
        ("rsa", "rsa_pss_sha512"),
        ("rsa", "rsa_pkcs1_sha384"),
        ("ec:secp384r1", "ecdsa_sha384"),
        ("ed448", None),
    ],
)
def test_every_signature_scheme_verifies_in_cryptography(kind, scheme) -> None:
    k = key(kind)
    cert = x509.CertificateBuilder().subject("CN=scheme").public_key(k).ca().sign(k, scheme)
    theirs = cx.load_der_x509_certificate(cert.to_der())
    theirs.verify_directly_issued_by(theirs)
    assert cert.verify_signature(k.public_key())
    assert cert.signature_scheme == (scheme or "ed448")


@pytest.mark.skipif(shutil.which("certtool") is None, reason="gnutls certtool not installed")
def test_gnutls_certtool_verifies_built_chain(tmp_path) -> None:
    # certtool checks against the real clock: default validity (from now, one year)
    ca_key, leaf_key = key("ec:secp384r1"), key("ec:secp256r1")
    root = x509.CertificateBuilder().subject("CN=gnutls root").public_key(ca_key).ca().sign(ca_key)
    leaf = (
        x509.CertificateBuilder()
        .subject("CN=www.example.com")
        .public_key(leaf_key)
        .subject_alt_names(dns=["www.example.com"])
        .extended_key_usage("serverAuth")
        .issued_by(root)
        .sign(ca_key)
    )
    (tmp_path / "root.pem").write_bytes(root.to_pem())
    (tmp_path / "leaf.pem").write_bytes(leaf.to_pem())
    out = subprocess.run(
        [
            "certtool",
            "--verify",
            "--load-ca-certificate",
            str(tmp_path / "root.pem"),
            "--infile",
            str(tmp_path / "leaf.pem"),
            "--verify-hostname",
            "www.example.com",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]


def test_remembered_signature_checks_are_per_issuer_key_and_scheme() -> None:
    # A certificate remembers which issuer keys verified it; another key, or the same
    # key under another scheme, is checked afresh (and fails).
    k, other = key("ec"), x509.generate_private_key("ec")
    cert = x509.CertificateBuilder().subject("CN=memo").public_key(k).ca().sign(k, "ecdsa_sha256")
    assert not cert.verify_signature(other.public_key())
    assert cert.verify_signature(k.public_key())
    assert cert.verify_signature(k.public_key())  # the remembered success
    assert not cert.verify_signature(other.public_key())
    assert not cert.verify_signature(k.public_key(), scheme="ecdsa_sha384")
    # The same DER parsed again starts with nothing remembered.
    again = x509.Certificate.from_der(cert.der)
    assert not again.verify_signature(other.public_key())
    assert again.verify_signature(k.public_key())
