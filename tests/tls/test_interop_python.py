"""puretls against Python's ssl module (OpenSSL underneath), both ways."""

from __future__ import annotations

import socket

import pytest

import tls
from interop import peers
from tests.tls import _creds

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


def puretls_echo_once(config):
    def handler(conn):
        s = tls.wrap_server(conn, config)
        s.sendall(s.recv().upper())
        s.close()

    return handler


@pytest.mark.parametrize("kind", ["p256", "rsa2048"])
def test_puretls_client_to_ssl_server(files, kind):
    cred, cert, key = files(kind)
    ctx = peers.ssl_server_context(cert, key, alpn=["h2"])

    def handler(conn):
        with ctx.wrap_socket(conn, server_side=True) as s:
            s.sendall(s.recv(1024)[::-1])
            s.unwrap()

    with peers.listener() as lst:
        thread = peers.serve_once(lst, handler)
        config = tls.ClientConfig(authenticator=_creds.pinned(cred), alpn_protocols=["h2"])
        with tls.connect(
            "127.0.0.1", lst.getsockname()[1], config, "localhost", timeout=peers.TIMEOUT
        ) as s:
            assert s.selected_alpn_protocol() == "h2"
            s.sendall(b"to python ssl")
            assert s.recv() == b"lss nohtyp ot"
        peers.finish(thread)


@pytest.mark.parametrize("kind", ["p384", "ed25519"])
def test_ssl_client_to_puretls_server(files, kind):
    cred, cert, _ = files(kind)
    config = tls.ServerConfig(certificates=[([cred.cert], cred.key)], alpn_protocols=["h2"])
    with peers.listener() as lst:
        thread = peers.serve_once(lst, puretls_echo_once(config))
        ctx = peers.ssl_client_context(cert)
        ctx.set_alpn_protocols(["h2"])
        with socket.create_connection(lst.getsockname(), peers.TIMEOUT) as raw:
            with ctx.wrap_socket(raw, server_hostname="localhost") as s:
                assert s.version() == "TLSv1.3" and s.selected_alpn_protocol() == "h2"
                s.sendall(b"from python ssl")
                assert s.recv(1024) == b"FROM PYTHON SSL"
        peers.finish(thread)


def test_makefile_reads_lines_over_tls(files):
    cred, cert, key = files("p256")
    ctx = peers.ssl_server_context(cert, key)

    def handler(conn):
        with ctx.wrap_socket(conn, server_side=True) as s:
            s.sendall(b"first line\nsecond line\n")
            s.recv(10)
            s.unwrap()

    with peers.listener() as lst:
        thread = peers.serve_once(lst, handler)
        config = tls.ClientConfig(authenticator=_creds.pinned(cred))
        with tls.connect(
            "127.0.0.1", lst.getsockname()[1], config, "localhost", timeout=peers.TIMEOUT
        ) as s:
            f = s.makefile("rb")
            assert f.readline() == b"first line\n"
            assert f.readline() == b"second line\n"
            s.sendall(b"bye")
            buf = bytearray(16)
            assert s.recv_into(buf) == 0  # the server's close_notify
        peers.finish(thread)
