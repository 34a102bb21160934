"""Hybrid post-quantum key agreement (draft-ietf-tls-ecdhe-mlkem): X25519MLKEM768,
SecP256r1MLKEM768, SecP384r1MLKEM1024 — in memory, on bad shares, against tlslite-ng."""

from __future__ import annotations

import importlib.util

import pytest

import tls
from interop import peers
from tests.tls import _creds
from tests.tls._pair import handshake
from tls import engine
from tls.record import header
from tls.wire import messages as m
from tls.wire.alert import AlertDescription
from tls.wire.reader import read_handshake
from tls.wire.writer import write_handshake

HYBRIDS = ("X25519MLKEM768", "SecP256r1MLKEM768", "SecP384r1MLKEM1024")
SIZES = {  # (client share, server share) from the draft, §4.1 and §4.2
    "X25519MLKEM768": (1216, 1120),
    "SecP256r1MLKEM768": (1249, 1153),
    "SecP384r1MLKEM1024": (1665, 1665),
}


def configs(group, share=None):
    cred = _creds.credential("ed25519")
    client = tls.ClientConfig(
        authenticator=_creds.pinned(cred),
        groups=(group, "x25519"),
        key_share_groups=(share or group,),
    )
    server = tls.ServerConfig(certificates=[([cred.cert], cred.key)], groups=(group, "x25519"))
    return client, server


@pytest.mark.parametrize("group", HYBRIDS)
def test_hybrid_handshake_in_memory(group):
    client_cfg, server_cfg = configs(group)
    client, hello = engine.client(client_cfg, "localhost")
    share = m.find(client.phase.client_hello.extensions, m.KeyShareClientHello).shares[-1]
    assert len(share.key_exchange) == SIZES[group][0]
    client, server, _, _ = handshake(client_cfg, server_cfg)
    assert engine.info(client)["group"] == group == engine.info(server)["group"]
    client, records = engine.send(client, b"post-quantum")
    step = engine.handle(server, records)
    assert step.data == b"post-quantum"


def test_hello_retry_into_a_hybrid_group():
    client_cfg, server_cfg = configs("X25519MLKEM768", share="x25519")
    server_cfg = tls.ServerConfig(certificates=server_cfg.certificates, groups=("X25519MLKEM768",))
    client, _, _, _ = handshake(client_cfg, server_cfg)
    assert engine.info(client)["hello_retry"] and engine.info(client)["group"] == "X25519MLKEM768"


@pytest.mark.parametrize("group", HYBRIDS)
def test_truncated_hybrid_share_is_illegal_parameter(group):
    client_cfg, server_cfg = configs(group)
    client, _ = engine.client(client_cfg, "localhost")
    hello = client.phase.client_hello
    ks = m.find(hello.extensions, m.KeyShareClientHello)
    short = m.KeyShareClientHello(
        ks.shares[:-1] + (m.KeyShareEntry(ks.shares[-1].group, ks.shares[-1].key_exchange[:-1]),)
    )
    hello = hello.__class__(
        hello.legacy_version,
        hello.random,
        hello.legacy_session_id,
        hello.cipher_suites,
        hello.legacy_compression_methods,
        tuple(short if isinstance(e, m.KeyShareClientHello) else e for e in hello.extensions),
    )
    raw = write_handshake(hello)
    step = engine.handle(engine.server(server_cfg), header(22, len(raw)) + raw)
    assert step.failure.alert is AlertDescription.illegal_parameter


def test_server_share_of_wrong_length_is_illegal_parameter():
    client_cfg, server_cfg = configs("X25519MLKEM768")
    client, hello = engine.client(client_cfg, "localhost")
    flight = engine.handle(engine.server(server_cfg), hello).send
    sh_len = int.from_bytes(flight[3:5], "big")
    sh = read_handshake(flight[5 : 5 + sh_len])
    entry = m.find(sh.extensions, m.KeyShareServerHello).share
    bad = sh.__class__(
        sh.legacy_version,
        sh.random,
        sh.legacy_session_id_echo,
        sh.cipher_suite,
        sh.legacy_compression_method,
        (
            m.KeyShareServerHello(m.KeyShareEntry(entry.group, entry.key_exchange + b"\x00")),
            m.SupportedVersionsServerHello(0x0304),
        ),
    )
    raw = write_handshake(bad)
    step = engine.handle(client, header(22, len(raw)) + raw)
    assert step.failure.alert is AlertDescription.illegal_parameter


needs_kyber = pytest.mark.skipif(
    importlib.util.find_spec("kyber_py") is None,
    reason="tlslite-ng needs the kyber-py package for ML-KEM groups",
)


def _tlslite_settings(group):
    from tlslite import api

    settings = api.HandshakeSettings()
    settings.minVersion = settings.maxVersion = (3, 4)
    settings.eccCurves = [group.lower(), "x25519"]
    settings.keyShares = [group.lower()]
    return settings


@pytest.mark.interop
@needs_kyber
@pytest.mark.parametrize("group", HYBRIDS)
def test_tlslite_client_against_puretls_server(group):
    import socket

    from tlslite import api

    _, server_cfg = configs(group)

    def handler(conn):
        s = tls.wrap_server(conn, server_cfg)
        seen.append(s.info()["group"])
        s.sendall(s.recv().upper())
        s.close()

    seen = []
    with peers.listener() as lst:
        thread = peers.serve_once(lst, handler)
        with socket.create_connection(lst.getsockname(), peers.TIMEOUT) as raw:
            c = api.TLSConnection(raw)
            c.handshakeClientCert(settings=_tlslite_settings(group), serverName="localhost")
            c.write(b"hybrid")
            assert c.read() == b"HYBRID"
            c.close()
        peers.finish(thread)
    assert seen == [group]


@pytest.mark.interop
@needs_kyber
@pytest.mark.parametrize("group", HYBRIDS)
def test_puretls_client_against_tlslite_server(group, tmp_path):
    from tlslite import api

    cred = _creds.credential("p256")
    chain = api.X509CertChain()
    chain.parsePemList(cred.cert_pem.decode())
    key = api.parsePEMKey(cred.key_pem.decode(), private=True)

    def handler(conn):
        c = api.TLSConnection(conn)
        c.handshakeServer(certChain=chain, privateKey=key, settings=_tlslite_settings(group))
        c.write(c.read().upper())
        c.close()

    config = tls.ClientConfig(
        authenticator=_creds.pinned(cred), groups=(group,), key_share_groups=(group,)
    )
    with peers.listener() as lst:
        thread = peers.serve_once(lst, handler)
        with tls.connect(
            "127.0.0.1", lst.getsockname()[1], config, "localhost", timeout=peers.TIMEOUT
        ) as s:
            assert s.info()["group"] == group
            s.sendall(b"hybrid")
            assert s.recv() == b"HYBRID"
        peers.finish(thread)


def _default_server():
    cred = _creds.credential("ed25519")
    return cred, tls.ServerConfig(certificates=[([cred.cert], cred.key)])


def test_default_server_picks_the_hybrid_when_the_client_shares_both():
    cred, server_cfg = _default_server()
    client_cfg = tls.ClientConfig(
        authenticator=_creds.pinned(cred),
        groups=("x25519", "X25519MLKEM768"),
        key_share_groups=("x25519", "X25519MLKEM768"),  # the client even prefers x25519
    )
    client, server, _, _ = handshake(client_cfg, server_cfg)
    assert engine.info(server)["group"] == "X25519MLKEM768" == engine.info(client)["group"]
    assert not engine.info(client)["hello_retry"]


@pytest.mark.parametrize("groups", [None, ("X25519MLKEM768", "x25519")])
def test_default_server_answers_an_x25519_only_share_without_retry(groups):
    cred, server_cfg = _default_server()
    kw = {"groups": groups} if groups else {}  # default client, or one listing the hybrid
    client_cfg = tls.ClientConfig(
        authenticator=_creds.pinned(cred), key_share_groups=("x25519",), **kw
    )
    client, server, _, _ = handshake(client_cfg, server_cfg)
    assert engine.info(client)["group"] == "x25519" == engine.info(server)["group"]
    assert not engine.info(client)["hello_retry"] and not engine.info(server)["hello_retry"]
