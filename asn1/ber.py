"""BER: indefinite lengths, constructed strings, non-minimal lengths, any BOOLEAN true
byte, SET components in any order, time zones and fractions in times.  Encoding is
always DER (a valid BER encoding)."""

from __future__ import annotations

from typing import Any as TAny

from . import decoder, encoder
from .grammar import Grammar


def decode(grammar: Grammar, data: bytes | bytearray | memoryview) -> TAny:
    """Decode BER ``data`` (exactly one element); raises asn1.DecodeError."""
    return decoder.decode(grammar, data, ber=True)


def encode(grammar: Grammar, value: TAny) -> bytes:
    """The DER encoding, which every BER decoder accepts."""
    return encoder.encode(grammar, value)
