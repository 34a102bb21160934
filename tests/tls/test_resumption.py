"""Session resumption with tickets (RFC 8446 §2.2, §4.2.11, §4.6.1)."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tls
from interop import peers
from tests.tls import _creds
from tests.tls._pair import deliver, handshake
from tls import engine
from tls.events import SessionTicket
from tls.failures import Reason
from tls.wire import messages as m
from tls.wire.reader import read_handshake

T0 = 1_800_000_000.0


def configs(**server_kw):
    cred = _creds.credential("p256")
    client = tls.ClientConfig(authenticator=_creds.pinned(cred))
    server = tls.ServerConfig(certificates=[([cred.cert], cred.key)], **server_kw)
    return client, server


def first_session(client_cfg, server_cfg, **kw):
    _, _, events, _ = handshake(client_cfg, server_cfg, now=T0, **kw)
    sessions = [e.session for e in events if isinstance(e, SessionTicket)]
    assert len(sessions) == 2 and sessions[0].ticket != sessions[1].ticket
    return sessions[0]


def test_resumed_handshake_skips_certificates():
    client_cfg, server_cfg = configs()
    session = first_session(client_cfg, server_cfg)
    client, server, _, _ = handshake(client_cfg, server_cfg, session=session, now=T0 + 60)
    assert engine.info(client)["resumed"] and engine.info(server)["resumed"]
    assert engine.info(client)["peer_signature_scheme"] is None  # no CertificateVerify
    assert engine.info(client)["peer_certificates"] == session.peer_chain
    client, records = engine.send(client, b"resumed data")
    _, _, got, _, failure = deliver(server, records, [])
    assert failure is None and got == b"resumed data"


def test_resumption_after_hello_retry_rebinds_the_psk():
    client_cfg, server_cfg = configs(groups=("secp256r1", "x25519"))
    session = first_session(client_cfg, server_cfg)
    retry_server = tls.ServerConfig(
        certificates=server_cfg.certificates,
        groups=("secp384r1",),
        ticket_key=server_cfg.ticket_key,
    )
    client, server, _, _ = handshake(client_cfg, retry_server, session=session, now=T0 + 5)
    assert engine.info(client)["hello_retry"] and engine.info(client)["resumed"]


def test_expired_or_foreign_sessions_give_a_full_handshake():
    client_cfg, server_cfg = configs(ticket_lifetime=100)
    session = first_session(client_cfg, server_cfg)
    # Past the lifetime the client does not even offer it.
    client, _, _, _ = handshake(client_cfg, server_cfg, session=session, now=T0 + 101)
    assert not engine.info(client)["resumed"]
    # Another server (another ticket key) cannot read it and falls back.
    _, other_cfg = configs()
    client, _, _, _ = handshake(client_cfg, other_cfg, session=session, now=T0 + 1)
    assert not engine.info(client)["resumed"]
    # A session for another name is not offered.
    hello = engine.client(client_cfg, "other.example", T0 + 1, session=session)[0]
    assert m.find(hello.phase.client_hello.extensions, m.PreSharedKeyClientHello) is None


def test_ticket_for_one_server_name_does_not_resume_another():
    # A hostile client replays a ticket issued for localhost at another virtual host
    # of the same server: the server must run a full handshake (RFC 8446 §4.6.1).
    client_cfg, server_cfg = configs()
    session = first_session(client_cfg, server_cfg)
    moved = dataclasses.replace(session, server_name="vhost-b.example")
    client, server, _, _ = handshake(
        client_cfg, server_cfg, "vhost-b.example", session=moved, now=T0 + 1
    )
    assert not engine.info(server)["resumed"] and not engine.info(client)["resumed"]
    assert engine.info(server)["server_name"] == "vhost-b.example"
    assert engine.info(client)["peer_signature_scheme"] is not None  # certificate was checked
    # The same ticket at its own name still resumes.
    _, server, _, _ = handshake(client_cfg, server_cfg, session=session, now=T0 + 1)
    assert engine.info(server)["resumed"]


def test_ticket_does_not_resume_under_another_alpn_protocol():
    cred = _creds.credential("p256")
    server_cfg = tls.ServerConfig(
        certificates=[([cred.cert], cred.key)], alpn_protocols=["h2", "http/1.1"]
    )

    def client(alpn):
        return tls.ClientConfig(authenticator=_creds.pinned(cred), alpn_protocols=alpn)

    session = first_session(client(["h2"]), server_cfg)
    _, server, _, _ = handshake(client(["http/1.1"]), server_cfg, session=session, now=T0 + 1)
    assert not engine.info(server)["resumed"]
    assert engine.info(server)["alpn_protocol"] == "http/1.1"
    _, server, _, _ = handshake(client(["h2"]), server_cfg, session=session, now=T0 + 1)
    assert engine.info(server)["resumed"] and engine.info(server)["alpn_protocol"] == "h2"


def test_resumed_session_keeps_the_client_certificate():
    client_cred = _creds.credential("ed25519", "client.example")
    cred = _creds.credential("p256")
    client_cfg = tls.ClientConfig(
        authenticator=_creds.pinned(cred), certificates=[([client_cred.cert], client_cred.key)]
    )
    server_cfg = tls.ServerConfig(
        certificates=[([cred.cert], cred.key)],
        client_authenticator=_creds.pinned(client_cred),
        require_client_certificate=True,
    )
    session = first_session(client_cfg, server_cfg)
    _, server, _, _ = handshake(client_cfg, server_cfg, session=session, now=T0 + 1)
    assert engine.info(server)["resumed"]
    assert engine.info(server)["peer_certificates"] == (client_cred.cert.der,)


def test_anonymous_ticket_does_not_resume_where_a_certificate_is_required():
    client_cred = _creds.credential("ed25519", "client.example")
    cred = _creds.credential("p256")
    client_cfg = tls.ClientConfig(
        authenticator=_creds.pinned(cred), certificates=[([client_cred.cert], client_cred.key)]
    )
    optional = tls.ServerConfig(certificates=[([cred.cert], cred.key)])
    required = tls.ServerConfig(
        certificates=[([cred.cert], cred.key)],
        client_authenticator=_creds.pinned(client_cred),
        require_client_certificate=True,
        ticket_key=optional.ticket_key,  # one ticket key shared by both configs
    )
    session = first_session(client_cfg, optional)
    _, server, _, _ = handshake(client_cfg, required, session=session, now=T0 + 1)
    assert not engine.info(server)["resumed"]
    assert engine.info(server)["peer_certificates"] == (client_cred.cert.der,)


def test_bad_binder_is_decrypt_error():
    client_cfg, server_cfg = configs()
    session = first_session(client_cfg, server_cfg)
    client, hello_records = engine.client(client_cfg, "localhost", T0 + 1, session=session)
    tampered = hello_records[:-1] + bytes([hello_records[-1] ^ 1])  # last byte: the binder
    step = engine.handle(engine.server(server_cfg), tampered, T0 + 1)
    assert step.failure.reason is Reason.decrypt_error


def test_replayed_hello_much_later_is_not_resumed():
    client_cfg, server_cfg = configs()
    session = first_session(client_cfg, server_cfg)
    _, hello = engine.client(client_cfg, "localhost", T0 + 1, session=session)
    # The same ClientHello arriving an hour later: its ticket age no longer fits.
    step = engine.handle(engine.server(server_cfg), hello, T0 + 3600)
    assert step.failure is None and not engine.info(step.state)["resumed"]


def test_rfc8448_resumption_psk_and_binder(reference_dir):
    from tests.tls import _rfc8448
    from tls import key_schedule

    trace = _rfc8448.blocks(reference_dir / "rfc8448.txt")
    res_master = _rfc8448.find(
        trace, "Simple", "client", 'derive secret "tls13 res master"', "expanded"
    )
    nst = _rfc8448.find(
        trace, "Simple", "server", "construct a NewSessionTicket", "NewSessionTicket"
    )
    ticket = read_handshake(nst)
    psk = key_schedule.resumption_psk(res_master, ticket.ticket_nonce, "sha256")
    assert psk == _rfc8448.find(trace, "Resumed", "client", 'extract secret "early"', "IKM")
    prefix = _rfc8448.find(trace, "Resumed", "client", "calculate PSK binder", "ClientHello prefix")
    binder = key_schedule.psk_binder(key_schedule.early_secret("sha256", psk), prefix, "sha256")
    assert binder == _rfc8448.find(trace, "Resumed", "client", "calculate PSK binder", "finished")
    # The trace prints the hello without its binders; the record carries all of it.
    hello = read_handshake(_rfc8448.find(trace, "Resumed", "client", "send handshake", "payload"))
    assert hello.extensions[-1].binders == (binder,)


@pytest.mark.interop
def test_puretls_client_resumes_with_openssl(tmp_path):
    cred = _creds.credential("p256")
    (tmp_path / "c.pem").write_bytes(cred.cert_pem)
    (tmp_path / "k.pem").write_bytes(cred.key_pem)
    config = tls.ClientConfig(authenticator=_creds.pinned(cred))
    with peers.openssl_server(tmp_path / "c.pem", tmp_path / "k.pem", "-naccept", "2") as (port, _):
        with tls.connect("127.0.0.1", port, config, "localhost", timeout=peers.TIMEOUT) as s:
            s.sendall(b"one\n")
            assert s.recv() == b"eno\n"
            session = s.session
        assert session is not None
        with tls.connect(
            "127.0.0.1", port, config, "localhost", session=session, timeout=peers.TIMEOUT
        ) as s:
            assert s.info()["resumed"]
            s.sendall(b"two\n")
            assert s.recv() == b"owt\n"


@pytest.mark.interop
def test_openssl_client_resumes_with_puretls(tmp_path):
    cred = _creds.credential("p256")
    (tmp_path / "c.pem").write_bytes(cred.cert_pem)
    config = tls.ServerConfig(certificates=[([cred.cert], cred.key)])
    resumed = []

    def handler(conn):
        s = tls.wrap_server(conn, config)
        resumed.append(s.info()["resumed"])
        s.sendall(s.recv().upper())
        s.close()

    sess = tmp_path / "session.pem"
    outputs = []
    with peers.listener() as lst:
        for flag in ("-sess_out", "-sess_in"):
            thread = peers.serve_once(lst, handler)
            result = peers.openssl_client(
                lst.getsockname()[1], b"hi\n", flag, str(sess), "-CAfile", str(tmp_path / "c.pem")
            )
            peers.finish(thread)
            outputs.append(result.stdout.decode(errors="replace"))
    assert resumed == [False, True]
    assert "Reused, TLSv1.3" in outputs[1]


@settings(max_examples=10, deadline=None)
@given(
    suite=st.sampled_from(
        ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]
    ),
    group=st.sampled_from(["x25519", "secp256r1", "x448"]),
    sizes=st.lists(st.integers(1, 300), max_size=3),
    delay=st.floats(0, 7000),
)
def test_resumption_with_random_parameters(suite, group, sizes, delay):
    cred = _creds.credential("ed25519")
    client_cfg = tls.ClientConfig(
        authenticator=_creds.pinned(cred), cipher_suites=(suite,), key_share_groups=(group,)
    )
    server_cfg = tls.ServerConfig(certificates=[([cred.cert], cred.key)])
    session = first_session(client_cfg, server_cfg, sizes=sizes)
    client, server, _, _ = handshake(
        client_cfg, server_cfg, session=session, now=T0 + delay, sizes=sizes
    )
    assert engine.info(client)["resumed"] and engine.info(server)["resumed"]
    assert engine.info(server)["cipher_suite"] == suite


def test_psk_without_key_exchange_modes_is_missing_extension():
    client_cfg, server_cfg = configs()
    session = first_session(client_cfg, server_cfg)
    client, _ = engine.client(client_cfg, "localhost", T0 + 1, session=session)
    hello = client.phase.client_hello
    stripped = tuple(e for e in hello.extensions if not isinstance(e, m.PskKeyExchangeModes))
    from tls.handshake.common import replace
    from tls.record import header
    from tls.wire.writer import write_handshake

    raw = write_handshake(replace(hello, extensions=stripped))
    step = engine.handle(engine.server(server_cfg), header(22, len(raw)) + raw, T0 + 1)
    assert step.failure.reason is Reason.missing_extension
