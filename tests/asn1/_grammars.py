"""Random, legal ASN.1 grammars for the property tests."""

from __future__ import annotations

from hypothesis import strategies as st

import asn1
from asn1 import default, field, optional

# leaves that pyasn1 models one-to-one (the oracle tests use only these)
ORACLE_PRIMS = [
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
]
PRIMS = [
    *ORACLE_PRIMS,
    asn1.named_bits({"digitalSignature": 0, "keyCertSign": 5, "decipherOnly": 8}),
]


def implicit_or_explicit(n: int, g: asn1.Grammar) -> asn1.Grammar:
    try:
        return asn1.implicit(n, g)
    except asn1.GrammarError:  # CHOICE cannot be IMPLICIT (X.680 31.2.7)
        return asn1.explicit(n, g)


def grammars(oracle: bool = False, max_leaves: int = 10) -> st.SearchStrategy[asn1.Grammar]:
    """Random unambiguous grammars: SEQUENCE / SET components and CHOICE alternatives get
    distinct context tags, so every grammar drawn is a legal ASN.1 declaration.  With
    ``oracle`` only constructs pyasn1 models directly (no DEFAULT, SET, raw, named bits)."""

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

    def extend(children: st.SearchStrategy[asn1.Grammar]) -> st.SearchStrategy[asn1.Grammar]:
        modes = st.integers(0, 1) if oracle else st.integers(0, 2)
        sets = st.just(False) if oracle else st.booleans()
        options = [
            st.builds(seq, st.lists(st.tuples(modes, children), min_size=1, max_size=4), sets),
            st.builds(asn1.sequence_of, children),
            st.builds(asn1.set_of, children),
            st.builds(chs, st.lists(children, min_size=1, max_size=3)),
            st.builds(
                lambda n, g: asn1.explicit(n, g, asn1.APPLICATION), st.integers(0, 40), children
            ),
            st.builds(implicit_or_explicit, st.integers(0, 300), children),
        ]
        if not oracle:
            options.append(st.builds(asn1.raw, children))
        return st.one_of(options)

    return st.recursive(
        st.sampled_from(ORACLE_PRIMS if oracle else PRIMS), extend, max_leaves=max_leaves
    )
