"""Parse TLS 1.3 handshake messages into the values of :mod:`tls.wire.messages`.

Every length is checked against what remains, trailing bytes are an error and a
duplicated extension is an ``illegal_parameter`` (RFC 8446 §4.2).  Failures raise
:class:`tls.failures.PeerError`, so the engine reports them with the right alert.

The parsers index the message bytes directly (a position and an end, every length
compared with what is left before it is used) rather than going through a reader
object, and each check comes in wire order, so the first fault in a message decides
the error.  Three errors cover every length fault: a length running past the end of
its enclosing vector, a vector shorter than its minimum and bytes left over.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from tls.failures import PeerError, Reason
from tls.wire import messages as m
from tls.wire.extension_type import ExtensionType as E
from tls.wire.handshake_type import HandshakeType as H


def _past() -> PeerError:
    return PeerError(Reason.decode_error, "length runs past the end")


def _short() -> PeerError:
    return PeerError(Reason.decode_error, "vector shorter than its minimum")


def _trailing() -> PeerError:
    return PeerError(Reason.decode_error, "trailing bytes")


def _illegal(why: str) -> PeerError:
    return PeerError(Reason.illegal_parameter, why)


_two_u16s = struct.Struct(">HH").unpack_from

# Unpackers of lists of big-endian 16-bit integers, by the list's length in bytes (the
# lengths real peers send are few: cipher suites, groups, signature schemes, versions).
_U16_UNPACKERS: dict[int, Callable[[bytes, int], tuple[int, ...]]] = {}


def _u16s(data: bytes, pos: int, length: int) -> tuple[int, ...]:
    """The ``length`` bytes at ``pos`` (known to be there) as 16-bit integers."""
    if length & 1:
        raise PeerError(Reason.decode_error, "list length is not a multiple of its items")
    unpack = _U16_UNPACKERS.get(length)
    if unpack is None:
        unpack = struct.Struct(f">{length >> 1}H").unpack_from
        if len(_U16_UNPACKERS) < 64:
            _U16_UNPACKERS[length] = unpack
    return unpack(data, pos)


def _vector(data: bytes, pos: int, end: int, width: int, minimum: int = 0) -> int:
    """Where the vector at ``pos`` ends: a ``width``-byte length (1 to 3), then that many
    bytes, all before ``end``.  ``_past`` if the length or the contents run past ``end``,
    ``_short`` if there are fewer than ``minimum`` bytes of contents."""
    start = pos + width
    if start > end:
        raise _past()
    if width == 2:
        length = data[pos] << 8 | data[pos + 1]
    elif width == 1:
        length = data[pos]
    else:
        length = data[pos] << 16 | data[pos + 1] << 8 | data[pos + 2]
    if length > end - start:
        raise _past()
    if length < minimum:
        raise _short()
    return start + length


def _u16_list(body: bytes) -> tuple[int, ...]:
    """All of ``body``: a 2-byte length, then at least one 16-bit integer."""
    stop = _vector(body, 0, len(body), 2, 2)
    values = _u16s(body, 2, stop - 2)
    if stop != len(body):
        raise _trailing()
    return values


# ---- extension bodies ---------------------------------------------------------------
# Each reader gets the whole body of one extension and must account for all of it.

_SERVER_NAME_ACK = m.ServerNameAck()


def _server_name(body: bytes, context: str) -> m.Extension:
    if context == "encrypted_extensions":
        if body:
            raise _trailing()
        return _SERVER_NAME_ACK
    n = len(body)
    end = _vector(body, 0, n, 2, 1)
    pos = 2
    host_name: bytes | None = None
    while pos < end:
        name_type = body[pos]
        stop = _vector(body, pos + 1, end, 2, 1)
        name = body[pos + 3 : stop]
        pos = stop
        if name_type != 0:
            raise _illegal("server_name type is not host_name")
        if host_name is not None:
            # RFC 6066 §3: at most one name of each type.
            raise _illegal("two host_name entries")
        host_name = name
    if end != n:
        raise _trailing()
    assert host_name is not None
    return m.ServerName(host_name)


def _key_share(body: bytes, context: str) -> m.Extension:
    n = len(body)
    if context == "hello_retry_request":
        if n < 2:
            raise _past()
        if n != 2:
            raise _trailing()
        return m.KeyShareHelloRetryRequest(body[0] << 8 | body[1])
    if context == "server_hello":
        if _vector(body, 2, n, 2, 1) != n:
            raise _trailing()
        return m.KeyShareServerHello(m.KeyShareEntry(body[0] << 8 | body[1], body[4:]))
    end = _vector(body, 0, n, 2)
    pos = 2
    entries = []
    entry = m.KeyShareEntry
    while pos < end:
        stop = _vector(body, pos + 2, end, 2, 1)  # group, then key_exchange<1..2^16-1>
        entries.append(entry(body[pos] << 8 | body[pos + 1], body[pos + 4 : stop]))
        pos = stop
    if end != n:
        raise _trailing()
    return m.KeyShareClientHello(tuple(entries))


def _supported_versions(body: bytes, context: str) -> m.Extension:
    n = len(body)
    if context == "client_hello":
        stop = _vector(body, 0, n, 1, 2)
        versions = _u16s(body, 1, stop - 1)
        if stop != n:
            raise _trailing()
        return m.SupportedVersionsClientHello(versions)
    if n < 2:
        raise _past()
    if n != 2:
        raise _trailing()
    return m.SupportedVersionsServerHello(body[0] << 8 | body[1])


def _alpn(body: bytes, context: str) -> m.Extension:
    n = len(body)
    end = _vector(body, 0, n, 2, 2)
    pos = 2
    protocols = []
    while pos < end:
        stop = _vector(body, pos, end, 1, 1)
        protocols.append(body[pos + 1 : stop])
        pos = stop
    if end != n:
        raise _trailing()
    # RFC 7301 §3.1: the server answers with exactly one protocol.
    if context != "client_hello" and len(protocols) != 1:
        raise _illegal("ALPN answer must name one protocol")
    return m.ApplicationLayerProtocolNegotiation(tuple(protocols))


def _pre_shared_key(body: bytes, context: str) -> m.Extension:
    n = len(body)
    if context == "server_hello":
        if n < 2:
            raise _past()
        if n != 2:
            raise _trailing()
        return m.PreSharedKeyServerHello(body[0] << 8 | body[1])
    end = _vector(body, 0, n, 2, 7)
    pos = 2
    identities = []
    while pos < end:
        identity_end = _vector(body, pos, end, 2, 1)
        if end - identity_end < 4:
            raise _past()
        age = int.from_bytes(body[identity_end : identity_end + 4], "big")
        identities.append(m.PskIdentity(body[pos + 2 : identity_end], age))
        pos = identity_end + 4
    stop = _vector(body, end, n, 2, 33)
    pos = end + 2
    binders = []
    while pos < stop:
        binder_end = _vector(body, pos, stop, 1, 32)
        binders.append(body[pos + 1 : binder_end])
        pos = binder_end
    if len(binders) != len(identities):
        raise _illegal("one binder per PSK identity")
    if stop != n:
        raise _trailing()
    return m.PreSharedKeyClientHello(tuple(identities), tuple(binders))


def _supported_groups(body: bytes, context: str) -> m.Extension:
    return m.SupportedGroups(_u16_list(body))


def _signature_algorithms(body: bytes, context: str) -> m.Extension:
    return m.SignatureAlgorithms(_u16_list(body))


def _signature_algorithms_cert(body: bytes, context: str) -> m.Extension:
    return m.SignatureAlgorithmsCert(_u16_list(body))


def _cookie(body: bytes, context: str) -> m.Extension:
    if _vector(body, 0, len(body), 2, 1) != len(body):
        raise _trailing()
    return m.Cookie(body[2:])


def _record_size_limit(body: bytes, context: str) -> m.Extension:
    if len(body) < 2:
        raise _past()
    limit = body[0] << 8 | body[1]
    if limit < 64:  # RFC 8449 §4
        raise _illegal("record_size_limit below 64")
    if len(body) != 2:
        raise _trailing()
    return m.RecordSizeLimit(limit)


def _psk_key_exchange_modes(body: bytes, context: str) -> m.Extension:
    if _vector(body, 0, len(body), 1, 1) != len(body):
        raise _trailing()
    return m.PskKeyExchangeModes(tuple(body[1:]))


def _padding(body: bytes, context: str) -> m.Extension:
    # RFC 7685 asks for zero bytes; anything else is kept raw and ignored.
    return m.Padding(len(body)) if not body.strip(b"\0") else m.RawExtension(E.padding, body)


_EXTENSION_READERS: dict[int, Callable[[bytes, str], m.Extension]] = {
    int(E.server_name): _server_name,
    int(E.supported_groups): _supported_groups,
    int(E.signature_algorithms): _signature_algorithms,
    int(E.signature_algorithms_cert): _signature_algorithms_cert,
    int(E.key_share): _key_share,
    int(E.supported_versions): _supported_versions,
    int(E.cookie): _cookie,
    int(E.application_layer_protocol_negotiation): _alpn,
    int(E.record_size_limit): _record_size_limit,
    int(E.pre_shared_key): _pre_shared_key,
    int(E.psk_key_exchange_modes): _psk_key_exchange_modes,
    int(E.padding): _padding,
}
_PRE_SHARED_KEY = int(E.pre_shared_key)


def read_extensions(
    data: bytes, pos: int, end: int, context: str
) -> tuple[tuple[m.Extension, ...], int]:
    """The extensions block at ``pos`` (a 2-byte length and the entries, all before
    ``end``) and the position after it."""
    stop = _vector(data, pos, end, 2)
    pos += 2
    if pos == stop:
        return (), stop
    readers = _EXTENSION_READERS
    psk_last = context == "client_hello"
    psk_seen = False
    seen: set[int] = set()
    out: list[m.Extension] = []
    while pos < stop:
        if stop - pos < 4:
            raise _past()
        ext_type, length = _two_u16s(data, pos)
        pos += 4
        if length > stop - pos:
            raise _past()
        body = data[pos : pos + length]
        pos += length
        if ext_type in seen:
            raise _illegal(f"duplicate extension {ext_type}")
        if psk_seen:
            # §4.2.11: pre_shared_key is the last extension of a ClientHello.
            raise _illegal("extension after pre_shared_key")
        seen.add(ext_type)
        if psk_last and ext_type == _PRE_SHARED_KEY:
            psk_seen = True
        reader = readers.get(ext_type)
        out.append(m.RawExtension(ext_type, body) if reader is None else reader(body, context))
    return tuple(out), stop


# ---- messages -------------------------------------------------------------------
# Each reader gets the whole body of one message and must account for all of it.


def _client_hello(d: bytes) -> m.HandshakeMessage:
    n = len(d)
    if n < 34:  # legacy_version, random
        raise _past()
    sid_end = _vector(d, 34, n, 1)
    if d[34] > 32:
        raise PeerError(Reason.decode_error, "legacy_session_id longer than 32")
    pos = _vector(d, sid_end, n, 2, 2)
    suites = _u16s(d, sid_end + 2, pos - sid_end - 2)
    compression_end = _vector(d, pos, n, 1, 1)
    compression = d[pos + 1 : compression_end]
    if compression_end == n:
        extensions: tuple[m.Extension, ...] = ()  # a hello without any extensions block
    else:
        extensions, pos = read_extensions(d, compression_end, n, "client_hello")
        if pos != n:
            raise _trailing()
    return m.ClientHello(d[0] << 8 | d[1], d[2:34], d[35:sid_end], suites, compression, extensions)


def _server_hello(d: bytes) -> m.HandshakeMessage:
    n = len(d)
    if n < 34:  # legacy_version, random
        raise _past()
    sid_end = _vector(d, 34, n, 1)
    if d[34] > 32:
        raise PeerError(Reason.decode_error, "legacy_session_id_echo longer than 32")
    if n - sid_end < 3:
        raise _past()
    legacy_version = d[0] << 8 | d[1]
    random = d[2:34]
    session_id = d[35:sid_end]
    suite = d[sid_end] << 8 | d[sid_end + 1]
    compression = d[sid_end + 2]
    pos = sid_end + 3
    if random == m.HELLO_RETRY_REQUEST_RANDOM:
        ext, pos = read_extensions(d, pos, n, "hello_retry_request")
        if pos != n:
            raise _trailing()
        return m.HelloRetryRequest(legacy_version, session_id, suite, compression, ext)
    if pos == n:
        ext = ()  # a hello without any extensions block
    else:
        ext, pos = read_extensions(d, pos, n, "server_hello")
        if pos != n:
            raise _trailing()
    return m.ServerHello(legacy_version, random, session_id, suite, compression, ext)


def _encrypted_extensions(d: bytes) -> m.HandshakeMessage:
    ext, pos = read_extensions(d, 0, len(d), "encrypted_extensions")
    if pos != len(d):
        raise _trailing()
    return m.EncryptedExtensions(ext)


def _certificate_request(d: bytes) -> m.HandshakeMessage:
    n = len(d)
    pos = _vector(d, 0, n, 1)
    ext, end = read_extensions(d, pos, n, "certificate_request")
    if end != n:
        raise _trailing()
    return m.CertificateRequest(d[1:pos], ext)


def _certificate(d: bytes) -> m.HandshakeMessage:
    n = len(d)
    pos = _vector(d, 0, n, 1)
    context = d[1:pos]
    end = _vector(d, pos, n, 3)
    pos += 3
    entries = []
    entry = m.CertificateEntry
    while pos < end:
        data_end = _vector(d, pos, end, 3, 1)
        cert_data = d[pos + 3 : data_end]
        ext, pos = read_extensions(d, data_end, end, "certificate")
        entries.append(entry(cert_data, ext))
    if end != n:
        raise _trailing()
    return m.Certificate(context, tuple(entries))


def _certificate_verify(d: bytes) -> m.HandshakeMessage:
    if _vector(d, 2, len(d), 2) != len(d):
        raise _trailing()
    return m.CertificateVerify(d[0] << 8 | d[1], d[4:])


def _finished(d: bytes) -> m.HandshakeMessage:
    return m.Finished(d)


def _new_session_ticket(d: bytes) -> m.HandshakeMessage:
    n = len(d)
    if n < 8:  # lifetime, age_add
        raise _past()
    pos = _vector(d, 8, n, 1)
    nonce = d[9:pos]
    ticket_end = _vector(d, pos, n, 2, 1)
    ticket = d[pos + 2 : ticket_end]
    ext, pos = read_extensions(d, ticket_end, n, "new_session_ticket")
    if pos != n:
        raise _trailing()
    return m.NewSessionTicket(
        int.from_bytes(d[:4], "big"), int.from_bytes(d[4:8], "big"), nonce, ticket, ext
    )


def _end_of_early_data(d: bytes) -> m.HandshakeMessage:
    if d:
        raise _trailing()
    return m.EndOfEarlyData()


def _key_update(d: bytes) -> m.HandshakeMessage:
    if not d:
        raise _past()
    if d[0] > 1:
        raise _illegal("KeyUpdate value is neither 0 nor 1")
    if len(d) != 1:
        raise _trailing()
    return m.KeyUpdate(bool(d[0]))


_MESSAGE_READERS: dict[int, Callable[[bytes], m.HandshakeMessage]] = {
    int(H.client_hello): _client_hello,
    int(H.server_hello): _server_hello,
    int(H.encrypted_extensions): _encrypted_extensions,
    int(H.certificate_request): _certificate_request,
    int(H.certificate): _certificate,
    int(H.certificate_verify): _certificate_verify,
    int(H.finished): _finished,
    int(H.new_session_ticket): _new_session_ticket,
    int(H.end_of_early_data): _end_of_early_data,
    int(H.key_update): _key_update,
}


def read_handshake_body(msg_type: int, body: bytes) -> m.HandshakeMessage:
    """Parse one handshake message body of type ``msg_type``."""
    reader = _MESSAGE_READERS.get(msg_type)
    if reader is None:
        raise PeerError(Reason.unexpected_message, f"unknown handshake type {msg_type}")
    return reader(body if type(body) is bytes else bytes(body))


def read_handshake(data: bytes) -> m.HandshakeMessage:
    """Parse one complete handshake message (4-byte header included)."""
    data = bytes(data)
    n = len(data)
    if n < 4 or (data[1] << 16 | data[2] << 8 | data[3]) > n - 4:
        raise _past()
    if (data[1] << 16 | data[2] << 8 | data[3]) != n - 4:
        raise _trailing()
    return read_handshake_body(data[0], data[4:])
