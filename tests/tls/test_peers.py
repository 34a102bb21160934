"""The interop harness itself: it must fail fast instead of hanging, and survive
port collisions, on a loaded CI machine shared with other test runs."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest

from interop import peers

SILENT = [sys.executable, "-c", "import time; time.sleep(60)"]
# A stand-in for gnutls-serv: listens on the port it is given, or exits if taken.
LISTEN = "import socket, sys, time; s = socket.create_server(('127.0.0.1', int(sys.argv[1]))); "
LISTEN += "time.sleep(60)"


def test_line_reader_gives_up_at_its_deadline():
    proc = subprocess.Popen(SILENT, stdout=subprocess.PIPE)
    try:
        with pytest.raises(TimeoutError):
            peers.LineReader(proc.stdout).readline(time.monotonic() + 0.5)
    finally:
        proc.kill()
        proc.communicate()


def test_line_reader_reads_lines_then_end_of_file():
    code = "import sys; sys.stdout.write('ACCEPT 127.0.0.1:1234\\nlast')"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    reader = peers.LineReader(proc.stdout)
    deadline = time.monotonic() + peers.START_TIMEOUT
    assert reader.wait_for(r"^ACCEPT .*:(\d+)", "child").group(1) == "1234"
    assert reader.readline(deadline) == "last\n"
    assert reader.readline(deadline) is None
    proc.communicate()


def test_server_on_free_port_moves_on_when_its_port_is_taken(monkeypatch):
    taken = peers.listener()  # another process's listener, on the port we would pick
    free = peers.free_port()
    ports = iter([taken.getsockname()[1], free])
    monkeypatch.setattr(peers, "free_port", lambda: next(ports))
    with (
        taken,
        peers.server_on_free_port(lambda p: [sys.executable, "-c", LISTEN, str(p)]) as (
            port,
            proc,
        ),
    ):
        assert port == free and proc.poll() is None
        with socket.create_connection(("127.0.0.1", port), peers.TIMEOUT):
            pass
