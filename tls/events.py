"""Small immutable events the engine reports in ``Step.events`` (h11 style)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class HandshakeComplete:
    version: str
    cipher_suite: str
    group: str | None
    alpn_protocol: str | None


@dataclass(frozen=True, slots=True)
class AlertReceived:
    level: int
    description: int


@dataclass(frozen=True, slots=True)
class CloseNotify:
    """The peer closed its direction (close_notify)."""


@dataclass(frozen=True, slots=True)
class KeyUpdated:
    direction: str  # "read" or "write"
    requested_by_peer: bool


@dataclass(frozen=True, slots=True)
class SessionTicket:
    """A NewSessionTicket arrived; ``session`` resumes it (``engine.client(session=...)``)."""

    lifetime: int
    ticket: bytes
    session: Any = None


Event = HandshakeComplete | AlertReceived | CloseNotify | KeyUpdated | SessionTicket
