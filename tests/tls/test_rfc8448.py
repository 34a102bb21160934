"""The engine reproduces the RFC 8448 traces byte for byte.

The trace's ephemeral keys and randoms are injected (a scripted DRBG, or the
client state right after its ClientHello); the server's RSA-PSS signature is
randomised, so the server-side test signs with a key object that hands back the
trace's signature after checking, with ``cryptography`` as the oracle, that it is
a valid signature of exactly the bytes our server asked to sign.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

import x509.keys
from nocrypto import ec
from tests.tls import _rfc8448
from tls import crypto, engine
from tls.config import ClientConfig, ServerConfig
from tls.events import HandshakeComplete
from tls.handshake import client13, common
from tls.wire import messages as m
from tls.wire.named_group import NamedGroup
from tls.wire.reader import read_handshake

SIMPLE = "Simple 1-RTT"
HRR = "HelloRetryRequest"


@pytest.fixture(scope="module")
def trace(reference_dir):
    return _rfc8448.blocks(reference_dir / "rfc8448.txt")


def record(trace, section, who, n):
    return _rfc8448.find(trace, section, who, "send", "complete record", n)


class ScriptedRandom:
    """A DRBG stand-in returning the trace's random values in order."""

    def __init__(self, chunks):
        self.chunks = tuple(chunks)

    def generate(self, n):
        # One request may cover several of the trace's values in a row (the engine draws a
        # flight's randomness at once); it must end exactly at a value's end.
        taken, rest = b"", self.chunks
        while len(taken) < n:
            assert rest, "engine drew more randomness than the trace has"
            taken, rest = taken + rest[0], rest[1:]
        assert len(taken) == n, f"engine asked for {n} bytes, not a run of the trace's values"
        return ScriptedRandom(rest), taken


def server_certificate(trace, section):
    msg = read_handshake(
        _rfc8448.find(trace, section, "server", "construct a Certificate", "Certificate")
    )
    return msg.certificate_list[0].cert_data


def trace_authenticator(cert_der):
    numbers = cx509.load_der_x509_certificate(cert_der).public_key().public_numbers()
    key = x509.keys.PublicKey.rsa(numbers.n, numbers.e)

    def authenticate(chain, server_name, now):
        assert chain == (cert_der,)
        return key

    return authenticate


def client_config(cert_der):
    return ClientConfig(
        authenticator=trace_authenticator(cert_der),
        signature_schemes=("rsa_pss_rsae_sha256",),
        groups=("x25519", "secp256r1"),
        middlebox_compatibility=False,
        grease=False,
    )


def client_state(config, hello_raw, kex, retry=None, retry_transcript=b""):
    phase = client13.AwaitServerHello(
        read_handshake(hello_raw), hello_raw, (kex,), retry, retry_transcript
    )
    return engine.State("client", config, phase, ScriptedRandom(()))


def test_simple_1rtt_client(trace):
    ch = _rfc8448.find(trace, SIMPLE, "client", "construct a ClientHello", "ClientHello")
    priv = _rfc8448.find(trace, SIMPLE, "client", "create an ephemeral", "private key")
    cert = server_certificate(trace, SIMPLE)
    state = client_state(client_config(cert), ch, crypto.generate(NamedGroup.x25519, priv))

    step = engine.handle(
        state, record(trace, SIMPLE, "server", 0) + record(trace, SIMPLE, "server", 1)
    )
    assert step.failure is None
    assert step.send == record(trace, SIMPLE, "client", 1)  # client Finished
    assert any(isinstance(e, HandshakeComplete) for e in step.events)

    # NewSessionTicket, then the server's application data.
    step = engine.handle(
        step.state,
        record(trace, SIMPLE, "server", 2)
        + _rfc8448.find(trace, SIMPLE, "server", "send application_data", "complete record"),
    )
    payload = _rfc8448.find(trace, SIMPLE, "server", "send application_data", "payload")
    assert step.failure is None and step.data == payload

    state, out = engine.send(step.state, payload)
    assert out == _rfc8448.find(trace, SIMPLE, "client", "send application_data", "complete record")
    state, out = engine.close(state)
    assert out == _rfc8448.find(trace, SIMPLE, "client", "send alert", "complete record")


@dataclass
class TraceSigner:
    """The server key: returns the trace's CertificateVerify signature, after checking it."""

    cert_der: bytes
    signature: bytes
    algorithm: str = "rsa"
    curve: str | None = None
    check: bool = True

    def sign(self, message, algorithm, rng_bytes=None):
        assert algorithm == "rsa_pss_sha256"
        if not self.check:
            return self.signature
        public = cx509.load_der_x509_certificate(self.cert_der).public_key()
        public.verify(  # raises if our CertificateVerify content differs from the trace's
            self.signature,
            message,
            padding.PSS(padding.MGF1(hashes.SHA256()), 32),
            hashes.SHA256(),
        )
        return self.signature


@dataclass
class TraceCert:
    der: bytes
    subject_alt_names: tuple = ()

    def to_der(self):
        return self.der


def server_config(trace, section, **kw):
    cert = server_certificate(trace, section)
    cv = read_handshake(
        _rfc8448.find(
            trace, section, "server", "construct a CertificateVerify", "CertificateVerify"
        )
    )
    groups = ("x25519", "secp256r1", "secp384r1", "secp521r1", "ffdhe2048", "ffdhe3072")
    groups += ("ffdhe4096", "ffdhe6144", "ffdhe8192")
    return ServerConfig(
        certificates=[
            ([TraceCert(cert)], TraceSigner(cert, cv.signature, check=kw.pop("check", True)))
        ],
        signature_schemes=("rsa_pss_rsae_sha256",),
        groups=kw.pop("groups", groups),
        session_tickets=0,  # the trace's ticket is opaque: we cannot mint the same one
        **kw,
    )


def server_hello_random(trace, section, n=0):
    hello = _rfc8448.find(trace, section, "server", "construct a ServerHello", "ServerHello", n)
    return read_handshake(hello).random


def test_simple_1rtt_server(trace):
    priv = _rfc8448.find(trace, SIMPLE, "server", "create an ephemeral", "private key")
    drbg = ScriptedRandom([priv, server_hello_random(trace, SIMPLE)])
    state = engine.server(server_config(trace, SIMPLE), drbg=drbg)

    step = engine.handle(state, record(trace, SIMPLE, "client", 0))
    assert step.failure is None
    assert step.send == record(trace, SIMPLE, "server", 0) + record(trace, SIMPLE, "server", 1)

    step = engine.handle(step.state, record(trace, SIMPLE, "client", 1))
    assert step.failure is None
    assert any(isinstance(e, HandshakeComplete) for e in step.events)
    step = engine.handle(
        step.state,
        _rfc8448.find(trace, SIMPLE, "client", "send application_data", "complete record"),
    )
    assert step.data == _rfc8448.find(trace, SIMPLE, "client", "send application_data", "payload")


def test_hello_retry_request_client(trace):
    ch1 = _rfc8448.find(trace, HRR, "client", "construct a ClientHello", "ClientHello", 0)
    ch2 = _rfc8448.find(trace, HRR, "client", "construct a ClientHello", "ClientHello", 1)
    hrr = _rfc8448.find(trace, HRR, "server", "construct a ServerHello", "ServerHello", 0)
    x_priv = _rfc8448.find(trace, HRR, "client", "create an ephemeral x25519", "private key")
    p_priv = _rfc8448.find(trace, HRR, "client", "create an ephemeral P-256", "private key")
    cert = server_certificate(trace, HRR)
    config = client_config(cert)

    # 1. The HelloRetryRequest makes us retry with a P-256 share and the server's cookie.
    state = client_state(config, ch1, crypto.generate(NamedGroup.x25519, x_priv))
    p256_draw = (int.from_bytes(p_priv, "big") - 1).to_bytes(40, "big")
    state = engine.replace(state, drbg=ScriptedRandom([p256_draw]))
    step = engine.handle(state, record(trace, HRR, "server", 0))
    assert step.failure is None
    ours = read_handshake(step.send[5:])
    theirs = read_handshake(ch2)
    assert ours.random == theirs.random
    assert m.find(ours.extensions, m.Cookie) == m.find(theirs.extensions, m.Cookie)
    assert m.find(ours.extensions, m.KeyShareClientHello) == m.find(
        theirs.extensions, m.KeyShareClientHello
    )

    # 2. From the trace's ClientHello2 on, the rest of the handshake matches byte for byte.
    key = ec.P256.private_key(int.from_bytes(p_priv, "big"))
    kex = crypto.KeyExchange(NamedGroup.secp256r1, key, key.public_bytes())
    retry = read_handshake(hrr)
    state = client_state(
        config, ch2, kex, retry, common.hello_retry_transcript(ch1, "sha256") + hrr
    )
    step = engine.handle(state, record(trace, HRR, "server", 1) + record(trace, HRR, "server", 2))
    assert step.failure is None
    assert step.send == record(trace, HRR, "client", 2)
    state, out = engine.close(step.state)
    assert out == _rfc8448.find(trace, HRR, "client", "send alert", "complete record")


def test_hello_retry_request_server(trace):
    """Our server, preferring P-256, asks for it and answers ClientHello2 like the trace."""
    p_priv = _rfc8448.find(trace, HRR, "server", "create an ephemeral P-256", "private key")
    p256_draw = (int.from_bytes(p_priv, "big") - 1).to_bytes(40, "big")
    drbg = ScriptedRandom([p256_draw, server_hello_random(trace, HRR, 1)])
    # Our HRR carries no cookie, unlike the trace's, so the transcripts (and the
    # signature) part ways after the ServerHello, which must match exactly.
    config = server_config(trace, HRR, groups=("secp256r1",), hello_retry_cookie=False, check=False)
    step = engine.handle(engine.server(config, drbg=drbg), record(trace, HRR, "client", 0))
    assert step.failure is None
    retry = read_handshake(step.send[5:])
    assert isinstance(retry, m.HelloRetryRequest)
    assert m.find(retry.extensions, m.KeyShareHelloRetryRequest) == m.KeyShareHelloRetryRequest(
        NamedGroup.secp256r1
    )
    step = engine.handle(step.state, record(trace, HRR, "client", 1))
    assert step.failure is None
    assert step.send.startswith(record(trace, HRR, "server", 1))  # ServerHello
