"""Compile a grammar into a DER encoder: ``enc(value) -> bytes`` (one whole element)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any as TAny

from . import primitives
from .decoder import lookup_path, read_tag
from .errors import EncodeError, GrammarError
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
)
from .values import Any

Encoder = Callable[[TAny], bytes]

_SHORT = tuple(bytes((n,)) for n in range(128))


def length_octets(n: int) -> bytes:
    if n < 0x80:
        return _SHORT[n]
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(b),)) + b


def compile_encoder(g: Grammar) -> Encoder:
    enc = g._compiled.get("enc")
    if enc is None:
        if isinstance(g, Fix):
            cell: list[Encoder] = []

            def enc(v: TAny) -> bytes:
                return cell[0](v)

            g._compiled["enc"] = enc
            cell.append(compile_encoder(g.body))
            return enc
        enc = _BUILDERS[type(g)](g)
        g._compiled["enc"] = enc
    return enc


def _prim(g: Prim) -> Encoder:
    content = primitives.encoder(g.kind, g.named, (g.min, g.max))
    ident = g.ident

    def enc(v: TAny) -> bytes:
        c = content(v)
        return ident + length_octets(len(c)) + c

    return enc


def _fields_encoder(g: Sequence | Set) -> Callable[[TAny], list[bytes]]:
    plan: list[tuple[TAny, ...]] = []
    for f in g.fields:
        fg = f.grammar
        if isinstance(fg, AnyDefinedBy):
            table = {k: compile_encoder(v) for k, v in fg.table.items()}
            chooser = (fg.key_field, table, compile_encoder(fg.fallback))
            plan.append((f.name, None, f.optional, f.has_default, f.default, chooser))
        else:
            plan.append((f.name, compile_encoder(fg), f.optional, f.has_default, f.default, None))
    names = {f.name for f in g.fields}

    def parts(v: TAny) -> list[bytes]:
        if not isinstance(v, dict):
            raise EncodeError(f"{g.describe()} needs a dict, got {type(v).__name__}")
        extra = v.keys() - names
        if extra:
            raise EncodeError(f"{g.describe()} has no fields {sorted(extra)}")
        out = []
        for name, fenc, opt, has_dflt, dflt, chooser in plan:
            if name not in v:
                if opt:
                    continue
                raise EncodeError(f"{g.describe()}: missing required field {name!r}")
            x = v[name]
            if has_dflt and x == dflt:
                continue  # X.690 11.5: DER omits a value equal to the DEFAULT
            if chooser is not None:
                if isinstance(x, Any):
                    out.append(bytes(x.der))
                    continue
                key_field, table, fallback = chooser
                fenc = table.get(lookup_path(v, key_field), fallback)
            try:
                out.append(fenc(x))
            except EncodeError as e:
                raise EncodeError(f"{name}: {e}") from None
        return out

    return parts


def _sequence(g: Sequence) -> Encoder:
    parts = _fields_encoder(g)
    ident = g.ident

    def enc(v: TAny) -> bytes:
        c = b"".join(parts(v))
        return ident + length_octets(len(c)) + c

    return enc


def _set(g: Set) -> Encoder:
    parts = _fields_encoder(g)
    ident = g.ident

    def enc(v: TAny) -> bytes:
        # X.690 10.3: components in canonical tag order; tags are distinct, so sorting the
        # encodings sorts by tag
        c = b"".join(sorted(parts(v), key=_tag_sort_key))
        return ident + length_octets(len(c)) + c

    return enc


def _tag_sort_key(b: TAny) -> int:
    return read_tag(b, 0, len(b))[0]


def _sequence_of(g: SequenceOf) -> Encoder:
    element = compile_encoder(g.element)
    ident = g.ident
    lo, hi = g.min, g.max
    is_set = g.is_set

    def enc(v: TAny) -> bytes:
        if not isinstance(v, (list, tuple)):
            raise EncodeError(f"{g.describe()} needs a list, got {type(v).__name__}")
        if len(v) < lo or (hi is not None and len(v) > hi):
            raise EncodeError(f"{len(v)} elements outside SIZE({lo}..{hi})")
        items = [element(x) for x in v]
        if is_set:
            items.sort()  # X.690 11.6
        c = b"".join(items)
        return ident + length_octets(len(c)) + c

    return enc


def _containing(g: Containing) -> Encoder:
    inner = compile_encoder(g.inner)
    ident = g.ident
    bits = g.bits

    def enc(v: TAny) -> bytes:
        c = inner(v)
        if bits:
            c = b"\x00" + c
        return ident + length_octets(len(c)) + c

    return enc


def _choice(g: Choice) -> Encoder:
    table = {name: compile_encoder(alt) for name, alt in g.alternatives}
    _ = g.tags  # validates that the alternatives have distinct tags

    def enc(v: TAny) -> bytes:
        if not (isinstance(v, tuple) and len(v) == 2):
            raise EncodeError(f"{g.describe()} needs (alternative, value)")
        e = table.get(v[0])
        if e is None:
            raise EncodeError(f"{g.describe()} has no alternative {v[0]!r}")
        return e(v[1])

    return enc


def _explicit(g: Explicit) -> Encoder:
    inner = compile_encoder(g.inner)
    ident = g.ident

    def enc(v: TAny) -> bytes:
        c = inner(v)
        return ident + length_octets(len(c)) + c

    return enc


def _any(g: AnyElement) -> Encoder:
    def enc(v: TAny) -> bytes:
        if not isinstance(v, Any):
            raise EncodeError(f"ANY needs asn1.Any, got {type(v).__name__}")
        return bytes(v.der)

    return enc


def _map(g: Map) -> Encoder:
    inner = compile_encoder(g.inner)
    from_user = g.from_user

    def enc(v: TAny) -> bytes:
        try:
            x = from_user(v)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise EncodeError(f"{g.describe()}: {exc}") from None
        return inner(x)

    return enc


def _raw(g: Raw) -> Encoder:
    inner = compile_encoder(g.inner)

    def enc(v: TAny) -> bytes:
        if not (isinstance(v, tuple) and len(v) == 2):
            raise EncodeError("raw() needs (value, bytes or None)")
        if v[1] is not None:
            return bytes(v[1])
        return inner(v[0])

    return enc


def _any_defined_by(g: AnyDefinedBy) -> Encoder:
    raise GrammarError("ANY DEFINED BY only makes sense as a SEQUENCE or SET component")


_BUILDERS: dict[type, Callable[[TAny], Encoder]] = {
    Prim: _prim,
    Sequence: _sequence,
    Set: _set,
    SequenceOf: _sequence_of,
    Choice: _choice,
    Containing: _containing,
    Explicit: _explicit,
    AnyElement: _any,
    AnyDefinedBy: _any_defined_by,
    Map: _map,
    Raw: _raw,
}


def encode(g: Grammar, value: TAny) -> bytes:
    """The DER encoding of ``value`` under grammar ``g``."""
    return compile_encoder(g)(value)
