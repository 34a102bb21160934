"""Real TLS peers for the interop tests and matrix: openssl, Python ssl, tlslite-ng.

Each helper starts a peer on a free loopback port (or connects to one), with a
timeout on everything, and stops it again; nothing here is used by ``tls`` itself.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

OPENSSL = "openssl"
TIMEOUT = 20.0

# puretls name -> openssl name
OPENSSL_GROUPS = {
    "x25519": "X25519",
    "secp256r1": "P-256",
    "secp384r1": "P-384",
    "secp521r1": "P-521",
    "x448": "X448",
    "ffdhe2048": "ffdhe2048",
    "ffdhe3072": "ffdhe3072",
    "ffdhe4096": "ffdhe4096",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen | None = None, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"peer exited early: {proc.stdout.read() if proc.stdout else ''}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listening on port {port}")


def _wait_for_accept(proc: subprocess.Popen) -> None:
    """s_server prints ACCEPT once listening (probing the port would use up -naccept)."""
    assert proc.stdout is not None
    deadline = time.monotonic() + 10
    seen: list[str] = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("openssl s_server exited: " + "".join(seen))
        seen.append(line)
        if line.startswith("ACCEPT"):
            return
    raise TimeoutError("openssl s_server did not start")


@contextlib.contextmanager
def openssl_server(
    cert: Path,
    key: Path,
    *args: str,
    mode: str = "-rev",
    cwd: Path | None = None,
) -> Iterator[tuple[int, subprocess.Popen]]:
    """``openssl s_server`` on a free port; yields (port, process)."""
    port = free_port()
    cmd = [OPENSSL, "s_server", "-accept", str(port), "-cert", str(cert), "-key", str(key)]
    cmd += ["-tls1_3", "-naccept", "1", mode, *args]
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=cwd,
        text=True,
    )
    try:
        _wait_for_accept(proc)
        yield port, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
        try:
            proc.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


def openssl_client(port: int, data: bytes, *args: str) -> subprocess.CompletedProcess:
    """``openssl s_client`` against ``port``, sending ``data`` then waiting for the server to close."""
    cmd = [OPENSSL, "s_client", "-connect", f"127.0.0.1:{port}", "-tls1_3", "-ign_eof", *args]
    return subprocess.run(cmd, input=data, capture_output=True, timeout=TIMEOUT)


def serve_once(listener: socket.socket, handler) -> threading.Thread:
    """Accept one connection on ``listener`` in a thread and pass it to ``handler``."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            conn, _ = listener.accept()
            conn.settimeout(TIMEOUT)
            with conn:
                handler(conn)
        except BaseException as exc:  # reported by the caller through .errors
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.errors = errors  # type: ignore[attr-defined]
    thread.start()
    return thread


def listener() -> socket.socket:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(4)
    s.settimeout(TIMEOUT)
    return s


def ssl_server_context(cert: Path, key: Path, alpn: list[str] | None = None) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.load_cert_chain(cert, key)
    if alpn:
        ctx.set_alpn_protocols(alpn)
    return ctx


def ssl_client_context(cafile: Path | None = None) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    if cafile is None:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    else:
        ctx.load_verify_locations(cafile)
    return ctx
