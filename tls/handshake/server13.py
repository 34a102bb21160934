"""The TLS 1.3 server handshake (RFC 8446 §4), as pure transitions.

The server picks, in its own order of preference, a suite, a group (asking for
another key share with a HelloRetryRequest when the client sent none it can
use), a certificate chain fitting the client's signature algorithms and server
name, and an ALPN protocol.  It then sends its whole flight at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tls import certificates, crypto, key_schedule, session
from tls.config import ServerCredential
from tls.failures import PeerError, Reason
from tls.handshake import common
from tls.handshake.client13 import complete_event
from tls.handshake.common import Output, State, replace
from tls.record import Protection
from tls.wire import messages as m
from tls.wire.cipher_suite import CipherSuite
from tls.wire.content_type import ContentType
from tls.wire.extension_type import ExtensionType as E
from tls.wire.named_group import NamedGroup
from tls.wire.signature_scheme import SCHEMES, SignatureScheme
from tls.wire.writer import extension_type, write_handshake

# ---- states ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AwaitClientHello:
    pass


@dataclass(frozen=True, slots=True)
class AwaitSecondClientHello:
    """After our HelloRetryRequest (RFC 8446 §4.1.4)."""

    first: m.ClientHello
    retry: m.HelloRetryRequest
    transcript: bytes = field(repr=False)  # message_hash(CH1) + HRR
    cookie: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class AwaitClientFinished:
    hash_name: str
    master_secret: bytes = field(repr=False)  # for the resumption master secret
    client_secret: bytes = field(repr=False)
    client_application_secret: bytes = field(repr=False)
    transcript: bytes = field(repr=False)  # up to and including our Finished


@dataclass(frozen=True, slots=True)
class AwaitClientCertificate:
    """We sent a CertificateRequest (RFC 8446 §4.3.2)."""

    finished: AwaitClientFinished


@dataclass(frozen=True, slots=True)
class AwaitClientCertificateVerify:
    finished: AwaitClientFinished
    peer_key: Any = field(repr=False)


# ---- choices -----------------------------------------------------------------------


def _require(hello: m.ClientHello, kind: type, what: str) -> Any:
    found = m.find(hello.extensions, kind)
    if found is None:
        raise PeerError(Reason.missing_extension, f"ClientHello without {what}")
    return found


def _check_client_hello(hello: m.ClientHello) -> None:
    versions = m.find(hello.extensions, m.SupportedVersionsClientHello)
    if not isinstance(versions, m.SupportedVersionsClientHello) or m.TLS13 not in versions.versions:
        raise PeerError(Reason.protocol_version, "client does not offer TLS 1.3")
    if hello.legacy_version < 0x0303:
        raise PeerError(Reason.protocol_version, "legacy_version below TLS 1.2")
    if hello.legacy_compression_methods != b"\x00":
        raise PeerError(Reason.illegal_parameter, "compression methods other than null")


def _choose_suite(config: Any, hello: m.ClientHello) -> CipherSuite:
    for suite in config.cipher_suites:
        if int(suite) in hello.cipher_suites:
            return CipherSuite(suite)
    raise PeerError(Reason.handshake_failure, "no cipher suite in common")


def _client_shares(hello: m.ClientHello, groups: m.SupportedGroups) -> dict[int, bytes]:
    key_share = _require(hello, m.KeyShareClientHello, "key_share")
    shares: dict[int, bytes] = {}
    for entry in key_share.shares:
        # §4.2.8: one share per group, each for a group listed in supported_groups.
        if entry.group in shares:
            raise PeerError(Reason.illegal_parameter, "two key shares for one group")
        if entry.group not in groups.groups:
            raise PeerError(
                Reason.illegal_parameter, "key share for a group not in supported_groups"
            )
        shares[entry.group] = entry.key_exchange
    return shares


def _choose_credential(
    config: Any, hello: m.ClientHello, server_name: str | None
) -> tuple[ServerCredential, SignatureScheme]:
    sig_algs = _require(hello, m.SignatureAlgorithms, "signature_algorithms")
    creds = config.credentials
    if server_name is not None:
        named = [
            c for c in creds if any(certificates.name_matches(p, server_name) for p in c.names)
        ]
        creds = tuple(named) + tuple(c for c in creds if c not in named)
    for cred in creds:
        key = cred.private_key
        for scheme in config.signature_schemes:
            if int(scheme) in sig_algs.schemes and common.scheme_fits_key(
                scheme, key.algorithm, getattr(key, "curve", None)
            ):
                return cred, SignatureScheme(scheme)
    raise PeerError(
        Reason.handshake_failure, "no certificate fits the client's signature algorithms"
    )


def _choose_alpn(config: Any, hello: m.ClientHello) -> bytes | None:
    offer = m.find(hello.extensions, m.ApplicationLayerProtocolNegotiation)
    if not isinstance(offer, m.ApplicationLayerProtocolNegotiation) or not config.alpn_protocols:
        return None
    for proto in config.alpn_protocols:
        if proto in offer.protocols:
            return proto
    raise PeerError(Reason.no_application_protocol, "no ALPN protocol in common")  # RFC 7301 §3.2


def _server_name(hello: m.ClientHello) -> str | None:
    sn = m.find(hello.extensions, m.ServerName)
    if not isinstance(sn, m.ServerName):
        return None
    try:
        name = sn.host_name.decode("ascii")
    except UnicodeDecodeError:
        raise PeerError(Reason.illegal_parameter, "server_name is not ASCII") from None
    if not name or name.endswith(".") or certificates.is_ip_address(name):
        raise PeerError(Reason.illegal_parameter, "server_name is not a host name")  # RFC 6066 §3
    return name.lower()


def _cookie_for(state: State, transcript: bytes) -> tuple[State, bytes]:
    state, nonce = common.random_bytes(state, 16)
    return state, nonce + crypto.digest("sha256", nonce + transcript)[:16]


# ---- ClientHello ---------------------------------------------------------------------


def on_client_hello(state: State, msg: m.ClientHello, raw: bytes, out: Output, now: float) -> State:
    config = state.config
    _check_client_hello(msg)
    suite = _choose_suite(config, msg)
    groups = _require(msg, m.SupportedGroups, "supported_groups")
    shares = _client_shares(msg, groups)
    hash_name = common.suite_parameters(suite).hash_name

    for group in config.groups:
        if int(group) in shares:
            return _server_hello(state, msg, raw, b"", suite, NamedGroup(group), shares, out, now)
    # No usable share: ask for one of the groups we both support (§4.1.4).
    wanted = next((g for g in config.groups if int(g) in groups.groups), None)
    if wanted is None:
        raise PeerError(Reason.handshake_failure, "no group in common")
    extensions: list[m.Extension] = [
        m.SupportedVersionsServerHello(m.TLS13),
        m.KeyShareHelloRetryRequest(int(wanted)),
    ]
    transcript = common.hello_retry_transcript(raw, hash_name)
    cookie = None
    if config.hello_retry_cookie:
        state, cookie = _cookie_for(state, transcript)
        extensions.append(m.Cookie(cookie))
    retry = m.HelloRetryRequest(0x0303, msg.legacy_session_id, int(suite), 0, tuple(extensions))
    retry_raw = write_handshake(retry)
    state = common.emit_handshake(state, out, retry_raw)
    if msg.legacy_session_id:
        state = common.emit_ccs(state, out)  # §D.4: right after our first handshake message
    return replace(
        state,
        phase=AwaitSecondClientHello(msg, retry, transcript + retry_raw, cookie),
        negotiated=replace(state.negotiated, hello_retry=True),
    )


# §4.1.2: what ClientHello2 may change (key_share, early_data, cookie,
# pre_shared_key) or that only depends on the hello's length (padding).
_RETRY_MAY_CHANGE = frozenset({E.key_share, E.early_data, E.cookie, E.pre_shared_key, E.padding})


def _kept_extensions(hello: m.ClientHello) -> tuple[m.Extension, ...]:
    return tuple(e for e in hello.extensions if extension_type(e) not in _RETRY_MAY_CHANGE)


def on_second_client_hello(
    state: State, msg: m.ClientHello, raw: bytes, out: Output, now: float
) -> State:
    phase = state.phase
    _check_client_hello(msg)
    first = phase.first
    # §4.1.2: ClientHello2 repeats ClientHello1 except for the fields the HRR touched.
    if (
        msg.random != first.random
        or msg.legacy_version != first.legacy_version
        or msg.legacy_session_id != first.legacy_session_id
        or msg.cipher_suites != first.cipher_suites
        or msg.legacy_compression_methods != first.legacy_compression_methods
        or _kept_extensions(msg) != _kept_extensions(first)
    ):
        raise PeerError(Reason.illegal_parameter, "second ClientHello changed")
    suite = CipherSuite(phase.retry.cipher_suite)
    if int(suite) not in msg.cipher_suites:
        raise PeerError(Reason.illegal_parameter, "second ClientHello dropped the suite")
    if phase.cookie is not None:
        cookie = m.find(msg.extensions, m.Cookie)
        if not isinstance(cookie, m.Cookie) or not crypto.constant_time_equal(
            cookie.cookie, phase.cookie
        ):
            raise PeerError(Reason.illegal_parameter, "cookie missing or altered")
    groups = _require(msg, m.SupportedGroups, "supported_groups")
    shares = _client_shares(msg, groups)
    wanted = m.find(phase.retry.extensions, m.KeyShareHelloRetryRequest)
    assert isinstance(wanted, m.KeyShareHelloRetryRequest)
    if set(shares) != {wanted.selected_group}:
        raise PeerError(Reason.illegal_parameter, "second ClientHello lacks the requested share")
    group = NamedGroup(wanted.selected_group)
    return _server_hello(state, msg, raw, phase.transcript, suite, group, shares, out, now)


def _server_hello(
    state: State,
    hello: m.ClientHello,
    hello_raw: bytes,
    transcript_prefix: bytes,
    suite: CipherSuite,
    group: NamedGroup,
    shares: dict[int, bytes],
    out: Output,
    now: float,
) -> State:
    config = state.config
    server_name = _server_name(hello)
    h = common.suite_parameters(suite).hash_name
    alpn = _choose_alpn(config, hello)
    psk_index, ticket = _accept_psk(
        config, hello, hello_raw, transcript_prefix, suite, server_name, alpn, now
    )
    psk = ticket.psk if ticket is not None else None
    if psk is None:
        credential, scheme = _choose_credential(config, hello, server_name)
    # One DRBG call: the key share's secret, then the ServerHello random.
    secret_length = crypto.random_bytes_for(group)
    state, drawn = common.random_bytes(state, secret_length + 32)
    secret, random = drawn[:secret_length], drawn[secret_length:]
    our_share, shared = crypto.respond(group, secret, shares[int(group)])
    server_hello = m.ServerHello(
        0x0303,
        random,
        hello.legacy_session_id,
        int(suite),
        0,
        (
            m.KeyShareServerHello(m.KeyShareEntry(int(group), our_share)),
            m.SupportedVersionsServerHello(m.TLS13),
        )
        + ((m.PreSharedKeyServerHello(psk_index),) if psk is not None else ()),
    )
    sh_raw = write_handshake(server_hello)
    params = common.suite_parameters(suite)
    transcript = transcript_prefix + hello_raw + sh_raw
    hs_secret = key_schedule.handshake_secret(key_schedule.early_secret(h, psk), shared, h)
    th = common.transcript_hash(transcript, h)
    c_hs = key_schedule.derive_secret(hs_secret, b"c hs traffic", th, h)
    s_hs = key_schedule.derive_secret(hs_secret, b"s hs traffic", th, h)

    state = common.emit_handshake(state, out, sh_raw)
    if hello.legacy_session_id:
        state = common.emit_ccs(state, out)
    peer_limit = m.find(hello.extensions, m.RecordSizeLimit)
    state = replace(
        state,
        write=Protection.from_secret(params, s_hs),
        read=Protection.from_secret(params, c_hs),
        negotiated=replace(
            state.negotiated,
            suite=suite,
            group=group,
            alpn=alpn,
            server_name=server_name,
            own_signature_scheme=None if psk is not None else scheme,
            resumed=psk is not None,
            peer_chain=ticket.client_chain if ticket is not None else (),
        ),
    )

    # §4.2.7: our group preferences, so the client can use them next time.
    ee: list[m.Extension] = [m.SupportedGroups(tuple(int(g) for g in config.groups))]
    if isinstance(peer_limit, m.RecordSizeLimit):
        own_limit = config.record_size_limit or (1 << 14) + 1
        state = replace(
            state,
            negotiated=replace(
                state.negotiated,
                peer_record_size_limit=peer_limit.limit,
                own_record_size_limit=own_limit,
            ),
        )
        ee.append(m.RecordSizeLimit(own_limit))
    if server_name is not None:
        ee.append(m.ServerNameAck())
    if alpn is not None:
        ee.append(m.ApplicationLayerProtocolNegotiation((alpn,)))
    flight = write_handshake(m.EncryptedExtensions(tuple(ee)))
    ask_client = config.client_authenticator is not None and psk is None
    if psk is None:  # §4.3.2: a PSK handshake carries no certificates
        if ask_client:
            schemes = m.SignatureAlgorithms(tuple(int(x) for x in config.signature_schemes))
            flight += write_handshake(m.CertificateRequest(b"", (schemes,)))
        flight += write_handshake(
            m.Certificate(b"", tuple(m.CertificateEntry(der, ()) for der in credential.chain))
        )
    transcript += flight
    cv = b""
    if psk is None:
        digest = common.transcript_hash(transcript, h)
        content = common.certificate_verify_content("server", digest)
        state, signature = common.sign(
            state, credential.private_key, content, SCHEMES[scheme].x509_name
        )
        cv = write_handshake(m.CertificateVerify(int(scheme), signature))
    transcript += cv
    verify_data = key_schedule.finished_verify_data(s_hs, common.transcript_hash(transcript, h), h)
    fin = write_handshake(m.Finished(verify_data))
    transcript += fin
    state = common.emit_handshake(state, out, flight + cv + fin)
    master = key_schedule.master_secret(hs_secret, h)
    c_ap, s_ap, exporter = common.application_secrets(master, transcript, h)
    awaiting = AwaitClientFinished(h, master, c_hs, c_ap, transcript)
    return replace(
        state,
        phase=AwaitClientCertificate(awaiting) if ask_client else awaiting,
        write=Protection.from_secret(params, s_ap),
        negotiated=replace(state.negotiated, exporter_master_secret=exporter),
    )


def on_client_certificate(
    state: State, msg: m.Certificate, raw: bytes, out: Output, now: float
) -> State:
    finished = state.phase.finished
    if msg.certificate_request_context:
        raise PeerError(Reason.illegal_parameter, "certificate_request_context differs")
    finished = replace(finished, transcript=finished.transcript + raw)
    if not msg.certificate_list:
        if state.config.require_client_certificate:
            raise PeerError(Reason.certificate_required, "client sent no certificate")
        return replace(state, phase=finished)
    chain = tuple(e.cert_data for e in msg.certificate_list)
    peer_key = state.config.client_authenticator(chain, None, now)
    return replace(
        state,
        phase=AwaitClientCertificateVerify(finished, peer_key),
        negotiated=replace(state.negotiated, peer_chain=chain),
    )


def on_client_certificate_verify(
    state: State, msg: m.CertificateVerify, raw: bytes, out: Output, now: float
) -> State:
    finished = state.phase.finished
    content = common.certificate_verify_content(
        "client", common.transcript_hash(finished.transcript, finished.hash_name)
    )
    offered = tuple(int(x) for x in state.config.signature_schemes)
    scheme = common.verify_certificate_verify(
        state.phase.peer_key, msg.algorithm, msg.signature, content, offered
    )
    return replace(
        state,
        phase=replace(finished, transcript=finished.transcript + raw),
        negotiated=replace(state.negotiated, peer_signature_scheme=scheme),
    )


def on_client_finished(state: State, msg: m.Finished, raw: bytes, out: Output, now: float) -> State:
    phase = state.phase
    common.finished_matches(phase.client_secret, phase.transcript, phase.hash_name, msg.verify_data)
    params = common.suite_parameters(state.negotiated.suite)
    out.events.append(complete_event(state.negotiated))
    state = replace(
        state,
        phase=common.Established(),
        read=Protection.from_secret(params, phase.client_application_secret),
    )
    if state.config.session_tickets:
        rms = common.resumption_master_secret(
            phase.master_secret, phase.transcript + raw, phase.hash_name
        )
        state = _send_tickets(state, rms, phase.hash_name, out, now)
    return state


def _send_tickets(state: State, rms: bytes, hash_name: str, out: Output, now: float) -> State:
    """NewSessionTickets (RFC 8446 §4.6.1), sealed so that we keep no session state."""
    config = state.config
    n = state.negotiated
    messages = b""
    assert n.suite is not None
    if not session.chain_fits(n.peer_chain):
        return state  # no tickets rather than a resumption without the client identity
    for i in range(config.session_tickets):
        state, rand = common.random_bytes(state, 16)
        nonce = bytes([i])
        contents = session.TicketContents(
            int(n.suite),
            int(now * 1000),
            int.from_bytes(rand[:4], "big"),
            key_schedule.resumption_psk(rms, nonce, hash_name),
            n.alpn or b"",
            (n.server_name or "").encode(),
            n.peer_chain,
        )
        ticket = session.seal_ticket(config.ticket_key, rand[4:], contents)
        messages += write_handshake(
            m.NewSessionTicket(config.ticket_lifetime, contents.ticket_age_add, nonce, ticket, ())
        )
    return common.emit_protected(state, out, ContentType.handshake, messages)


def _accept_psk(
    config: Any,
    hello: m.ClientHello,
    hello_raw: bytes,
    transcript_prefix: bytes,
    suite: CipherSuite,
    server_name: str | None,
    alpn: bytes | None,
    now: float,
) -> tuple[int, session.TicketContents | None]:
    """The index and contents of the first ticket we can resume (RFC 8446 §4.2.11).

    A ticket resumes only the session it was issued for: the same server name
    (RFC 8446 §4.6.1; a ticket for one virtual host is no session at another) and
    the same ALPN protocol (what the application built on that session)."""
    offer = m.find(hello.extensions, m.PreSharedKeyClientHello)
    modes = m.find(hello.extensions, m.PskKeyExchangeModes)
    if offer is None or not config.session_tickets:
        return 0, None
    if modes is None:
        raise PeerError(Reason.missing_extension, "pre_shared_key without psk_key_exchange_modes")
    if m.PSK_DHE_KE not in modes.modes:
        return 0, None  # we only resume with a fresh (EC)DHE exchange
    h = common.suite_parameters(suite).hash_name
    for index, identity in enumerate(offer.identities[:4]):
        contents = session.open_ticket(config.ticket_key, identity.identity)
        if contents is None or contents.cipher_suite not in [int(s) for s in config.cipher_suites]:
            continue
        if common.suite_parameters(CipherSuite(contents.cipher_suite)).hash_name != h:
            continue
        if contents.server_name != (server_name or "").encode() or contents.alpn != (alpn or b""):
            continue
        if config.require_client_certificate and not contents.client_chain:
            continue  # a session without a client certificate cannot stand in for one
        age_ms = int(now * 1000) - contents.issued_ms
        client_age = (identity.obfuscated_ticket_age - contents.ticket_age_add) % (1 << 32)
        if not 0 <= age_ms <= config.ticket_lifetime * 1000:
            continue
        if abs(client_age - age_ms) > session.AGE_TOLERANCE_MS:
            continue  # §8.3: a replayed or stale ClientHello; fall back to a full handshake
        truncated = hello_raw[: len(hello_raw) - offer.binders_length()]
        early = key_schedule.early_secret(h, contents.psk)
        binder = key_schedule.psk_binder(early, transcript_prefix + truncated, h)
        if not crypto.constant_time_equal(binder, offer.binders[index]):
            raise PeerError(Reason.decrypt_error, "PSK binder does not verify")
        return index, contents
    return 0, None


Handler = Callable[[State, Any, bytes, Output, float], State]

TRANSITIONS: dict[tuple[type, type], Handler] = {
    (AwaitClientHello, m.ClientHello): on_client_hello,
    (AwaitSecondClientHello, m.ClientHello): on_second_client_hello,
    (AwaitClientCertificate, m.Certificate): on_client_certificate,
    (AwaitClientCertificateVerify, m.CertificateVerify): on_client_certificate_verify,
    (AwaitClientFinished, m.Finished): on_client_finished,
}
