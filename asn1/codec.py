"""``codec(grammar)``: the codecs of one grammar bundled, compiled once."""

from __future__ import annotations

from typing import Any as TAny

from . import decoder, encoder
from .grammar import Grammar


class Codec:
    """``decode`` is strict DER, ``decode_ber`` is BER, ``encode`` is DER."""

    __slots__ = ("grammar",)

    def __init__(self, grammar: Grammar) -> None:
        self.grammar = grammar
        decoder.compile_decoder(grammar, False)
        encoder.compile_encoder(grammar)

    def decode(self, data: bytes | bytearray | memoryview) -> TAny:
        return decoder.decode(self.grammar, data, ber=False)

    def decode_ber(self, data: bytes | bytearray | memoryview) -> TAny:
        return decoder.decode(self.grammar, data, ber=True)

    def encode(self, value: TAny) -> bytes:
        return encoder.compile_encoder(self.grammar)(value)

    def strategy(self) -> TAny:
        from .generate import strategy

        return strategy(self.grammar)


def codec(grammar: Grammar) -> Codec:
    return Codec(grammar)
