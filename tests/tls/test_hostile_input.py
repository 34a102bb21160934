"""Malformed, truncated, oversized and out-of-order input: the right alert, a closed
state, a typed failure, never an exception and never unauthenticated plaintext."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import tls
from tests.tls import _creds
from tests.tls._pair import handshake
from tls import engine
from tls.failures import Reason
from tls.record import header
from tls.wire import messages as m
from tls.wire.alert import AlertDescription
from tls.wire.writer import write_handshake


def configs():
    cred = _creds.credential("p256")
    return (
        tls.ClientConfig(authenticator=_creds.pinned(cred)),
        tls.ServerConfig(certificates=[([cred.cert], cred.key)]),
    )


def plaintext_alert(description: AlertDescription) -> bytes:
    return header(21, 2) + bytes([2, description])


def assert_failed(step, reason: Reason) -> None:
    assert step.failure is not None, "expected a failure"
    assert step.failure.reason is reason, step.failure
    assert engine.info(step.state)["phase"] == "Closed"
    assert step.data == b""
    # Closed stays closed: more input does nothing.
    later = engine.handle(step.state, b"\x17\x03\x03\x00\x01x")
    assert later.send == b"" and later.data == b""


def test_garbage_to_a_server_is_answered_with_a_plaintext_alert():
    step = engine.handle(engine.server(configs()[1]), b"\x16\x03\x01\x00\x05hello")
    assert_failed(step, Reason.unexpected_message)
    assert step.send == plaintext_alert(AlertDescription.unexpected_message)


def test_oversized_record_is_record_overflow():
    step = engine.handle(engine.server(configs()[1]), header(22, (1 << 14) + 257))
    assert_failed(step, Reason.record_overflow)
    assert step.send == plaintext_alert(AlertDescription.record_overflow)


def test_oversized_plaintext_record_is_record_overflow():
    body = b"\x01" + bytes(3) + bytes(1 << 14)  # 2^14 + 4 bytes: legal only if protected
    step = engine.handle(engine.server(configs()[1]), header(22, len(body)) + body)
    assert_failed(step, Reason.record_overflow)


def test_unknown_record_type_is_unexpected_message():
    step = engine.handle(engine.server(configs()[1]), b"\x63\x03\x03\x00\x01\x00")
    assert_failed(step, Reason.unexpected_message)


def test_application_data_before_the_handshake_is_refused():
    step = engine.handle(engine.server(configs()[1]), header(23, 3) + b"abc")
    assert_failed(step, Reason.unexpected_message)


def test_client_hello_without_tls13_is_protocol_version():
    hello = m.ClientHello(0x0303, bytes(32), b"", (0x1301,), b"\x00", (m.SupportedGroups((29,)),))
    raw = write_handshake(hello)
    step = engine.handle(engine.server(configs()[1]), header(22, len(raw)) + raw)
    assert_failed(step, Reason.protocol_version)
    assert step.send == plaintext_alert(AlertDescription.protocol_version)


def test_server_sending_finished_first_is_unexpected_message():
    client, _ = engine.client(configs()[0], "localhost")
    raw = write_handshake(m.Finished(bytes(32)))
    step = engine.handle(client, header(22, len(raw)) + raw)
    assert_failed(step, Reason.unexpected_message)


def test_server_hello_for_an_unoffered_group_is_illegal_parameter():
    client, hello = engine.client(configs()[0], "localhost")
    sent = client.phase.client_hello
    sh = m.ServerHello(
        0x0303,
        bytes(32),
        sent.legacy_session_id,
        0x1301,
        0,
        (
            m.KeyShareServerHello(m.KeyShareEntry(0x17, b"\x04" + bytes(64))),
            m.SupportedVersionsServerHello(0x0304),
        ),
    )
    raw = write_handshake(sh)
    assert_failed(engine.handle(client, header(22, len(raw)) + raw), Reason.illegal_parameter)


def test_downgrade_sentinel_is_detected():
    client, _ = engine.client(configs()[0], "localhost")
    sent = client.phase.client_hello
    sh = m.ServerHello(0x0303, bytes(24) + m.DOWNGRADE_TLS12, sent.legacy_session_id, 0xC02F, 0, ())
    raw = write_handshake(sh)
    step = engine.handle(client, header(22, len(raw)) + raw)
    assert_failed(step, Reason.inappropriate_fallback)


def test_tampered_record_is_bad_record_mac_and_releases_nothing():
    client, server, _, _ = handshake(*configs())
    client, records = engine.send(client, b"secret payload")
    tampered = records[:-1] + bytes([records[-1] ^ 1])
    step = engine.handle(server, tampered)
    assert_failed(step, Reason.bad_record_mac)
    # The alert is protected: it is an application_data record, not a plaintext alert.
    assert step.send[:1] == b"\x17"


def test_too_many_empty_records_are_refused():
    client, server, _, _ = handshake(*configs())
    flood = b""
    for _ in range(40):
        client, record = engine.send(client, b"")
        flood += record
    assert_failed(engine.handle(server, flood), Reason.too_many_empty_records)


def test_fatal_alert_from_peer_closes_without_answer():
    client, server, _, _ = handshake(*configs())
    step = engine.handle(client, b"")
    assert step.failure is None
    server2, _ = engine.close(server)  # a close_notify is not a failure
    server_alert = engine.handle(engine.server(configs()[1]), plaintext_alert(40))
    assert server_alert.failure.sent_by_peer and server_alert.send == b""


def test_handshake_message_after_completion_is_unexpected():
    client, server, _, _ = handshake(*configs())
    server, _ = engine.key_update(server)  # legal
    state = server
    # A ClientHello from the "client" after the handshake: forge it via the client's keys.
    from tls.handshake import common

    out = common.Output()
    client = common.emit_protected(client, out, 22, write_handshake(m.Finished(bytes(32))))
    step = engine.handle(state, b"".join(out.send))
    assert_failed(step, Reason.unexpected_message)


@given(st.binary(max_size=300), st.integers(0, 4))
def test_random_bytes_never_raise(data, phase):
    client_cfg, server_cfg = configs()
    if phase == 0:
        state = engine.server(server_cfg)
    elif phase == 1:
        state, _ = engine.client(client_cfg, "localhost")
    else:
        client, server, _, _ = handshake(client_cfg, server_cfg)
        state = client if phase % 2 else server
    step = engine.handle(state, data)
    assert step.data == b"" or engine.is_established(state)
    if step.failure is not None:
        assert engine.info(step.state)["phase"] == "Closed"
        # engine.handle turns any exception into internal_error: that is a parser bug.
        assert step.failure.reason is not Reason.internal_error, step.failure


@given(st.integers(0, 2000), st.integers(0, 255))
def test_bit_flips_in_the_server_flight_fail_cleanly(position, mask):
    client_cfg, server_cfg = configs()
    client, hello = engine.client(client_cfg, "localhost")
    flight = engine.handle(engine.server(server_cfg), hello).send
    position %= len(flight)
    mask = mask or 1
    corrupted = flight[:position] + bytes([flight[position] ^ mask]) + flight[position + 1 :]
    step = engine.handle(client, corrupted)
    # Only the ignored legacy_record_version bytes (§5.1) may change unnoticed.
    version_bytes, i = set(), 0
    while i < len(flight):
        version_bytes.add(i + 2)  # the minor byte; the major must still be 3
        i += 5 + int.from_bytes(flight[i + 3 : i + 5], "big")
    if engine.is_established(step.state):
        assert position in version_bytes
    assert step.data == b""
    if step.failure is not None:
        assert step.failure.reason is not Reason.internal_error, step.failure


def test_plaintext_alert_during_the_handshake_is_reported_as_the_peers():
    client, hello = engine.client(configs()[0], "localhost")
    flight = engine.handle(engine.server(configs()[1]), hello).send
    # Deliver only the ServerHello record, then a plaintext alert from the "server".
    first_len = 5 + int.from_bytes(flight[3:5], "big")
    step = engine.handle(client, flight[:first_len] + plaintext_alert(40))
    assert step.failure.sent_by_peer
    assert step.failure.alert is AlertDescription.handshake_failure


@given(st.integers(0, 4000), st.integers(0, 255), st.booleans())
def test_bit_flips_in_the_client_hello_fail_cleanly(position, mask, resume):
    # The server parses every ClientHello field and extension in the clear: a flip
    # anywhere must give a protocol alert (or be harmless), never internal_error.
    client_cfg, server_cfg = configs()
    session = None
    if resume:
        _, _, events, _ = handshake(client_cfg, server_cfg)
        session = next(e.session for e in events if getattr(e, "session", None))
    _, hello = engine.client(client_cfg, "localhost", session=session)
    position = 5 + position % (len(hello) - 5)
    corrupted = hello[:position] + bytes([hello[position] ^ (mask or 1)]) + hello[position + 1 :]
    step = engine.handle(engine.server(server_cfg), corrupted)
    if step.failure is not None:
        assert step.failure.reason is not Reason.internal_error, step.failure
