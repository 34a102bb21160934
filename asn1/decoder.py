"""Compile a grammar into a decoder: strict DER, or BER.

A compiled element decoder is ``dec(buf, off, end) -> (value, next_off)``: it reads one
whole element starting at ``buf[off]`` and never looks past ``end``.  Offsets are absolute
into the original input, so errors can say where they happened without slicing.

Hostile input: every length is checked against the bytes that remain before anything is
sliced or allocated; recursion only happens through ``fix`` grammars and BER
indefinite-length scans, and both stop at ``MAX_DEPTH``.  The grammar path of a failure is
collected while the DecodeError travels up (try/except costs nothing when nothing fails).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any as TAny

from . import _codegen, primitives
from .errors import DecodeError, GrammarError
from .grammar import (
    PRIM_KINDS,
    UNIVERSAL,
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
    describe_key,
    tag_key,
)
from .values import Any

Decoder = Callable[[bytes, int, int], tuple[TAny, int]]

MAX_DEPTH = 64
_MISSING = object()

# tag key of a one-byte identifier, or -1 when the tag number needs more bytes
_KEY1 = tuple(((b >> 6) << 28) | (b & 0x1F) if (b & 0x1F) != 0x1F else -1 for b in range(256))


def read_tag(buf: bytes, off: int, end: int) -> tuple[int, bool, int]:
    """(tag key, constructed, offset after the identifier)."""
    if off >= end:
        raise DecodeError("truncated: expected an element", off)
    b = buf[off]
    k = _KEY1[b]
    if k >= 0:
        return k, bool(b & 0x20), off + 1
    num = 0
    p = off + 1
    while True:
        if p >= end:
            raise DecodeError("truncated tag number", p)
        c = buf[p]
        if num == 0 and c == 0x80:
            raise DecodeError("tag number is not minimally encoded", p)
        num = (num << 7) | (c & 0x7F)
        p += 1
        if num > 0x0FFFFFFF:  # keys keep the number in 28 bits
            raise DecodeError("tag number too large", p)
        if not c & 0x80:
            break
    if num < 31:
        raise DecodeError("tag number below 31 in the long form", off)
    return ((b >> 6) << 28) | num, bool(b & 0x20), p


def peek_key(buf: bytes, off: int, end: int) -> int:
    k = _KEY1[buf[off]]
    return k if k >= 0 else read_tag(buf, off, end)[0]


def read_length(
    buf: bytes, p: int, end: int, ber: bool, constructed: bool, depth: int = 0
) -> tuple[int, int, int]:
    """(contents start, contents stop, element end) for the length octets at ``p``."""
    if p >= end:
        raise DecodeError("truncated: missing length", p)
    n = buf[p]
    if n < 0x80:
        start = p + 1
        stop = start + n
    elif n == 0x80:
        if not ber:
            raise DecodeError("indefinite length is not allowed in DER", p)
        if not constructed:
            raise DecodeError("indefinite length on a primitive element", p)
        stop = find_eoc(buf, p + 1, end, depth + 1)
        return p + 1, stop, stop + 2
    else:
        k = n & 0x7F
        if k == 0x7F:
            raise DecodeError("reserved length octet 0xFF", p)
        if p + 1 + k > end:
            raise DecodeError("truncated length", p)
        v = int.from_bytes(buf[p + 1 : p + 1 + k], "big")
        if not ber and (v < 0x80 or buf[p + 1] == 0):
            raise DecodeError("DER length is not minimally encoded", p)
        start = p + 1 + k
        stop = start + v
    if stop > end:
        raise DecodeError("length exceeds the remaining input", p)
    return start, stop, stop


def find_eoc(buf: bytes, p: int, end: int, depth: int) -> int:
    """Offset of the end-of-contents octets closing an indefinite-length element."""
    if depth > MAX_DEPTH:
        raise DecodeError("nesting deeper than the limit", p)
    while True:
        if p + 2 > end:
            raise DecodeError("indefinite-length element has no end-of-contents", p)
        if buf[p] == 0 and buf[p + 1] == 0:
            return p
        _, cons, q = read_tag(buf, p, end)
        _, _, p = read_length(buf, q, end, True, cons, depth)


def read_element(buf: bytes, off: int, end: int, ber: bool) -> tuple[int, bool, int, int, int]:
    key, cons, p = read_tag(buf, off, end)
    start, stop, nxt = read_length(buf, p, end, ber, cons)
    return key, cons, start, stop, nxt


def _mismatch(g: Grammar, buf: bytes, off: int, end: int) -> DecodeError:
    if off >= end:
        return DecodeError(f"missing {g.describe()}", off)
    try:
        k = peek_key(buf, off, end)
    except DecodeError as e:
        return e
    if g.tags is not None and k in g.tags:
        return DecodeError(f"truncated {g.describe()}", off)
    found = describe_key(k)
    return DecodeError(f"expected {g.describe()}, found {found}", off)


def compile_decoder(g: Grammar, ber: bool) -> Decoder:
    """The element decoder of ``g`` (cached on the grammar)."""
    slot = "ber" if ber else "der"
    dec = g._compiled.get(slot)
    if dec is None:
        if isinstance(g, Fix):
            dec = _fix(g, ber)
        else:
            g._compiled[slot] = _pending(g, slot)
            dec = _BUILDERS[type(g)](g, ber)
        g._compiled[slot] = dec
    return dec


def _pending(g: Grammar, slot: str) -> Decoder:
    def dec(buf: bytes, off: int, end: int) -> tuple[TAny, int]:
        return g._compiled[slot](buf, off, end)

    return dec


def _segments(g: Prim, buf: bytes, start: int, stop: int, depth: int = 0) -> bytes:
    """Contents of a BER constructed string: its primitive segments joined (X.690 8.7.3)."""
    if depth > MAX_DEPTH:
        raise DecodeError("nesting deeper than the limit", start)
    want = g.universal
    parts = []
    unused = 0
    p = start
    while p < stop:
        key, cons, s, e, p = read_element(buf, p, stop, True)
        if key != want:
            raise DecodeError("segment of a constructed string has the wrong tag", s)
        if cons:
            seg = _segments(g, buf, s, e, depth + 1)
        else:
            seg = buf[s:e]
        if want == 3:  # BIT STRING: only the last segment may have unused bits
            if not seg or unused:
                raise DecodeError("bad constructed BIT STRING segment", s)
            unused = seg[0]
            seg = seg[1:]
        parts.append(seg)
    data = b"".join(parts)
    return bytes((unused,)) + data if want == 3 else data


def _prim(g: Prim, ber: bool) -> Decoder:
    content = primitives.decoder(g.kind, not ber, g.named, (g.min, g.max))
    ident = g.ident
    if len(ident) == 1 and not ber:
        b0 = ident[0]

        def dec(buf: bytes, off: int, end: int) -> tuple[TAny, int]:
            if off + 2 > end or buf[off] != b0:
                if off < end and buf[off] == b0 | 0x20:
                    raise DecodeError(f"constructed {g.describe()} is not allowed in DER", off)
                raise _mismatch(g, buf, off, end)
            n = buf[off + 1]
            if n < 0x80:
                start = off + 2
                stop = start + n
                if stop > end:
                    raise DecodeError("length exceeds the remaining input", off + 1)
            else:
                start, stop, _ = read_length(buf, off + 1, end, False, False)
            return content(buf, start, stop), stop

        return dec

    key = g.key

    def dec_general(buf: bytes, off: int, end: int) -> tuple[TAny, int]:
        if off >= end or peek_key(buf, off, end) != key:
            raise _mismatch(g, buf, off, end)
        _, cons, start, stop, nxt = read_element(buf, off, end, ber)
        if cons:
            if not ber:
                raise DecodeError(f"constructed {g.describe()} is not allowed in DER", off)
            if not g.segmentable:
                raise DecodeError(f"{g.describe()} cannot be constructed", off)
            data = _segments(g, buf, start, stop)
            return content(data, 0, len(data)), nxt
        return content(buf, start, stop), nxt

    return dec_general


def _open(g: Grammar, ident: bytes, ber: bool) -> Callable[[bytes, int, int], tuple[int, int, int]]:
    """Header reader of a constructed element with identifier ``ident``."""
    if len(ident) == 1:
        b0 = ident[0]

        def hdr(buf: bytes, off: int, end: int) -> tuple[int, int, int]:
            if off + 2 > end or buf[off] != b0:
                raise _mismatch(g, buf, off, end)
            n = buf[off + 1]
            if n < 0x80:
                stop = off + 2 + n
                if stop > end:
                    raise DecodeError("length exceeds the remaining input", off + 1)
                return off + 2, stop, stop
            return read_length(buf, off + 1, end, ber, True)

        return hdr

    def hdr_long(buf: bytes, off: int, end: int) -> tuple[int, int, int]:
        if off + len(ident) > end or buf[off : off + len(ident)] != ident:
            raise _mismatch(g, buf, off, end)
        return read_length(buf, off + len(ident), end, ber, True)

    return hdr_long


def _field_plan(fields, ber: bool, owner: Grammar) -> list[tuple]:
    plan: list[tuple[TAny, ...]] = []
    for i, f in enumerate(fields):
        g = f.grammar
        if isinstance(g, AnyDefinedBy):
            names = [x.name for x in fields[:i]]
            if g.key_field.split(".")[0] not in names:
                raise GrammarError(f"{f.name}: ANY DEFINED BY an unknown earlier field")
            table = {k: compile_decoder(v, ber) for k, v in g.table.items()}
            chooser = _chooser(g.key_field, table, compile_decoder(g.fallback, ber))
            plan.append((f.name, None, g.tags, _mode(f), f.default, chooser))
        else:
            plan.append((f.name, compile_decoder(g, ber), g.tags, _mode(f), f.default, None))
    _check_unambiguous(fields, owner)
    return plan


def _chooser(key_field: str, table: dict, fallback: Decoder) -> Callable[[dict], Decoder]:
    if "." not in key_field:

        def choose(out: dict) -> Decoder:
            return table.get(out.get(key_field), fallback)

        return choose
    return lambda out: table.get(lookup_path(out, key_field), fallback)


def lookup_path(out: TAny, path: str) -> TAny:
    """The value at a dotted path into nested dicts, or None."""
    for part in path.split("."):
        if not isinstance(out, dict):
            return None
        out = out.get(part)
    return out


def _mode(f) -> int:
    return 2 if f.has_default else 1 if f.optional else 0


def _check_unambiguous(fields, owner: Grammar) -> None:
    pending: set[int] = set()
    for i, f in enumerate(fields):
        if isinstance(f.grammar, Fix) and f.grammar._body is None and not f.optional:
            pending = set()
            continue
        t = f.grammar.tags
        if t is None:
            if pending or (f.optional and i != len(fields) - 1):
                raise GrammarError(f"{owner.describe()}.{f.name}: untagged ANY makes it ambiguous")
            continue
        if pending & t:
            raise GrammarError(f"{owner.describe()}.{f.name}: tag clashes with an optional field")
        pending = pending | t if f.optional else set()


def _sequence(g: Sequence, ber: bool) -> Decoder:
    plan = _field_plan(g.fields, ber, g)
    if not ber and len(g.ident) == 1:
        return _codegen.sequence_decoder(
            g, g.fields, plan, g.ident[0], read_length, peek_key, _KEY1, _mismatch
        )
    hdr = _open(g, g.ident, ber)
    strict = not ber
    what = g.describe()

    def dec(buf: bytes, off: int, end: int) -> tuple[TAny, int]:
        start, stop, nxt = hdr(buf, off, end)
        out: dict[str, TAny] = {}
        pos = start
        for name, fdec, ftags, mode, dflt, choose in plan:
            if mode:
                if pos >= stop or (ftags is not None and peek_key(buf, pos, stop) not in ftags):
                    if mode == 2:
                        out[name] = dflt
                    continue
            try:
                if choose is not None:
                    fdec = choose(out)
                v, pos = fdec(buf, pos, stop)
            except DecodeError as e:
                e._rpath.append(name)
                raise
            if mode == 2 and strict and v == dflt:
                err = DecodeError("DER forbids encoding a DEFAULT value", pos)
                err._rpath.append(name)
                raise err
            out[name] = v
        if pos != stop:
            raise DecodeError(f"unexpected element at the end of {what}", pos)
        return out, nxt

    return dec


def _set(g: Set, ber: bool) -> Decoder:
    hdr = _open(g, g.ident, ber)
    plan = _field_plan(g.fields, ber, g)
    by_key: dict[int, tuple] = {}
    for entry in plan:
        if entry[2] is None:
            raise GrammarError(f"{g.describe()}: SET components need distinct fixed tags")
        for k in entry[2]:
            if k in by_key:
                raise GrammarError(f"{g.describe()}: two SET components share a tag")
            by_key[k] = entry
    strict = not ber

    def dec(buf: bytes, off: int, end: int) -> tuple[TAny, int]:
        start, stop, nxt = hdr(buf, off, end)
        out: dict[str, TAny] = {}
        pos = start
        last = -1
        while pos < stop:
            k = peek_key(buf, pos, stop)
            entry = by_key.get(k)
            if entry is None:
                raise DecodeError(f"unexpected {describe_key(k)} in {g.describe()}", pos)
            name, fdec, _, mode, dflt, _ = entry
            if name in out:
                raise DecodeError(f"{name} appears twice in {g.describe()}", pos)
            if strict and k < last:
                raise DecodeError("DER SET components are not in tag order", pos)
            last = k
            try:
                v, pos = fdec(buf, pos, stop)
            except DecodeError as e:
                e._rpath.append(name)
                raise
            if mode == 2 and strict and v == dflt:
                raise DecodeError("DER forbids encoding a DEFAULT value", pos)
            out[name] = v
        for name, _, _, mode, dflt, _ in plan:
            if name not in out:
                if mode == 0:
                    raise DecodeError(f"missing {name} in {g.describe()}", stop)
                if mode == 2:
                    out[name] = dflt
        return out, nxt

    return dec


def _sequence_of(g: SequenceOf, ber: bool) -> Decoder:
    hdr = _open(g, g.ident, ber)
    edec = compile_decoder(g.element, ber)
    lo, hi = g.min, g.max
    check_order = g.is_set and not ber

    def dec(buf: bytes, off: int, end: int) -> tuple[TAny, int]:
        start, stop, nxt = hdr(buf, off, end)
        out: list[TAny] = []
        append = out.append
        pos = start
        try:
            if check_order:
                prev = b""
                while pos < stop:
                    v, p2 = edec(buf, pos, stop)
                    cur = buf[pos:p2]
                    if cur < prev:  # X.690 11.6
                        raise DecodeError("DER SET OF elements are not sorted", pos)
                    prev = cur
                    append(v)
                    pos = p2
            else:
                while pos < stop:
                    v, pos = edec(buf, pos, stop)
                    append(v)
        except DecodeError as e:
            e._rpath.append(f"[{len(out)}]")
            raise
        n = len(out)
        if n < lo or (hi is not None and n > hi):
            raise DecodeError(f"{n} elements outside SIZE({lo}..{hi})", off)
        return out, nxt

    return dec


def _containing(g: Containing, ber: bool) -> Decoder:
    inner = compile_decoder(g.inner, ber)
    ident = g.ident
    ident0 = ident[0] if len(ident) == 1 else -1
    bits = g.bits
    key = g.key

    def dec(buf: bytes, off: int, end: int) -> tuple[TAny, int]:
        if off + 2 <= end and buf[off] == ident0 and buf[off + 1] < 0x80:
            start = off + 2
            stop = start + buf[off + 1]
            if stop > end:
                raise DecodeError("length exceeds the remaining input", off + 1)
            return _inner(buf, start, stop), stop
        if off >= end or peek_key(buf, off, end) != key:
            raise _mismatch(g, buf, off, end)
        if buf[off : off + len(ident)] != ident:
            if not ber:
                raise DecodeError(f"constructed {g.describe()} is not allowed in DER", off)
            _, _, start, stop, nxt = read_element(buf, off, end, True)
            data = _segments(_SEGMENT_OF[bits], buf, start, stop)
            return _inner(data, 0, len(data)), nxt
        _, _, start, stop, nxt = read_element(buf, off, end, ber)
        return _inner(buf, start, stop), nxt

    def _inner(buf: bytes, start: int, stop: int) -> TAny:
        if bits:
            if start >= stop or buf[start] != 0:
                raise DecodeError("BIT STRING CONTAINING must have no unused bits", start)
            start += 1
        v, p = inner(buf, start, stop)
        if p != stop:
            raise DecodeError(f"bytes after the value inside {g.describe()}", p)
        return v

    return dec


_SEGMENT_OF = {False: Prim("octet_string"), True: Prim("bit_string")}


def _choice(g: Choice, ber: bool) -> Decoder:
    table: dict[int, tuple[str, Decoder]] = {}
    for name, alt in g.alternatives:
        d = compile_decoder(alt, ber)
        for k in alt.tags or ():
            if k in table:
                raise GrammarError(f"{g.describe()}: alternatives share a tag")
            table[k] = (name, d)

    def dec(buf: bytes, off: int, end: int) -> tuple[TAny, int]:
        if off >= end:
            raise _mismatch(g, buf, off, end)
        k = _KEY1[buf[off]]
        hit = table.get(k if k >= 0 else peek_key(buf, off, end))
        if hit is None:
            raise _mismatch(g, buf, off, end)
        name, d = hit
        try:
            v, nxt = d(buf, off, end)
        except DecodeError as e:
            e._rpath.append(name)
            raise
        return (name, v), nxt

    return dec


def _explicit(g: Explicit, ber: bool) -> Decoder:
    hdr = _open(g, g.ident, ber)
    inner = compile_decoder(g.inner, ber)

    def dec(buf: bytes, off: int, end: int) -> tuple[TAny, int]:
        start, stop, nxt = hdr(buf, off, end)
        v, p = inner(buf, start, stop)
        if p != stop:
            raise DecodeError(f"unexpected bytes inside {g.describe()}", p)
        return v, nxt

    return dec


def _any(g: AnyElement, ber: bool) -> Decoder:
    def dec(buf: bytes, off: int, end: int) -> tuple[TAny, int]:
        if ber:
            _, _, _, _, nxt = read_element(buf, off, end, True)
        else:
            nxt = validate_der(buf, off, end, 0)
        return Any(buf[off:nxt]), nxt

    return dec


# universal tag key -> strict contents decoder, for checking what ANY holds
_UNIVERSAL_CHECKS = {
    num: primitives.decoder(kind, True)
    for kind, (num, _) in PRIM_KINDS.items()
    if kind != "named_bits"
}


def validate_der(buf: bytes, off: int, end: int, depth: int) -> int:
    """Check that the element at ``off`` is DER throughout (lengths everywhere; contents of
    the universal types we know), whatever its type; returns its end."""
    if depth > MAX_DEPTH:
        raise DecodeError("nesting deeper than the limit", off)
    key, cons, start, stop, nxt = read_element(buf, off, end, False)
    if cons:
        if key in _UNIVERSAL_CHECKS:
            raise DecodeError(f"constructed {describe_key(key)} is not allowed in DER", off)
        p = start
        while p < stop:
            p = validate_der(buf, p, stop, depth + 1)
    else:
        check = _UNIVERSAL_CHECKS.get(key)
        if check is not None:
            check(buf, start, stop)
        elif key in (tag_key(UNIVERSAL, 16), tag_key(UNIVERSAL, 17)):
            raise DecodeError("SEQUENCE and SET are always constructed", off)
    return nxt


def _map(g: Map, ber: bool) -> Decoder:
    inner = compile_decoder(g.inner, ber)
    to_user = g.to_user

    def dec(buf: bytes, off: int, end: int) -> tuple[TAny, int]:
        v, nxt = inner(buf, off, end)
        try:
            return to_user(v), nxt
        except (ValueError, TypeError, KeyError) as exc:
            raise DecodeError(f"{g.describe()}: {exc}", off) from None

    return dec


def _raw(g: Raw, ber: bool) -> Decoder:
    inner = compile_decoder(g.inner, ber)

    def dec(buf: bytes, off: int, end: int) -> tuple[TAny, int]:
        v, nxt = inner(buf, off, end)
        return (v, buf[off:nxt]), nxt

    return dec


def _fix(g: Fix, ber: bool) -> Decoder:
    slot = "ber" if ber else "der"
    depth = [0]
    cell: list[Decoder] = []

    def dec(buf: bytes, off: int, end: int) -> tuple[TAny, int]:
        if depth[0] >= MAX_DEPTH:
            raise DecodeError("nesting deeper than the limit", off)
        depth[0] += 1
        try:
            return cell[0](buf, off, end)
        finally:
            depth[0] -= 1

    g._compiled[slot] = dec
    cell.append(compile_decoder(g.body, ber))
    return dec


_BUILDERS: dict[type, Callable[[TAny, bool], Decoder]] = {
    Prim: _prim,
    Sequence: _sequence,
    Set: _set,
    SequenceOf: _sequence_of,
    Choice: _choice,
    Containing: _containing,
    Explicit: _explicit,
    AnyElement: _any,
    AnyDefinedBy: lambda g, ber: compile_decoder(g.fallback, ber),
    Map: _map,
    Raw: _raw,
}


def decode(g: Grammar, data: bytes | bytearray | memoryview, ber: bool = False) -> TAny:
    """Decode exactly one element of grammar ``g`` filling all of ``data``."""
    if type(data) is not bytes:
        if not isinstance(data, (bytearray, memoryview)):
            raise TypeError(
                f"decode needs bytes, bytearray or memoryview, not {type(data).__name__}"
            )
        data = bytes(data)
    dec = compile_decoder(g, ber)
    try:
        v, nxt = dec(data, 0, len(data))
    except DecodeError as e:
        if g.name:
            e._rpath.append(g.name)
        raise
    except (IndexError, ValueError, OverflowError, RecursionError) as exc:  # pragma: no cover
        # a safety net: every known failure is a DecodeError already
        raise DecodeError(f"malformed input ({type(exc).__name__}: {exc})", 0) from None
    if nxt != len(data):
        raise DecodeError("trailing bytes after the element", nxt)
    return v
