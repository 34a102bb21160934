"""The pure engine: full handshakes in memory, purity, key updates, exporters, ALPN."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tls
from tests.tls import _creds
from tests.tls._pair import deliver, handshake
from tls import engine
from tls.config import DEFAULT_GROUPS
from tls.events import KeyUpdated
from tls.failures import Reason
from tls.wire.alert import AlertDescription
from tls.wire.cipher_suite import CipherSuite

SIG_FOR_KIND = {
    "p256": "ecdsa_secp256r1_sha256",
    "p384": "ecdsa_secp384r1_sha384",
    "p521": "ecdsa_secp521r1_sha512",
    "ed25519": "ed25519",
    "ed448": "ed448",
    "rsa2048": "rsa_pss_rsae_sha256",
}
SUITES = (
    CipherSuite.TLS_AES_128_GCM_SHA256,
    CipherSuite.TLS_AES_256_GCM_SHA384,
    CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
    CipherSuite.TLS_AES_128_CCM_SHA256,
)
FAST_GROUPS = ("x25519", "secp256r1", "secp384r1", "x448")


def configs(kind="p256", client_kw=None, server_kw=None):
    cred = _creds.credential(kind)
    client = tls.ClientConfig(authenticator=_creds.pinned(cred), **(client_kw or {}))
    server = tls.ServerConfig(certificates=[([cred.cert], cred.key)], **(server_kw or {}))
    return client, server


@settings(max_examples=25, deadline=None)
@given(
    kind=st.sampled_from(_creds.KINDS[:5]),
    suite=st.sampled_from(SUITES),
    group=st.sampled_from(FAST_GROUPS),
    share_first=st.booleans(),
    sizes=st.lists(st.integers(1, 700), max_size=4),
    payload=st.binary(max_size=40000),
    compat=st.booleans(),
    padding=st.sampled_from([0, 32]),
)
def test_random_configs_and_fragmentation(
    kind, suite, group, share_first, sizes, payload, compat, padding
):
    # share_first=False forces a HelloRetryRequest for the group.
    share = (group,) if share_first else ("x25519" if group != "x25519" else "secp256r1",)
    groups = (group,) + tuple(g for g in FAST_GROUPS if g != group and g in share)
    client_cfg, server_cfg = configs(
        kind,
        {
            "cipher_suites": (suite,),
            "groups": groups,
            "key_share_groups": share,
            "middlebox_compatibility": compat,
            "padding_block": padding,
        },
        {"cipher_suites": SUITES, "groups": (group,)},
    )
    client, server, _, _ = handshake(client_cfg, server_cfg, sizes=sizes)
    for side in (engine.info(client), engine.info(server)):
        assert side["cipher_suite"] == suite.name and side["group"] == group
    assert engine.info(client)["hello_retry"] == (not share_first)
    assert engine.info(client)["peer_signature_scheme"] == SIG_FOR_KIND[kind]

    client, records = engine.send(client, payload)
    server, answer, got, _, failure = deliver(server, records, sizes)
    assert failure is None and got == payload
    server, records = engine.send(server, got[::-1])
    client, _, back, _, failure = deliver(client, records, sizes)
    assert failure is None and back == payload[::-1]


def test_rsa_certificate_and_ffdhe():
    client_cfg, server_cfg = configs("rsa2048", {"key_share_groups": ("ffdhe2048",)})
    client, server, _, _ = handshake(client_cfg, server_cfg)
    assert engine.info(client)["group"] == "ffdhe2048"
    assert engine.info(client)["peer_signature_scheme"] == "rsa_pss_rsae_sha256"


@pytest.mark.parametrize("kind", _creds.KINDS)
def test_same_input_on_same_old_state_gives_identical_output(kind):
    # RSA-PSS signatures are randomized (salt and blinding): the engine must take that
    # randomness from the state's DRBG, never from the system RNG or the shared key.
    client_cfg, server_cfg = configs(kind)
    client, hello = engine.client(client_cfg, "localhost")
    server = engine.server(server_cfg)
    first = engine.handle(server, hello)
    again = engine.handle(server, hello)
    assert first.send == again.send and first.state == again.state
    c1 = engine.handle(client, first.send)
    c2 = engine.handle(client, first.send)
    assert c1.send == c2.send and c1.events == c2.events
    # The old client state is still usable: it completes a second, identical handshake.
    assert engine.is_established(c1.state) and not engine.is_established(client)


def test_engine_modules_do_no_io():
    forbidden = {"socket", "asyncio", "time", "os", "random", "select", "threading"}
    root = Path(tls.__file__).parent
    pure = [root / "engine.py", root / "record.py", root / "key_schedule.py", root / "crypto.py"]
    pure += list((root / "handshake").glob("*.py")) + list((root / "wire").glob("*.py"))
    pure += [root / "config.py", root / "failures.py", root / "events.py", root / "session.py"]
    pure += [root / "authenticator.py", root / "certificates.py"]
    for path in pure:
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module.split(".")[0]]
            assert not set(names) & forbidden, f"{path.name} imports {names}"


def test_key_update_both_ways():
    client, server, _, _ = handshake(*configs())
    client, records = engine.key_update(client, request_peer=True)
    server, answer, _, events, failure = deliver(server, records, [])
    assert failure is None
    assert KeyUpdated("read", True) in events and KeyUpdated("write", False) in events
    client, _, _, events, failure = deliver(client, answer, [])
    assert failure is None and KeyUpdated("read", False) in events
    for sender, receiver in ((client, server), (server, client)):
        sender, records = engine.send(sender, b"after update")
        _, _, got, _, failure = deliver(receiver, records, [])
        assert failure is None and got == b"after update"


def test_automatic_key_update_before_the_aead_limit():
    client, server, _, _ = handshake(*configs())
    near = client.write.params.record_limit - 2
    client = engine.replace(client, write=engine.replace(client.write, seq=near))
    client, records = engine.send(client, b"x")
    assert client.write.seq == 1  # a fresh key protected the data
    server = engine.replace(server, read=engine.replace(server.read, seq=near))
    _, _, got, events, failure = deliver(server, records, [])
    assert failure is None and got == b"x" and any(isinstance(e, KeyUpdated) for e in events)


@pytest.mark.parametrize("kind", _creds.KINDS)
def test_client_certificate_signing_is_pure(kind):
    client_cred = _creds.credential(kind, "client.example")
    client_cfg, server_cfg = configs(
        "p256",
        {"certificates": [([client_cred.cert], client_cred.key)]},
        {"client_authenticator": _creds.pinned(client_cred)},
    )
    client, hello = engine.client(client_cfg, "localhost")
    flight = engine.handle(engine.server(server_cfg), hello).send
    first, again = engine.handle(client, flight), engine.handle(client, flight)
    assert first.failure is None and first.send == again.send and first.state == again.state


def test_exporter_refused_before_the_clients_finished():
    client, hello = engine.client(*configs()[:1], "localhost")
    server = engine.handle(engine.server(configs()[1]), hello).state
    assert engine.info(server)["phase"] == "AwaitClientFinished"
    with pytest.raises(ValueError, match="not complete"):
        engine.export_keying_material(server, b"EXPORTER-test", b"", 32)


def test_exporters_agree():
    client, server, _, _ = handshake(*configs())
    a = engine.export_keying_material(client, b"EXPORTER-test", b"ctx", 42)
    b = engine.export_keying_material(server, b"EXPORTER-test", b"ctx", 42)
    assert a == b and len(a) == 42
    assert a != engine.export_keying_material(client, b"EXPORTER-test", b"other", 42)


def test_alpn_negotiated_in_server_preference():
    client, server, _, _ = handshake(
        *configs(
            client_kw={"alpn_protocols": ["http/1.1", "h2"]},
            server_kw={"alpn_protocols": ["h2", "http/1.1"]},
        )
    )
    assert engine.info(client)["alpn_protocol"] == "h2" == engine.info(server)["alpn_protocol"]


def test_alpn_without_overlap_is_no_application_protocol():
    client_cfg, server_cfg = configs(
        client_kw={"alpn_protocols": ["h2"]}, server_kw={"alpn_protocols": ["spdy/1"]}
    )
    client, hello = engine.client(client_cfg, "localhost")
    step = engine.handle(engine.server(server_cfg), hello)
    assert step.failure.reason is Reason.no_application_protocol
    client_step = engine.handle(client, step.send)
    assert client_step.failure.alert is AlertDescription.no_application_protocol
    assert client_step.failure.sent_by_peer


def test_certificate_chosen_by_server_name_and_signature_algorithms():
    ec_cred = _creds.credential("p256", "ec.example")
    ed_cred = _creds.credential("ed25519", "ed.example")
    server_cfg = tls.ServerConfig(
        certificates=[([ec_cred.cert], ec_cred.key), ([ed_cred.cert], ed_cred.key)]
    )
    for cred, name, schemes in (
        (ed_cred, "ed.example", None),
        (ec_cred, "ec.example", None),
        (ec_cred, "ed.example", ("ecdsa_secp256r1_sha256",)),
    ):
        kw = {"signature_schemes": schemes} if schemes else {}
        client_cfg = tls.ClientConfig(authenticator=_creds.pinned(cred), **kw)
        client, _, _, _ = handshake(client_cfg, server_cfg, server_name=name)
        assert engine.info(client)["peer_certificates"][0] == cred.cert.der


def test_close_notify_both_ways():
    client, server, _, _ = handshake(*configs())
    client, records = engine.close(client)
    server, _, _, events, failure = deliver(server, records, [])
    assert failure is None and server.read_closed
    with pytest.raises(ValueError):
        engine.send(client, b"after close")
    server, records = engine.send(server, b"still writing")
    _, _, got, _, _ = deliver(client, records, [])
    assert got == b"still writing"


def test_config_errors_at_construction():
    cred = _creds.credential("p256")
    auth = _creds.pinned(cred)
    with pytest.raises(tls.ConfigError):
        tls.ClientConfig(authenticator=auth, cipher_suites=())
    with pytest.raises(tls.ConfigError):
        tls.ClientConfig(authenticator=auth, signature_schemes=("rsa_pkcs1_sha256",))
    with pytest.raises(tls.ConfigError):
        tls.ClientConfig(authenticator=auth, groups=("x25519",), key_share_groups=("x448",))
    with pytest.raises(tls.ConfigError):
        tls.ClientConfig(authenticator=auth, alpn_protocols=[""])
    with pytest.raises(tls.ConfigError):
        tls.ServerConfig(certificates=[])
    assert tls.ClientConfig(authenticator=auth).groups == DEFAULT_GROUPS


def test_record_size_limit_is_honoured():
    client_cfg, server_cfg = configs(client_kw={"record_size_limit": 256})
    client, server, _, _ = handshake(client_cfg, server_cfg)
    server, records = engine.send(server, bytes(2000))
    lengths, i = [], 0
    while i < len(records):
        n = int.from_bytes(records[i + 3 : i + 5], "big")
        lengths.append(n)
        i += 5 + n
    # RFC 8449: at most 256 bytes of TLSInnerPlaintext (content + type), plus the tag.
    assert max(lengths) <= 256 + 16 and len(lengths) >= 8
    _, _, got, _, failure = deliver(client, records, [])
    assert failure is None and got == bytes(2000)


def test_padding_hides_the_length():
    client_cfg, server_cfg = configs(client_kw={"padding_block": 256})
    client, server, _, _ = handshake(client_cfg, server_cfg)
    sizes = {len(engine.send(client, bytes(n))[1]) for n in (1, 17, 100, 200)}
    assert len(sizes) == 1


def test_fast_state_updates_match_namedtuple_replace():
    from tls.handshake.common import State, replace, with_record_state

    values = {name: object() for name in State._fields}
    state = State(**values)
    for field in ("read", "write", "buffer"):
        new = object()
        assert with_record_state(state, **{field: new}) == state._replace(**{field: new})
    for field in State._fields:
        new = object()
        changed = replace(state, **{field: new})
        assert type(changed) is State and changed == state._replace(**{field: new})
    with pytest.raises(TypeError):
        replace(state, no_such_field=1)
