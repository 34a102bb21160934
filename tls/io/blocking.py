"""Blocking sockets over the pure engine: ``connect``, ``wrap_client``, ``wrap_server``.

:class:`TLSSocket` owns a connected socket and a :class:`tls.engine.State`; every
method is a small loop that reads bytes, hands them to ``engine.handle`` and writes
what the engine returns.  All protocol decisions stay in the engine.
"""

from __future__ import annotations

import io
import socket
import time
from collections import deque
from typing import Any

from tls import engine
from tls.config import ClientConfig, ServerConfig
from tls.failures import Failure
from tls.session import Session

READ_SIZE = 1 << 18  # big reads: many records per engine call (bulk transfers)
WRITE_BATCH = 1 << 20  # sendall() seals this much per engine call


class TLSError(OSError):
    """The TLS connection failed; ``alert`` is the alert sent or received, ``reason`` why."""

    def __init__(self, failure: Failure | None, message: str = "") -> None:
        self.failure = failure
        self.alert = failure.alert if failure else None
        self.reason = failure.reason if failure else None
        super().__init__(message or str(failure))


class TLSSocket:
    """A TLS 1.3 connection over a connected blocking socket."""

    def __init__(self, sock: socket.socket, state: engine.State, pending: bytes = b"") -> None:
        self._sock = sock
        self._state = state
        # Decrypted data not yet read: whole chunks as the engine returned them, so a
        # reader asking for at least a chunk gets it without a copy.
        self._plaintext: deque[bytes] = deque()
        self._buffered = 0
        self._offset = 0  # bytes of self._plaintext[0] already read
        self._peer_closed = False
        # Like socket.socket: close() waits until the makefile() objects are closed too
        # (http.client closes the socket while its response still reads from a file).
        self._io_refs = 0
        self._closed = False
        self.session: Session | None = None  # the latest resumable session from the server
        if pending:
            self._sock.sendall(pending)

    # -- handshake and reading -------------------------------------------------------

    @property
    def state(self) -> engine.State:
        return self._state

    def _step(self, incoming: bytes) -> None:
        step = engine.handle(self._state, incoming, time.time())
        self._state = step.state
        if step.send:
            try:
                self._sock.sendall(step.send)
            except OSError:
                if step.failure is None:
                    raise
        for chunk in step.chunks:  # kept record by record: recv hands them out uncopied
            self._plaintext.append(chunk)
            self._buffered += len(chunk)
        if step.peer_closed:
            self._peer_closed = True
        if step.session is not None:
            self.session = step.session
        if step.failure is not None:
            raise TLSError(step.failure)

    def _read_more(self) -> bool:
        data = self._sock.recv(READ_SIZE)
        if not data:
            return False
        self._step(data)
        return True

    def do_handshake(self) -> None:
        while not engine.is_established(self._state):
            if self._state.failure is not None:
                raise TLSError(self._state.failure)
            if not self._read_more():
                raise TLSError(None, "connection closed during the handshake")

    def recv(self, bufsize: int = READ_SIZE) -> bytes:
        """Up to ``bufsize`` bytes of application data; b"" after the peer's close_notify."""
        self.do_handshake()
        while not self._plaintext and not self._peer_closed:
            if not self._read_more():
                # TCP closed without close_notify: a possible truncation attack.
                raise TLSError(None, "connection closed without close_notify")
        return self._take(bufsize) if self._plaintext else b""

    def _take(self, limit: int) -> bytes:
        chunk, start = self._plaintext[0], self._offset
        end = start + limit
        if start == 0 and end >= len(chunk):
            out = self._plaintext.popleft()  # the whole chunk: no copy
        elif end >= len(chunk):
            out = chunk[start:]
            self._plaintext.popleft()
            self._offset = 0
        else:  # part of a chunk: remember where the rest starts rather than re-slicing it
            out = chunk[start:end]
            self._offset = end
        self._buffered -= len(out)
        return out

    def recv_into(self, buffer: Any, nbytes: int = 0) -> int:
        view = memoryview(buffer).cast("B")
        data = self.recv(nbytes or len(view))
        view[: len(data)] = data
        return len(data)

    read = recv

    def recv_ready(self) -> bytes | None:
        """One socket read's worth of plaintext, for select() loops: b"" when the bytes
        read held no application data (a ticket, a KeyUpdate), None once the peer closed."""
        if not self._plaintext and not self._peer_closed:
            data = self._sock.recv(READ_SIZE)
            if not data:
                return None
            self._step(data)
        if not self._plaintext and self._peer_closed:
            return None
        if self._offset:
            self._plaintext[0] = self._plaintext[0][self._offset :]
        out = b"".join(self._plaintext)
        self._plaintext.clear()
        self._buffered = self._offset = 0
        return out

    def pending(self) -> int:
        """Decrypted bytes already buffered (readable without touching the socket)."""
        return self._buffered

    # -- writing --------------------------------------------------------------------

    def send(self, data: bytes) -> int:
        self.do_handshake()
        self._state, records = engine.send(self._state, data)
        self._sock.sendall(records)
        return len(data)

    def sendall(self, data: bytes) -> None:
        if type(data) is bytes and len(data) <= WRITE_BATCH:
            self.send(data)  # the common case: one engine call, no view
            return
        view = memoryview(data).cast("B")
        for i in range(0, len(view), WRITE_BATCH):
            self.send(view[i : i + WRITE_BATCH])  # type: ignore[arg-type]

    write = sendall

    def key_update(self, request_peer: bool = False) -> None:
        self._state, records = engine.key_update(self._state, request_peer)
        self._sock.sendall(records)

    def export_keying_material(self, label: bytes, context: bytes, length: int) -> bytes:
        return engine.export_keying_material(self._state, label, context, length)

    # -- closing and plumbing ----------------------------------------------------------

    def shutdown(self, how: int = socket.SHUT_RDWR) -> None:
        """Send close_notify, then shut the socket down in direction ``how``."""
        self._state, records = engine.close(self._state)
        try:
            if records:
                self._sock.sendall(records)
            self._sock.shutdown(how)
        except OSError:
            pass

    def shutdown_write(self) -> None:
        """Send close_notify and half-close the TCP connection; reading goes on."""
        self.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        """Send close_notify now; the socket itself closes once no makefile() uses it."""
        self._closed = True
        self._send_close_notify()
        if self._io_refs <= 0:
            self._real_close()

    def _send_close_notify(self) -> None:
        try:
            if not self._state.write_closed and self._state.failure is None:
                self._state, records = engine.close(self._state)
                self._sock.sendall(records)
        except OSError:
            pass

    def _decref_socketios(self) -> None:
        self._io_refs -= 1
        if self._closed and self._io_refs <= 0:
            self._real_close()

    def _real_close(self) -> None:
        self._sock.close()

    def unwrap(self) -> socket.socket:
        self._state, records = engine.close(self._state)
        self._sock.sendall(records)
        return self._sock

    def fileno(self) -> int:
        return self._sock.fileno()

    def settimeout(self, timeout: float | None) -> None:
        self._sock.settimeout(timeout)

    def gettimeout(self) -> float | None:
        return self._sock.gettimeout()

    def getpeername(self) -> Any:
        return self._sock.getpeername()

    def info(self) -> dict[str, Any]:
        return engine.info(self._state)

    def selected_alpn_protocol(self) -> str | None:
        return engine.info(self._state)["alpn_protocol"]

    def makefile(self, mode: str = "r", buffering: int | None = None, **kwargs: Any) -> Any:
        raw = _SocketIO(self, mode)
        self._io_refs += 1
        binary = "b" in mode
        if buffering == 0 and binary:
            return raw
        buffered: Any
        if "w" in mode and "r" not in mode:
            buffered = io.BufferedWriter(raw, io.DEFAULT_BUFFER_SIZE)
        elif "r" in mode and "w" not in mode:
            buffered = io.BufferedReader(raw, io.DEFAULT_BUFFER_SIZE)
        else:
            buffered = io.BufferedRWPair(raw, raw, io.DEFAULT_BUFFER_SIZE)
        return buffered if binary else io.TextIOWrapper(buffered, **kwargs)

    def __enter__(self) -> TLSSocket:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _SocketIO(io.RawIOBase):
    def __init__(self, sock: TLSSocket, mode: str) -> None:
        super().__init__()
        self._tls = sock
        self._mode = mode

    def readable(self) -> bool:
        return "r" in self._mode

    def writable(self) -> bool:
        return "w" in self._mode

    def readinto(self, b: Any) -> int:
        return self._tls.recv_into(b)

    def write(self, b: Any) -> int:
        self._tls.sendall(b)
        return len(b)

    def close(self) -> None:
        if not self.closed:
            super().close()
            self._tls._decref_socketios()


def wrap_client(
    sock: socket.socket,
    config: ClientConfig,
    server_name: str | None = None,
    session: Session | None = None,
) -> TLSSocket:
    """Run a client handshake over the connected ``sock`` (resuming ``session`` if it can)."""
    state, hello = engine.client(config, server_name, time.time(), session=session)
    tls_sock = TLSSocket(sock, state, hello)
    tls_sock.do_handshake()
    return tls_sock


def wrap_server(sock: socket.socket, config: ServerConfig) -> TLSSocket:
    """Run a server handshake over the accepted ``sock``."""
    tls_sock = TLSSocket(sock, engine.server(config))
    tls_sock.do_handshake()
    return tls_sock


def connect(
    host: str,
    port: int,
    config: ClientConfig,
    server_name: str | None = None,
    timeout: float | None = None,
    session: Session | None = None,
) -> TLSSocket:
    """Open a TCP connection to ``host:port`` and complete a TLS 1.3 handshake."""
    sock = socket.create_connection((host, port), timeout=timeout)
    try:
        name = server_name if server_name is not None else host
        return wrap_client(sock, config, name, session)
    except BaseException:
        sock.close()
        raise
