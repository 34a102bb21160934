"""Serialise the values of :mod:`tls.wire.messages` (RFC 8446 §4).

The inverse of :mod:`tls.wire.reader`: ``write(read(b)) == b`` for every accepted ``b``.
"""

from __future__ import annotations

from collections.abc import Callable

from tls.wire import messages as m
from tls.wire.extension_type import ExtensionType as E
from tls.wire.handshake_type import HandshakeType as H


def vector(width: int, body: bytes) -> bytes:
    if len(body) >= 1 << (8 * width):
        raise ValueError(f"vector of {len(body)} bytes does not fit a {width}-byte length")
    return len(body).to_bytes(width, "big") + body


def _u16s(values: tuple[int, ...]) -> bytes:
    return b"".join(v.to_bytes(2, "big") for v in values)


def _ext_body(e: m.Extension) -> tuple[int, bytes]:
    if isinstance(e, m.RawExtension):
        return e.type, e.data
    if isinstance(e, m.ServerName):
        return E.server_name, vector(2, b"\0" + vector(2, e.host_name))
    if isinstance(e, m.ServerNameAck):
        return E.server_name, b""
    if isinstance(e, m.SupportedGroups):
        return E.supported_groups, vector(2, _u16s(e.groups))
    if isinstance(e, m.SignatureAlgorithms):
        return E.signature_algorithms, vector(2, _u16s(e.schemes))
    if isinstance(e, m.SignatureAlgorithmsCert):
        return E.signature_algorithms_cert, vector(2, _u16s(e.schemes))
    if isinstance(e, m.KeyShareClientHello):
        shares = b"".join(_key_share_entry(s) for s in e.shares)
        return E.key_share, vector(2, shares)
    if isinstance(e, m.KeyShareServerHello):
        return E.key_share, _key_share_entry(e.share)
    if isinstance(e, m.KeyShareHelloRetryRequest):
        return E.key_share, e.selected_group.to_bytes(2, "big")
    if isinstance(e, m.SupportedVersionsClientHello):
        return E.supported_versions, vector(1, _u16s(e.versions))
    if isinstance(e, m.SupportedVersionsServerHello):
        return E.supported_versions, e.selected_version.to_bytes(2, "big")
    if isinstance(e, m.Cookie):
        return E.cookie, vector(2, e.cookie)
    if isinstance(e, m.ApplicationLayerProtocolNegotiation):
        names = b"".join(vector(1, p) for p in e.protocols)
        return E.application_layer_protocol_negotiation, vector(2, names)
    if isinstance(e, m.RecordSizeLimit):
        return E.record_size_limit, e.limit.to_bytes(2, "big")
    if isinstance(e, m.Padding):
        return E.padding, bytes(e.length)
    if isinstance(e, m.PskKeyExchangeModes):
        return E.psk_key_exchange_modes, vector(1, bytes(e.modes))
    if isinstance(e, m.PreSharedKeyClientHello):
        ids = b"".join(
            vector(2, i.identity) + i.obfuscated_ticket_age.to_bytes(4, "big") for i in e.identities
        )
        binders = b"".join(vector(1, b) for b in e.binders)
        return E.pre_shared_key, vector(2, ids) + vector(2, binders)
    if isinstance(e, m.PreSharedKeyServerHello):
        return E.pre_shared_key, e.selected_identity.to_bytes(2, "big")
    raise TypeError(f"not an extension: {e!r}")


def _key_share_entry(s: m.KeyShareEntry) -> bytes:
    return s.group.to_bytes(2, "big") + vector(2, s.key_exchange)


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
    return known if known is not None else _ext_body(e)[0]


def write_extension(e: m.Extension) -> bytes:
    ext_type, body = _ext_body(e)
    return ext_type.to_bytes(2, "big") + vector(2, body)


def write_extensions(extensions: tuple[m.Extension, ...]) -> bytes:
    return vector(2, b"".join(write_extension(e) for e in extensions))


def _client_hello(h: m.ClientHello) -> bytes:
    return (
        h.legacy_version.to_bytes(2, "big")
        + h.random
        + vector(1, h.legacy_session_id)
        + vector(2, _u16s(h.cipher_suites))
        + vector(1, h.legacy_compression_methods)
        + (write_extensions(h.extensions) if h.extensions else b"")
    )


def _server_hello(h: m.ServerHello) -> bytes:
    return (
        h.legacy_version.to_bytes(2, "big")
        + h.random
        + vector(1, h.legacy_session_id_echo)
        + h.cipher_suite.to_bytes(2, "big")
        + bytes([h.legacy_compression_method])
        + (write_extensions(h.extensions) if h.extensions else b"")
    )


def _hello_retry_request(h: m.HelloRetryRequest) -> bytes:
    return (
        h.legacy_version.to_bytes(2, "big")
        + m.HELLO_RETRY_REQUEST_RANDOM
        + vector(1, h.legacy_session_id_echo)
        + h.cipher_suite.to_bytes(2, "big")
        + bytes([h.legacy_compression_method])
        + write_extensions(h.extensions)
    )


def _certificate(c: m.Certificate) -> bytes:
    entries = b"".join(
        vector(3, e.cert_data) + write_extensions(e.extensions) for e in c.certificate_list
    )
    return vector(1, c.certificate_request_context) + vector(3, entries)


def _new_session_ticket(t: m.NewSessionTicket) -> bytes:
    return (
        t.ticket_lifetime.to_bytes(4, "big")
        + t.ticket_age_add.to_bytes(4, "big")
        + vector(1, t.ticket_nonce)
        + vector(2, t.ticket)
        + write_extensions(t.extensions)
    )


_WRITERS: dict[type, tuple[int, Callable]] = {
    m.ClientHello: (H.client_hello, _client_hello),
    m.ServerHello: (H.server_hello, _server_hello),
    m.HelloRetryRequest: (H.server_hello, _hello_retry_request),
    m.EncryptedExtensions: (H.encrypted_extensions, lambda x: write_extensions(x.extensions)),
    m.CertificateRequest: (
        H.certificate_request,
        lambda x: vector(1, x.certificate_request_context) + write_extensions(x.extensions),
    ),
    m.Certificate: (H.certificate, _certificate),
    m.CertificateVerify: (
        H.certificate_verify,
        lambda x: x.algorithm.to_bytes(2, "big") + vector(2, x.signature),
    ),
    m.Finished: (H.finished, lambda x: x.verify_data),
    m.NewSessionTicket: (H.new_session_ticket, _new_session_ticket),
    m.EndOfEarlyData: (H.end_of_early_data, lambda x: b""),
    m.KeyUpdate: (H.key_update, lambda x: bytes([int(x.request_update)])),
}


def write_handshake(message: m.HandshakeMessage) -> bytes:
    """One handshake message with its 4-byte header."""
    msg_type, writer = _WRITERS[type(message)]
    body = writer(message)
    return bytes([msg_type]) + vector(3, body)
