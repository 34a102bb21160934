"""``python -m interop.browser``: curl and headless Chromium fetch a page from puretls.

A by-hand check that real HTTPS clients talk to ``puretls server --www``:

1. build a throwaway root CA and a server certificate for ``localhost`` and
   ``127.0.0.1`` with ``x509.CertificateBuilder``;
2. start ``puretls server --www`` on a free loopback port (the kernel picks it:
   ``--port 0``), for a bounded time, and stop it at the end whatever happens;
3. fetch ``https://localhost:PORT/`` with ``curl --cacert root.pem`` (curl checks
   the chain and the name) and read the negotiated version from ``curl -v``;
4. if ``chromium`` is installed, load the page headless: first with the root
   trusted through an NSS database in a throwaway ``$HOME`` (so the chain and name
   are validated as for any site), falling back to pinning the leaf key with
   ``--ignore-certificate-errors-spki-list`` when ``certutil`` is missing; then
   against a second server that offers only the X25519MLKEM768 hybrid group; and
   once with no trust at all, which must fail (so the passes mean something).
   The DOM is dumped and a screenshot saved to ``/tmp/puretls-chromium.png``.

Everything talks to 127.0.0.1 only; Chromium is told to resolve no other host.
``tests/tls/test_interop_curl.py`` runs the curl part in the test suite.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HOST = "localhost"
SCREENSHOT = Path("/tmp/puretls-chromium.png")
SERVER_LIFETIME = 120.0  # seconds: the server is killed after this even if we hang
CURL_TIMEOUT = 15.0
CHROMIUM_TIMEOUT = 60.0


@dataclass(frozen=True)
class Pki:
    """Files of a throwaway PKI, and the leaf's SPKI pin for Chromium."""

    root_pem: Path
    cert_pem: Path
    key_pem: Path
    leaf_spki_sha256: str  # base64, as --ignore-certificate-errors-spki-list wants


def make_pki(directory: Path, algorithm: str = "ec") -> Pki:
    """A root CA and a ``localhost``/127.0.0.1 server certificate, written as PEM."""
    import x509

    curve = "secp256r1" if algorithm == "ec" else None
    ca_key = x509.generate_private_key(algorithm, curve=curve)
    root = (
        x509.CertificateBuilder()
        .subject("CN=puretls interop throwaway root")
        .public_key(ca_key.public_key())
        .ca(True)
        .key_usage("keyCertSign", "cRLSign")
        .sign(ca_key)
    )
    server_key = x509.generate_private_key(algorithm, curve=curve)
    leaf = (
        x509.CertificateBuilder()
        .subject(f"CN={HOST}")
        .issued_by(root)
        .public_key(server_key.public_key())
        .subject_alt_names(dns=[HOST], ip=["127.0.0.1"])
        .key_usage("digitalSignature")
        .extended_key_usage("serverAuth")
        .sign(ca_key)
    )
    directory.mkdir(parents=True, exist_ok=True)
    pki = Pki(
        root_pem=directory / "root.pem",
        cert_pem=directory / "server.pem",
        key_pem=directory / "server.key",
        leaf_spki_sha256=base64.b64encode(hashlib.sha256(leaf.spki_der).digest()).decode(),
    )
    pki.root_pem.write_bytes(root.to_pem())
    pki.cert_pem.write_bytes(leaf.to_pem())
    pki.key_pem.write_bytes(server_key.to_pem())
    pki.key_pem.chmod(0o600)
    return pki


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    stderr_path: Path

    def stderr(self) -> str:
        with contextlib.suppress(OSError):
            return self.stderr_path.read_text(errors="replace")
        return ""


def _read_listening_line(proc: subprocess.Popen, timeout: float) -> int:
    """The port from the server's 'listening on 127.0.0.1:PORT' line."""
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    seen = b""
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while b"\n" not in seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"puretls server said nothing in {timeout:.0f}s")
            if not sel.select(left):
                continue
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                raise RuntimeError(f"puretls server exited (status {proc.wait(5)})")
            seen += chunk
    match = re.search(rb"listening on 127\.0\.0\.1:(\d+)", seen)
    if not match:
        raise RuntimeError(f"unexpected server output: {seen!r}")
    return int(match.group(1))


@contextlib.contextmanager
def puretls_server(
    pki: Pki, *extra: str, lifetime: float = SERVER_LIFETIME, start_timeout: float = 20.0
) -> Iterator[Server]:
    """``puretls server --www`` on a kernel-chosen loopback port; always stopped on exit.

    ``timeout`` (coreutils) bounds its life too, in case this process is killed
    before the ``finally`` runs.
    """
    argv = [sys.executable, "-m", "puretls", "server", "--www", "--host", "127.0.0.1"]
    argv += ["--port", "0", "--cert", str(pki.cert_pem), "--key", str(pki.key_pem), *extra]
    if shutil.which("timeout"):
        argv = ["timeout", "-s", "KILL", f"{lifetime:.0f}", *argv]
    fd, name = tempfile.mkstemp(prefix="server-", suffix=".stderr", dir=pki.key_pem.parent)
    os.close(fd)
    stderr_path = Path(name)
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    )
    with open(stderr_path, "wb") as err:
        # A session of its own, so that stopping it reaches the server under ``timeout``.
        proc = subprocess.Popen(
            argv,
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=err,
            start_new_session=True,
        )
    try:
        port = _read_listening_line(proc, start_timeout)
        yield Server(port, proc, stderr_path)
    finally:
        _signal_group(proc, signal.SIGTERM)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            _signal_group(proc, signal.SIGKILL)
            proc.wait(5)
        if proc.stdout is not None:
            proc.stdout.close()


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    """Signal the process group this module started for ``proc`` (its pid is the group id)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)


@dataclass
class CurlResult:
    returncode: int
    body: str
    verbose: str  # curl -v's stderr
    tls_line: str = field(default="")  # "SSL connection using TLSv1.3 / ..."

    @property
    def version(self) -> str | None:
        match = re.search(r"SSL connection using (TLSv[\d.]+)", self.tls_line)
        return match.group(1) if match else None


def run_curl(url: str, *args: str, timeout: float = CURL_TIMEOUT) -> CurlResult:
    """``curl -v URL``, bounded in time; the proxy variables are ignored (loopback only)."""
    argv = ["curl", "-v", "--silent", "--show-error", "--noproxy", "*"]
    argv += ["--max-time", f"{timeout:.0f}", *args, url]
    done = subprocess.run(argv, capture_output=True, timeout=timeout + 5, stdin=subprocess.DEVNULL)
    verbose = done.stderr.decode(errors="replace")
    tls_line = next((ln for ln in verbose.splitlines() if "SSL connection using" in ln), "")
    return CurlResult(done.returncode, done.stdout.decode(errors="replace"), verbose, tls_line)


# -- Chromium ---------------------------------------------------------------------------


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    return None


def trust_root_in_nss(home: Path, root_pem: Path) -> bool:
    """Make ``root_pem`` a trusted CA in ``$HOME/.pki/nssdb``, where Linux Chromium looks."""
    if shutil.which("certutil") is None:
        return False
    db = home / ".pki" / "nssdb"
    db.mkdir(parents=True, exist_ok=True)
    steps = [
        ["certutil", "-N", "-d", f"sql:{db}", "--empty-password"],
        [
            "certutil",
            "-A",
            "-d",
            f"sql:{db}",
            "-n",
            "puretls-root",
            "-t",
            "C,,",
            "-i",
            str(root_pem),
        ],
    ]
    for step in steps:
        if subprocess.run(step, capture_output=True, timeout=30).returncode != 0:
            return False
    return True


def run_chromium(
    binary: str, url: str, home: Path, action: list[str], trust: list[str]
) -> subprocess.CompletedProcess:
    """One headless Chromium run in a throwaway profile, allowed to resolve only localhost."""
    argv = [
        binary,
        "--headless",
        "--no-sandbox",  # we run as root
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
        f"--user-data-dir={home / 'profile'}",
        "--window-size=900,500",
        *trust,
        *action,
        url,
    ]
    env = dict(os.environ, HOME=str(home))
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        env.pop(proxy, None)
    return subprocess.run(
        argv,
        capture_output=True,
        timeout=CHROMIUM_TIMEOUT,
        stdin=subprocess.DEVNULL,
        env=env,
    )


# -- the by-hand run --------------------------------------------------------------------


@dataclass
class Row:
    client: str
    check: str
    ok: bool
    detail: str


def _check_curl(port: int, root: Path, rows: list[Row]) -> None:
    url = f"https://{HOST}:{port}/"
    r = run_curl(url, "--cacert", str(root))
    ok = r.returncode == 0 and r.version == "TLSv1.3" and "<h1>puretls server</h1>" in r.body
    ok = ok and "version: TLSv1.3" in r.body
    detail = r.tls_line.strip("* ") or f"exit {r.returncode}: {r.verbose.strip()[-200:]}"
    rows.append(Row("curl", "GET / with --cacert root.pem", ok, detail))
    if ok:
        print("curl got:\n  " + "\n  ".join(r.body.splitlines()))
    r = run_curl(f"https://127.0.0.1:{port}/", "--cacert", str(root))
    rows.append(
        Row(
            "curl",
            "GET / by IP address (IP SAN)",
            r.returncode == 0 and r.version == "TLSv1.3",
            r.tls_line.strip("* ") or f"exit {r.returncode}",
        )
    )
    # With only the system roots curl must refuse: the chain really is checked.
    r = run_curl(url)
    rows.append(
        Row(
            "curl",
            "GET / without our root (must fail)",
            r.returncode == 60,
            f"exit {r.returncode} (60 = certificate not trusted)",
        )
    )


def _check_chromium(port: int, pki: Pki, work: Path, rows: list[Row]) -> None:
    binary = chromium_binary()
    if binary is None:
        rows.append(Row("chromium", "installed", False, "not installed (apt-get install chromium)"))
        return
    version = subprocess.run([binary, "--version"], capture_output=True, timeout=30)
    print(f"chromium: {version.stdout.decode().strip()}")
    url = f"https://{HOST}:{port}/"

    home = work / "chromium-home"
    if trust_root_in_nss(home, pki.root_pem):
        how, trust = "root trusted in NSS db", []
    else:
        how, trust = (
            "leaf SPKI pinned",
            [f"--ignore-certificate-errors-spki-list={pki.leaf_spki_sha256}"],
        )
    try:
        dom = run_chromium(binary, url, home, ["--dump-dom"], trust)
        page = dom.stdout.decode(errors="replace")
        ok = "<h1>puretls server</h1>" in page and "version: TLSv1.3" in page
        rows.append(Row("chromium", f"--dump-dom, {how}", ok, _page_summary(page, dom)))
        if ok:
            print("chromium DOM:\n  " + "\n  ".join(page.strip().splitlines()))
        SCREENSHOT.unlink(missing_ok=True)
        shot = run_chromium(binary, url, home, [f"--screenshot={SCREENSHOT}"], trust)
        ok = SCREENSHOT.exists() and SCREENSHOT.stat().st_size > 0
        detail = f"{SCREENSHOT} ({SCREENSHOT.stat().st_size} bytes)" if ok else _tail(shot)
        rows.append(Row("chromium", "--screenshot", ok, detail))
    except subprocess.TimeoutExpired:
        rows.append(Row("chromium", f"load page, {how}", False, "timed out"))

    # Chromium offers a post-quantum hybrid key share: serve only that group once.
    with puretls_server(pki, "--groups", "X25519MLKEM768") as hybrid:
        try:
            pq = run_chromium(binary, f"https://{HOST}:{hybrid.port}/", home, ["--dump-dom"], trust)
            page = pq.stdout.decode(errors="replace")
            rows.append(
                Row(
                    "chromium",
                    "--dump-dom, server groups X25519MLKEM768",
                    "group: X25519MLKEM768" in page,
                    _page_summary(page, pq),
                )
            )
        except subprocess.TimeoutExpired:
            rows.append(Row("chromium", "X25519MLKEM768", False, "timed out"))

    # A fresh profile and $HOME with no trust: Chromium must not show our page.
    try:
        bare = run_chromium(binary, url, work / "chromium-untrusted", ["--dump-dom"], [])
        page = bare.stdout.decode(errors="replace")
        rows.append(
            Row(
                "chromium",
                "--dump-dom, no trust (must fail)",
                "version: TLSv1.3" not in page,
                _page_summary(page, bare),
            )
        )
    except subprocess.TimeoutExpired:
        rows.append(Row("chromium", "no trust (must fail)", False, "timed out"))


def _page_summary(page: str, proc: subprocess.CompletedProcess) -> str:
    if "version: TLSv1.3" in page:
        suite = re.search(r"cipher_suite: (\S+)", page)
        group = re.search(r"group: (\S+)", page)
        return "server saw TLSv1.3" + "".join(
            f", {m.group(1)}" for m in (suite, group) if m is not None
        )
    errors = re.findall(r"ERR_[A-Z_]+", page + proc.stderr.decode(errors="replace"))
    return f"no page ({errors[0] if errors else _tail(proc)})"


def _tail(proc: subprocess.CompletedProcess) -> str:
    return f"exit {proc.returncode}: " + proc.stderr.decode(errors="replace").strip()[-160:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m interop.browser", description=__doc__)
    parser.add_argument("--key", choices=["ec", "ed25519", "rsa"], default="ec")
    parser.add_argument("--no-chromium", action="store_true", help="run the curl part only")
    args = parser.parse_args(argv)

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="puretls-browser-") as tmp:
        work = Path(tmp)
        pki = make_pki(work, args.key)
        print(f"PKI ({args.key}) in {work}; leaf SPKI sha256: {pki.leaf_spki_sha256}")
        with puretls_server(pki, "--alpn", "http/1.1") as server:
            print(f"puretls server --www on 127.0.0.1:{server.port} (pid {server.process.pid})")
            if shutil.which("curl"):
                _check_curl(server.port, pki.root_pem, rows)
            else:
                rows.append(Row("curl", "installed", False, "not installed (apt-get install curl)"))
            if not args.no_chromium:
                _check_chromium(server.port, pki, work, rows)
            log = server.stderr().strip()
        if log:
            print("server stderr:\n  " + "\n  ".join(log.splitlines()[-10:]))

    width = max(len(r.check) for r in rows)
    print()
    print(f"{'client':<9} {'check':<{width}}  result  detail")
    for r in rows:
        print(f"{r.client:<9} {r.check:<{width}}  {'ok' if r.ok else 'FAIL':<6}  {r.detail}")
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
