"""``strategy(grammar)``: a hypothesis strategy of random valid values of a grammar.

hypothesis is imported here, when a strategy is asked for, so asn1 itself has no
run-time dependency on it.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any as TAny

from . import encoder
from .decoder import lookup_path
from .grammar import (
    AnyDefinedBy,
    AnyElement,
    Choice,
    Containing,
    Explicit,
    Fix,
    Grammar,
    Map,
    Prim,
    Raw,
    Sequence,
    SequenceOf,
    Set,
    integer,
    octet_string,
    oid,
    utf8_string,
)
from .primitives import NUMERIC, PRINTABLE
from .values import Any, BitString

UTC = timezone.utc  # noqa: UP017 - one spelling across the package


def strategy(grammar: Grammar) -> TAny:
    """A hypothesis strategy generating values that ``asn1.der.encode(grammar, v)`` accepts."""
    return _strategy(grammar, {})


def _strategy(g: Grammar, memo: dict[int, TAny]) -> TAny:
    from hypothesis import strategies as st

    if id(g) in memo:
        return memo[id(g)]
    if isinstance(g, Fix):
        s = st.deferred(lambda: _strategy(g.body, memo))
        memo[id(g)] = s
        return s
    if isinstance(g, Prim):
        s = _prim(g, st)
    elif isinstance(g, (Sequence, Set)):
        s = _fields(g, memo, st)
    elif isinstance(g, SequenceOf):
        s = st.lists(
            _strategy(g.element, memo),
            min_size=g.min,
            max_size=g.max if g.max is not None else max(g.min, 4),
        )
        if g.is_set:
            enc = encoder.compile_encoder(g.element)
            s = s.map(lambda xs: sorted(xs, key=enc))
    elif isinstance(g, Choice):
        s = st.one_of(
            [_strategy(alt, memo).map(lambda v, n=name: (n, v)) for name, alt in g.alternatives]
        )
    elif isinstance(g, (Explicit, Containing)):
        s = _strategy(g.inner, memo)
    elif isinstance(g, AnyElement):
        s = _any_values(st)
    elif isinstance(g, AnyDefinedBy):
        s = _any_values(st)
    elif isinstance(g, Map):
        s = _strategy(g.inner, memo).map(g.to_user)
    elif isinstance(g, Raw):
        enc = encoder.compile_encoder(g.inner)
        s = _strategy(g.inner, memo).map(lambda v: (v, enc(v)))
    else:  # pragma: no cover
        raise TypeError(f"no strategy for {g!r}")
    memo[id(g)] = s
    return s


def _fields(g: Sequence | Set, memo: dict[int, TAny], st: TAny) -> TAny:
    keyed = {
        f.grammar.key_field: f.grammar for f in g.fields if isinstance(f.grammar, AnyDefinedBy)
    }
    required, optional = {}, {}
    dependent = []
    for f in g.fields:
        if isinstance(f.grammar, AnyDefinedBy):
            dependent.append(f)
            continue
        fs = _strategy(f.grammar, memo)
        adb = keyed.get(f.name)
        if adb is not None and adb.table:
            # pick table keys often, so the defined-by grammars are exercised
            fs = st.one_of(st.sampled_from(sorted(adb.table, key=repr)), fs)
        if f.has_default:
            # always present, so a decode (which fills the DEFAULT in) compares equal
            required[f.name] = st.one_of(st.just(f.default), fs)
        elif f.optional:
            optional[f.name] = fs
        else:
            required[f.name] = fs
    base = st.fixed_dictionaries(required, optional=optional)
    if not dependent:
        return base

    def add(d: dict) -> TAny:
        extra_req: dict[str, TAny] = {}
        extra_opt: dict[str, TAny] = {}
        for f in dependent:
            adb = f.grammar
            assert isinstance(adb, AnyDefinedBy)
            chosen = adb.table.get(lookup_path(d, adb.key_field), adb.fallback)
            fs = _strategy(chosen, memo)
            (extra_opt if f.optional else extra_req)[f.name] = fs
        return st.fixed_dictionaries(extra_req, optional=extra_opt).map(lambda e: {**d, **e})

    return base.flatmap(add)


def _any_values(st: TAny) -> TAny:
    samples = [(integer, st.integers()), (octet_string, st.binary(max_size=20)), (oid, oids(st))]
    samples.append((utf8_string, st.text(max_size=10)))
    return st.one_of([s.map(lambda v, g=g: Any(encoder.encode(g, v))) for g, s in samples])


def oids(st: TAny) -> TAny:
    first = st.integers(0, 2)

    def build(a: int) -> TAny:
        second = st.integers(0, 39) if a < 2 else st.integers(0, 2**70)
        rest = st.lists(st.integers(0, 2**64), max_size=6)
        return st.tuples(second, rest).map(lambda t: ".".join(str(x) for x in (a, t[0], *t[1])))

    return first.flatmap(build)


def _sized_text(st: TAny, g: Prim, alphabet: TAny) -> TAny:
    return st.text(alphabet=alphabet, min_size=g.min or 0, max_size=g.max if g.max else 16)


def _prim(g: Prim, st: TAny) -> TAny:
    k = g.kind
    if k == "boolean":
        return st.booleans()
    if k in ("integer", "enumerated"):
        return st.one_of(st.integers(-300, 300), st.integers())
    if k == "bit_string":
        return st.builds(_bits, st.binary(max_size=16), st.integers(0, 7))
    if k == "named_bits":
        assert g.named is not None
        names = sorted(g.named)
        return st.frozensets(
            st.one_of(
                st.sampled_from(names),
                st.integers(0, 40).filter(lambda i: i not in g.named.values()),
            )
            if names
            else st.integers(0, 40)
        )
    if k == "octet_string":
        return st.binary(min_size=g.min or 0, max_size=g.max if g.max else 32)
    if k == "null":
        return st.none()
    if k == "oid":
        return oids(st)
    if k == "utf8_string":
        return _sized_text(st, g, st.characters(blacklist_categories=("Cs",)))
    if k == "printable_string":
        return _sized_text(st, g, st.sampled_from(PRINTABLE))
    if k == "numeric_string":
        return _sized_text(st, g, st.sampled_from(NUMERIC))
    if k == "ia5_string":
        return _sized_text(st, g, st.characters(max_codepoint=0x7F))
    if k == "visible_string":
        return _sized_text(st, g, st.characters(min_codepoint=0x20, max_codepoint=0x7E))
    if k == "teletex_string":
        return _sized_text(st, g, st.characters(max_codepoint=0xFF))
    if k == "bmp_string":
        return _sized_text(st, g, st.characters(max_codepoint=0xFFFF, blacklist_categories=("Cs",)))
    if k == "universal_string":
        return _sized_text(st, g, st.characters(blacklist_categories=("Cs",)))
    if k == "utc_time":
        return st.datetimes(datetime(1950, 1, 1), datetime(2049, 12, 31, 23, 59, 59)).map(_whole)
    if k == "generalized_time":
        return st.datetimes(datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59, 59)).map(_whole)
    raise TypeError(f"no strategy for {k}")  # pragma: no cover


def _whole(d: datetime) -> datetime:
    return d.replace(microsecond=0, tzinfo=UTC)


def _bits(data: bytes, unused: int) -> BitString:
    if not data:
        return BitString(b"", 0)
    return BitString(data[:-1] + bytes((data[-1] & (0xFF << unused) & 0xFF,)), unused)
