"""decode(encode(v)) == v and encode(decode(b)) == b, over random grammars and values."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import asn1
from asn1 import field, optional

from ._grammars import grammars


@given(st.data())
def test_decode_inverts_encode(data: st.DataObject) -> None:
    g = data.draw(grammars())
    v = data.draw(asn1.strategy(g))
    der = asn1.der.encode(g, v)
    assert asn1.der.decode(g, der) == v
    # DER is valid BER: the BER decoder agrees
    assert asn1.ber.decode(g, der) == v


@given(st.data())
def test_accepted_der_reencodes_byte_for_byte(data: st.DataObject) -> None:
    g = data.draw(grammars())
    der = asn1.der.encode(g, data.draw(asn1.strategy(g)))
    # flip one byte: whenever the strict decoder still accepts, the encoding is canonical
    i = data.draw(st.integers(0, len(der) - 1))
    mutated = der[:i] + bytes([data.draw(st.integers(0, 255))]) + der[i + 1 :]
    try:
        v = asn1.der.decode(g, mutated)
    except asn1.DecodeError:
        return
    assert asn1.der.encode(g, v) == mutated


def test_codec_object_matches_module_functions() -> None:
    g = asn1.sequence(field("n", asn1.integer), optional("s", asn1.implicit(0, asn1.utf8_string)))
    c = asn1.codec(g)
    v = {"n": -129, "s": "héllo"}
    assert c.encode(v) == asn1.der.encode(g, v) == bytes.fromhex("300c0202ff7f800668c3a96c6c6f")
    assert c.decode(c.encode(v)) == v
    assert c.decode_ber(c.encode(v)) == v
