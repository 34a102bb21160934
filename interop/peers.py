"""Real TLS peers for the interop tests and matrix: openssl, Python ssl, tlslite-ng.

Each helper starts a peer on a loopback port (or connects to one), with a
deadline on everything, and stops it again; nothing here is used by ``tls`` itself.
Servers bind port 0 and report the port they got (no window in which another
process can take a port we picked); a peer that cannot (gnutls-serv) is retried
on another port when its bind fails.
"""

from __future__ import annotations

import contextlib
import os
import re
import selectors
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

OPENSSL = "openssl"
TIMEOUT = 20.0
START_TIMEOUT = 20.0  # a loaded 2-core CI machine can take seconds to start a peer

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


def _listens(port: int, pid: int) -> bool | None:
    """Whether process ``pid`` holds a listening TCP socket on ``port`` (Linux /proc);
    None where /proc cannot tell."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            return None
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return None
    for fd in fds:
        try:  # the child opens and closes files meanwhile
            if os.readlink(f"/proc/{pid}/fd/{fd}") in inodes:
                return True
        except OSError:
            continue
    return False


def wait_for_port(
    port: int, proc: subprocess.Popen | None = None, timeout: float = START_TIMEOUT
) -> None:
    """Wait until ``proc`` listens on ``port``.  A connection alone would not prove it:
    another process may hold the port ``proc`` failed to bind."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"peer exited early (status {proc.returncode})")
        owned = _listens(port, proc.pid) if proc is not None else None
        if owned:
            return
        if owned is None:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listening on port {port}")


class LineReader:
    """Lines from a child's pipe, each read with a deadline (``readline`` on the pipe
    itself would block forever on a child that prints nothing)."""

    def __init__(self, stream: object) -> None:
        self._fd = stream.fileno()  # type: ignore[attr-defined]
        self._buffer = b""
        self.seen: list[str] = []

    def readline(self, deadline: float) -> str | None:
        """The next line, or None at end of file; TimeoutError past ``deadline``."""
        with selectors.DefaultSelector() as sel:
            sel.register(self._fd, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("peer printed nothing in time: " + "".join(self.seen))
                if not sel.select(left):
                    continue
                chunk = os.read(self._fd, 4096)
                if not chunk:
                    if not self._buffer:
                        return None
                    self._buffer += b"\n"
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        text = line.decode(errors="replace") + "\n"
        self.seen.append(text)
        return text

    def wait_for(self, pattern: str, what: str, timeout: float = START_TIMEOUT) -> re.Match:
        """The first line matching ``pattern``; RuntimeError if the child exits first."""
        deadline = time.monotonic() + timeout
        while True:
            line = self.readline(deadline)
            if line is None:
                raise RuntimeError(f"{what} exited: " + "".join(self.seen))
            found = re.search(pattern, line)
            if found:
                return found


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()


@contextlib.contextmanager
def openssl_server(
    cert: Path,
    key: Path,
    *args: str,
    mode: str = "-rev",
    cwd: Path | None = None,
) -> Iterator[tuple[int, subprocess.Popen]]:
    """``openssl s_server`` on a loopback port of its choosing; yields (port, process).

    s_server prints ``ACCEPT 127.0.0.1:<port>`` once listening; the port is read
    from that line (probing the port would use up ``-naccept``)."""
    cmd = [OPENSSL, "s_server", "-accept", "127.0.0.1:0", "-cert", str(cert), "-key", str(key)]
    cmd += ["-tls1_3", "-naccept", "1", mode, *args]
    proc = subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=cwd
    )
    try:
        found = LineReader(proc.stdout).wait_for(r"^ACCEPT .*:(\d+)", "openssl s_server")
        yield int(found.group(1)), proc
    finally:
        _stop(proc)


@contextlib.contextmanager
def puretls_server(*args: str) -> Iterator[tuple[int, subprocess.Popen]]:
    """``puretls server --port 0 ARGS`` in a child process; yields (port, process)."""
    cmd = [sys.executable, "-m", "tls.cli", "server", "--host", "127.0.0.1", "--port", "0"]
    proc = subprocess.Popen([*cmd, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        found = LineReader(proc.stdout).wait_for(r"listening on .*:(\d+)", "puretls server")
        yield int(found.group(1)), proc
    finally:
        _stop(proc)


@contextlib.contextmanager
def server_on_free_port(
    command: Callable[[int], list[str]], attempts: int = 5
) -> Iterator[tuple[int, subprocess.Popen]]:
    """A server that cannot bind port 0 and report it (gnutls-serv): pick a free port,
    start it, and start again on another port when it exits (its bind collided with
    another process that took the port in between)."""
    for _ in range(attempts):
        port = free_port()
        proc = subprocess.Popen(command(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for_port(port, proc, START_TIMEOUT)
        except RuntimeError:  # exited: most likely "address in use"
            _stop(proc)
            continue
        except BaseException:
            _stop(proc)
            raise
        try:
            yield port, proc
        finally:
            _stop(proc)
        return
    raise RuntimeError(f"server did not start on any of {attempts} ports")


def openssl_client(port: int, data: bytes, *args: str) -> subprocess.CompletedProcess:
    """``openssl s_client`` against ``port``, sending ``data`` then waiting for the server to close."""
    cmd = [OPENSSL, "s_client", "-connect", f"127.0.0.1:{port}", "-tls1_3", "-ign_eof", *args]
    return subprocess.run(cmd, input=data, capture_output=True, timeout=TIMEOUT)


def finish(thread: threading.Thread) -> None:
    """Wait for a :func:`serve_once` thread; fail if it hangs or raised."""
    thread.join(TIMEOUT)
    assert not thread.is_alive(), "server thread did not finish"
    errors = thread.errors  # type: ignore[attr-defined]
    assert not errors, errors


def echo_line_upper(conn: socket.socket, config: Any) -> None:
    """A puretls server on ``conn``: read one line, answer it in upper case, close (the
    peer, e.g. ``openssl s_client -ign_eof``, waits for the close)."""
    import tls

    s = tls.wrap_server(conn, config)
    data = b""
    while not data.endswith(b"\n"):
        chunk = s.recv()
        if not chunk:
            break
        data += chunk
    s.sendall(data.upper())
    s.close()


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
