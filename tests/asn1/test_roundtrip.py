"""decode(encode(v)) == v and encode(decode(b)) == b, over random grammars and values."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import asn1
from asn1 import default, field, optional

PRIMS = [
    asn1.boolean,
    asn1.integer,
    asn1.enumerated,
    asn1.bit_string,
    asn1.octet_string,
    asn1.null,
    asn1.oid,
    asn1.utf8_string,
    asn1.printable_string,
    asn1.ia5_string,
    asn1.teletex_string,
    asn1.bmp_string,
    asn1.universal_string,
    asn1.visible_string,
    asn1.numeric_string,
    asn1.utc_time,
    asn1.generalized_time,
    asn1.named_bits({"digitalSignature": 0, "keyCertSign": 5, "decipherOnly": 8}),
]


def _implicit(n: int, g: asn1.Grammar) -> asn1.Grammar:
    try:
        return asn1.implicit(n, g)
    except asn1.GrammarError:  # CHOICE cannot be IMPLICIT (X.680 31.2.7)
        return asn1.explicit(n, g)


def grammars(max_leaves: int = 12) -> st.SearchStrategy[asn1.Grammar]:
    """Random unambiguous grammars: optional fields and CHOICE alternatives get distinct
    context tags, so every grammar drawn is a legal ASN.1 declaration."""

    def extend(children: st.SearchStrategy[asn1.Grammar]) -> st.SearchStrategy[asn1.Grammar]:
        def seq(parts: list[tuple[int, asn1.Grammar]], is_set: bool) -> asn1.Grammar:
            fields = []
            for i, (mode, g) in enumerate(parts):
                tagged = asn1.explicit(i, g)
                if mode == 0:
                    fields.append(field(f"f{i}", tagged))
                elif mode == 1:
                    fields.append(optional(f"f{i}", tagged))
                else:
                    fields.append(default(f"f{i}", asn1.explicit(i, asn1.integer), 7))
            return asn1.set_(*fields) if is_set else asn1.sequence(*fields)

        def chs(alts: list[asn1.Grammar]) -> asn1.Grammar:
            return asn1.choice(*((f"a{i}", asn1.explicit(i, g)) for i, g in enumerate(alts)))

        part = st.tuples(st.integers(0, 2), children)
        return st.one_of(
            st.builds(seq, st.lists(part, min_size=1, max_size=4), st.booleans()),
            st.builds(lambda g: asn1.sequence_of(g), children),
            st.builds(lambda g: asn1.set_of(g), children),
            st.builds(chs, st.lists(children, min_size=1, max_size=3)),
            st.builds(
                lambda n, g: asn1.explicit(n, g, asn1.APPLICATION), st.integers(0, 40), children
            ),
            st.builds(_implicit, st.integers(0, 300), children),
            st.builds(asn1.raw, children),
        )

    leaves = st.sampled_from(PRIMS)
    return st.recursive(leaves, extend, max_leaves=max_leaves)


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
