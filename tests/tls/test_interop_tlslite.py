"""puretls against tlslite-ng (an independent pure-Python TLS 1.3), both ways.

In a module of its own so that a missing tlslite-ng skips only these tests."""

from __future__ import annotations

import socket

import pytest

import tls
from interop import peers
from tests.tls import _creds
from tests.tls.test_interop_python import puretls_echo_once

pytestmark = pytest.mark.interop


@pytest.fixture
def files(tmp_path):
    def write(kind):
        cred = _creds.credential(kind)
        cert, key = tmp_path / f"{kind}.crt", tmp_path / f"{kind}.key"
        cert.write_bytes(cred.cert_pem)
        key.write_bytes(cred.key_pem)
        return cred, cert, key

    return write


tlslite = pytest.importorskip("tlslite.api")


def tlslite_settings():
    settings = tlslite.HandshakeSettings()
    settings.minVersion = (3, 4)
    settings.maxVersion = (3, 4)
    return settings


def test_puretls_client_to_tlslite_server(files):
    cred, cert, key = files("rsa2048")
    chain = tlslite.X509CertChain()
    chain.parsePemList(cert.read_text())
    private = tlslite.parsePEMKey(key.read_text(), private=True)

    def handler(conn):
        c = tlslite.TLSConnection(conn)
        c.handshakeServer(certChain=chain, privateKey=private, settings=tlslite_settings())
        c.write(c.read()[::-1])
        c.close()

    with peers.listener() as lst:
        thread = peers.serve_once(lst, handler)
        config = tls.ClientConfig(authenticator=_creds.pinned(cred))
        with tls.connect(
            "127.0.0.1", lst.getsockname()[1], config, "localhost", timeout=peers.TIMEOUT
        ) as s:
            s.sendall(b"to tlslite")
            assert s.recv() == b"etilslt ot"
        peers.finish(thread)


@pytest.mark.parametrize("kind", ["rsa2048", "p256"])
def test_tlslite_client_to_puretls_server(files, kind):
    cred, _, _ = files(kind)
    config = tls.ServerConfig(certificates=[([cred.cert], cred.key)])
    with peers.listener() as lst:
        thread = peers.serve_once(lst, puretls_echo_once(config))
        with socket.create_connection(lst.getsockname(), peers.TIMEOUT) as raw:
            c = tlslite.TLSConnection(raw)
            c.handshakeClientCert(settings=tlslite_settings(), serverName="localhost")
            assert c.version == (3, 4)
            c.write(b"from tlslite")
            assert c.read() == b"FROM TLSLITE"
            c.close()
        peers.finish(thread)
