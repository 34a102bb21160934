"""What both TLS 1.3 roles share: the connection state, output helpers, signatures.

Everything here is pure.  Handlers receive a per-call :class:`Output` collector
(created and drained inside one ``engine.handle`` call) and return a new
:class:`State`; the state they were given is never changed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from tls import crypto, key_schedule
from tls.events import Event
from tls.failures import Failure, PeerError, Reason
from tls.record import MAX_PLAINTEXT, Protection, header, plaintext_records
from tls.wire.cipher_suite import SUITES, CipherSuite, SuiteParameters
from tls.wire.content_type import ContentType
from tls.wire.handshake_type import HandshakeType
from tls.wire.named_group import NamedGroup
from tls.wire.signature_scheme import SCHEMES, SignatureScheme

CHANGE_CIPHER_SPEC = header(ContentType.change_cipher_spec, 1) + b"\x01"
MAX_EMPTY_RECORDS = 32  # consecutive empty/warning records tolerated (DoS guard)
MAX_KEY_UPDATES = 32  # KeyUpdates tolerated without application data between them


class Negotiated(NamedTuple):
    """What the handshake has settled so far; the basis of ``engine.info``.  A named
    tuple, cheap to rebuild (the handshake updates it several times); ``repr`` leaves
    out the two secrets."""

    suite: CipherSuite | None = None
    group: NamedGroup | None = None
    alpn: bytes | None = None
    server_name: str | None = None
    peer_chain: tuple[bytes, ...] = ()
    peer_signature_scheme: SignatureScheme | None = None
    own_signature_scheme: SignatureScheme | None = None
    peer_record_size_limit: int | None = None
    # The limit we advertised, once the peer took part in RFC 8449 (enforced on receive).
    own_record_size_limit: int | None = None
    hello_retry: bool = False
    resumed: bool = False
    exporter_master_secret: bytes = b""
    resumption_master_secret: bytes = b""

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={value!r}"
            for name, value in zip(self._fields, self, strict=True)
            if not name.endswith("_secret")
        )
        return f"Negotiated({shown})"


@dataclass(frozen=True, slots=True)
class Established:
    """The handshake is over; application data flows."""


@dataclass(frozen=True, slots=True)
class Closed:
    """Nothing more is read or written (after a fatal alert or both close_notify)."""


class State(NamedTuple):
    """One connection's whole state.  An immutable tuple rather than a frozen dataclass:
    a new one is built for every record sent or received, and a tuple costs a fifth as
    much to build.  ``repr`` leaves out the DRBG, the keys and the buffers."""

    role: str  # "client" | "server"
    config: Any
    phase: Any
    drbg: Any
    negotiated: Negotiated = Negotiated()
    read: Protection | None = None
    write: Protection | None = None
    buffer: bytes = b""  # incomplete record
    handshake_buffer: bytes = b""  # incomplete handshake message
    ccs_pending: bool = False  # RFC 8446 §D.4: send CCS before our first protected record
    ccs_sent: bool = False
    ccs_received: bool = False
    empty_records: int = 0
    read_closed: bool = False
    write_closed: bool = False
    failure: Failure | None = None
    key_updates: int = 0  # received since the last application data (RFC 8446 §4.6.3)

    def __repr__(self) -> str:
        return (
            f"State(role={self.role!r}, phase={self.phase!r}, negotiated={self.negotiated!r}, "
            f"read_closed={self.read_closed}, write_closed={self.write_closed}, "
            f"failure={self.failure!r})"
        )


_INIT_FIELDS: dict[type, frozenset[str]] = {}
_FIELD_INDEX: dict[type, dict[str, int]] = {}
_new_tuple = tuple.__new__  # a named tuple built without its Python-level __new__


def replace(obj: Any, /, **changes: Any) -> Any:
    """A copy of ``obj`` with ``changes``: for the engine's named tuples (State, Protection,
    Negotiated, Keys) in one pass, for its frozen dataclasses (phases, messages) a third
    faster than ``dataclasses.replace``; a handshake makes some forty of these."""
    cls = type(obj)
    index = _FIELD_INDEX.get(cls)
    if index is None and hasattr(cls, "_fields"):
        index = _FIELD_INDEX[cls] = {name: i for i, name in enumerate(cls._fields)}
    if index is not None:  # State, Protection, Negotiated, Keys: named tuples
        # A handshake changes one or two of a tuple's 10-17 fields at a time: copy the
        # tuple into a list and overwrite just those.
        values = list(obj)
        try:
            for name, value in changes.items():
                values[index[name]] = value
        except KeyError:
            unknown = set(changes).difference(index)
            raise TypeError(f"{cls.__name__} has no fields {sorted(unknown)}") from None
        return _new_tuple(cls, values)
    names = _INIT_FIELDS.get(cls)
    if names is None:
        names = frozenset(f.name for f in dataclasses.fields(cls) if f.init)
        _INIT_FIELDS[cls] = names
    if not names.issuperset(changes):
        raise TypeError(f"{cls.__name__} has no fields {sorted(set(changes) - names)}")
    for name in names:
        if name not in changes:
            changes[name] = getattr(obj, name)
    return cls(**changes)


_KEEP: Any = object()


def with_record_state(
    s: State, *, read: Any = _KEEP, write: Any = _KEEP, buffer: Any = _KEEP
) -> State:
    """``replace`` for the fields every record changes, spelled out because it runs per
    record and is twice as fast as the generic version."""
    return _new_tuple(
        State,
        (
            s.role,
            s.config,
            s.phase,
            s.drbg,
            s.negotiated,
            s.read if read is _KEEP else read,
            s.write if write is _KEEP else write,
            s.buffer if buffer is _KEEP else buffer,
            s.handshake_buffer,
            s.ccs_pending,
            s.ccs_sent,
            s.ccs_received,
            s.empty_records,
            s.read_closed,
            s.write_closed,
            s.failure,
            s.key_updates,
        ),
    )


@dataclass(slots=True)
class Output:
    """Collects what one ``handle`` call produces (local to that call)."""

    send: list[bytes | bytearray] = field(default_factory=list)
    data: list[bytes] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def random_bytes(state: State, n: int) -> tuple[State, bytes]:
    drbg, out = state.drbg.generate(n)
    return replace(state, drbg=drbg), out


def sign(state: State, key: Any, content: bytes, algorithm: str) -> tuple[State, bytes]:
    """``key``'s signature of ``content``, its randomness (RSA-PSS salt, RSA blinding)
    drawn from the connection's DRBG: the same state signs the same way every time,
    and the key object, shared by every connection of a config, is left unchanged."""
    drbg = state.drbg

    def rng_bytes(n: int) -> bytes:
        nonlocal drbg
        drbg, out = drbg.generate(n)
        return bytes(out)

    signature = key.sign(content, algorithm, rng_bytes=rng_bytes)
    return replace(state, drbg=drbg), signature


def suite_parameters(suite: CipherSuite | None) -> SuiteParameters:
    if suite is None:
        raise ValueError("no cipher suite negotiated yet")
    return SUITES[suite]


def fragment_limit(state: State) -> int:
    """Largest content per protected record (RFC 8449: the limit counts the type byte)."""
    limit = state.negotiated.peer_record_size_limit
    return MAX_PLAINTEXT if limit is None else min(MAX_PLAINTEXT, limit - 1)


def emit_protected(state: State, out: Output, content_type: int, data: bytes) -> State:
    """``data`` as protected records under the current write key."""
    if state.ccs_pending:
        out.send.append(CHANGE_CIPHER_SPEC)
        state = replace(state, ccs_pending=False, ccs_sent=True)
    write = state.write
    assert write is not None
    write, records = write.seal_records(
        content_type, data, fragment_limit(state), state.config.padding_block
    )
    out.send.append(records)
    return with_record_state(state, write=write)


def emit_handshake(state: State, out: Output, messages: bytes) -> State:
    if state.write is None:
        out.send.append(plaintext_records(ContentType.handshake, messages))
        return state
    return emit_protected(state, out, ContentType.handshake, messages)


def emit_ccs(state: State, out: Output) -> State:
    """A middlebox-compatibility ChangeCipherSpec, at most once per connection."""
    if state.ccs_sent:
        return state
    out.send.append(CHANGE_CIPHER_SPEC)
    return replace(state, ccs_sent=True, ccs_pending=False)


# ---- transcript --------------------------------------------------------------------


def transcript_hash(transcript: bytes, hash_name: str) -> bytes:
    return crypto.digest(hash_name, transcript)


def hello_retry_transcript(client_hello1: bytes, hash_name: str) -> bytes:
    """RFC 8446 §4.4.1: ClientHello1 is replaced by a synthetic message_hash message."""
    digest = crypto.digest(hash_name, client_hello1)
    return bytes([HandshakeType.message_hash, 0, 0, len(digest)]) + digest


# ---- CertificateVerify (RFC 8446 §4.4.3) ------------------------------------------


def certificate_verify_content(role_sending: str, transcript_digest: bytes) -> bytes:
    context = (
        b"TLS 1.3, server CertificateVerify"
        if role_sending == "server"
        else (b"TLS 1.3, client CertificateVerify")
    )
    return b"\x20" * 64 + context + b"\x00" + transcript_digest


def scheme_fits_key(scheme: SignatureScheme, algorithm: str, curve: str | None) -> bool:
    params = SCHEMES.get(scheme)
    if params is None or params.key_algorithm != algorithm:
        return False
    return params.curve is None or params.curve == curve


def verify_certificate_verify(
    key: Any, scheme: int, signature: bytes, content: bytes, offered: tuple[int, ...]
) -> SignatureScheme:
    """Check the peer's CertificateVerify; returns the scheme it used."""
    if scheme not in offered:
        raise PeerError(Reason.illegal_parameter, f"signature scheme {scheme:#06x} not offered")
    sig_scheme = SignatureScheme(scheme)
    if not scheme_fits_key(sig_scheme, key.algorithm, getattr(key, "curve", None)):
        raise PeerError(Reason.illegal_parameter, f"{sig_scheme.name} does not fit the key")
    try:
        ok = key.verify(signature, content, SCHEMES[sig_scheme].x509_name)
    except Exception:
        ok = False
    if not ok:
        raise PeerError(Reason.decrypt_error, "CertificateVerify signature is invalid")
    return sig_scheme


def finished_matches(
    base_key: bytes, transcript: bytes, hash_name: str, verify_data: bytes
) -> None:
    expected = key_schedule.finished_verify_data(
        base_key, transcript_hash(transcript, hash_name), hash_name
    )
    if len(verify_data) != len(expected):
        raise PeerError(Reason.decode_error, "Finished has the wrong length")
    if not crypto.constant_time_equal(expected, verify_data):
        raise PeerError(Reason.decrypt_error, "Finished does not verify")


def resumption_master_secret(master: bytes, transcript: bytes, hash_name: str) -> bytes:
    """RFC 8446 §7.1: from the Master Secret, over the transcript up to the client Finished."""
    th = transcript_hash(transcript, hash_name)
    return key_schedule.derive_secret(master, b"res master", th, hash_name)


def application_secrets(
    master: bytes, transcript: bytes, hash_name: str
) -> tuple[bytes, bytes, bytes]:
    """client/server application traffic secrets and the exporter master secret, from
    the Master Secret (derived once by the caller, which also needs it for resumption)."""
    th = transcript_hash(transcript, hash_name)
    return (
        key_schedule.derive_secret(master, b"c ap traffic", th, hash_name),
        key_schedule.derive_secret(master, b"s ap traffic", th, hash_name),
        key_schedule.derive_secret(master, b"exp master", th, hash_name),
    )
