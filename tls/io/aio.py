"""asyncio shell over the pure engine: ``connect`` and ``start_server``.

:class:`TLSStream` wraps an asyncio (reader, writer) pair of a TCP connection;
like the blocking shell it only moves bytes between the socket and
``engine.handle`` / ``engine.send``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from tls import engine
from tls.config import ClientConfig, ServerConfig
from tls.io.blocking import READ_SIZE, TLSError


class TLSStream:
    """One TLS 1.3 connection over asyncio streams."""

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, state: engine.State
    ) -> None:
        self._reader = reader
        self._writer = writer
        self._state = state
        self._plaintext = bytearray()
        self._peer_closed = False

    async def _feed(self) -> bool:
        data = await self._reader.read(READ_SIZE)
        if not data:
            return False
        step = engine.handle(self._state, data, time.time())
        self._state = step.state
        if step.send:
            self._writer.write(step.send)
            await self._writer.drain()
        self._plaintext += step.data
        if step.peer_closed:
            self._peer_closed = True
        if step.failure is not None:
            raise TLSError(step.failure)
        return True

    async def handshake(self) -> None:
        while not engine.is_established(self._state):
            if not await self._feed():
                raise TLSError(None, "connection closed during the handshake")

    async def read(self, n: int = READ_SIZE) -> bytes:
        """Up to ``n`` bytes of application data; b"" after the peer's close_notify."""
        while not self._plaintext and not self._peer_closed:
            if not await self._feed():
                raise TLSError(None, "connection closed without close_notify")
        out = bytes(self._plaintext[:n])
        del self._plaintext[:n]
        return out

    async def write(self, data: bytes) -> None:
        self._state, records = engine.send(self._state, data)
        self._writer.write(records)
        await self._writer.drain()

    async def key_update(self, request_peer: bool = False) -> None:
        self._state, records = engine.key_update(self._state, request_peer)
        self._writer.write(records)
        await self._writer.drain()

    async def close(self) -> None:
        if self._state.failure is None and not self._state.write_closed:
            self._state, records = engine.close(self._state)
            self._writer.write(records)
        self._writer.close()
        try:
            await self._writer.wait_closed()
        except OSError:
            pass

    def info(self) -> dict[str, Any]:
        return engine.info(self._state)


async def connect(
    host: str, port: int, config: ClientConfig, server_name: str | None = None
) -> TLSStream:
    """Open a TCP connection and complete a TLS 1.3 client handshake."""
    reader, writer = await asyncio.open_connection(host, port)
    name = server_name if server_name is not None else host
    state, hello = engine.client(config, name, time.time())
    writer.write(hello)
    stream = TLSStream(reader, writer, state)
    try:
        await stream.handshake()
    except BaseException:
        writer.close()
        raise
    return stream


async def start_server(
    handler: Callable[[TLSStream], Awaitable[None]],
    host: str,
    port: int,
    config: ServerConfig,
) -> asyncio.Server:
    """Serve TLS: ``handler`` gets each connection after its handshake."""

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        stream = TLSStream(reader, writer, engine.server(config))
        try:
            await stream.handshake()
            await handler(stream)
        except (TLSError, OSError):
            pass
        finally:
            await stream.close()

    return await asyncio.start_server(accept, host, port)
