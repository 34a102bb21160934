"""The bulk data path: many records sealed in one ``send``, many opened in one
``handle``, records cut anywhere by the transport, a KeyUpdate among data records,
and old states that stay valid (the engine is pure, even where it batches)."""

from __future__ import annotations

import socket
import threading

from hypothesis import given, settings
from hypothesis import strategies as st

import tls
from tests.tls import _creds
from tests.tls._pair import deliver, handshake
from tls import engine
from tls.events import KeyUpdated
from tls.wire.alert import AlertDescription


def configs(**server_kw):
    cred = _creds.credential("p256")
    return (
        tls.ClientConfig(authenticator=_creds.pinned(cred)),
        tls.ServerConfig(certificates=[([cred.cert], cred.key)], **server_kw),
    )


CLIENT_CFG, SERVER_CFG = configs()
CLIENT, SERVER, _, _ = handshake(CLIENT_CFG, SERVER_CFG)


@settings(deadline=None)
@given(
    sizes=st.lists(st.integers(0, 40000), min_size=1, max_size=4),
    cuts=st.lists(st.integers(1, 70000), max_size=5),
    seed=st.binary(min_size=1, max_size=64),
)
def test_any_writes_arrive_whole_however_the_bytes_are_cut(sizes, cuts, seed):
    client, wire, expected = CLIENT, b"", b""
    for n in sizes:
        data = (seed * (n // len(seed) + 1))[:n]
        client, records = engine.send(client, bytearray(data))
        wire += bytes(records)
        expected += data
    server, sent, received, _, failure = deliver(SERVER, wire, cuts)
    assert failure is None and sent == b""
    assert received == expected
    # Purity: the same bytes on the same old state give the same result again, and
    # the old client state seals exactly as before.
    assert deliver(SERVER, wire, cuts)[2] == expected
    assert bytes(engine.send(CLIENT, b"x")[1]) == bytes(engine.send(CLIENT, b"x")[1])


def test_key_update_between_data_records_in_one_read():
    client, first = engine.send(CLIENT, b"a" * 20000)
    client, update = engine.key_update(client)
    client, second = engine.send(client, b"b" * 20000)
    step = engine.handle(SERVER, bytes(first) + bytes(update) + bytes(second))
    assert step.failure is None
    assert step.data == b"a" * 20000 + b"b" * 20000
    assert any(isinstance(e, KeyUpdated) and e.direction == "read" for e in step.events)
    # The server still reads what the client sends next under the new key.
    client, third = engine.send(client, b"c")
    assert engine.handle(step.state, third).data == b"c"


def test_a_forged_record_after_good_ones_fails_but_keeps_what_came_before():
    client, good = engine.send(CLIENT, b"a" * 20000)
    bad = bytearray(engine.send(client, b"b")[1])
    bad[-1] ^= 1
    step = engine.handle(SERVER, bytes(good) + bytes(bad))
    assert step.failure is not None and step.failure.alert == AlertDescription.bad_record_mac
    assert step.data == b"a" * 20000


def test_socket_small_reads_and_large_writes_round_trip():
    a, b = socket.socketpair()
    payload = bytes(range(256)) * 1500  # 384000 bytes: many records, several batches
    box = {}

    def serve():
        conn = tls.wrap_server(b, SERVER_CFG)
        got = bytearray()
        while len(got) < len(payload):
            got += conn.recv(1000)  # much smaller than what the engine hands over
            box.setdefault("pending", conn.pending())
        box["got"] = bytes(got)
        conn.close()

    thread = threading.Thread(target=serve)
    thread.start()
    conn = tls.wrap_client(a, CLIENT_CFG, "localhost")
    conn.sendall(memoryview(payload))
    thread.join(30)
    conn.close()
    assert box["got"] == payload
    assert box["pending"] > 0  # the first small read left the rest buffered
