"""curl (libcurl + OpenSSL) fetches the ``puretls server --www`` page over TLS 1.3.

The server runs as a real subprocess on a kernel-chosen loopback port with a
throwaway root CA and ``localhost``/127.0.0.1 certificate; curl validates the
chain against that root and the name against the SAN, as for any HTTPS site.
``python -m interop.browser`` does the same by hand and adds headless Chromium.
"""

from __future__ import annotations

import shutil

import pytest

from interop import browser
from tests.tls._www import session_facts

pytestmark = [
    pytest.mark.interop,
    pytest.mark.skipif(shutil.which("curl") is None, reason="curl binary not installed"),
]


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return browser.make_pki(tmp_path_factory.mktemp("curl-pki"))


@pytest.fixture(scope="module")
def server(pki):
    # The context manager kills the server on exit; ``timeout -s KILL`` bounds it too.
    with browser.puretls_server(pki, lifetime=60, start_timeout=20) as s:
        yield s


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_curl_gets_the_page_over_tls13(server, pki, host):
    r = browser.run_curl(f"https://{host}:{server.port}/", "--cacert", str(pki.root_pem))
    assert r.returncode == 0, r.verbose
    # curl's own view: the negotiated version, the chain check, the HTTP answer.
    assert r.version == "TLSv1.3", r.tls_line
    assert "SSL certificate verify ok" in r.verbose
    assert "< HTTP/1.0 200" in r.verbose
    # The server's view, in the page it sent back.
    facts = session_facts(r.body)
    assert facts["version"] == "TLSv1.3" and facts["phase"] == "Established"


def test_curl_with_alpn_and_sni(pki):
    with browser.puretls_server(pki, "--alpn", "http/1.1", lifetime=60) as s:
        r = browser.run_curl(f"https://localhost:{s.port}/", "--cacert", str(pki.root_pem))
    assert r.returncode == 0, r.verbose
    facts = session_facts(r.body)
    assert facts["alpn_protocol"] == "http/1.1" and facts["server_name"] == "localhost"
    assert "ALPN: server accepted http/1.1" in r.verbose or "ALPN, server accepted" in r.verbose


def test_curl_refuses_the_server_without_our_root(server):
    # Only the system roots: the chain must not validate (curl exit 60), so the
    # passing fetches above really did check our certificate.
    r = browser.run_curl(f"https://localhost:{server.port}/")
    assert r.returncode == 60, r.verbose
    assert "unable to get local issuer certificate" in r.verbose
    assert r.body == ""


def test_curl_refuses_a_name_the_certificate_does_not_cover(server, pki):
    other = f"other.invalid:{server.port}:127.0.0.1"
    r = browser.run_curl(
        f"https://other.invalid:{server.port}/", "--cacert", str(pki.root_pem), "--resolve", other
    )
    assert r.returncode == 60, r.verbose
    assert r.body == ""
    assert "no alternative certificate subject name matches" in r.verbose
