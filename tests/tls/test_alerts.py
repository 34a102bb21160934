"""Each protocol violation gets the alert RFC 8446 names for it (table-driven).

A valid ClientHello (or ServerHello) from our own peer is mutated one way at a
time; the other side must fail with exactly the expected alert and no exception.
"""

from __future__ import annotations

import pytest

import tls
from tests.tls import _creds
from tls import engine
from tls.handshake.common import replace
from tls.record import header
from tls.wire import messages as m
from tls.wire.alert import AlertDescription as A
from tls.wire.writer import write_handshake


def configs():
    cred = _creds.credential("p256")
    return (
        tls.ClientConfig(authenticator=_creds.pinned(cred), grease=False),
        tls.ServerConfig(certificates=[([cred.cert], cred.key)]),
    )


def replace_ext(hello, kind, new):
    return replace(
        hello, extensions=tuple(new if isinstance(e, kind) else e for e in hello.extensions)
    )


def drop_ext(hello, kind):
    return replace(hello, extensions=tuple(e for e in hello.extensions if not isinstance(e, kind)))


def ks(group, data):
    return m.KeyShareClientHello((m.KeyShareEntry(group, data),))


CLIENT_HELLO_MUTATIONS = {
    "no supported_versions": (
        lambda h: drop_ext(h, m.SupportedVersionsClientHello),
        A.protocol_version,
    ),
    "only TLS 1.2": (
        lambda h: replace_ext(
            h, m.SupportedVersionsClientHello, m.SupportedVersionsClientHello((0x0303,))
        ),
        A.protocol_version,
    ),
    "legacy_version SSL 3": (lambda h: replace(h, legacy_version=0x0300), A.protocol_version),
    "compression offered": (
        lambda h: replace(h, legacy_compression_methods=b"\x01\x00"),
        A.illegal_parameter,
    ),
    "no common suite": (lambda h: replace(h, cipher_suites=(0x00FF, 0xC02F)), A.handshake_failure),
    "no supported_groups": (lambda h: drop_ext(h, m.SupportedGroups), A.missing_extension),
    "no key_share": (lambda h: drop_ext(h, m.KeyShareClientHello), A.missing_extension),
    "no signature_algorithms": (lambda h: drop_ext(h, m.SignatureAlgorithms), A.missing_extension),
    "only PKCS#1 signatures": (
        lambda h: replace_ext(h, m.SignatureAlgorithms, m.SignatureAlgorithms((0x0401, 0x0201))),
        A.handshake_failure,
    ),
    "share for an unlisted group": (
        lambda h: replace_ext(h, m.KeyShareClientHello, ks(0x0018, b"\x04" + bytes(96))),
        A.illegal_parameter,
    ),
    "two shares for one group": (
        lambda h: replace_ext(
            h,
            m.KeyShareClientHello,
            m.KeyShareClientHello((m.KeyShareEntry(29, bytes(range(32))),) * 2),
        ),
        A.illegal_parameter,
    ),
    "x25519 share of wrong length": (
        lambda h: replace_ext(h, m.KeyShareClientHello, ks(29, bytes(31))),
        A.illegal_parameter,
    ),
    "x25519 small-order share": (
        lambda h: replace_ext(h, m.KeyShareClientHello, ks(29, bytes(32))),
        A.illegal_parameter,
    ),
    "P-256 point not on the curve": (
        lambda h: replace_ext(
            replace_ext(h, m.SupportedGroups, m.SupportedGroups((23,))),
            m.KeyShareClientHello,
            ks(23, b"\x04" + bytes(range(64))),
        ),
        A.illegal_parameter,
    ),
    "P-256 compressed point": (
        lambda h: replace_ext(
            replace_ext(h, m.SupportedGroups, m.SupportedGroups((23,))),
            m.KeyShareClientHello,
            ks(23, b"\x02" + bytes(64)),
        ),
        A.illegal_parameter,
    ),
    "server_name that is an IP address": (
        lambda h: replace_ext(h, m.ServerName, m.ServerName(b"127.0.0.1")),
        A.illegal_parameter,
    ),
    "ALPN without overlap": (
        lambda h: h.__class__(
            h.legacy_version,
            h.random,
            h.legacy_session_id,
            h.cipher_suites,
            h.legacy_compression_methods,
            h.extensions + (m.ApplicationLayerProtocolNegotiation((b"nope",)),),
        ),
        A.no_application_protocol,
    ),
}


@pytest.mark.parametrize("name", sorted(CLIENT_HELLO_MUTATIONS))
def test_server_alert_for_client_hello(name):
    mutate, alert = CLIENT_HELLO_MUTATIONS[name]
    client_cfg, server_cfg = configs()
    if name == "ALPN without overlap":
        server_cfg = tls.ServerConfig(certificates=server_cfg.certificates, alpn_protocols=["h2"])
    client, _ = engine.client(client_cfg, "localhost")
    raw = write_handshake(mutate(client.phase.client_hello))
    step = engine.handle(engine.server(server_cfg), header(22, len(raw)) + raw)
    assert step.failure is not None and step.failure.alert is alert, step.failure
    assert step.send.endswith(bytes([2, alert]))  # a plaintext fatal alert before any keys


def server_hello_for(client, **changes):
    sent = client.phase.client_hello
    share = client.phase.key_exchanges[0]
    hello = m.ServerHello(
        0x0303,
        bytes(range(32)),
        sent.legacy_session_id,
        0x1301,
        0,
        (
            m.KeyShareServerHello(m.KeyShareEntry(int(share.group), share.share)),
            m.SupportedVersionsServerHello(0x0304),
        ),
    )
    return replace(hello, **changes)


SERVER_HELLO_MUTATIONS = {
    "suite not offered": (dict(cipher_suite=0x1305), A.illegal_parameter),
    "unknown suite": (dict(cipher_suite=0x0A0A), A.illegal_parameter),
    "session id not echoed": (dict(legacy_session_id_echo=b"\x01" * 32), A.illegal_parameter),
    "compression": (dict(legacy_compression_method=1), A.illegal_parameter),
    "TLS 1.2 answer": (dict(extensions=()), A.protocol_version),
    "version not offered": (
        dict(extensions=(m.SupportedVersionsServerHello(0x0305),)),
        A.illegal_parameter,
    ),
    "unsolicited extension": (
        dict(
            extensions=(
                m.SupportedVersionsServerHello(0x0304),
                m.RawExtension(0x1234, b""),
            )
        ),
        A.unsupported_extension,
    ),
    "no key_share": (
        dict(extensions=(m.SupportedVersionsServerHello(0x0304),)),
        A.missing_extension,
    ),
}


@pytest.mark.parametrize("name", sorted(SERVER_HELLO_MUTATIONS))
def test_client_alert_for_server_hello(name):
    changes, alert = SERVER_HELLO_MUTATIONS[name]
    client, _ = engine.client(configs()[0], "localhost")
    raw = write_handshake(server_hello_for(client, **changes))
    step = engine.handle(client, header(22, len(raw)) + raw)
    assert step.failure is not None and step.failure.alert is alert, step.failure


def test_second_hello_retry_request_is_unexpected_message():
    client_cfg = tls.ClientConfig(
        authenticator=configs()[0].authenticator, groups=("x25519", "secp256r1"), grease=False
    )
    client, _ = engine.client(client_cfg, "localhost")
    hrr = m.HelloRetryRequest(
        0x0303,
        client.phase.client_hello.legacy_session_id,
        0x1301,
        0,
        (m.SupportedVersionsServerHello(0x0304), m.KeyShareHelloRetryRequest(23)),
    )
    raw = write_handshake(hrr)
    first = engine.handle(client, header(22, len(raw)) + raw)
    assert first.failure is None
    again = engine.handle(first.state, header(22, len(raw)) + raw)
    assert again.failure.alert is A.unexpected_message


def test_hello_retry_request_for_the_share_already_sent_is_illegal():
    client, _ = engine.client(configs()[0], "localhost")
    hrr = m.HelloRetryRequest(
        0x0303,
        client.phase.client_hello.legacy_session_id,
        0x1301,
        0,
        (m.SupportedVersionsServerHello(0x0304), m.KeyShareHelloRetryRequest(29)),
    )
    raw = write_handshake(hrr)
    assert engine.handle(client, header(22, len(raw)) + raw).failure.alert is A.illegal_parameter


def test_tampered_cookie_is_illegal_parameter():
    client_cfg, _ = configs()
    cred = _creds.credential("p256")
    server_cfg = tls.ServerConfig(certificates=[([cred.cert], cred.key)], groups=("secp384r1",))
    client, hello = engine.client(client_cfg, "localhost")
    server = engine.server(server_cfg)
    step = engine.handle(server, hello)
    client_step = engine.handle(client, step.send)
    hello2 = client_step.state.phase.client_hello
    cookie = m.find(hello2.extensions, m.Cookie)
    forged = replace_ext(
        hello2, m.Cookie, m.Cookie(bytes([cookie.cookie[0] ^ 1]) + cookie.cookie[1:])
    )
    raw = write_handshake(forged)
    final = engine.handle(step.state, header(22, len(raw)) + raw)
    assert final.failure.alert is A.illegal_parameter
