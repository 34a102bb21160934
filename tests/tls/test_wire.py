"""The wire reader and writer: round trips, strict lengths, duplicates, unknown extensions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tls
from tls.failures import PeerError, Reason
from tls.wire import messages as m
from tls.wire.reader import read_handshake
from tls.wire.writer import write_extension, write_handshake

u16 = st.integers(0, 0xFFFF)
blob = st.binary(min_size=1, max_size=40)
known = {0, 10, 13, 16, 21, 28, 41, 43, 44, 45, 50, 51}
raw_ext = st.builds(m.RawExtension, u16.filter(lambda t: t not in known), st.binary(max_size=20))
ch_ext = st.one_of(
    raw_ext,
    st.builds(m.ServerName, blob),
    st.builds(m.SupportedGroups, st.lists(u16, min_size=1, max_size=5).map(tuple)),
    st.builds(m.SignatureAlgorithms, st.lists(u16, min_size=1, max_size=5).map(tuple)),
    st.builds(m.SignatureAlgorithmsCert, st.lists(u16, min_size=1, max_size=5).map(tuple)),
    st.builds(
        m.KeyShareClientHello,
        st.lists(st.builds(m.KeyShareEntry, u16, blob), max_size=3).map(tuple),
    ),
    st.builds(m.SupportedVersionsClientHello, st.lists(u16, min_size=1, max_size=4).map(tuple)),
    st.builds(m.Cookie, blob),
    st.builds(
        m.ApplicationLayerProtocolNegotiation, st.lists(blob, min_size=1, max_size=3).map(tuple)
    ),
    st.builds(m.RecordSizeLimit, st.integers(64, 0xFFFF)),
    st.builds(m.Padding, st.integers(0, 30)),
    st.builds(m.PskKeyExchangeModes, st.lists(st.integers(0, 255), min_size=1).map(tuple)),
)


def unique_types(exts):
    seen, out = set(), []
    for e in exts:
        t = int.from_bytes(write_extension(e)[:2], "big")
        if t not in seen:
            seen.add(t)
            out.append(e)
    return tuple(out)


psk_offer = st.integers(1, 3).flatmap(
    lambda n: st.builds(
        m.PreSharedKeyClientHello,
        st.lists(
            st.builds(m.PskIdentity, blob, st.integers(0, 2**32 - 1)), min_size=n, max_size=n
        ).map(tuple),
        st.lists(st.binary(min_size=32, max_size=48), min_size=n, max_size=n).map(tuple),
    )
)
client_hello = st.builds(
    m.ClientHello,
    st.just(0x0303),
    st.binary(min_size=32, max_size=32),
    st.binary(max_size=32),
    st.lists(u16, min_size=1, max_size=5).map(tuple),
    st.binary(min_size=1, max_size=3),
    # pre_shared_key, when present, is the last extension (RFC 8446 §4.2.11).
    st.tuples(
        st.lists(ch_ext, max_size=8).map(unique_types),
        st.lists(psk_offer, max_size=1).map(tuple),
    ).map(lambda parts: parts[0] + parts[1]),
)
server_hello = st.builds(
    m.ServerHello,
    st.just(0x0303),
    st.binary(min_size=32, max_size=32).filter(lambda r: r != m.HELLO_RETRY_REQUEST_RANDOM),
    st.binary(max_size=32),
    u16,
    st.just(0),
    st.lists(
        st.one_of(
            st.builds(m.KeyShareServerHello, st.builds(m.KeyShareEntry, u16, blob)),
            st.builds(m.SupportedVersionsServerHello, u16),
        ),
        max_size=2,
    ).map(unique_types),
)
others = st.one_of(
    st.builds(m.EncryptedExtensions, st.lists(raw_ext, max_size=3).map(unique_types)),
    st.builds(
        m.Certificate,
        st.binary(max_size=4),
        st.lists(st.builds(m.CertificateEntry, blob, st.just(())), max_size=3).map(tuple),
    ),
    st.builds(m.CertificateVerify, u16, st.binary(max_size=80)),
    st.builds(m.Finished, st.binary(min_size=32, max_size=48)),
    st.builds(m.KeyUpdate, st.booleans()),
    st.builds(
        m.NewSessionTicket,
        st.integers(0, 2**32 - 1),
        st.integers(0, 2**32 - 1),
        st.binary(max_size=8),
        blob,
        st.just(()),
    ),
)


@given(st.one_of(client_hello, server_hello, others))
def test_write_then_read_is_identity(message):
    raw = write_handshake(message)
    assert read_handshake(raw) == message
    assert write_handshake(read_handshake(raw)) == raw


@given(client_hello, st.data())
def test_every_truncation_is_a_decode_error(message, data):
    raw = write_handshake(message)
    cut = data.draw(st.integers(4, len(raw) - 1))
    # Keep the header length consistent with the cut, so the body itself is short.
    truncated = raw[:1] + (cut - 4).to_bytes(3, "big") + raw[4:cut]
    try:
        parsed = read_handshake(truncated)
    except PeerError as exc:
        assert exc.reason in (Reason.decode_error, Reason.illegal_parameter)
    else:
        # The one valid truncation: a hello cut exactly before its extensions block.
        assert message.extensions and parsed.extensions == ()
        assert write_handshake(parsed)[4:] == raw[4:cut]


def test_trailing_bytes_are_a_decode_error():
    raw = write_handshake(m.KeyUpdate(False))
    bad = raw[:3] + bytes([raw[3] + 1]) + raw[4:] + b"\x00"
    with pytest.raises(PeerError) as exc:
        read_handshake(bad)
    assert exc.value.reason is Reason.decode_error


def test_duplicate_extension_is_illegal_parameter():
    ext = write_extension(m.Cookie(b"abc"))
    body = len(ext * 2).to_bytes(2, "big") + ext * 2
    raw = bytes([8]) + len(body).to_bytes(3, "big") + body  # EncryptedExtensions
    with pytest.raises(PeerError) as exc:
        read_handshake(raw)
    assert exc.value.reason is Reason.illegal_parameter


def test_unknown_extensions_are_kept_raw():
    hello = m.EncryptedExtensions((m.RawExtension(0x1234, b"opaque"),))
    assert read_handshake(write_handshake(hello)) == hello


def test_key_update_value_above_one_is_illegal():
    with pytest.raises(PeerError) as exc:
        read_handshake(b"\x18\x00\x00\x01\x02")
    assert exc.value.reason is Reason.illegal_parameter


def test_hello_retry_request_is_recognised_by_its_random():
    hrr = m.HelloRetryRequest(0x0303, b"", 0x1301, 0, (m.KeyShareHelloRetryRequest(0x17),))
    raw = write_handshake(hrr)
    assert m.HELLO_RETRY_REQUEST_RANDOM in raw
    assert read_handshake(raw) == hrr


def test_extension_after_pre_shared_key_is_illegal():
    psk = m.PreSharedKeyClientHello((m.PskIdentity(b"id", 0),), (bytes(32),))
    hello = m.ClientHello(0x0303, bytes(32), b"", (0x1301,), b"\x00", (psk, m.Cookie(b"c")))
    with pytest.raises(PeerError) as exc:
        read_handshake(write_handshake(hello))
    assert exc.value.reason is Reason.illegal_parameter


def test_extension_type_agrees_with_the_written_extension():
    """extension_type() answers from a table; the serialiser is the other witness."""
    from tests.tls import _creds
    from tls import engine
    from tls.wire import messages as m
    from tls.wire.writer import extension_type, write_extension

    cred = _creds.credential("p256")
    config = tls.ClientConfig(
        authenticator=_creds.pinned(cred),
        alpn_protocols=("h2",),
        record_size_limit=4096,
        padding_block=0,
        key_share_groups=("x25519", "secp256r1"),
    )
    client, _ = engine.client(config, "localhost")
    extensions = list(client.phase.client_hello.extensions)
    extensions += [
        m.ServerNameAck(),
        m.KeyShareHelloRetryRequest(29),
        m.SupportedVersionsServerHello(0x0304),
        m.Cookie(b"c"),
        m.PreSharedKeyServerHello(0),
        m.Padding(3),
    ]
    assert len({type(e) for e in extensions}) >= 12
    for e in extensions:
        assert extension_type(e) == int.from_bytes(write_extension(e)[:2], "big"), e
