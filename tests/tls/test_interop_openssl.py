"""puretls against the OpenSSL 3 command-line tools, in both directions.

A representative matrix runs here; ``python -m interop`` runs the full one.
"""

from __future__ import annotations

import hashlib
import shutil

import pytest

import tls
from interop import peers
from tests.tls import _creds

pytestmark = [
    pytest.mark.interop,
    pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl binary not installed"),
]

SIG = {
    "p256": "ecdsa_secp256r1_sha256",
    "p384": "ecdsa_secp384r1_sha384",
    "ed25519": "ed25519",
    "ed448": "ed448",
    "rsa2048": "rsa_pss_rsae_sha256",
}


@pytest.fixture
def files(tmp_path):
    def write(kind, name="localhost"):
        cred = _creds.credential(kind, name)
        cert, key = tmp_path / f"{kind}.crt", tmp_path / f"{kind}.key"
        cert.write_bytes(cred.cert_pem)
        key.write_bytes(cred.key_pem)
        return cred, cert, key

    return write


def client_config(cred, **kw):
    return tls.ClientConfig(authenticator=_creds.pinned(cred), **kw)


@pytest.mark.parametrize(
    "suite,group,kind",
    [
        ("TLS_AES_128_GCM_SHA256", "x25519", "p256"),
        ("TLS_AES_256_GCM_SHA384", "secp384r1", "rsa2048"),
        ("TLS_CHACHA20_POLY1305_SHA256", "x448", "ed25519"),
        ("TLS_AES_128_GCM_SHA256", "secp521r1", "ed448"),
        ("TLS_AES_128_CCM_SHA256", "ffdhe2048", "p384"),
    ],
)
def test_client_against_openssl_server(files, suite, group, kind):
    cred, cert, key = files(kind)
    args = ["-ciphersuites", suite, "-groups", peers.OPENSSL_GROUPS[group]]
    with peers.openssl_server(cert, key, *args) as (port, _):
        config = client_config(cred, cipher_suites=(suite,), key_share_groups=(group,))
        with tls.connect("127.0.0.1", port, config, "localhost", timeout=peers.TIMEOUT) as s:
            info = s.info()
            assert (info["cipher_suite"], info["group"]) == (suite, group)
            assert info["peer_signature_scheme"] == SIG[kind]
            s.sendall(b"hello openssl\n")
            assert s.recv() == b"lssnepo olleh\n"  # s_server -rev reverses each line


def test_hello_retry_alpn_sni_and_key_update(files):
    cred, cert, key = files("p256")
    args = ["-groups", "P-256", "-alpn", "h2,http/1.1"]
    with peers.openssl_server(cert, key, *args) as (port, _):
        config = client_config(cred, key_share_groups=("x25519",), alpn_protocols=["http/1.1"])
        with tls.connect("127.0.0.1", port, config, "localhost", timeout=peers.TIMEOUT) as s:
            assert s.info()["hello_retry"] and s.info()["group"] == "secp256r1"
            assert s.selected_alpn_protocol() == "http/1.1"
            s.sendall(b"abc\n")
            assert s.recv() == b"cba\n"
            s.key_update(request_peer=True)
            s.sendall(b"after key update\n")
            assert s.recv() == b"etadpu yek retfa\n"


def test_large_transfer_checked_by_hash(files, tmp_path):
    cred, cert, key = files("p256")
    blob = hashlib.shake_256(b"puretls").digest(3 << 20)
    (tmp_path / "big.bin").write_bytes(blob)
    with peers.openssl_server(cert, key, "-http_server_binmode", mode="-WWW", cwd=tmp_path) as (
        port,
        _,
    ):
        with tls.connect(
            "127.0.0.1", port, client_config(cred), "localhost", timeout=peers.TIMEOUT
        ) as s:
            s.sendall(b"GET /big.bin HTTP/1.0\r\n\r\n")
            body = b""
            while chunk := s.recv():
                body += chunk
    payload = body.split(b"\r\n\r\n", 1)[1]
    assert hashlib.sha256(payload).digest() == hashlib.sha256(blob).digest()


@pytest.mark.parametrize(
    "kind,group,suite",
    [
        ("p256", "X25519", "TLS_AES_128_GCM_SHA256"),
        ("rsa2048", "P-256", "TLS_AES_256_GCM_SHA384"),
        ("ed25519", "X448", "TLS_CHACHA20_POLY1305_SHA256"),
    ],
)
def test_openssl_client_against_server(files, kind, group, suite):
    cred, cert, _ = files(kind)
    config = tls.ServerConfig(certificates=[([cred.cert], cred.key)], alpn_protocols=["h2"])
    with peers.listener() as lst:
        port = lst.getsockname()[1]
        thread = peers.serve_once(lst, lambda c: peers.echo_line_upper(c, config))
        result = peers.openssl_client(
            port,
            b"ping from openssl\n",
            "-groups",
            group,
            "-ciphersuites",
            suite,
            "-alpn",
            "h2",
            "-servername",
            "localhost",
            "-CAfile",
            str(cert),
            "-verify_return_error",
        )
        peers.finish(thread)
    out = result.stdout.decode(errors="replace")
    assert "PING FROM OPENSSL" in out
    assert f"Cipher is {suite}" in out
    assert "ALPN protocol: h2" in out
    assert "Verify return code: 0 (ok)" in out


def test_openssl_client_needing_hello_retry(files):
    cred, cert, _ = files("p384")
    config = tls.ServerConfig(certificates=[([cred.cert], cred.key)], groups=("secp384r1",))
    with peers.listener() as lst:
        thread = peers.serve_once(lst, lambda c: peers.echo_line_upper(c, config))
        result = peers.openssl_client(
            lst.getsockname()[1], b"retry\n", "-groups", "X25519:P-384", "-CAfile", str(cert)
        )
        peers.finish(thread)
    out = result.stdout.decode(errors="replace")
    assert "RETRY" in out and "Server Temp Key: ECDH, secp384r1" in out


def test_optional_client_certificate_request_gets_an_empty_certificate(files):
    cred, cert, key = files("p256")
    with peers.openssl_server(cert, key, "-verify", "1") as (port, _):
        with tls.connect(
            "127.0.0.1", port, client_config(cred), "localhost", timeout=peers.TIMEOUT
        ) as s:
            s.sendall(b"anonymous\n")
            assert s.recv() == b"suomynona\n"


def test_required_client_certificate_fails_cleanly(files):
    cred, cert, key = files("p256")
    with peers.openssl_server(cert, key, "-Verify", "1") as (port, _):
        with pytest.raises(tls.TLSError) as exc:
            with tls.connect(
                "127.0.0.1", port, client_config(cred), "localhost", timeout=peers.TIMEOUT
            ) as s:
                s.sendall(b"x\n")
                s.recv()
    assert exc.value.failure is not None and exc.value.failure.sent_by_peer


@pytest.mark.skipif(shutil.which("gnutls-cli") is None, reason="gnutls-bin not installed")
def test_gnutls_both_ways(files):
    from interop import matrix

    cred, cert, key = files("ed25519")
    cell = matrix.Files(cert, key)
    assert matrix.client_vs_gnutls(cell, "TLS_CHACHA20_POLY1305_SHA256", "secp256r1") == "ok"
    assert matrix.server_vs_gnutls(cell, "TLS_AES_256_GCM_SHA384", "x25519") == "ok"
