"""The TLS engine: one pure entry point around the handshake state machines.

``handle(state, incoming, now) -> Step`` parses records, removes protection,
reassembles handshake messages and dispatches them on ``(state type, message
type)``.  It never does I/O, never reads a clock or a global RNG and never
changes the state it is given: replaying the same input on the same old state
gives byte-identical output.  Bad peer input never raises: the Step carries the
fatal alert in ``send``, a closed state and a typed ``failure``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tls import authenticator, key_schedule
from tls.config import ClientConfig, ConfigError, ServerConfig
from tls.events import AlertReceived, CloseNotify, Event, KeyUpdated, SessionTicket
from tls.failures import ALERT_FOR, Failure, PeerError, Reason
from tls.handshake import client13, common, server13
from tls.handshake.common import Closed, Established, Output, State, replace
from tls.record import MAX_PLAINTEXT, Record, plaintext_records, split_records
from tls.session import Session
from tls.wire import messages as m
from tls.wire.alert import AlertDescription, AlertLevel
from tls.wire.content_type import ContentType
from tls.wire.handshake_type import HandshakeType
from tls.wire.reader import read_handshake_body
from tls.wire.writer import write_handshake

__all__ = [
    "State",
    "Step",
    "client",
    "close",
    "export_keying_material",
    "handle",
    "info",
    "key_update",
    "send",
    "server",
]

MAX_HANDSHAKE_MESSAGE = 1 << 17  # larger than any sane certificate chain

TRANSITIONS = {**client13.TRANSITIONS, **server13.TRANSITIONS}
KNOWN_HANDSHAKE_TYPES = frozenset(int(t) for t in HandshakeType) - {HandshakeType.message_hash}


@dataclass(frozen=True, slots=True)
class Step:
    state: State
    send: bytes  # records for the peer
    chunks: tuple[bytes, ...]  # authenticated application data that arrived, record by record
    events: tuple[Event, ...]
    failure: Failure | None  # set once the connection failed; its alert is already in send

    @property
    def data(self) -> bytes:
        """All the application data that arrived, as one bytes object."""
        return b"".join(self.chunks)

    @property
    def peer_closed(self) -> bool:
        """Whether the peer's close_notify arrived in this step."""
        return any(isinstance(e, CloseNotify) for e in self.events)

    @property
    def session(self) -> Session | None:
        """The newest resumable session a NewSessionTicket of this step brought, if any."""
        found = None
        for e in self.events:
            if isinstance(e, SessionTicket) and e.session is not None:
                found = e.session
        return found


def _new_drbg(drbg: Any) -> Any:
    if drbg is not None:
        return drbg
    from nocrypto import rng

    return rng.HmacDrbg(rng.entropy(48))


def client(
    config: ClientConfig,
    server_name: str | None = None,
    now: float = 0.0,
    drbg: Any = None,
    session: Session | None = None,
) -> tuple[State, bytes]:
    """A new client connection and its ClientHello records.

    ``drbg`` (a ``nocrypto.rng.HmacDrbg``-like value) is seeded from fresh entropy
    when not given; tests pass a fixed one to reproduce a handshake exactly.
    ``session`` (from a ``SessionTicket`` event) is offered for resumption when it
    is still valid at ``now`` for this server name.
    """
    if not isinstance(config, ClientConfig):
        raise TypeError("client() needs a tls.ClientConfig")
    if not server_name and authenticator.needs_server_name(config.authenticator):
        # Without a name the leaf could not be matched to the host: any certificate
        # from a trusted root would do (a full MITM), so this is refused here.
        raise ConfigError(
            "the authenticator checks the server's host name: give server_name, or build "
            "it with chain_of_trust(..., check_hostname=False) if no name is to be checked"
        )
    server_name = server_name or None  # "" (as ssl callers pass) means no name, not SNI ""
    state = State("client", config, None, _new_drbg(drbg))
    return client13.start(state, server_name, session, now)


def server(config: ServerConfig, drbg: Any = None) -> State:
    """A new server connection awaiting a ClientHello."""
    if not isinstance(config, ServerConfig):
        raise TypeError("server() needs a tls.ServerConfig")
    return State("server", config, server13.AwaitClientHello(), _new_drbg(drbg))


# ---- incoming ----------------------------------------------------------------------


def handle(state: State, incoming: bytes, now: float = 0.0) -> Step:
    """Feed bytes from the peer; see the module docstring."""
    out = Output()
    if isinstance(state.phase, Closed) or state.read_closed:
        return Step(state, b"", (), (), state.failure)
    try:
        records, rest = split_records(state.buffer + bytes(incoming))
        state = common.with_record_state(state, buffer=rest)
        done = _application_data(state, records, out) if records else (state, 0)
        state = done[0]
        for record in records[done[1] :]:
            state = _record(state, record, out, now)
            if isinstance(state.phase, Closed) or state.read_closed:
                break
    except PeerError as exc:
        state = _fail(state, out, exc.reason, exc.detail)
    except Exception as exc:  # a bug must not hand the peer a Python traceback
        state = _fail(state, out, Reason.internal_error, f"{type(exc).__name__}: {exc}")
    return Step(state, b"".join(out.send), tuple(out.data), tuple(out.events), state.failure)


def _fail(state: State, out: Output, reason: Reason, detail: str) -> State:
    alert = ALERT_FOR[reason]
    if reason is not Reason.peer_alert and not state.write_closed:
        body = bytes([AlertLevel.fatal, alert])
        if state.write is not None:
            try:
                state = common.emit_protected(replace(state, ccs_pending=False), out, 21, body)
            except Exception:
                pass
        else:
            out.send.append(plaintext_records(ContentType.alert, body))
    failure = Failure(reason, detail, alert)
    return replace(
        state,
        phase=Closed(),
        failure=failure,
        read_closed=True,
        write_closed=True,
        buffer=b"",
        handshake_buffer=b"",
    )


def _application_data(state: State, records: list[Record], out: Output) -> tuple[State, int]:
    """The bulk fast path: the leading run of non-empty application-data records of an
    established connection, with one State built at the end instead of one per record.
    Returns the state and how many records it consumed; anything else (a handshake
    message, an alert, an empty record) is left to ``_record``, which opens it anew
    from the returned state."""
    read = state.read
    if read is None or not isinstance(state.phase, Established) or state.handshake_buffer:
        return state, 0
    read, contents = read.open_run(records, state.negotiated.own_record_size_limit)
    if not contents:
        return state, 0
    out.data.extend(contents)
    if state.empty_records or state.key_updates:
        state = replace(state, empty_records=0, key_updates=0)
    return common.with_record_state(state, read=read), len(contents)


def _record(state: State, record: Record, out: Output, now: float) -> State:
    if record.content_type == ContentType.change_cipher_spec:
        return _change_cipher_spec(state, record)
    if (
        record.content_type == ContentType.alert
        and state.read is not None
        and not isinstance(state.phase, Established)
    ):
        # A peer that could not process our hello answers with a plaintext alert;
        # report it as what it is rather than as an unexpected record.
        return _handshake_alert(state, record.body, out, unprotected=True)
    if state.read is None:
        if record.content_type == ContentType.application_data:
            raise PeerError(Reason.unexpected_message, "application data before keys")
        if len(record.body) > MAX_PLAINTEXT:  # §5.1: unprotected records carry at most 2^14
            raise PeerError(Reason.record_overflow, "plaintext record over 2^14 bytes")
        content_type, content = record.content_type, record.body
    else:
        read, content_type, content = state.read.open(record)
        state = common.with_record_state(state, read=read)
        own_limit = state.negotiated.own_record_size_limit
        if own_limit is not None and len(record.body) - read.params.tag_length > own_limit:
            # RFC 8449 §4: a protected record beyond the limit we advertised.
            raise PeerError(Reason.record_overflow, "record exceeds our record_size_limit")
    if content_type == ContentType.handshake:
        if not content:
            raise PeerError(Reason.unexpected_message, "empty handshake record")
        return _handshake_bytes(state, content, out, now)
    if state.handshake_buffer:
        # §5.1: handshake messages may not be interleaved with other record types.
        raise PeerError(Reason.unexpected_message, "record inside a fragmented handshake message")
    if content_type == ContentType.alert:
        return _alert(state, content, out)
    if content_type == ContentType.application_data:
        if not isinstance(state.phase, Established):
            raise PeerError(Reason.unexpected_message, "application data during the handshake")
        if not content:
            return _count_empty(state)
        out.data.append(content)
        if state.empty_records or state.key_updates:
            return replace(state, empty_records=0, key_updates=0)
        return state
    raise PeerError(Reason.unexpected_message, f"content type {content_type} in a record")


def _count_empty(state: State) -> State:
    if state.empty_records + 1 > common.MAX_EMPTY_RECORDS:
        raise PeerError(Reason.too_many_empty_records, "too many empty records in a row")
    return replace(state, empty_records=state.empty_records + 1)


def _change_cipher_spec(state: State, record: Record) -> State:
    # §5: a CCS of exactly 0x01, during the handshake only, is dropped unprocessed.
    if record.body != b"\x01":
        raise PeerError(Reason.unexpected_message, "malformed change_cipher_spec")
    if state.handshake_buffer:
        # §5.1: nothing may come between the fragments of a handshake message.
        raise PeerError(Reason.unexpected_message, "change_cipher_spec inside a handshake message")
    if isinstance(state.phase, Established) or state.ccs_received:
        raise PeerError(Reason.unexpected_message, "change_cipher_spec outside the handshake")
    if state.role == "server" and isinstance(state.phase, server13.AwaitClientHello):
        raise PeerError(Reason.unexpected_message, "change_cipher_spec before ClientHello")
    return replace(state, ccs_received=True)


def _handshake_alert(state: State, content: bytes, out: Output, unprotected: bool) -> State:
    """Any alert before the handshake completed ends it with a failure, close_notify
    and warnings included: the handshake cannot go on, and a caller waiting for it
    must see a terminal failure rather than a silent stall.  An unprotected alert
    after we have read keys is genuine from a peer that failed on our last flight
    before it had keys, but anyone on the path can inject one too."""
    if state.handshake_buffer:
        raise PeerError(Reason.unexpected_message, "alert inside a fragmented handshake message")
    if len(content) != 2:
        raise PeerError(Reason.decode_error, "alert is not two bytes")
    out.events.append(AlertReceived(content[0], content[1]))
    try:
        alert = AlertDescription(content[1])
    except ValueError:
        alert = AlertDescription.internal_error
    how = " unprotected" if unprotected else ""
    failure = Failure(
        Reason.peer_alert, f"peer sent {alert.name}{how} during the handshake", alert, True
    )
    return replace(
        state, phase=Closed(), failure=failure, read_closed=True, write_closed=True, buffer=b""
    )


def _alert(state: State, content: bytes, out: Output) -> State:
    if not isinstance(state.phase, Established):
        return _handshake_alert(state, content, out, unprotected=state.read is None)
    if len(content) != 2:
        raise PeerError(Reason.decode_error, "alert is not two bytes")
    level, description = content[0], content[1]
    out.events.append(AlertReceived(level, description))
    if description == AlertDescription.close_notify:
        out.events.append(CloseNotify())
        return replace(state, read_closed=True, handshake_buffer=b"")
    if description == AlertDescription.user_canceled and level == AlertLevel.warning:
        return _count_empty(state)
    # §6: in TLS 1.3 every other alert is fatal whatever its level says.
    try:
        alert = AlertDescription(description)
    except ValueError:
        alert = AlertDescription.internal_error
    failure = Failure(Reason.peer_alert, f"peer sent {alert.name}", alert, sent_by_peer=True)
    return replace(state, phase=Closed(), failure=failure, read_closed=True, write_closed=True)


def _handshake_bytes(state: State, content: bytes, out: Output, now: float) -> State:
    buffer = state.handshake_buffer + content
    while len(buffer) >= 4:
        if buffer[0] not in KNOWN_HANDSHAKE_TYPES:
            raise PeerError(Reason.unexpected_message, f"unknown handshake type {buffer[0]}")
        length = int.from_bytes(buffer[1:4], "big")
        if length > MAX_HANDSHAKE_MESSAGE:
            raise PeerError(Reason.record_overflow, "handshake message too large")
        if len(buffer) < 4 + length:
            break
        raw, buffer = buffer[: 4 + length], buffer[4 + length :]
        read_before = state.read
        if state.handshake_buffer:
            state = replace(state, handshake_buffer=b"")
        state = _dispatch(state, raw, out, now)
        if isinstance(state.phase, Closed):
            return state
        if buffer and state.read is not read_before:
            # §5.1: a key change must fall on a record boundary.
            raise PeerError(Reason.unexpected_message, "handshake data across a key change")
    if len(buffer) > MAX_HANDSHAKE_MESSAGE:
        raise PeerError(Reason.record_overflow, "handshake message too large")
    if buffer == state.handshake_buffer:
        return state
    return replace(state, handshake_buffer=buffer)


def _dispatch(state: State, raw: bytes, out: Output, now: float) -> State:
    message = read_handshake_body(raw[0], raw[4:])
    if isinstance(state.phase, Established):
        return _post_handshake(state, message, out, now)
    handler = TRANSITIONS.get((type(state.phase), type(message)))
    if handler is None:
        raise PeerError(
            Reason.unexpected_message,
            f"{type(message).__name__} while in {type(state.phase).__name__}",
        )
    return handler(state, message, raw, out, now)


def _post_handshake(state: State, message: m.HandshakeMessage, out: Output, now: float) -> State:
    if isinstance(message, m.KeyUpdate):
        assert state.read is not None
        if state.key_updates + 1 > common.MAX_KEY_UPDATES:
            # Each one costs us two key derivations and, if requested, a record.
            raise PeerError(Reason.unexpected_message, "too many KeyUpdates without data")
        state = replace(state, read=state.read.updated(), key_updates=state.key_updates + 1)
        out.events.append(KeyUpdated("read", message.request_update))
        if message.request_update and not state.write_closed:
            state = _send_key_update(state, out, request_peer=False)
        return state
    if isinstance(message, m.NewSessionTicket) and state.role == "client":
        out.events.append(
            SessionTicket(message.ticket_lifetime, message.ticket, _session(state, message, now))
        )
        return state
    raise PeerError(Reason.unexpected_message, f"{type(message).__name__} after the handshake")


def _session(state: State, ticket: m.NewSessionTicket, now: float) -> Session | None:
    """The resumable session a NewSessionTicket stands for (RFC 8446 §4.6.1)."""
    n = state.negotiated
    if n.suite is None or not n.resumption_master_secret or ticket.ticket_lifetime == 0:
        return None
    h = common.suite_parameters(n.suite).hash_name
    return Session(
        server_name=n.server_name,
        cipher_suite=n.suite,
        psk=key_schedule.resumption_psk(n.resumption_master_secret, ticket.ticket_nonce, h),
        ticket=ticket.ticket,
        ticket_age_add=ticket.ticket_age_add,
        lifetime=min(ticket.ticket_lifetime, 604800),
        received_at=now,
        alpn=n.alpn,
        peer_chain=n.peer_chain,
    )


# ---- outgoing ----------------------------------------------------------------------


def _require_open(state: State) -> None:
    if state.failure is not None:
        raise ValueError(f"connection failed: {state.failure}")
    if not isinstance(state.phase, Established):
        raise ValueError("the handshake is not complete")
    if state.write_closed:
        raise ValueError("the connection is closed for writing")


def _send_key_update(state: State, out: Output, request_peer: bool) -> State:
    state = common.emit_protected(
        state, out, ContentType.handshake, write_handshake(m.KeyUpdate(request_peer))
    )
    assert state.write is not None
    out.events.append(KeyUpdated("write", False))
    return replace(state, write=state.write.updated())


def send(state: State, data: bytes) -> tuple[State, bytes | bytearray]:
    """Protect application ``data`` (any bytes-like value; read, never kept); updates
    keys first when the AEAD limit is near.  The records come back as bytes or as a
    fresh ``bytearray`` nobody else holds."""
    _require_open(state)
    write = state.write
    assert write is not None
    limit = common.fragment_limit(state)
    records_needed = max(1, -(-len(data) // limit))
    if state.ccs_pending or write.seq + records_needed + 1 >= write.params.record_limit:
        # Something goes in front: the compatibility CCS, or a KeyUpdate.
        out = Output()
        if write.seq + records_needed + 1 >= write.params.record_limit:
            state = _send_key_update(state, out, request_peer=False)
        state = common.emit_protected(state, out, ContentType.application_data, data)
        return state, b"".join(out.send)
    # The usual case: the records alone, in one fresh buffer, no Output to collect them.
    write, records = write.seal_records(
        ContentType.application_data, data, limit, state.config.padding_block
    )
    return common.with_record_state(state, write=write), records


def key_update(state: State, request_peer: bool = False) -> tuple[State, bytes]:
    """Send a KeyUpdate (RFC 8446 §4.6.3) and switch our write key."""
    _require_open(state)
    out = Output()
    state = _send_key_update(state, out, request_peer)
    return state, b"".join(out.send)


def close(state: State) -> tuple[State, bytes]:
    """Send close_notify; reading stays possible until the peer closes too."""
    if state.write_closed:
        return state, b""
    out = Output()
    body = bytes([AlertLevel.warning, AlertDescription.close_notify])
    if state.write is not None:
        state = common.emit_protected(replace(state, ccs_pending=False), out, 21, body)
    else:
        out.send.append(plaintext_records(ContentType.alert, body))
    return replace(state, write_closed=True), b"".join(out.send)


def export_keying_material(state: State, label: bytes, context: bytes, length: int) -> bytes:
    """RFC 8446 §7.5 exporter (RFC 5705 interface)."""
    # Only once the peer's Finished verified: a server has the exporter secret one
    # flight earlier, before the client proved its keys or its certificate.
    if not isinstance(state.phase, Established) or not state.negotiated.exporter_master_secret:
        raise ValueError("the handshake is not complete")
    suite = state.negotiated.suite
    assert suite is not None
    return key_schedule.exporter(
        state.negotiated.exporter_master_secret,
        bytes(label),
        bytes(context),
        length,
        common.suite_parameters(suite).hash_name,
    )


def is_established(state: State) -> bool:
    return isinstance(state.phase, Established)


def info(state: State) -> dict[str, Any]:
    """What was negotiated, for logs and the CLI."""
    n = state.negotiated
    return {
        "role": state.role,
        "phase": type(state.phase).__name__,
        "version": "TLSv1.3" if n.suite else None,
        "cipher_suite": n.suite.name if n.suite else None,
        "group": n.group.name if n.group else None,
        "alpn_protocol": n.alpn.decode("ascii", "replace") if n.alpn else None,
        "server_name": n.server_name,
        "peer_signature_scheme": n.peer_signature_scheme.name if n.peer_signature_scheme else None,
        "own_signature_scheme": n.own_signature_scheme.name if n.own_signature_scheme else None,
        "hello_retry": n.hello_retry,
        "resumed": n.resumed,
        "peer_certificates": n.peer_chain,
        "failure": str(state.failure) if state.failure else None,
    }
