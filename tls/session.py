"""Resumption: what a client keeps from a NewSessionTicket, and the server's tickets.

A client stores :class:`Session` values (from ``SessionTicket`` events) and passes
one to ``engine.client`` to resume.  The server's tickets are self-contained: the
resumption PSK and its context sealed with the server's ticket key (AES-256-GCM),
so the server keeps no per-session state.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

import nocrypto
from nocrypto import aead
from tls.wire.cipher_suite import CipherSuite

TICKET_AAD = b"puretls ticket v2"
# A NewSessionTicket's ticket is at most 2^16 - 1 bytes (RFC 8446 §4.6.1); a client
# chain that would not fit leaves that session without tickets.
MAX_TICKET_CHAIN = 60_000
# RFC 8446 §4.6.1 / §8.3: tickets live at most 7 days; allow this much clock skew.
MAX_LIFETIME = 7 * 24 * 3600
AGE_TOLERANCE_MS = 10_000


@dataclass(frozen=True, slots=True)
class Session:
    """A resumable session as the client sees it (RFC 8446 §4.6.1)."""

    server_name: str | None
    cipher_suite: CipherSuite
    psk: bytes = field(repr=False)
    ticket: bytes = field(repr=False)
    ticket_age_add: int
    lifetime: int
    received_at: float
    alpn: bytes | None = None
    peer_chain: tuple[bytes, ...] = field(default=(), repr=False)

    def usable_at(self, now: float) -> bool:
        return self.received_at <= now < self.received_at + min(self.lifetime, MAX_LIFETIME)

    def obfuscated_age(self, now: float) -> int:
        return (int((now - self.received_at) * 1000) + self.ticket_age_add) % (1 << 32)


@dataclass(frozen=True, slots=True)
class TicketContents:
    cipher_suite: int
    issued_ms: int
    ticket_age_add: int
    psk: bytes = field(repr=False)
    alpn: bytes
    server_name: bytes
    # The client's certificate chain from the full handshake (empty: no client auth),
    # so that a resumed session carries the same client identity (RFC 8446 §2.2).
    client_chain: tuple[bytes, ...] = field(default=(), repr=False)


def chain_fits(chain: tuple[bytes, ...]) -> bool:
    return len(chain) < 256 and sum(3 + len(c) for c in chain) <= MAX_TICKET_CHAIN


def seal_ticket(key: bytes, nonce: bytes, contents: TicketContents) -> bytes:
    if not chain_fits(contents.client_chain):
        raise ValueError("client chain too large for a ticket")
    body = struct.pack(">HQI", contents.cipher_suite, contents.issued_ms, contents.ticket_age_add)
    for part in (contents.psk, contents.alpn, contents.server_name):
        body += bytes([len(part)]) + part
    body += bytes([len(contents.client_chain)])
    for der in contents.client_chain:
        body += len(der).to_bytes(3, "big") + der
    return nonce + aead.AESGCM(key).seal(nonce, body, TICKET_AAD)


def open_ticket(key: bytes, ticket: bytes) -> TicketContents | None:
    """The contents of one of our tickets, or None for anything else."""
    if len(ticket) < 12 + 16 + 14:
        return None
    try:
        body = aead.AESGCM(key).open(ticket[:12], ticket[12:], TICKET_AAD)
    except nocrypto.AuthenticationError:
        return None
    try:
        suite, issued, age_add = struct.unpack(">HQI", body[:14])
        parts, pos = [], 14
        for _ in range(3):
            n = body[pos]
            parts.append(body[pos + 1 : pos + 1 + n])
            pos += 1 + n
        chain = []
        for _ in range(body[pos]):
            n = int.from_bytes(body[pos + 1 : pos + 4], "big")
            chain.append(body[pos + 4 : pos + 4 + n])
            pos += 3 + n
    except (IndexError, struct.error):
        return None  # authentic, so only a ticket from another version of this code
    return TicketContents(suite, issued, age_add, parts[0], parts[1], parts[2], tuple(chain))
