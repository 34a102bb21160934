"""The TLS 1.3 client handshake (RFC 8446 §4), as pure transitions.

States are named after what the client awaits next; :data:`TRANSITIONS` maps
``(state type, message type)`` to the handler.  Each handler takes the connection
state, the parsed message and its raw bytes, and returns the next state.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from tls import crypto, key_schedule
from tls.certificates import is_ip_address
from tls.events import HandshakeComplete
from tls.failures import PeerError, Reason
from tls.handshake import common
from tls.handshake.common import Output, State, replace
from tls.record import Protection
from tls.session import Session
from tls.wire import messages as m
from tls.wire.cipher_suite import CipherSuite
from tls.wire.extension_type import ENCRYPTED_EXTENSIONS_ALLOWED, ExtensionType
from tls.wire.extension_type import ExtensionType as E
from tls.wire.named_group import NamedGroup
from tls.wire.signature_scheme import SCHEMES
from tls.wire.writer import extension_type, write_handshake

# ---- states ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AwaitServerHello:
    client_hello: m.ClientHello
    client_hello_bytes: bytes = field(repr=False)
    key_exchanges: tuple[crypto.KeyExchange, ...] = field(repr=False)
    # After a HelloRetryRequest: the HRR and the transcript up to (not incl.) ClientHello2.
    hello_retry: m.HelloRetryRequest | None = None
    retry_transcript: bytes = field(default=b"", repr=False)
    session: Session | None = field(default=None, repr=False)  # offered for resumption


class Keys(NamedTuple):
    """Handshake secrets and the running transcript, carried through the encrypted flight
    (a named tuple: rebuilt for every message; ``repr`` shows no secret)."""

    hash_name: str
    handshake_secret: bytes
    client_secret: bytes
    server_secret: bytes
    transcript: bytes
    offered: m.ClientHello
    certificate_request_context: bytes | None = None
    requested_schemes: tuple[int, ...] = ()
    resumed: bool = False
    peer_key: Any = None

    def __repr__(self) -> str:
        return f"Keys({self.hash_name}, resumed={self.resumed})"


@dataclass(frozen=True, slots=True)
class AwaitEncryptedExtensions:
    keys: Keys


@dataclass(frozen=True, slots=True)
class AwaitCertificateOrCertificateRequest:
    keys: Keys


@dataclass(frozen=True, slots=True)
class AwaitCertificate:
    keys: Keys


@dataclass(frozen=True, slots=True)
class AwaitCertificateVerify:
    keys: Keys


@dataclass(frozen=True, slots=True)
class AwaitFinished:
    keys: Keys


# ---- the first flight ----------------------------------------------------------------


def _grease_value(byte: int) -> int:
    nibble = byte & 0xF0 | 0x0A
    return nibble << 8 | nibble


@functools.lru_cache(maxsize=64)
def _code_points(values: tuple[Any, ...]) -> tuple[int, ...]:
    """A config's enum tuple as plain ints, once per distinct tuple (configs are frozen)."""
    return tuple(int(v) for v in values)


def _build_client_hello(
    config: Any,
    server_name: str | None,
    random: bytes,
    session_id: bytes,
    shares: tuple[crypto.KeyExchange, ...],
    grease: bytes,
    cookie: bytes | None = None,
    retry: bool = False,
    psk_identity: m.PskIdentity | None = None,
    binder_length: int = 0,
) -> tuple[m.ClientHello, bytes]:
    """The ClientHello and its encoding (binders still zero when a PSK is offered)."""
    g = [_grease_value(b) for b in grease] if config.grease else []
    suites = tuple(g[:1]) + _code_points(config.cipher_suites)
    groups = tuple(g[1:2]) + _code_points(config.groups)
    entries = tuple(m.KeyShareEntry(int(k.group), k.share) for k in shares)
    if g and not retry:  # §4.1.2: ClientHello2 carries exactly the one requested share
        entries = (m.KeyShareEntry(g[1], b"\x00"),) + entries
    versions = tuple(g[2:3]) + tuple(config.versions)
    ext: list[m.Extension] = []
    if server_name is not None:
        ext.append(m.ServerName(server_name.encode("idna")))
    ext += [
        m.SupportedVersionsClientHello(versions),
        m.SupportedGroups(groups),
        m.KeyShareClientHello(entries),
        m.SignatureAlgorithms(_code_points(config.signature_schemes)),
    ]
    if cookie is not None:
        ext.append(m.Cookie(cookie))
    if config.alpn_protocols:
        ext.append(m.ApplicationLayerProtocolNegotiation(tuple(config.alpn_protocols)))
    if config.record_size_limit is not None:
        ext.append(m.RecordSizeLimit(config.record_size_limit))
    if g:
        ext.append(m.RawExtension(g[3], b""))
    if psk_identity is not None:
        ext.append(m.PskKeyExchangeModes((m.PSK_DHE_KE,)))
    # §4.2.11: pre_shared_key goes last; its binder is filled in once the rest is fixed.
    psk: tuple[m.Extension, ...] = ()
    if psk_identity is not None:
        psk = (m.PreSharedKeyClientHello((psk_identity,), (bytes(binder_length),)),)
    hello = m.ClientHello(0x0303, random, session_id, suites, b"\x00", tuple(ext) + psk)
    # RFC 7685 §4 / RFC 8446 §4.1.2: some middleboxes choke on hellos of 256..511 bytes.
    raw = write_handshake(hello)
    if 256 <= len(raw) < 512:
        pad = max(512 - len(raw) - 4, 0)
        hello = replace(hello, extensions=tuple(ext) + (m.Padding(pad),) + psk)
        raw = write_handshake(hello)
    return hello, raw


def _bind(hello: m.ClientHello, psk: bytes, hash_name: str, prefix: bytes) -> m.ClientHello:
    """Fill in the PSK binder (RFC 8446 §4.2.11.2) over ``prefix`` + the truncated hello."""
    offer = hello.extensions[-1]
    assert isinstance(offer, m.PreSharedKeyClientHello)
    raw = write_handshake(hello)
    truncated = raw[: len(raw) - offer.binders_length()]
    early = key_schedule.early_secret(hash_name, psk)
    binder = key_schedule.psk_binder(early, prefix + truncated, hash_name)
    bound = replace(offer, binders=(binder,))
    return replace(hello, extensions=hello.extensions[:-1] + (bound,))


def _resumable(config: Any, session: Session | None, server_name: str | None, now: float) -> bool:
    return (
        session is not None
        and session.usable_at(now)
        and session.cipher_suite in config.cipher_suites
        and session.server_name == server_name
    )


def start(
    state: State, server_name: str | None, session: Session | None = None, now: float = 0.0
) -> tuple[State, bytes]:
    """The initial ClientHello (RFC 8446 §4.1.2), offering ``session`` if it still fits."""
    config = state.config
    # One DRBG call for the whole flight: random, session id, key shares, GREASE, in order.
    sizes = [32, 32 if config.middlebox_compatibility else 0]
    sizes += [crypto.random_bytes_for(group) for group in config.key_share_groups]
    sizes.append(4)
    state, drawn = common.random_bytes(state, sum(sizes))
    parts, at = [], 0
    for size in sizes:
        parts.append(drawn[at : at + size])
        at += size
    random, session_id, *secrets, grease = parts
    shares = [
        crypto.generate(group, secret)
        for group, secret in zip(config.key_share_groups, secrets, strict=True)
    ]
    sni = None if server_name is None or common_is_ip(server_name) else server_name
    if not _resumable(config, session, server_name, now):
        session = None
    if session is not None:
        h = common.suite_parameters(session.cipher_suite).hash_name
        identity = m.PskIdentity(session.ticket, session.obfuscated_age(now))
        hello, _ = _build_client_hello(
            config,
            sni,
            random,
            session_id,
            tuple(shares),
            grease,
            psk_identity=identity,
            binder_length=crypto.HASH_LENGTH[h],
        )
        hello = _bind(hello, session.psk, h, b"")
        raw = write_handshake(hello)
    else:
        hello, raw = _build_client_hello(config, sni, random, session_id, tuple(shares), grease)
    state = replace(
        state,
        phase=AwaitServerHello(hello, raw, tuple(shares), session=session),
        negotiated=replace(state.negotiated, server_name=server_name),
    )
    out = Output()
    state = common.emit_handshake(state, out, raw)
    return state, b"".join(out.send)


def common_is_ip(name: str) -> bool:
    return is_ip_address(name)


# ---- ServerHello / HelloRetryRequest ---------------------------------------------------


def _check_server_hello_common(
    phase: AwaitServerHello, message: m.ServerHello | m.HelloRetryRequest, allowed: frozenset
) -> None:
    hello = phase.client_hello
    versions = m.find(message.extensions, m.SupportedVersionsServerHello)
    if versions is None:
        # A TLS 1.2 (or older) answer; a 1.3 server must not downgrade us.
        random = getattr(message, "random", b"")
        if random[-8:] in (m.DOWNGRADE_TLS12, m.DOWNGRADE_TLS11):
            raise PeerError(Reason.inappropriate_fallback, "downgrade sentinel in ServerHello")
        raise PeerError(Reason.protocol_version, "server does not speak TLS 1.3")
    assert isinstance(versions, m.SupportedVersionsServerHello)
    if versions.selected_version != m.TLS13:
        raise PeerError(Reason.illegal_parameter, "server selected a version we did not offer")
    if message.legacy_version != 0x0303:
        raise PeerError(Reason.illegal_parameter, "legacy_version is not 0x0303")
    if message.legacy_session_id_echo != hello.legacy_session_id:
        raise PeerError(Reason.illegal_parameter, "legacy_session_id_echo differs")
    # Membership in our offer alone is not enough: the offer also holds GREASE values.
    if message.cipher_suite not in hello.cipher_suites or message.cipher_suite not in KNOWN_SUITES:
        raise PeerError(Reason.illegal_parameter, "cipher suite not offered")
    if message.legacy_compression_method != 0:
        raise PeerError(Reason.illegal_parameter, "compression is not null")
    offered_types = {_ext_type(e) for e in hello.extensions}
    for e in message.extensions:
        t = _ext_type(e)
        # §4.1.4: the cookie is the one extension a server may send unasked.
        if t not in offered_types and t != E.cookie:
            raise PeerError(Reason.unsupported_extension, f"extension {t} was not offered")
        if t not in allowed:
            raise PeerError(Reason.illegal_parameter, f"extension {t} not allowed here")


KNOWN_SUITES = frozenset(int(s) for s in CipherSuite)


def _ext_type(e: m.Extension) -> int:
    return extension_type(e)


def on_server_hello(state: State, msg: m.ServerHello, raw: bytes, out: Output, now: float) -> State:
    phase = state.phase
    _check_server_hello_common(
        phase, msg, frozenset({E.key_share, E.supported_versions, E.pre_shared_key})
    )
    if msg.random[-8:] in (m.DOWNGRADE_TLS12, m.DOWNGRADE_TLS11):
        # §4.1.3: a TLS 1.3 ServerHello never carries the sentinel.
        raise PeerError(Reason.illegal_parameter, "downgrade sentinel in a TLS 1.3 ServerHello")
    suite = CipherSuite(msg.cipher_suite)
    if suite not in state.config.cipher_suites:
        raise PeerError(Reason.illegal_parameter, "cipher suite not offered")
    if phase.hello_retry is not None and phase.hello_retry.cipher_suite != msg.cipher_suite:
        raise PeerError(Reason.illegal_parameter, "cipher suite changed after HelloRetryRequest")
    key_share = m.find(msg.extensions, m.KeyShareServerHello)
    if key_share is None:
        raise PeerError(Reason.missing_extension, "ServerHello without key_share")
    assert isinstance(key_share, m.KeyShareServerHello)
    kex = next((k for k in phase.key_exchanges if k.group == key_share.share.group), None)
    if kex is None:
        raise PeerError(Reason.illegal_parameter, "key share for a group we sent no share for")
    shared = crypto.shared_secret(kex, key_share.share.key_exchange)

    hash_name = common.suite_parameters(suite).hash_name
    if phase.hello_retry is not None:
        transcript = phase.retry_transcript + phase.client_hello_bytes + raw
    else:
        transcript = phase.client_hello_bytes + raw
    psk = None
    chosen = m.find(msg.extensions, m.PreSharedKeyServerHello)
    if chosen is not None:
        session = phase.session
        # §4.2.11: the index must name an identity we offered, for this suite's hash.
        if session is None or chosen.selected_identity != 0:
            raise PeerError(Reason.illegal_parameter, "server selected a PSK we did not offer")
        if common.suite_parameters(session.cipher_suite).hash_name != hash_name:
            raise PeerError(Reason.illegal_parameter, "resumed with a suite of another hash")
        psk = session.psk
    early = key_schedule.early_secret(hash_name, psk)
    hs_secret = key_schedule.handshake_secret(early, shared, hash_name)
    th = common.transcript_hash(transcript, hash_name)
    c_hs = key_schedule.derive_secret(hs_secret, b"c hs traffic", th, hash_name)
    s_hs = key_schedule.derive_secret(hs_secret, b"s hs traffic", th, hash_name)
    params = common.suite_parameters(suite)
    keys = Keys(hash_name, hs_secret, c_hs, s_hs, transcript, phase.client_hello)
    keys = replace(keys, resumed=psk is not None)
    compat = bool(phase.client_hello.legacy_session_id)
    negotiated = replace(state.negotiated, suite=suite, group=kex.group, resumed=psk is not None)
    if psk is not None and phase.session is not None:
        negotiated = replace(negotiated, peer_chain=phase.session.peer_chain)
    return replace(
        state,
        phase=AwaitEncryptedExtensions(keys),
        read=Protection.from_secret(params, s_hs),
        write=Protection.from_secret(params, c_hs),
        ccs_pending=compat and not state.ccs_sent,
        negotiated=negotiated,
    )


def on_hello_retry_request(
    state: State, msg: m.HelloRetryRequest, raw: bytes, out: Output, now: float
) -> State:
    phase = state.phase
    if phase.hello_retry is not None:
        raise PeerError(Reason.unexpected_message, "second HelloRetryRequest")
    _check_server_hello_common(phase, msg, frozenset({E.key_share, E.supported_versions, E.cookie}))
    suite = CipherSuite(msg.cipher_suite)
    if suite not in state.config.cipher_suites:
        raise PeerError(Reason.illegal_parameter, "cipher suite not offered")
    key_share = m.find(msg.extensions, m.KeyShareHelloRetryRequest)
    cookie = m.find(msg.extensions, m.Cookie)
    kexes = phase.key_exchanges
    if key_share is not None:
        assert isinstance(key_share, m.KeyShareHelloRetryRequest)
        group = key_share.selected_group
        if group not in [int(g) for g in state.config.groups]:
            raise PeerError(Reason.illegal_parameter, "HelloRetryRequest names a group not offered")
        if any(int(k.group) == group for k in kexes):
            raise PeerError(Reason.illegal_parameter, "HelloRetryRequest for a share we sent")
        state, secret = common.random_bytes(state, crypto.random_bytes_for(NamedGroup(group)))
        kexes = (crypto.generate(NamedGroup(group), secret),)
    elif cookie is None:
        # §4.1.4: an HRR that would not change the ClientHello is illegal.
        raise PeerError(Reason.illegal_parameter, "HelloRetryRequest changes nothing")
    hash_name = common.suite_parameters(suite).hash_name
    first = phase.client_hello
    grease = _grease_bytes(first)
    retry_transcript = common.hello_retry_transcript(phase.client_hello_bytes, hash_name) + raw
    session = phase.session
    if session is not None and common.suite_parameters(session.cipher_suite).hash_name != hash_name:
        session = None  # §4.1.4: drop a PSK the retried suite cannot use
    identity = m.PskIdentity(session.ticket, session.obfuscated_age(now)) if session else None
    hello2, raw2 = _build_client_hello(
        state.config,
        _sni(first),
        first.random,
        first.legacy_session_id,
        kexes,
        grease,
        cookie.cookie if isinstance(cookie, m.Cookie) else None,
        retry=True,
        psk_identity=identity,
        binder_length=crypto.HASH_LENGTH[hash_name],
    )
    if session is not None:
        hello2 = _bind(hello2, session.psk, hash_name, retry_transcript)
        raw2 = write_handshake(hello2)
    if first.legacy_session_id:
        state = common.emit_ccs(state, out)  # §D.4: CCS right before the second ClientHello
    state = common.emit_handshake(state, out, raw2)
    return replace(
        state,
        phase=AwaitServerHello(hello2, raw2, kexes, msg, retry_transcript, session),
        negotiated=replace(state.negotiated, hello_retry=True),
    )


def _sni(hello: m.ClientHello) -> str | None:
    sn = m.find(hello.extensions, m.ServerName)
    return sn.host_name.decode("idna") if isinstance(sn, m.ServerName) else None


def _grease_bytes(hello: m.ClientHello) -> bytes:
    """Recover the GREASE choices of ClientHello1 so ClientHello2 repeats them (RFC 8701 §2)."""
    from tls.wire.extension_type import is_grease

    suite = next((s for s in hello.cipher_suites if is_grease(s)), 0x0A0A)
    groups = m.find(hello.extensions, m.SupportedGroups)
    group = next((g for g in groups.groups if is_grease(g)), 0x0A0A) if groups else 0x0A0A
    versions = m.find(hello.extensions, m.SupportedVersionsClientHello)
    version = next((v for v in versions.versions if is_grease(v)), 0x0A0A) if versions else 0x0A0A
    ext = next(
        (e.type for e in hello.extensions if isinstance(e, m.RawExtension) and is_grease(e.type)),
        0x0A0A,
    )
    return bytes(v >> 8 for v in (suite, group, version, ext))


# ---- the encrypted flight --------------------------------------------------------------


def on_encrypted_extensions(
    state: State, msg: m.EncryptedExtensions, raw: bytes, out: Output, now: float
) -> State:
    keys = state.phase.keys
    offered = keys.offered
    offered_types = {_ext_type(e) for e in offered.extensions}
    negotiated = state.negotiated
    for e in msg.extensions:
        t = _ext_type(e)
        if isinstance(e, m.RawExtension) and t not in ExtensionType.__members__.values():
            # Unknown to us: we could not have offered it.
            raise PeerError(Reason.unsupported_extension, f"extension {t} was not offered")
        if t not in ENCRYPTED_EXTENSIONS_ALLOWED:
            raise PeerError(Reason.illegal_parameter, f"extension {t} not allowed here")
        if t not in offered_types and t != E.supported_groups:
            raise PeerError(Reason.unsupported_extension, f"extension {t} was not offered")
        if isinstance(e, m.ApplicationLayerProtocolNegotiation):
            if e.protocols[0] not in state.config.alpn_protocols:
                raise PeerError(Reason.illegal_parameter, "server chose an ALPN we did not offer")
            negotiated = replace(negotiated, alpn=e.protocols[0])
        elif isinstance(e, m.RecordSizeLimit):
            negotiated = replace(
                negotiated,
                peer_record_size_limit=e.limit,
                own_record_size_limit=state.config.record_size_limit,
            )
    keys = replace(keys, transcript=keys.transcript + raw)
    # §2.2: a resumed handshake goes straight to the Finished.
    following = AwaitFinished(keys) if keys.resumed else AwaitCertificateOrCertificateRequest(keys)
    return replace(state, phase=following, negotiated=negotiated)


def on_certificate_request(
    state: State, msg: m.CertificateRequest, raw: bytes, out: Output, now: float
) -> State:
    if msg.certificate_request_context:
        raise PeerError(Reason.illegal_parameter, "handshake CertificateRequest has a context")
    if m.find(msg.extensions, m.SignatureAlgorithms) is None:
        raise PeerError(Reason.missing_extension, "CertificateRequest without signature_algorithms")
    keys = state.phase.keys
    schemes = m.find(msg.extensions, m.SignatureAlgorithms)
    assert schemes is not None
    keys = replace(
        keys,
        transcript=keys.transcript + raw,
        certificate_request_context=b"",
        requested_schemes=schemes.schemes,
    )
    return replace(state, phase=AwaitCertificate(keys))


def on_certificate(state: State, msg: m.Certificate, raw: bytes, out: Output, now: float) -> State:
    keys = state.phase.keys
    if msg.certificate_request_context:
        raise PeerError(Reason.illegal_parameter, "server Certificate has a request context")
    if not msg.certificate_list:
        raise PeerError(Reason.decode_error, "server sent no certificate")  # §4.4.2.4
    chain = tuple(e.cert_data for e in msg.certificate_list)
    peer_key = state.config.authenticator(chain, state.negotiated.server_name, now)
    keys = replace(keys, transcript=keys.transcript + raw, peer_key=peer_key)
    return replace(
        state,
        phase=AwaitCertificateVerify(keys),
        negotiated=replace(state.negotiated, peer_chain=chain),
    )


def on_certificate_verify(
    state: State, msg: m.CertificateVerify, raw: bytes, out: Output, now: float
) -> State:
    keys = state.phase.keys
    content = common.certificate_verify_content(
        "server", common.transcript_hash(keys.transcript, keys.hash_name)
    )
    offered = tuple(int(s) for s in state.config.signature_schemes)
    scheme = common.verify_certificate_verify(
        keys.peer_key, msg.algorithm, msg.signature, content, offered
    )
    keys = replace(keys, transcript=keys.transcript + raw)
    return replace(
        state,
        phase=AwaitFinished(keys),
        negotiated=replace(state.negotiated, peer_signature_scheme=scheme),
    )


def on_finished(state: State, msg: m.Finished, raw: bytes, out: Output, now: float) -> State:
    keys = state.phase.keys
    h = keys.hash_name
    common.finished_matches(keys.server_secret, keys.transcript, h, msg.verify_data)
    transcript = keys.transcript + raw
    master = key_schedule.master_secret(keys.handshake_secret, h)
    c_ap, s_ap, exporter = common.application_secrets(master, transcript, h)
    flight = b""
    if keys.certificate_request_context is not None:
        state, flight = _client_certificate(state, keys, transcript)
        transcript += flight
    verify_data = key_schedule.finished_verify_data(
        keys.client_secret, common.transcript_hash(transcript, h), h
    )
    flight += write_handshake(m.Finished(verify_data))
    state = common.emit_handshake(state, out, flight)
    params = common.suite_parameters(state.negotiated.suite)
    rms = common.resumption_master_secret(master, transcript + flight[-(4 + len(verify_data)) :], h)
    negotiated = replace(
        state.negotiated, exporter_master_secret=exporter, resumption_master_secret=rms
    )
    state = replace(
        state,
        phase=common.Established(),
        read=Protection.from_secret(params, s_ap),
        write=Protection.from_secret(params, c_ap),
        negotiated=negotiated,
    )
    out.events.append(complete_event(negotiated))
    return state


def _client_certificate(state: State, keys: Keys, transcript: bytes) -> tuple[State, bytes]:
    """Certificate (+ CertificateVerify) answering a CertificateRequest (§4.4.2, §4.4.3).

    With no credential fitting the server's signature algorithms, the Certificate
    is empty and the server decides whether to go on."""
    context = keys.certificate_request_context or b""
    config = state.config
    for cred in config.credentials:
        key = cred.private_key
        scheme = next(
            (
                s
                for s in config.signature_schemes
                if int(s) in keys.requested_schemes
                and common.scheme_fits_key(s, key.algorithm, getattr(key, "curve", None))
            ),
            None,
        )
        if scheme is None:
            continue
        entries = tuple(m.CertificateEntry(der, ()) for der in cred.chain)
        certificate = write_handshake(m.Certificate(context, entries))
        digest = common.transcript_hash(transcript + certificate, keys.hash_name)
        content = common.certificate_verify_content("client", digest)
        state, signature = common.sign(state, key, content, SCHEMES[scheme].x509_name)
        return state, certificate + write_handshake(m.CertificateVerify(int(scheme), signature))
    return state, write_handshake(m.Certificate(context, ()))


def complete_event(negotiated: common.Negotiated) -> HandshakeComplete:
    return HandshakeComplete(
        "TLSv1.3",
        negotiated.suite.name if negotiated.suite else "",
        negotiated.group.name if negotiated.group else None,
        negotiated.alpn.decode("ascii", "replace") if negotiated.alpn else None,
    )


Handler = Callable[[State, Any, bytes, Output, float], State]

TRANSITIONS: dict[tuple[type, type], Handler] = {
    (AwaitServerHello, m.ServerHello): on_server_hello,
    (AwaitServerHello, m.HelloRetryRequest): on_hello_retry_request,
    (AwaitEncryptedExtensions, m.EncryptedExtensions): on_encrypted_extensions,
    (AwaitCertificateOrCertificateRequest, m.CertificateRequest): on_certificate_request,
    (AwaitCertificateOrCertificateRequest, m.Certificate): on_certificate,
    (AwaitCertificate, m.Certificate): on_certificate,
    (AwaitCertificateVerify, m.CertificateVerify): on_certificate_verify,
    (AwaitFinished, m.Finished): on_finished,
}
