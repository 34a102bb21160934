"""``tls.compat``: the ssl-module surface, driving http.client, urllib and asyncio."""

from __future__ import annotations

import asyncio
import http.client
import ssl
import urllib.request

import pytest

import tls
from interop import peers
from tests.tls import _creds
from tls import compat


@pytest.fixture
def files(tmp_path):
    cred = _creds.credential("p256")
    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    cert.write_bytes(cred.cert_pem)
    key.write_bytes(cred.key_pem)
    return cred, cert, key


@pytest.fixture
def https_server(files):
    """A puretls HTTPS server (tls.compat server side) answering one GET."""
    _, cert, key = files
    ctx = compat.SSLContext(compat.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    ctx.set_alpn_protocols(["http/1.1"])
    lst = peers.listener()

    def handler(conn):
        s = ctx.wrap_socket(conn, server_side=True)
        request = b""
        while b"\r\n\r\n" not in request:
            request += s.recv()
        body = b"served by puretls via " + s.version().encode()
        s.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body
        )
        s.close()

    yield lst, handler
    lst.close()


def client_context(cert):
    ctx = compat.create_default_context(cafile=str(cert))
    ctx.check_hostname = False  # self-signed test leaf: the chain is checked, not the name
    return ctx


def test_is_an_ssl_context():
    ctx = compat.create_default_context()
    assert isinstance(ctx, ssl.SSLContext)
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname


def test_http_client_over_puretls(files, https_server):
    _, cert, _ = files
    lst, handler = https_server
    thread = peers.serve_once(lst, handler)
    conn = http.client.HTTPSConnection(
        "localhost",  # the name in the test certificate (resolves to the loopback)
        lst.getsockname()[1],
        context=compat.create_default_context(cafile=str(cert)),
        timeout=peers.TIMEOUT,
    )
    conn.request("GET", "/")
    sock = conn.sock
    response = conn.getresponse()
    assert response.status == 200 and response.read() == b"served by puretls via TLSv1.3"
    assert isinstance(sock, compat.SSLSocket) and sock.cipher()[1] == "TLSv1.3"
    assert sock.getpeercert()["subjectAltName"] == (("DNS", "localhost"),)
    conn.close()
    peers.finish(thread)


@pytest.mark.interop
def test_urllib_against_openssl(files, tmp_path):
    _, cert, key = files
    (tmp_path / "index.txt").write_bytes(b"hello urllib")
    with peers.openssl_server(cert, key, mode="-WWW", cwd=tmp_path) as (port, _):
        url = f"https://127.0.0.1:{port}/index.txt"
        with urllib.request.urlopen(url, context=client_context(cert), timeout=20) as r:
            assert r.read() == b"hello urllib"


def test_verification_failure_is_an_ssl_certificate_error(files, https_server):
    lst, handler = https_server
    peers.serve_once(lst, handler)
    other = _creds.credential("ed25519", "other.example")
    ctx = compat.SSLContext(compat.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(cadata=other.cert_pem.decode())
    raw = __import__("socket").create_connection(lst.getsockname(), peers.TIMEOUT)
    with pytest.raises(ssl.SSLCertVerificationError):
        ctx.wrap_socket(raw, server_hostname="localhost")
    raw.close()


def test_asyncio_streams_with_a_compat_context(files):
    cred, cert, key = files
    server_ctx = compat.SSLContext(compat.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)

    async def echo(reader, writer):
        data = await reader.read(100)
        writer.write(data.upper())
        await writer.drain()
        writer.close()

    async def main():
        server = await asyncio.start_server(echo, "127.0.0.1", 0, ssl=server_ctx)
        port = server.sockets[0].getsockname()[1]
        async with server:
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", port, ssl=client_context(cert), server_hostname="localhost"
            )
            writer.write(b"asyncio over puretls")
            await writer.drain()
            answer = await reader.read(100)
            sslobj = writer.get_extra_info("ssl_object")
            writer.close()
            return answer, sslobj

    answer, sslobj = asyncio.run(asyncio.wait_for(main(), 30))
    assert answer == b"ASYNCIO OVER PURETLS"
    assert isinstance(sslobj, compat.SSLObject) and sslobj.version() == "TLSv1.3"


def test_client_certificate_through_compat(files, tmp_path):
    cred, cert, key = files
    client = _creds.credential("ed448", "client.example")
    (tmp_path / "cc.pem").write_bytes(client.cert_pem)
    (tmp_path / "ck.pem").write_bytes(client.key_pem)
    server_ctx = compat.SSLContext(compat.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    server_ctx.verify_mode = ssl.CERT_REQUIRED
    server_ctx.load_verify_locations(tmp_path / "cc.pem")
    seen = []

    def handler(conn):
        s = server_ctx.wrap_socket(conn, server_side=True)
        seen.append(s.getpeercert(binary_form=True))
        s.sendall(s.recv())
        s.close()

    with peers.listener() as lst:
        thread = peers.serve_once(lst, handler)
        ctx = client_context(cert)
        ctx.load_cert_chain(tmp_path / "cc.pem", tmp_path / "ck.pem")
        raw = __import__("socket").create_connection(lst.getsockname(), peers.TIMEOUT)
        with ctx.wrap_socket(raw, server_hostname="localhost") as s:
            s.sendall(b"with a client certificate")
            assert s.recv() == b"with a client certificate"
        peers.finish(thread)
    assert seen == [client.cert.der]
    assert tls.ClientConfig  # the compat layer builds ordinary configs underneath
