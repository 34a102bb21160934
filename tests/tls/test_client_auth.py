"""Client certificates (RFC 8446 §4.3.2, §4.4.2): in memory and against openssl."""

from __future__ import annotations

import pytest

import tls
from interop import peers
from tests.tls import _creds
from tests.tls._pair import deliver, handshake
from tls import engine
from tls.failures import Reason
from tls.wire.alert import AlertDescription


def server_config(client_cred=None, **kw):
    cred = _creds.credential("p256")
    auth = _creds.pinned(client_cred) if client_cred else None
    return tls.ServerConfig(certificates=[([cred.cert], cred.key)], client_authenticator=auth, **kw)


def client_config(client_cred=None):
    server = _creds.credential("p256")
    certs = [([client_cred.cert], client_cred.key)] if client_cred else []
    return tls.ClientConfig(authenticator=_creds.pinned(server), certificates=certs)


@pytest.mark.parametrize("kind", ["ed25519", "p384", "rsa2048"])
def test_mutual_authentication_in_memory(kind):
    cred = _creds.credential(kind, "client.example")
    client, server, _, _ = handshake(client_config(cred), server_config(cred))
    assert engine.info(server)["peer_certificates"] == (cred.cert.der,)
    client, records = engine.send(client, b"authenticated")
    _, _, got, _, failure = deliver(server, records, [])
    assert failure is None and got == b"authenticated"


def test_optional_certificate_may_be_absent():
    cred = _creds.credential("ed25519", "client.example")
    client, server, _, _ = handshake(client_config(None), server_config(cred))
    assert engine.info(server)["peer_certificates"] == ()


def test_required_certificate_missing_is_certificate_required():
    cred = _creds.credential("ed25519", "client.example")
    client, hello = engine.client(client_config(None), "localhost")
    server = engine.server(server_config(cred, require_client_certificate=True))
    server, flight, _, _, _ = deliver(server, hello, [])
    client, finished, _, _, failure = deliver(client, flight, [])
    assert failure is None
    step = engine.handle(server, finished)
    assert step.failure.reason is Reason.certificate_required
    assert step.failure.alert is AlertDescription.certificate_required


def test_wrong_client_certificate_is_refused():
    trusted = _creds.credential("ed25519", "client.example")
    other = _creds.credential("ed448", "client.example")
    client, hello = engine.client(client_config(other), "localhost")
    server = engine.server(server_config(trusted))
    server, flight, _, _, _ = deliver(server, hello, [])
    client, finished, _, _, _ = deliver(client, flight, [])
    assert engine.handle(server, finished).failure.alert is AlertDescription.bad_certificate


@pytest.mark.interop
def test_puretls_client_certificate_accepted_by_openssl(tmp_path):
    server = _creds.credential("p256")
    client = _creds.credential("p384", "client.example")
    for name, data in (
        ("s.crt", server.cert_pem),
        ("s.key", server.key_pem),
        ("c.crt", client.cert_pem),
    ):
        (tmp_path / name).write_bytes(data)
    args = ["-Verify", "1", "-CAfile", str(tmp_path / "c.crt"), "-verify_return_error"]
    with peers.openssl_server(tmp_path / "s.crt", tmp_path / "s.key", *args) as (port, _):
        with tls.connect(
            "127.0.0.1", port, client_config(client), "localhost", timeout=peers.TIMEOUT
        ) as s:
            s.sendall(b"mutual\n")
            assert s.recv() == b"lautum\n"


@pytest.mark.interop
def test_openssl_client_certificate_accepted_by_puretls(tmp_path):
    client = _creds.credential("p256", "client.example")
    (tmp_path / "c.crt").write_bytes(client.cert_pem)
    (tmp_path / "c.key").write_bytes(client.key_pem)
    config = server_config(client, require_client_certificate=True)
    seen = []

    def handler(conn):
        s = tls.wrap_server(conn, config)
        seen.append(s.info()["peer_certificates"])
        s.sendall(s.recv().upper())
        s.close()

    with peers.listener() as lst:
        thread = peers.serve_once(lst, handler)
        result = peers.openssl_client(
            lst.getsockname()[1],
            b"mtls\n",
            "-cert",
            str(tmp_path / "c.crt"),
            "-key",
            str(tmp_path / "c.key"),
        )
        peers.finish(thread)
    assert b"MTLS" in result.stdout and seen == [(client.cert.der,)]
