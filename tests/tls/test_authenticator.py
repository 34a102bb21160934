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
