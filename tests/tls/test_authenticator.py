"""Client authenticators: chain of trust with name checks, pinning, and the alerts sent."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

import tls
import x509
from tests.tls._pair import deliver
from tls import engine
from tls.failures import Reason
from tls.wire.alert import AlertDescription

NOW = datetime.datetime.now(datetime.UTC)


def _name(cn):
    return cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, cn)])


@pytest.fixture(scope="module")
def pki():
    """A root CA and a leaf for www.example.test, made with cryptography (independent)."""
    ca_key, leaf_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca = (
        cx509.CertificateBuilder()
        .subject_name(_name("test root"))
        .issuer_name(_name("test root"))
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(NOW - datetime.timedelta(days=10))
        .not_valid_after(NOW + datetime.timedelta(days=100))
        .add_extension(cx509.BasicConstraints(ca=True, path_length=None), True)
        .add_extension(cx509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf = (
        cx509.CertificateBuilder()
        .subject_name(_name("www.example.test"))
        .issuer_name(_name("test root"))
        .public_key(leaf_key.public_key())
        .serial_number(2)
        .not_valid_before(NOW - datetime.timedelta(days=1))
        .not_valid_after(NOW + datetime.timedelta(days=30))
        .add_extension(cx509.SubjectAlternativeName([cx509.DNSName("www.example.test")]), False)
        .add_extension(
            cx509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .add_extension(cx509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .sign(ca_key, hashes.SHA256())
    )
    der = serialization.Encoding.DER
    key_pem = leaf_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    server = tls.ServerConfig(
        certificates=[
            (
                [x509.Certificate.from_der(leaf.public_bytes(der))],
                x509.load_pem_private_key(key_pem),
            )
        ]
    )
    return x509.Certificate.from_der(ca.public_bytes(der)), leaf.public_bytes(der), server


def run(client_config, server_config, name):
    client, hello = engine.client(client_config, name, now=NOW.timestamp())
    server = engine.server(server_config)
    server, flight, _, _, failure = deliver(server, hello, [])
    assert failure is None
    return engine.handle(client, flight, NOW.timestamp())


def test_chain_of_trust_accepts_a_valid_chain(pki):
    root, _, server = pki
    step = run(
        tls.ClientConfig(authenticator=tls.authenticator.chain_of_trust([root])),
        server,
        "www.example.test",
    )
    assert step.failure is None and engine.is_established(step.state)


@pytest.mark.parametrize(
    "name,reason,alert",
    [
        ("other.example.test", Reason.certificate_unknown, AlertDescription.certificate_unknown),
    ],
)
def test_wrong_name_is_refused(pki, name, reason, alert):
    root, _, server = pki
    step = run(
        tls.ClientConfig(authenticator=tls.authenticator.chain_of_trust([root])), server, name
    )
    assert step.failure.reason is reason and step.failure.alert is alert
    assert not engine.is_established(step.state)


def test_unknown_root_is_unknown_ca(pki):
    _, _, server = pki
    other_key = ec.generate_private_key(ec.SECP256R1())
    other = (
        cx509.CertificateBuilder()
        .subject_name(_name("other root"))
        .issuer_name(_name("other root"))
        .public_key(other_key.public_key())
        .serial_number(3)
        .not_valid_before(NOW - datetime.timedelta(days=1))
        .not_valid_after(NOW + datetime.timedelta(days=1))
        .add_extension(cx509.BasicConstraints(ca=True, path_length=None), True)
        .sign(other_key, hashes.SHA256())
    )
    root = x509.Certificate.from_der(other.public_bytes(serialization.Encoding.DER))
    auth = tls.authenticator.chain_of_trust([root])
    step = run(tls.ClientConfig(authenticator=auth), server, "www.example.test")
    assert step.failure.alert is AlertDescription.unknown_ca


def test_expired_at_validation_time(pki):
    root, _, server = pki
    later = (NOW + datetime.timedelta(days=60)).timestamp()
    auth = tls.authenticator.chain_of_trust([root], time=later)
    step = run(tls.ClientConfig(authenticator=auth), server, "www.example.test")
    assert step.failure.alert is AlertDescription.certificate_expired


def test_fingerprint_pins_the_leaf(pki):
    _, leaf_der, server = pki
    good = tls.authenticator.fingerprint(hashlib.sha256(leaf_der).hexdigest())
    assert run(tls.ClientConfig(authenticator=good), server, "anything").failure is None
    bad = tls.authenticator.fingerprint("00" * 32)
    step = run(tls.ClientConfig(authenticator=bad), server, "www.example.test")
    assert step.failure.alert is AlertDescription.bad_certificate


def test_insecure_still_checks_the_handshake_signature(pki):
    _, _, server = pki
    config = tls.ClientConfig(authenticator=tls.authenticator.insecure_no_verification())
    client, hello = engine.client(config, "x")
    flight = engine.handle(engine.server(server), hello).send
    # Corrupt the last bytes of the encrypted flight: decryption (not trust) fails.
    step = engine.handle(client, flight[:-1] + bytes([flight[-1] ^ 0x80]))
    assert step.failure.reason is Reason.bad_record_mac
    assert engine.handle(client, flight).failure is None


# ---- purpose, keyUsage and the server name (review H1, M1, M5) -------------------------


@pytest.fixture(scope="module")
def issuer():
    """A root CA made with cryptography, and a function issuing P-256 leaves from it."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        cx509.CertificateBuilder()
        .subject_name(_name("purpose root"))
        .issuer_name(_name("purpose root"))
        .public_key(ca_key.public_key())
        .serial_number(10)
        .not_valid_before(NOW - datetime.timedelta(days=10))
        .not_valid_after(NOW + datetime.timedelta(days=100))
        .add_extension(cx509.BasicConstraints(ca=True, path_length=None), True)
        .add_extension(cx509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    root = x509.Certificate.from_der(ca.public_bytes(serialization.Encoding.DER))

    def issue(name, eku=None, key_usage=None):
        key = ec.generate_private_key(ec.SECP256R1())
        builder = (
            cx509.CertificateBuilder()
            .subject_name(_name(name))
            .issuer_name(_name("purpose root"))
            .public_key(key.public_key())
            .serial_number(cx509.random_serial_number())
            .not_valid_before(NOW - datetime.timedelta(days=1))
            .not_valid_after(NOW + datetime.timedelta(days=30))
            .add_extension(cx509.SubjectAlternativeName([cx509.DNSName(name)]), False)
            .add_extension(
                cx509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
            )
        )
        if eku is not None:
            builder = builder.add_extension(cx509.ExtendedKeyUsage(eku), False)
        if key_usage is not None:
            flags = dict.fromkeys(
                [
                    "digital_signature",
                    "content_commitment",
                    "key_encipherment",
                    "data_encipherment",
                    "key_agreement",
                    "key_cert_sign",
                    "crl_sign",
                    "encipher_only",
                    "decipher_only",
                ],
                False,
            )
            flags.update(dict.fromkeys(key_usage, True))
            builder = builder.add_extension(cx509.KeyUsage(**flags), True)
        leaf = builder.sign(ca_key, hashes.SHA256())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return leaf.public_bytes(serialization.Encoding.DER), x509.load_pem_private_key(pem)

    return root, issue


def server_with(der, key, **kw):
    return tls.ServerConfig(certificates=[([der], key)], **kw)


def test_client_without_server_name_is_refused_at_creation(pki):
    root, _, _ = pki
    config = tls.ClientConfig(authenticator=tls.authenticator.chain_of_trust([root]))
    for missing in (None, ""):
        with pytest.raises(tls.ConfigError, match="server_name"):
            engine.client(config, missing)


def test_wrap_client_without_server_name_is_refused(pki):
    import socket

    root, _, _ = pki
    config = tls.ClientConfig(authenticator=tls.authenticator.chain_of_trust([root]))
    a, b = socket.socketpair()
    a.settimeout(5)  # without the check, the handshake would wait for a server
    with a, b:
        with pytest.raises(ValueError, match="server_name"):
            tls.wrap_client(a, config)
        b.setblocking(False)
        with pytest.raises(BlockingIOError):
            b.recv(1)  # refused before a ClientHello went out


def test_authenticator_called_without_a_name_refuses(pki):
    # Whoever calls the authenticator directly still never gets the name check skipped.
    root, leaf_der, _ = pki
    auth = tls.authenticator.chain_of_trust([root])
    with pytest.raises(tls.failures.PeerError) as info:
        auth((leaf_der,), None, NOW.timestamp())
    assert info.value.reason is Reason.certificate_unknown


def test_explicitly_unchecked_name_needs_no_server_name(pki):
    root, _, server = pki
    auth = tls.authenticator.chain_of_trust([root], check_hostname=False)
    step = run(tls.ClientConfig(authenticator=auth), server, None)
    assert step.failure is None and engine.is_established(step.state)


@pytest.mark.parametrize(
    "key_usage,accepted",
    [
        (["digital_signature"], True),
        (["digital_signature", "key_encipherment"], True),
        (["key_agreement"], False),
        (["key_encipherment"], False),
    ],
)
def test_server_leaf_key_usage_must_allow_signing(issuer, key_usage, accepted):
    root, issue = issuer
    der, key = issue("ku.example.test", [ExtendedKeyUsageOID.SERVER_AUTH], key_usage)
    auth = tls.authenticator.chain_of_trust([root])
    step = run(tls.ClientConfig(authenticator=auth), server_with(der, key), "ku.example.test")
    if accepted:
        assert step.failure is None and engine.is_established(step.state)
    else:
        assert step.failure.reason is Reason.certificate_unknown
        assert "key" in step.failure.detail.lower()


def mutual(root, client_der, client_key, issue):
    """A handshake with a client certificate; returns the server's final Step."""
    server_der, server_key = issue("server.example.test", [ExtendedKeyUsageOID.SERVER_AUTH])
    client_cfg = tls.ClientConfig(
        authenticator=tls.authenticator.chain_of_trust([root]),
        certificates=[([client_der], client_key)],
    )
    server_cfg = server_with(
        server_der,
        server_key,
        client_authenticator=tls.authenticator.chain_of_trust([root], purpose="client"),
        require_client_certificate=True,
    )
    client, hello = engine.client(client_cfg, "server.example.test", now=NOW.timestamp())
    server, flight, _, _, failure = deliver(engine.server(server_cfg), hello, [], NOW.timestamp())
    assert failure is None
    client, finished, _, _, failure = deliver(client, flight, [], NOW.timestamp())
    assert failure is None
    return engine.handle(server, finished, NOW.timestamp())


@pytest.mark.parametrize(
    "eku,accepted",
    [
        ([ExtendedKeyUsageOID.CLIENT_AUTH], True),
        ([ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH], True),
        (None, True),  # no EKU: any purpose (RFC 5280 §4.2.1.12)
        ([ExtendedKeyUsageOID.SERVER_AUTH], False),
    ],
)
def test_client_certificates_are_checked_for_client_auth(issuer, eku, accepted):
    root, issue = issuer
    der, key = issue("client.example.test", eku)
    step = mutual(root, der, key, issue)
    if accepted:
        assert step.failure is None and engine.is_established(step.state)
        assert engine.info(step.state)["peer_certificates"] == (der,)
    else:
        assert step.failure.reason is Reason.certificate_unknown
        assert not engine.is_established(step.state)


def test_client_auth_only_certificate_does_not_authenticate_a_server(issuer):
    root, issue = issuer
    der, key = issue("c.example.test", [ExtendedKeyUsageOID.CLIENT_AUTH])
    auth = tls.authenticator.chain_of_trust([root])
    step = run(tls.ClientConfig(authenticator=auth), server_with(der, key), "c.example.test")
    assert step.failure.reason is Reason.certificate_unknown


def test_purpose_mixups_are_configuration_errors(pki):
    root, _, server = pki
    with pytest.raises(tls.ConfigError, match="purpose='client'"):
        tls.ServerConfig(
            certificates=server.certificates,
            client_authenticator=tls.authenticator.chain_of_trust([root], check_hostname=False),
        )
    with pytest.raises(tls.ConfigError):
        tls.ClientConfig(authenticator=tls.authenticator.chain_of_trust([root], purpose="client"))
    with pytest.raises(ValueError):
        tls.authenticator.chain_of_trust([root], purpose="client", check_hostname=True)
    with pytest.raises(ValueError):
        tls.authenticator.chain_of_trust([root], purpose="email")


def test_compat_wrap_bio_client_needs_server_hostname(pki):
    import ssl

    from tls import compat

    ctx = compat.SSLContext(compat.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(cadata=pki[0].to_der())
    assert ctx.check_hostname
    with pytest.raises(ValueError, match="server_hostname"):
        ctx.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO())
    ctx.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="www.example.test")
    ctx.check_hostname = False
    ctx.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO())


@pytest.mark.parametrize(
    "eku,accepted",
    [([ExtendedKeyUsageOID.CLIENT_AUTH], True), ([ExtendedKeyUsageOID.SERVER_AUTH], False)],
)
def test_compat_server_checks_client_certificates_for_client_auth(tmp_path, issuer, eku, accepted):
    import ssl

    from tls import compat

    root, issue = issuer
    server_der, server_key = issue("server.example.test", [ExtendedKeyUsageOID.SERVER_AUTH])
    client_der, client_key = issue("client.example.test", eku)
    (tmp_path / "s.pem").write_bytes(x509.Certificate.from_der(server_der).to_pem())
    (tmp_path / "k.pem").write_bytes(server_key.to_pem())
    ctx = compat.SSLContext(compat.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(tmp_path / "s.pem", tmp_path / "k.pem")
    ctx.load_verify_locations(cadata=root.to_der())
    ctx.verify_mode = compat.CERT_REQUIRED
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    server = ctx.wrap_bio(incoming, outgoing, server_side=True)
    client_cfg = tls.ClientConfig(
        authenticator=tls.authenticator.chain_of_trust([root]),
        certificates=[([client_der], client_key)],
    )
    client, hello = engine.client(client_cfg, "server.example.test")
    incoming.write(hello)
    with pytest.raises(ssl.SSLWantReadError):
        server.do_handshake()
    client, finished, _, _, failure = deliver(client, outgoing.read(), [], NOW.timestamp())
    assert failure is None
    incoming.write(finished)
    if accepted:
        server.do_handshake()
        assert server.getpeercert(binary_form=True) == client_der
    else:
        with pytest.raises(ssl.SSLCertVerificationError):
            server.do_handshake()


@pytest.mark.parametrize("ca", [True, False, None])
def test_self_signed_server_certificate_as_its_own_root(ca):
    # `puretls client --ca server.pem` against a self-signed server (openssl req -x509
    # marks it CA:TRUE; others make it CA:FALSE or leave basicConstraints out).
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (
        cx509.CertificateBuilder()
        .subject_name(_name("self.example.test"))
        .issuer_name(_name("self.example.test"))
        .public_key(key.public_key())
        .serial_number(99)
        .not_valid_before(NOW - datetime.timedelta(days=1))
        .not_valid_after(NOW + datetime.timedelta(days=30))
        .add_extension(cx509.SubjectAlternativeName([cx509.DNSName("self.example.test")]), False)
    )
    if ca is not None:
        builder = builder.add_extension(cx509.BasicConstraints(ca=ca, path_length=None), True)
    der = builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    server = server_with(der, x509.load_pem_private_key(pem))
    auth = tls.authenticator.chain_of_trust([x509.Certificate.from_der(der)])
    step = run(tls.ClientConfig(authenticator=auth), server, "self.example.test")
    assert step.failure is None and engine.is_established(step.state)
    step = run(tls.ClientConfig(authenticator=auth), server, "other.example.test")
    assert step.failure.reason is Reason.certificate_unknown


def test_a_chain_seen_before_is_still_judged_afresh(pki):
    """Parsed certificates are remembered across connections; verdicts are not: the
    same chain, accepted a moment ago, is refused for another name and after expiry."""
    root, leaf_der, server = pki
    auth = tls.authenticator.chain_of_trust([root])
    assert auth((leaf_der,), "www.example.test", NOW.timestamp()) is not None
    with pytest.raises(tls.failures.PeerError):
        auth((leaf_der,), "other.example.test", NOW.timestamp())
    later = (NOW + datetime.timedelta(days=31)).timestamp()
    with pytest.raises(tls.failures.PeerError):
        auth((leaf_der,), "www.example.test", later)
    assert auth((leaf_der,), "www.example.test", NOW.timestamp()) is not None
