"""The combinators users build grammars with: map to their own types, fix for recursion,
named bits, SIZE, tag classes, and the encoder refusing values that do not fit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given

import asn1
from asn1 import field, optional

UTC = timezone.utc  # noqa: UP017


@dataclass(frozen=True)
class Point:
    x: int
    y: int


POINT = asn1.map(
    asn1.sequence(field("x", asn1.integer), field("y", asn1.integer), name="Point"),
    lambda d: Point(d["x"], d["y"]),
    lambda p: {"x": p.x, "y": p.y},
)


def test_map_to_a_dataclass() -> None:
    der = asn1.der.encode(POINT, Point(1, -1))
    assert der == bytes.fromhex("3006 020101 0201ff")
    assert asn1.der.decode(POINT, der) == Point(1, -1)


@given(asn1.strategy(POINT))
def test_map_strategy_yields_user_values(p: Point) -> None:
    assert isinstance(p, Point)
    assert asn1.der.decode(POINT, asn1.der.encode(POINT, p)) == p


def test_map_rejection_becomes_a_decode_error() -> None:
    def positive(v: int) -> int:
        if v <= 0:
            raise ValueError("must be positive")
        return v

    g = asn1.sequence(field("n", asn1.map(asn1.integer, positive, int)), name="S")
    with pytest.raises(asn1.DecodeError) as info:
        asn1.der.decode(g, bytes.fromhex("3003020100"))
    assert "must be positive" in info.value.message
    assert info.value.path == "S.n"


def test_fix_recursive_tree() -> None:
    node = asn1.fix(
        lambda self: asn1.sequence(
            field("label", asn1.utf8_string),
            optional("children", asn1.implicit(0, asn1.sequence_of(self))),
        ),
        name="Node",
    )
    tree = {"label": "a", "children": [{"label": "b"}, {"label": "c", "children": []}]}
    der = asn1.der.encode(node, tree)
    assert asn1.der.decode(node, der) == tree
    assert asn1.ber.decode(node, der) == tree


def test_named_bits_and_bit_string_views() -> None:
    ku = asn1.named_bits({"digitalSignature": 0, "keyEncipherment": 2, "decipherOnly": 8})
    # X.690 11.2.2: trailing zero bits dropped; RFC 5280's decipherOnly needs a 2nd byte
    assert asn1.der.encode(ku, {"digitalSignature", "keyEncipherment"}) == bytes.fromhex("030205a0")
    assert asn1.der.encode(ku, {"decipherOnly"}) == bytes.fromhex("0303070080")
    assert asn1.der.decode(ku, bytes.fromhex("030202a4")) == frozenset(
        {"digitalSignature", "keyEncipherment", 5}
    )
    bits = asn1.der.decode(asn1.bit_string, bytes.fromhex("030205a0"))
    assert bits.names({"digitalSignature": 0, "keyEncipherment": 2}) == {
        "digitalSignature",
        "keyEncipherment",
    }
    assert len(bits) == 3 and bits.bit(0) and not bits.bit(1) and not bits.bit(40)


def test_size_constraints() -> None:
    g = asn1.sized(asn1.ia5_string, 1, 3)
    assert asn1.der.decode(g, b"\x16\x02ab") == "ab"
    for bad in (b"\x16\x00", b"\x16\x04abcd"):
        with pytest.raises(asn1.DecodeError, match="SIZE"):
            asn1.der.decode(g, bad)
    with pytest.raises(asn1.EncodeError):
        asn1.der.encode(g, "")
    with pytest.raises(asn1.EncodeError):
        asn1.der.encode(asn1.sequence_of(asn1.integer, min=1, max=2), [1, 2, 3])


def test_tag_classes_and_high_tag_numbers() -> None:
    cases = [
        (asn1.implicit(5, asn1.integer, asn1.APPLICATION), "450101"),
        (asn1.implicit(1, asn1.integer, asn1.PRIVATE), "c10101"),
        (asn1.explicit(2, asn1.integer), "a203020101"),
        (asn1.implicit(31, asn1.integer), "9f1f0101"),
        (asn1.implicit(200, asn1.integer), "9f81480101"),
    ]
    for g, hexder in cases:
        assert asn1.der.encode(g, 1).hex() == hexder
        assert asn1.der.decode(g, bytes.fromhex(hexder)) == 1


def test_encoder_refuses_values_outside_the_grammar() -> None:
    s = asn1.sequence(field("a", asn1.integer), name="S")
    bad = [
        (asn1.printable_string, "a*b"),
        (asn1.ia5_string, "é"),
        (asn1.bmp_string, "\U0001f600"),
        (asn1.numeric_string, "12a"),
        (asn1.utc_time, datetime(2050, 1, 1, tzinfo=UTC)),
        (asn1.utc_time, datetime(2000, 1, 1)),  # naive
        (asn1.generalized_time, datetime(2000, 1, 1, 0, 0, 0, 5, tzinfo=UTC)),
        (asn1.oid, "3.1"),
        (asn1.oid, "1.40"),
        (asn1.oid, "1.2.03"),
        (asn1.boolean, 1),
        (asn1.integer, "1"),
        (asn1.bit_string, asn1.BitString(b"\x01", 1)),
        (asn1.null, 0),
        (asn1.choice(("a", asn1.integer)), ("b", 1)),
        (s, {}),
        (s, {"a": 1, "b": 2}),
        (asn1.ANY, b"\x05\x00"),
    ]
    for g, v in bad:
        with pytest.raises(asn1.EncodeError):
            asn1.der.encode(g, v)


def test_times_convert_to_utc() -> None:
    cest = timezone(timedelta(hours=2))
    t = datetime(2024, 6, 1, 14, 0, 0, tzinfo=cest)
    der = asn1.der.encode(asn1.generalized_time, t)
    assert der[2:] == b"20240601120000Z"
    back = asn1.der.decode(asn1.generalized_time, der)
    assert back == t and back.tzinfo == UTC
    # RFC 5280 4.1.2.5.1: UTCTime 50..99 is 1950..1999
    assert asn1.der.decode(asn1.utc_time, b"\x17\x0d500101000000Z").year == 1950
    assert asn1.der.decode(asn1.utc_time, b"\x17\x0d491231235959Z").year == 2049


def test_teletex_string_is_latin1_text() -> None:
    der = b"\x14\x04caf\xe9"
    assert asn1.der.decode(asn1.teletex_string, der) == "café"
    assert asn1.der.encode(asn1.teletex_string, "café") == der


def test_decoders_accept_bytearray_and_memoryview() -> None:
    der = asn1.der.encode(POINT, Point(3, 4))
    assert asn1.der.decode(POINT, bytearray(der)) == Point(3, 4)
    assert asn1.ber.decode(POINT, memoryview(der)) == Point(3, 4)
    with pytest.raises(TypeError):
        asn1.der.decode(POINT, "3006")  # type: ignore[arg-type]
