"""Parse TLS 1.3 handshake messages into the values of :mod:`tls.wire.messages`.

Every length is checked against what remains, trailing bytes are an error and a
duplicated extension is an ``illegal_parameter`` (RFC 8446 §4.2).  Failures raise
:class:`tls.failures.PeerError`, so the engine reports them with the right alert.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from tls.failures import PeerError, Reason
from tls.wire import messages as m
from tls.wire.extension_type import ExtensionType as E
from tls.wire.handshake_type import HandshakeType as H


class Cursor:
    """A bounds-checked reader over a byte string."""

    __slots__ = ("data", "pos", "end")

    def __init__(self, data: bytes, pos: int = 0, end: int | None = None) -> None:
        self.data = data
        self.pos = pos
        self.end = len(data) if end is None else end

    def remaining(self) -> int:
        return self.end - self.pos

    def take(self, n: int) -> bytes:
        if n > self.end - self.pos:
            raise PeerError(Reason.decode_error, "length runs past the end")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def uint(self, width: int) -> int:
        return int.from_bytes(self.take(width), "big")

    def vector(self, width: int, minimum: int = 0) -> bytes:
        body = self.take(self.uint(width))
        if len(body) < minimum:
            raise PeerError(Reason.decode_error, "vector shorter than its minimum")
        return body

    def sub(self, width: int, minimum: int = 0) -> Cursor:
        body = self.vector(width, minimum)
        return Cursor(body)

    def done(self) -> None:
        if self.pos != self.end:
            raise PeerError(Reason.decode_error, "trailing bytes")


_UINT_FORMAT = {1: "B", 2: "H", 4: "I", 8: "Q"}


def _uints(body: bytes, width: int) -> tuple[int, ...]:
    if len(body) % width:
        raise PeerError(Reason.decode_error, "list length is not a multiple of its items")
    return struct.unpack(f">{len(body) // width}{_UINT_FORMAT[width]}", body)


# ---- extension bodies ---------------------------------------------------------------


def _server_name(c: Cursor, context: str) -> m.Extension:
    if context == "encrypted_extensions":
        c.done()
        return m.ServerNameAck()
    names = c.sub(2, 1)
    host_name: bytes | None = None
    while names.remaining():
        name_type = names.uint(1)
        name = names.vector(2, 1)
        if name_type != 0:
            raise PeerError(Reason.illegal_parameter, "server_name type is not host_name")
        if host_name is not None:
            # RFC 6066 §3: at most one name of each type.
            raise PeerError(Reason.illegal_parameter, "two host_name entries")
        host_name = name
    c.done()
    assert host_name is not None
    return m.ServerName(host_name)


def _key_share(c: Cursor, context: str) -> m.Extension:
    if context == "hello_retry_request":
        out: m.Extension = m.KeyShareHelloRetryRequest(c.uint(2))
    elif context == "server_hello":
        out = m.KeyShareServerHello(m.KeyShareEntry(c.uint(2), c.vector(2, 1)))
    else:
        shares = c.sub(2)
        entries = []
        while shares.remaining():
            entries.append(m.KeyShareEntry(shares.uint(2), shares.vector(2, 1)))
        out = m.KeyShareClientHello(tuple(entries))
    c.done()
    return out


def _supported_versions(c: Cursor, context: str) -> m.Extension:
    if context == "client_hello":
        out: m.Extension = m.SupportedVersionsClientHello(_uints(c.vector(1, 2), 2))
    else:
        out = m.SupportedVersionsServerHello(c.uint(2))
    c.done()
    return out


def _alpn(c: Cursor, context: str) -> m.Extension:
    names = c.sub(2, 2)
    protocols = []
    while names.remaining():
        protocols.append(names.vector(1, 1))
    c.done()
    # RFC 7301 §3.1: the server answers with exactly one protocol.
    if context != "client_hello" and len(protocols) != 1:
        raise PeerError(Reason.illegal_parameter, "ALPN answer must name one protocol")
    return m.ApplicationLayerProtocolNegotiation(tuple(protocols))


def _pre_shared_key(c: Cursor, context: str) -> m.Extension:
    if context == "server_hello":
        out: m.Extension = m.PreSharedKeyServerHello(c.uint(2))
    else:
        ids = c.sub(2, 7)
        identities = []
        while ids.remaining():
            identities.append(m.PskIdentity(ids.vector(2, 1), ids.uint(4)))
        binder_list = c.sub(2, 33)
        binders = []
        while binder_list.remaining():
            binders.append(binder_list.vector(1, 32))
        if len(binders) != len(identities):
            raise PeerError(Reason.illegal_parameter, "one binder per PSK identity")
        out = m.PreSharedKeyClientHello(tuple(identities), tuple(binders))
    c.done()
    return out


def _simple(builder: Callable[[Cursor], m.Extension]) -> Callable[[Cursor, str], m.Extension]:
    def parse(c: Cursor, context: str) -> m.Extension:
        out = builder(c)
        c.done()
        return out

    return parse


def _record_size_limit(c: Cursor) -> m.Extension:
    limit = c.uint(2)
    if limit < 64:  # RFC 8449 §4
        raise PeerError(Reason.illegal_parameter, "record_size_limit below 64")
    return m.RecordSizeLimit(limit)


_EXTENSION_READERS: dict[int, Callable[[Cursor, str], m.Extension]] = {
    E.server_name: _server_name,
    E.supported_groups: _simple(lambda c: m.SupportedGroups(_uints(c.vector(2, 2), 2))),
    E.signature_algorithms: _simple(lambda c: m.SignatureAlgorithms(_uints(c.vector(2, 2), 2))),
    E.signature_algorithms_cert: _simple(
        lambda c: m.SignatureAlgorithmsCert(_uints(c.vector(2, 2), 2))
    ),
    E.key_share: _key_share,
    E.supported_versions: _supported_versions,
    E.cookie: _simple(lambda c: m.Cookie(c.vector(2, 1))),
    E.application_layer_protocol_negotiation: _alpn,
    E.record_size_limit: _simple(_record_size_limit),
    E.pre_shared_key: _pre_shared_key,
    E.psk_key_exchange_modes: _simple(lambda c: m.PskKeyExchangeModes(tuple(c.vector(1, 1)))),
}


def _padding(body: bytes) -> m.Extension:
    # RFC 7685 asks for zero bytes; anything else is kept raw and ignored.
    return m.Padding(len(body)) if not body.strip(b"\0") else m.RawExtension(E.padding, body)


def read_extensions(c: Cursor, context: str) -> tuple[m.Extension, ...]:
    """The extensions block at ``c`` (a 2-byte length and the entries)."""
    if context in ("server_hello", "client_hello") and not c.remaining():
        return ()  # a hello without any extensions block at all
    block = c.sub(2)
    seen: set[int] = set()
    out: list[m.Extension] = []
    while block.remaining():
        ext_type = block.uint(2)
        body = block.vector(2)
        if ext_type in seen:
            raise PeerError(Reason.illegal_parameter, f"duplicate extension {ext_type}")
        if E.pre_shared_key in seen and context == "client_hello":
            # §4.2.11: pre_shared_key is the last extension of a ClientHello.
            raise PeerError(Reason.illegal_parameter, "extension after pre_shared_key")
        seen.add(ext_type)
        if ext_type == E.padding:
            out.append(_padding(body))
            continue
        reader = _EXTENSION_READERS.get(ext_type)
        if reader is None:
            out.append(m.RawExtension(ext_type, body))
        else:
            out.append(reader(Cursor(body), context))
    return tuple(out)


# ---- messages -------------------------------------------------------------------


def _client_hello(c: Cursor) -> m.HandshakeMessage:
    legacy_version = c.uint(2)
    random = c.take(32)
    session_id = c.vector(1)
    if len(session_id) > 32:
        raise PeerError(Reason.decode_error, "legacy_session_id longer than 32")
    suites = _uints(c.vector(2, 2), 2)
    compression = c.vector(1, 1)
    extensions = read_extensions(c, "client_hello")
    return m.ClientHello(legacy_version, random, session_id, suites, compression, extensions)


def _server_hello(c: Cursor) -> m.HandshakeMessage:
    legacy_version = c.uint(2)
    random = c.take(32)
    session_id = c.vector(1)
    if len(session_id) > 32:
        raise PeerError(Reason.decode_error, "legacy_session_id_echo longer than 32")
    suite = c.uint(2)
    compression = c.uint(1)
    if random == m.HELLO_RETRY_REQUEST_RANDOM:
        ext = read_extensions(c, "hello_retry_request")
        return m.HelloRetryRequest(legacy_version, session_id, suite, compression, ext)
    ext = read_extensions(c, "server_hello")
    return m.ServerHello(legacy_version, random, session_id, suite, compression, ext)


def _certificate(c: Cursor) -> m.HandshakeMessage:
    context = c.vector(1)
    entries_c = c.sub(3)
    entries = []
    while entries_c.remaining():
        cert_data = entries_c.vector(3, 1)
        entries.append(m.CertificateEntry(cert_data, read_extensions(entries_c, "certificate")))
    return m.Certificate(context, tuple(entries))


def _key_update(c: Cursor) -> m.HandshakeMessage:
    value = c.uint(1)
    if value > 1:
        raise PeerError(Reason.illegal_parameter, "KeyUpdate value is neither 0 nor 1")
    return m.KeyUpdate(bool(value))


def _new_session_ticket(c: Cursor) -> m.HandshakeMessage:
    return m.NewSessionTicket(
        c.uint(4), c.uint(4), c.vector(1), c.vector(2, 1), read_extensions(c, "new_session_ticket")
    )


_MESSAGE_READERS: dict[int, Callable[[Cursor], m.HandshakeMessage]] = {
    H.client_hello: _client_hello,
    H.server_hello: _server_hello,
    H.encrypted_extensions: lambda c: m.EncryptedExtensions(
        read_extensions(c, "encrypted_extensions")
    ),
    H.certificate_request: lambda c: m.CertificateRequest(
        c.vector(1), read_extensions(c, "certificate_request")
    ),
    H.certificate: _certificate,
    H.certificate_verify: lambda c: m.CertificateVerify(c.uint(2), c.vector(2)),
    H.finished: lambda c: m.Finished(c.take(c.remaining())),
    H.new_session_ticket: _new_session_ticket,
    H.end_of_early_data: lambda c: m.EndOfEarlyData(),
    H.key_update: _key_update,
}


def read_handshake_body(msg_type: int, body: bytes) -> m.HandshakeMessage:
    """Parse one handshake message body of type ``msg_type``."""
    reader = _MESSAGE_READERS.get(msg_type)
    if reader is None:
        raise PeerError(Reason.unexpected_message, f"unknown handshake type {msg_type}")
    c = Cursor(bytes(body))
    message = reader(c)
    c.done()
    return message


def read_handshake(data: bytes) -> m.HandshakeMessage:
    """Parse one complete handshake message (4-byte header included)."""
    c = Cursor(bytes(data))
    msg_type = c.uint(1)
    body = c.vector(3)
    c.done()
    return read_handshake_body(msg_type, body)
