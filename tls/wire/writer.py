"""Serialise the values of :mod:`tls.wire.messages` (RFC 8446 §4).

The inverse of :mod:`tls.wire.reader`: ``write(read(b)) == b`` for every accepted ``b``.

Each extension class has one writer that returns the whole extension (type, length and
body) and each message one writer that returns its body; they pack the fixed fields
with :mod:`struct` and check each length against its field's width as they go.  A
length that does not fit raises ValueError, an integer field out of range the error
of ``int.to_bytes`` (OverflowError).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from tls.wire import messages as m
from tls.wire.extension_type import ExtensionType as E
from tls.wire.handshake_type import HandshakeType as H

_pack = struct.pack
_u16 = struct.Struct(">H").pack


def _too_long(length: int, width: int) -> ValueError:
    return ValueError(f"vector of {length} bytes does not fit a {width}-byte length")


def vector(width: int, body: bytes) -> bytes:
    if len(body) >= 1 << (8 * width):
        raise _too_long(len(body), width)
    return len(body).to_bytes(width, "big") + body


_U16_PACKERS: dict[int, Callable[..., bytes]] = {}


def _u16s(values: tuple[int, ...]) -> bytes:
    count = len(values)
    pack = _U16_PACKERS.get(count)
    if pack is None:
        pack = struct.Struct(f">{count}H").pack
        if len(_U16_PACKERS) < 64:
            _U16_PACKERS[count] = pack
    try:
        return pack(*values)
    except struct.error:
        # Out of range or not an integer: the error int.to_bytes gives.
        return b"".join(v.to_bytes(2, "big") for v in values)


# ---- extensions -----------------------------------------------------------------
# Each writer returns the whole extension: its 2-byte type, 2-byte length and body.


_SERVER_NAME = int(E.server_name)
_KEY_SHARE = int(E.key_share)
_SUPPORTED_VERSIONS = int(E.supported_versions)
_COOKIE = int(E.cookie)
_APPLICATION_LAYER_PROTOCOL_NEGOTIATION = int(E.application_layer_protocol_negotiation)
_PADDING = int(E.padding)
_PSK_KEY_EXCHANGE_MODES = int(E.psk_key_exchange_modes)


def _raw(e: m.RawExtension) -> bytes:
    data = e.data
    if len(data) > 0xFFFF:
        raise _too_long(len(data), 2)
    return e.type.to_bytes(2, "big") + _u16(len(data)) + data


def _server_name(e: m.ServerName) -> bytes:
    name = e.host_name
    n = len(name)
    if n + 5 > 0xFFFF:  # the name, its list and the extension each have a 2-byte length
        raise _too_long(n + 5, 2)
    return _pack(">HHHBH", _SERVER_NAME, n + 5, n + 3, 0, n) + name


def _server_name_ack(e: m.ServerNameAck) -> bytes:
    return b"\0\0\0\0"


def _u16_list_writer(ext_type: int, field: str) -> Callable[[Any], bytes]:
    code = int(ext_type)

    def write(e: Any) -> bytes:
        values = _u16s(getattr(e, field))
        n = len(values)
        if n + 2 > 0xFFFF:
            raise _too_long(n + 2, 2)
        return _pack(">HHH", code, n + 2, n) + values

    return write


def _key_share_entry(s: m.KeyShareEntry) -> bytes:
    key = s.key_exchange
    if len(key) > 0xFFFF:
        raise _too_long(len(key), 2)
    return s.group.to_bytes(2, "big") + _u16(len(key)) + key


def _key_share_client_hello(e: m.KeyShareClientHello) -> bytes:
    shares = b"".join([_key_share_entry(s) for s in e.shares])
    n = len(shares)
    if n + 2 > 0xFFFF:
        raise _too_long(n + 2, 2)
    return _pack(">HHH", _KEY_SHARE, n + 2, n) + shares


def _key_share_server_hello(e: m.KeyShareServerHello) -> bytes:
    entry = _key_share_entry(e.share)
    return _pack(">HH", _KEY_SHARE, len(entry)) + entry


def _key_share_hello_retry_request(e: m.KeyShareHelloRetryRequest) -> bytes:
    return b"\0\x33\0\2" + e.selected_group.to_bytes(2, "big")


def _supported_versions_client_hello(e: m.SupportedVersionsClientHello) -> bytes:
    versions = _u16s(e.versions)
    n = len(versions)
    if n > 0xFF:
        raise _too_long(n, 1)
    return _pack(">HHB", _SUPPORTED_VERSIONS, n + 1, n) + versions


def _supported_versions_server_hello(e: m.SupportedVersionsServerHello) -> bytes:
    return b"\0\x2b\0\2" + e.selected_version.to_bytes(2, "big")


def _cookie(e: m.Cookie) -> bytes:
    cookie = e.cookie
    n = len(cookie)
    if n + 2 > 0xFFFF:
        raise _too_long(n + 2, 2)
    return _pack(">HHH", _COOKIE, n + 2, n) + cookie


def _alpn(e: m.ApplicationLayerProtocolNegotiation) -> bytes:
    names = b"".join([vector(1, p) for p in e.protocols])
    n = len(names)
    if n + 2 > 0xFFFF:
        raise _too_long(n + 2, 2)
    return _pack(">HHH", _APPLICATION_LAYER_PROTOCOL_NEGOTIATION, n + 2, n) + names


def _record_size_limit(e: m.RecordSizeLimit) -> bytes:
    return b"\0\x1c\0\2" + e.limit.to_bytes(2, "big")


def _padding(e: m.Padding) -> bytes:
    zeros = bytes(e.length)
    if len(zeros) > 0xFFFF:
        raise _too_long(len(zeros), 2)
    return _pack(">HH", _PADDING, len(zeros)) + zeros


def _psk_key_exchange_modes(e: m.PskKeyExchangeModes) -> bytes:
    modes = bytes(e.modes)
    n = len(modes)
    if n > 0xFF:
        raise _too_long(n, 1)
    return _pack(">HHB", _PSK_KEY_EXCHANGE_MODES, n + 1, n) + modes


def _pre_shared_key_client_hello(e: m.PreSharedKeyClientHello) -> bytes:
    ids = b"".join(
        [vector(2, i.identity) + i.obfuscated_ticket_age.to_bytes(4, "big") for i in e.identities]
    )
    binders = b"".join([vector(1, b) for b in e.binders])
    body = vector(2, ids) + vector(2, binders)
    return E.pre_shared_key.to_bytes(2, "big") + vector(2, body)


def _pre_shared_key_server_hello(e: m.PreSharedKeyServerHello) -> bytes:
    return b"\0\x29\0\2" + e.selected_identity.to_bytes(2, "big")


_EXTENSION_WRITERS: dict[type, Callable[[Any], bytes]] = {
    m.RawExtension: _raw,
    m.ServerName: _server_name,
    m.ServerNameAck: _server_name_ack,
    m.SupportedGroups: _u16_list_writer(E.supported_groups, "groups"),
    m.SignatureAlgorithms: _u16_list_writer(E.signature_algorithms, "schemes"),
    m.SignatureAlgorithmsCert: _u16_list_writer(E.signature_algorithms_cert, "schemes"),
    m.KeyShareClientHello: _key_share_client_hello,
    m.KeyShareServerHello: _key_share_server_hello,
    m.KeyShareHelloRetryRequest: _key_share_hello_retry_request,
    m.SupportedVersionsClientHello: _supported_versions_client_hello,
    m.SupportedVersionsServerHello: _supported_versions_server_hello,
    m.Cookie: _cookie,
    m.ApplicationLayerProtocolNegotiation: _alpn,
    m.RecordSizeLimit: _record_size_limit,
    m.Padding: _padding,
    m.PskKeyExchangeModes: _psk_key_exchange_modes,
    m.PreSharedKeyClientHello: _pre_shared_key_client_hello,
    m.PreSharedKeyServerHello: _pre_shared_key_server_hello,
}


def _extension_writer(e: m.Extension) -> Callable[[Any], bytes]:
    writer = _EXTENSION_WRITERS.get(type(e))
    if writer is not None:
        return writer
    for cls, writer in _EXTENSION_WRITERS.items():  # a subclass of an extension class
        if isinstance(e, cls):
            return writer
    raise TypeError(f"not an extension: {e!r}")


# The code point of each typed extension, so that asking for it does not serialise the
# body (a client checks every extension of the server's flight this way).
_EXTENSION_TYPES: dict[type, int] = {
    m.ServerName: E.server_name,
    m.ServerNameAck: E.server_name,
    m.SupportedGroups: E.supported_groups,
    m.SignatureAlgorithms: E.signature_algorithms,
    m.SignatureAlgorithmsCert: E.signature_algorithms_cert,
    m.KeyShareClientHello: E.key_share,
    m.KeyShareServerHello: E.key_share,
    m.KeyShareHelloRetryRequest: E.key_share,
    m.SupportedVersionsClientHello: E.supported_versions,
    m.SupportedVersionsServerHello: E.supported_versions,
    m.Cookie: E.cookie,
    m.ApplicationLayerProtocolNegotiation: E.application_layer_protocol_negotiation,
    m.RecordSizeLimit: E.record_size_limit,
    m.Padding: E.padding,
    m.PskKeyExchangeModes: E.psk_key_exchange_modes,
    m.PreSharedKeyClientHello: E.pre_shared_key,
    m.PreSharedKeyServerHello: E.pre_shared_key,
}


def extension_type(e: m.Extension) -> int:
    """The ExtensionType code point of ``e``."""
    if isinstance(e, m.RawExtension):
        return e.type
    known = _EXTENSION_TYPES.get(type(e))
    if known is not None:
        return known
    return int.from_bytes(_extension_writer(e)(e)[:2], "big")


def write_extension(e: m.Extension) -> bytes:
    return _extension_writer(e)(e)


def write_extensions(extensions: tuple[m.Extension, ...]) -> bytes:
    writers = _EXTENSION_WRITERS
    parts = []
    for e in extensions:
        writer = writers.get(type(e))
        parts.append(writer(e) if writer is not None else _extension_writer(e)(e))
    block = b"".join(parts)
    if len(block) > 0xFFFF:
        raise _too_long(len(block), 2)
    return _u16(len(block)) + block


# ---- messages -------------------------------------------------------------------
# Each writer returns the message body, without the 4-byte handshake header.


def _client_hello(h: m.ClientHello) -> bytes:
    session_id = h.legacy_session_id
    suites = _u16s(h.cipher_suites)
    compression = h.legacy_compression_methods
    if len(session_id) > 0xFF:
        raise _too_long(len(session_id), 1)
    if len(suites) > 0xFFFF:
        raise _too_long(len(suites), 2)
    if len(compression) > 0xFF:
        raise _too_long(len(compression), 1)
    return b"".join(
        (
            h.legacy_version.to_bytes(2, "big"),
            h.random,
            len(session_id).to_bytes(1, "big"),
            session_id,
            _u16(len(suites)),
            suites,
            len(compression).to_bytes(1, "big"),
            compression,
            write_extensions(h.extensions) if h.extensions else b"",
        )
    )


def _server_hello_body(
    legacy_version: int,
    random: bytes,
    session_id: bytes,
    suite: int,
    compression: int,
    extensions: bytes,
) -> bytes:
    if len(session_id) > 0xFF:
        raise _too_long(len(session_id), 1)
    return b"".join(
        (
            legacy_version.to_bytes(2, "big"),
            random,
            len(session_id).to_bytes(1, "big"),
            session_id,
            suite.to_bytes(2, "big"),
            bytes((compression,)),
            extensions,
        )
    )


def _server_hello(h: m.ServerHello) -> bytes:
    return _server_hello_body(
        h.legacy_version,
        h.random,
        h.legacy_session_id_echo,
        h.cipher_suite,
        h.legacy_compression_method,
        write_extensions(h.extensions) if h.extensions else b"",
    )


def _hello_retry_request(h: m.HelloRetryRequest) -> bytes:
    return _server_hello_body(
        h.legacy_version,
        m.HELLO_RETRY_REQUEST_RANDOM,
        h.legacy_session_id_echo,
        h.cipher_suite,
        h.legacy_compression_method,
        write_extensions(h.extensions),
    )


def _certificate(c: m.Certificate) -> bytes:
    parts = []
    for e in c.certificate_list:
        cert = e.cert_data
        if len(cert) > 0xFFFFFF:
            raise _too_long(len(cert), 3)
        parts.append(len(cert).to_bytes(3, "big"))
        parts.append(cert)
        parts.append(write_extensions(e.extensions) if e.extensions else b"\0\0")
    entries = b"".join(parts)
    if len(entries) > 0xFFFFFF:
        raise _too_long(len(entries), 3)
    return vector(1, c.certificate_request_context) + len(entries).to_bytes(3, "big") + entries


def _certificate_verify(x: m.CertificateVerify) -> bytes:
    signature = x.signature
    if len(signature) > 0xFFFF:
        raise _too_long(len(signature), 2)
    return x.algorithm.to_bytes(2, "big") + _u16(len(signature)) + signature


def _new_session_ticket(t: m.NewSessionTicket) -> bytes:
    return (
        t.ticket_lifetime.to_bytes(4, "big")
        + t.ticket_age_add.to_bytes(4, "big")
        + vector(1, t.ticket_nonce)
        + vector(2, t.ticket)
        + write_extensions(t.extensions)
    )


_WRITERS: dict[type, tuple[int, Callable[[Any], bytes]]] = {
    m.ClientHello: (H.client_hello, _client_hello),
    m.ServerHello: (H.server_hello, _server_hello),
    m.HelloRetryRequest: (H.server_hello, _hello_retry_request),
    m.EncryptedExtensions: (H.encrypted_extensions, lambda x: write_extensions(x.extensions)),
    m.CertificateRequest: (
        H.certificate_request,
        lambda x: vector(1, x.certificate_request_context) + write_extensions(x.extensions),
    ),
    m.Certificate: (H.certificate, _certificate),
    m.CertificateVerify: (H.certificate_verify, _certificate_verify),
    m.Finished: (H.finished, lambda x: x.verify_data),
    m.NewSessionTicket: (H.new_session_ticket, _new_session_ticket),
    m.EndOfEarlyData: (H.end_of_early_data, lambda x: b""),
    m.KeyUpdate: (H.key_update, lambda x: bytes([int(x.request_update)])),
}


def write_handshake(message: m.HandshakeMessage) -> bytes:
    """One handshake message with its 4-byte header."""
    msg_type, writer = _WRITERS[type(message)]
    body = writer(message)
    if len(body) > 0xFFFFFF:
        raise _too_long(len(body), 3)
    return (msg_type << 24 | len(body)).to_bytes(4, "big") + body
