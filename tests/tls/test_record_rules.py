"""Record-layer and handshake rules that only an attacker exercises: unprotected
alerts after keys, KeyUpdate floods, our own record_size_limit, CCS between
handshake fragments and a changed second ClientHello (RFC 8446 §4.1.2, §5, RFC 8449)."""

from __future__ import annotations

import pytest

import tls
from tests.tls import _creds
from tests.tls._pair import deliver, handshake
from tls import engine
from tls.failures import Reason
from tls.handshake.common import replace
from tls.record import header
from tls.wire import messages as m
from tls.wire.alert import AlertDescription
from tls.wire.writer import write_handshake


def configs(client_kw=None, server_kw=None):
    cred = _creds.credential("p256")
    return (
        tls.ClientConfig(authenticator=_creds.pinned(cred), **(client_kw or {})),
        tls.ServerConfig(certificates=[([cred.cert], cred.key)], **(server_kw or {})),
    )


def records(data: bytes) -> list[bytes]:
    out, i = [], 0
    while i < len(data):
        n = 5 + int.from_bytes(data[i + 3 : i + 5], "big")
        out.append(data[i : i + n])
        i += n
    return out


CLOSE_NOTIFY = header(21, 2) + bytes([1, AlertDescription.close_notify])


def test_injected_plaintext_close_notify_mid_handshake_fails_the_client():
    client_cfg, server_cfg = configs()
    client, hello = engine.client(client_cfg, "localhost")
    flight = records(engine.handle(engine.server(server_cfg), hello).send)
    # ServerHello, then a forged unprotected close_notify, then the genuine rest.
    step = engine.handle(client, flight[0] + CLOSE_NOTIFY + b"".join(flight[1:]))
    assert step.failure is not None and step.failure.reason is Reason.peer_alert
    assert step.failure.alert is AlertDescription.close_notify
    assert engine.info(step.state)["phase"] == "Closed" and not engine.is_established(step.state)


def test_plaintext_close_notify_to_a_server_awaiting_finished_fails_it():
    client_cfg, server_cfg = configs()
    _, hello = engine.client(client_cfg, "localhost")
    server = engine.handle(engine.server(server_cfg), hello).state
    step = engine.handle(server, CLOSE_NOTIFY)
    assert step.failure is not None and step.failure.reason is Reason.peer_alert
    assert engine.info(step.state)["phase"] == "Closed"


@pytest.mark.parametrize("description", [AlertDescription.close_notify, 90])  # 90: user_canceled
def test_close_before_the_server_hello_is_a_failure_not_a_stall(description):
    client, _ = engine.client(configs()[0], "localhost")
    step = engine.handle(client, header(21, 2) + bytes([1, description]))
    assert step.failure is not None and step.failure.sent_by_peer
    assert engine.info(step.state)["phase"] == "Closed"


def key_updates(state, n):
    sent = b""
    for _ in range(n):
        state, out = engine.key_update(state, request_peer=False)
        sent += out
    return state, sent


def test_key_update_flood_is_refused():
    client, server, _, _ = handshake(*configs())
    client, flood = key_updates(client, 40)
    step = engine.handle(server, flood)
    assert step.failure is not None and step.failure.reason is Reason.unexpected_message
    assert step.send[:1] == b"\x17"  # answered with a protected alert


def test_key_updates_with_data_between_are_fine():
    client, server, _, _ = handshake(*configs())
    for _ in range(3):
        client, some = key_updates(client, 20)
        client, data = engine.send(client, b"x")
        server, _, got, _, failure = deliver(server, some + data, [])
        assert failure is None and got == b"x"


@pytest.mark.parametrize("size,ok", [(255, True), (256, False), (1000, False)])
def test_own_record_size_limit_is_enforced(size, ok):
    client, server, _, _ = handshake(*configs({"record_size_limit": 256}))
    assert engine.is_established(client)
    # A server that ignores the limit it was given (content + type byte <= 256).
    rogue = replace(server, negotiated=replace(server.negotiated, peer_record_size_limit=None))
    rogue, data = engine.send(rogue, bytes(size))
    step = engine.handle(client, data)
    if ok:
        assert step.failure is None and step.data == bytes(size)
    else:
        assert step.failure.reason is Reason.record_overflow
        assert step.data == b""


def hello_retry(client_kw=None):
    """A client that received a HelloRetryRequest, its second ClientHello, and the server."""
    client_cfg, server_cfg = configs(
        {"middlebox_compatibility": False, **(client_kw or {})}, {"groups": ("secp256r1",)}
    )
    client, hello = engine.client(client_cfg, "localhost")
    server, retry, _, _, failure = deliver(engine.server(server_cfg), hello, [])
    assert failure is None
    client, hello2, _, _, failure = deliver(client, retry, [])
    assert failure is None and engine.info(client)["hello_retry"]
    return client, hello2, server


def test_ccs_between_handshake_fragments_is_unexpected_message():
    _, hello2, server = hello_retry()
    (record,) = records(hello2)
    body = record[5:]
    ccs = header(20, 1) + b"\x01"
    split = header(22, 40) + body[:40] + ccs + header(22, len(body) - 40) + body[40:]
    step = engine.handle(server, split)
    assert step.failure is not None and step.failure.reason is Reason.unexpected_message
    # The same fragments without the CCS are accepted.
    plain = header(22, 40) + body[:40] + header(22, len(body) - 40) + body[40:]
    assert engine.handle(server, plain).failure is None


def change(hello, kind, new):
    return replace(
        hello, extensions=tuple(new if isinstance(e, kind) else e for e in hello.extensions)
    )


SECOND_HELLO_CHANGES = {
    "signature_algorithms": lambda h: change(
        h, m.SignatureAlgorithms, m.SignatureAlgorithms((0x0403,))
    ),
    "supported_groups": lambda h: change(h, m.SupportedGroups, m.SupportedGroups((23, 24))),
    "server_name": lambda h: change(h, m.ServerName, m.ServerName(b"elsewhere.example")),
    "alpn": lambda h: change(
        h,
        m.ApplicationLayerProtocolNegotiation,
        m.ApplicationLayerProtocolNegotiation((b"http/1.1",)),
    ),
    "extension dropped": lambda h: replace(
        h, extensions=tuple(e for e in h.extensions if not isinstance(e, m.SignatureAlgorithms))
    ),
    "legacy_version": lambda h: replace(h, legacy_version=0x0304),
}


@pytest.mark.parametrize("what", sorted(SECOND_HELLO_CHANGES))
def test_second_client_hello_may_not_change(what):
    client, _, server = hello_retry({"alpn_protocols": ["h2"]})
    hello2 = SECOND_HELLO_CHANGES[what](client.phase.client_hello)
    raw = write_handshake(hello2)
    step = engine.handle(server, header(22, len(raw)) + raw)
    assert step.failure is not None and step.failure.reason is Reason.illegal_parameter


def test_second_client_hello_unchanged_is_accepted():
    client, _, server = hello_retry({"alpn_protocols": ["h2"]})
    raw = write_handshake(client.phase.client_hello)
    assert engine.handle(server, header(22, len(raw)) + raw).failure is None
