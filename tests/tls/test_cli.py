"""The ``puretls client`` / ``server`` / ``demo`` commands, run as a user would."""

from __future__ import annotations

import hashlib
import importlib.util
import re
import subprocess
import sys

import pytest

from interop import peers
from tests.tls import _creds
from tests.tls._www import session_facts

pytestmark = pytest.mark.interop


def puretls(*args, **kw):
    return subprocess.run(
        [sys.executable, "-m", "tls.cli", *args], capture_output=True, timeout=60, **kw
    )


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:
        return False


@pytest.fixture
def p256_files(tmp_path):
    cred = _creds.credential("p256")
    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    cert.write_bytes(cred.cert_pem)
    key.write_bytes(cred.key_pem)
    return cred, cert, key


def test_client_talks_to_openssl_and_reports_parameters(p256_files):
    cred, cert, key = p256_files
    fingerprint = hashlib.sha256(cred.cert.der).hexdigest()
    with peers.openssl_server(cert, key, "-alpn", "h2") as (port, _):
        result = puretls(
            "client",
            f"127.0.0.1:{port}",
            "--fingerprint",
            fingerprint,
            "--alpn",
            "h2",
            "--sni",
            "localhost",
            input=b"relay me\n",
        )
    err = result.stderr.decode()
    assert result.returncode == 0, err
    assert result.stdout == b"em yaler\n"
    assert "TLSv1.3" in err and "ALPN:           h2" in err and "CN=localhost" in err


def test_client_reconnect_resumes_the_session(p256_files):
    cred, cert, key = p256_files
    fingerprint = hashlib.sha256(cred.cert.der).hexdigest()
    with peers.openssl_server(cert, key, "-naccept", "2") as (port, _):
        result = puretls(
            "client",
            f"127.0.0.1:{port}",
            "--fingerprint",
            fingerprint,
            "--reconnect",
            input=b"second\n",
        )
    assert result.returncode == 0, result.stderr.decode()
    assert "resumed=True" in result.stderr.decode() and result.stdout == b"dnoces\n"


def test_client_refuses_an_untrusted_server(p256_files, tmp_path):
    _, cert, key = p256_files
    other = _creds.credential("ed25519", "other.example")
    (tmp_path / "other.pem").write_bytes(other.cert_pem)
    with peers.openssl_server(cert, key) as (port, _):
        result = puretls(
            "client", f"127.0.0.1:{port}", "--ca", str(tmp_path / "other.pem"), input=b"x\n"
        )
    assert result.returncode == 1
    assert b"alert" in result.stderr


@pytest.mark.skipif(not _has("x509.keyformats"), reason="x509 private-key loading not built yet")
def test_server_answers_openssl_client_with_www_page(p256_files):
    _, cert, key = p256_files
    args = ["--cert", str(cert), "--key", str(key), "--www", "--count", "1"]
    with peers.puretls_server(*args) as (port, _):
        result = peers.openssl_client(port, b"GET / HTTP/1.0\r\n\r\n", "-CAfile", str(cert))
    out = result.stdout.decode()
    assert "HTTP/1.0 200 OK" in out
    assert re.search(r"(?im)^content-type: text/html", out)
    facts = session_facts(out)
    # The page's session facts agree with what OpenSSL itself negotiated.
    negotiated = re.search(r"Cipher is (\S+)", out)
    assert negotiated and facts["cipher_suite"] == negotiated.group(1)
    assert facts["version"] == "TLSv1.3" and facts["role"] == "server"


@pytest.mark.skipif(not _has("x509.encode"), reason="x509 certificate encoding not built yet")
def test_demo_runs_a_validated_handshake():
    result = puretls("demo")
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "TLSv1.3" in out and "HELLO FROM THE PURETLS CLIENT" in out
    assert "resumed:          True" in out


def test_server_requires_client_certificates_when_asked(p256_files, tmp_path):
    _, cert, key = p256_files
    ca_pem, client = _creds.ca_and_leaf("client.example")
    (tmp_path / "ca.pem").write_bytes(ca_pem)
    (tmp_path / "cc.pem").write_bytes(client.cert_pem)
    (tmp_path / "ck.pem").write_bytes(client.key_pem)
    args = ["--cert", str(cert), "--key", str(key), "--www", "--count", "2"]
    args += ["--verify-client", str(tmp_path / "ca.pem")]
    with peers.puretls_server(*args) as (port, _):
        get = b"GET / HTTP/1.0\r\n\r\n"
        with_cert = peers.openssl_client(
            port, get, "-cert", str(tmp_path / "cc.pem"), "-key", str(tmp_path / "ck.pem")
        )
        without = peers.openssl_client(port, get)
        assert b"puretls server" in with_cert.stdout
        assert b"puretls server" not in without.stdout


def test_www_page_escapes_what_the_client_chose():
    from tls.cli_server import status_page

    response = status_page({"server_name": "<script>x</script>", "alpn_protocol": "a&b"})
    head, _, body = response.partition(b"\r\n\r\n")
    assert int(re.search(rb"Content-Length: (\d+)", head).group(1)) == len(body)
    assert b"<script>" not in body
    facts = session_facts(body.decode())
    assert facts["server_name"] == "<script>x</script>" and facts["alpn_protocol"] == "a&b"
