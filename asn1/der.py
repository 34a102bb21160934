"""Strict DER: ``decode(grammar, data)`` accepts only the one DER encoding of a value;
``encode(grammar, value)`` produces it."""

from __future__ import annotations

from typing import Any as TAny

from . import decoder, encoder
from .grammar import Grammar


def decode(grammar: Grammar, data: bytes | bytearray | memoryview) -> TAny:
    """Decode DER ``data`` (exactly one element, nothing after it); raises asn1.DecodeError."""
    return decoder.decode(grammar, data, ber=False)


def encode(grammar: Grammar, value: TAny) -> bytes:
    """DER-encode ``value``; raises asn1.EncodeError when it does not fit the grammar."""
    return encoder.encode(grammar, value)
