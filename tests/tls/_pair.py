"""Drive a puretls client and server against each other in memory."""

from __future__ import annotations

from tls import engine
from tls.events import HandshakeComplete


def split(data: bytes, sizes: list[int]) -> list[bytes]:
    """``data`` cut into pieces of the given sizes (cycled), to exercise reassembly."""
    if not sizes:
        return [data] if data else []
    out, i, k = [], 0, 0
    while i < len(data):
        n = max(1, sizes[k % len(sizes)])
        out.append(data[i : i + n])
        i += n
        k += 1
    return out


def deliver(state, data: bytes, sizes: list[int], now: float = 0.0):
    """Feed ``data`` in pieces; returns (state, sent, received, events, failure)."""
    sent, received, events = b"", b"", []
    for piece in split(data, sizes):
        step = engine.handle(state, piece, now)
        state = step.state
        sent += step.send
        received += step.data
        events += step.events
        if step.failure is not None:
            return state, sent, received, events, step.failure
    return state, sent, received, events, None


def handshake(
    client_config, server_config, server_name="localhost", sizes=(), session=None, now=0.0
):
    """Run a full handshake; returns (client, server, client_events, server_events)."""
    sizes = list(sizes)
    client, to_server = engine.client(client_config, server_name, now, session=session)
    server = engine.server(server_config)
    c_events, s_events = [], []
    for _ in range(10):
        server, to_client, _, ev, failure = deliver(server, to_server, sizes, now)
        s_events += ev
        assert failure is None, failure
        client, to_server, _, ev, failure = deliver(client, to_client, sizes, now)
        c_events += ev
        assert failure is None, failure
        if not to_server and engine.is_established(client) and engine.is_established(server):
            break
    assert any(isinstance(e, HandshakeComplete) for e in c_events)
    assert any(isinstance(e, HandshakeComplete) for e in s_events)
    return client, server, c_events, s_events
