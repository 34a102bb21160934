"""TLS ContentType registry (RFC 8446 §5.1)."""

from __future__ import annotations

from enum import IntEnum


class ContentType(IntEnum):
    change_cipher_spec = 20
    alert = 21
    handshake = 22
    application_data = 23
