"""Grammar declarations: the single description every codec is derived from.

A grammar is an immutable tree of nodes.  Codecs compile a node into closures once and
cache them on the node, so declaring grammars at module level and decoding many times
is the intended use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any as TAny

from .errors import GrammarError

UNIVERSAL, APPLICATION, CONTEXT, PRIVATE = 0, 1, 2, 3
_CLASS_NAMES = ("UNIVERSAL", "APPLICATION", "CONTEXT", "PRIVATE")


def tag_key(cls: int, num: int) -> int:
    """One int naming a tag (class and number, not the constructed bit)."""
    return (cls << 28) | num


def describe_key(key: int) -> str:
    cls, num = key >> 28, key & 0x0FFFFFFF
    if cls == CONTEXT:
        return f"[{num}]"
    if cls == UNIVERSAL:
        return _UNIVERSAL_NAMES.get(num, f"[UNIVERSAL {num}]")
    return f"[{_CLASS_NAMES[cls]} {num}]"


def identifier(cls: int, constructed: bool, num: int) -> bytes:
    """The identifier octets of a tag (X.690 8.1.2)."""
    if not 0 <= cls <= 3 or num < 0:
        raise GrammarError(f"bad tag class/number {cls}/{num}")
    first = (cls << 6) | (0x20 if constructed else 0)
    if num < 31:
        return bytes((first | num,))
    tail = [num & 0x7F]
    num >>= 7
    while num:
        tail.append(0x80 | (num & 0x7F))
        num >>= 7
    return bytes((first | 0x1F, *reversed(tail)))


_UNIVERSAL_NAMES = {
    1: "BOOLEAN",
    2: "INTEGER",
    3: "BIT STRING",
    4: "OCTET STRING",
    5: "NULL",
    6: "OBJECT IDENTIFIER",
    10: "ENUMERATED",
    12: "UTF8String",
    16: "SEQUENCE",
    17: "SET",
    18: "NumericString",
    19: "PrintableString",
    20: "TeletexString",
    22: "IA5String",
    23: "UTCTime",
    24: "GeneralizedTime",
    26: "VisibleString",
    28: "UniversalString",
    30: "BMPString",
}


class Grammar:
    """Base of every grammar node."""

    name: str | None = None

    def __init__(self) -> None:
        self._compiled: dict[str, TAny] = {}

    @property
    def tags(self) -> frozenset[int] | None:
        """Tag keys an encoding of this grammar can start with; None means any tag."""
        raise NotImplementedError

    def retagged(self, cls: int, num: int) -> Grammar:
        raise GrammarError(f"{self.describe()} cannot be IMPLICITly tagged; use explicit()")

    def describe(self) -> str:
        return self.name or type(self).__name__

    def __repr__(self) -> str:
        return f"<asn1 grammar {self.describe()}>"


class Tagged(Grammar):
    """A node with one tag of its own (primitives, SEQUENCE, SET, ... and EXPLICIT)."""

    constructed = False

    def __init__(self, cls: int, num: int) -> None:
        super().__init__()
        self.cls = cls
        self.num = num
        self.key = tag_key(cls, num)
        self.ident = identifier(cls, self.constructed, num)

    @property
    def tags(self) -> frozenset[int]:
        return frozenset((self.key,))

    def retagged(self, cls: int, num: int) -> Grammar:
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        Tagged.__init__(new, cls, num)
        return new


PRIM_KINDS = {
    # kind: (universal tag number, may be a constructed BER string)
    "boolean": (1, False),
    "integer": (2, False),
    "bit_string": (3, True),
    "named_bits": (3, True),
    "octet_string": (4, True),
    "null": (5, False),
    "oid": (6, False),
    "enumerated": (10, False),
    "utf8_string": (12, True),
    "numeric_string": (18, True),
    "printable_string": (19, True),
    "teletex_string": (20, True),
    "ia5_string": (22, True),
    "utc_time": (23, True),
    "generalized_time": (24, True),
    "visible_string": (26, True),
    "universal_string": (28, True),
    "bmp_string": (30, True),
}


class Prim(Tagged):
    """A primitive type; ``kind`` is one of ``PRIM_KINDS``."""

    def __init__(
        self,
        kind: str,
        named: Mapping[str, int] | None = None,
        min: int | None = None,
        max: int | None = None,
    ) -> None:
        self.kind = kind
        self.universal, self.segmentable = PRIM_KINDS[kind]
        self.named = dict(named) if named is not None else None
        self.min, self.max = min, max
        super().__init__(UNIVERSAL, self.universal)

    def describe(self) -> str:
        base = _UNIVERSAL_NAMES[self.universal]
        if self.key != tag_key(UNIVERSAL, self.universal):
            return f"{describe_key(self.key)} IMPLICIT {base}"
        return self.name or base


class Field:
    """One component of a SEQUENCE or SET."""

    __slots__ = ("name", "grammar", "optional", "default", "has_default")

    def __init__(
        self,
        name: str,
        grammar: Grammar,
        optional: bool = False,
        default: TAny = None,
        has_default: bool = False,
    ) -> None:
        if not isinstance(grammar, Grammar):
            raise GrammarError(f"field {name!r}: {grammar!r} is not a grammar")
        self.name = name
        self.grammar = grammar
        self.optional = optional or has_default
        self.default = default
        self.has_default = has_default


def field(name: str, grammar: Grammar) -> Field:
    """A required component."""
    return Field(name, grammar)


def optional(name: str, grammar: Grammar) -> Field:
    """An OPTIONAL component: absent from the decoded dict when not encoded."""
    return Field(name, grammar, optional=True)


def default(name: str, grammar: Grammar, value: TAny) -> Field:
    """A component with a DEFAULT: decodes to ``value`` when absent; DER never encodes it."""
    return Field(name, grammar, default=value, has_default=True)


def _fields(items: Iterable[Field | tuple[str, Grammar]]) -> tuple[Field, ...]:
    out = []
    for f in items:
        if isinstance(f, tuple):
            f = Field(*f)
        if not isinstance(f, Field):
            raise GrammarError(f"{f!r} is not a field")
        out.append(f)
    names = [f.name for f in out]
    if len(set(names)) != len(names):
        raise GrammarError(f"duplicate field names in {names}")
    return tuple(out)


class Sequence(Tagged):
    constructed = True

    def __init__(self, fields: tuple[Field, ...], name: str | None) -> None:
        self.fields = fields
        self.name = name
        super().__init__(UNIVERSAL, 16)

    def describe(self) -> str:
        return self.name or "SEQUENCE"


class Set(Tagged):
    constructed = True

    def __init__(self, fields: tuple[Field, ...], name: str | None) -> None:
        self.fields = fields
        self.name = name
        super().__init__(UNIVERSAL, 17)

    def describe(self) -> str:
        return self.name or "SET"


class SequenceOf(Tagged):
    constructed = True

    def __init__(
        self, element: Grammar, is_set: bool, min: int, max: int | None, name: str | None
    ) -> None:
        if not isinstance(element, Grammar):
            raise GrammarError(f"{element!r} is not a grammar")
        self.element = element
        self.is_set = is_set
        self.min, self.max = min, max
        self.name = name
        super().__init__(UNIVERSAL, 17 if is_set else 16)

    def describe(self) -> str:
        return self.name or ("SET OF" if self.is_set else "SEQUENCE OF")


class Explicit(Tagged):
    constructed = True

    def __init__(self, cls: int, num: int, inner: Grammar) -> None:
        if not isinstance(inner, Grammar):
            raise GrammarError(f"{inner!r} is not a grammar")
        self.inner = inner
        super().__init__(cls, num)

    def describe(self) -> str:
        return f"{describe_key(self.key)} EXPLICIT {self.inner.describe()}"


class Containing(Tagged):
    """OCTET STRING (or BIT STRING) CONTAINING the DER encoding of ``inner``."""

    def __init__(self, inner: Grammar, bits: bool) -> None:
        if not isinstance(inner, Grammar):
            raise GrammarError(f"{inner!r} is not a grammar")
        self.inner = inner
        self.bits = bits
        super().__init__(UNIVERSAL, 3 if bits else 4)

    def describe(self) -> str:
        what = "BIT STRING" if self.bits else "OCTET STRING"
        return f"{what} CONTAINING {self.inner.describe()}"


class Choice(Grammar):
    def __init__(self, alternatives: tuple[tuple[str, Grammar], ...], name: str | None) -> None:
        super().__init__()
        self.alternatives = alternatives
        self.name = name
        names = [a for a, _ in alternatives]
        if len(set(names)) != len(names):
            raise GrammarError(f"duplicate alternative names in {names}")
        for a, g in alternatives:
            if not isinstance(g, Grammar):
                raise GrammarError(f"alternative {a!r}: {g!r} is not a grammar")

    @property
    def tags(self) -> frozenset[int]:
        seen: set[int] = set()
        for a, g in self.alternatives:
            t = g.tags
            if t is None:
                raise GrammarError(f"CHOICE alternative {a!r} has no fixed tag (ANY)")
            if seen & t:
                raise GrammarError(f"CHOICE alternative {a!r} reuses a tag: {sorted(seen & t)}")
            seen |= t
        return frozenset(seen)

    def describe(self) -> str:
        return self.name or "CHOICE"


class AnyElement(Grammar):
    """ANY: one element of any tag, kept as ``asn1.Any`` (its exact bytes)."""

    @property
    def tags(self) -> None:
        return None

    def describe(self) -> str:
        return "ANY"


class AnyDefinedBy(Grammar):
    """ANY DEFINED BY a sibling field: the sibling's value picks the grammar."""

    def __init__(self, key_field: str, table: Mapping[TAny, Grammar], fallback: Grammar) -> None:
        super().__init__()
        self.key_field = key_field
        self.table = dict(table)
        self.fallback = fallback

    @property
    def tags(self) -> frozenset[int] | None:
        # every possible grammar has a fixed tag: the component is as well-tagged as they are
        out: set[int] = set()
        for g in (*self.table.values(), self.fallback):
            t = g.tags
            if t is None:
                return None
            out |= t
        return frozenset(out)

    def describe(self) -> str:
        return f"ANY DEFINED BY {self.key_field}"


class Map(Grammar):
    def __init__(
        self, inner: Grammar, to_user: Callable[[TAny], TAny], from_user: Callable[[TAny], TAny]
    ) -> None:
        super().__init__()
        if not isinstance(inner, Grammar):
            raise GrammarError(f"{inner!r} is not a grammar")
        self.inner = inner
        self.to_user = to_user
        self.from_user = from_user
        self.name = inner.name

    @property
    def tags(self) -> frozenset[int] | None:
        return self.inner.tags

    def retagged(self, cls: int, num: int) -> Grammar:
        return Map(self.inner.retagged(cls, num), self.to_user, self.from_user)

    def describe(self) -> str:
        return self.inner.describe()


class Raw(Grammar):
    """Decodes to ``(value, exact_bytes)``; encodes ``(value, bytes)`` as the bytes given
    (``(value, None)`` encodes the value)."""

    def __init__(self, inner: Grammar) -> None:
        super().__init__()
        self.inner = inner
        self.name = inner.name

    @property
    def tags(self) -> frozenset[int] | None:
        return self.inner.tags

    def retagged(self, cls: int, num: int) -> Grammar:
        return Raw(self.inner.retagged(cls, num))

    def describe(self) -> str:
        return self.inner.describe()


class Fix(Grammar):
    """A recursive grammar: ``fix(lambda self: ...)``."""

    def __init__(self, body: Callable[[Grammar], Grammar], name: str | None = None) -> None:
        super().__init__()
        self._body_fn = body
        self._body: Grammar | None = None
        self._retag: tuple[int, int] | None = None
        self.name = name

    @property
    def body(self) -> Grammar:
        if self._body is None:
            b = self._body_fn(self)
            if not isinstance(b, Grammar):
                raise GrammarError("fix(): the function must return a grammar")
            if self._retag is not None:
                b = b.retagged(*self._retag)
            self._body = b
        return self._body

    @property
    def tags(self) -> frozenset[int] | None:
        return self.body.tags

    def retagged(self, cls: int, num: int) -> Grammar:
        new = Fix(self._body_fn, self.name)
        new._retag = (cls, num)
        return new

    def describe(self) -> str:
        return self.name or "fix"


# ---- the user-facing constructors -------------------------------------------------------

boolean = Prim("boolean")
integer = Prim("integer")
enumerated = Prim("enumerated")
bit_string = Prim("bit_string")
octet_string = Prim("octet_string")
null = Prim("null")
oid = Prim("oid")
utf8_string = Prim("utf8_string")
printable_string = Prim("printable_string")
ia5_string = Prim("ia5_string")
teletex_string = Prim("teletex_string")
bmp_string = Prim("bmp_string")
universal_string = Prim("universal_string")
visible_string = Prim("visible_string")
numeric_string = Prim("numeric_string")
utc_time = Prim("utc_time")
generalized_time = Prim("generalized_time")
ANY = AnyElement()


def named_bits(names: Mapping[str, int]) -> Grammar:
    """BIT STRING with named bits: decodes to a frozenset of the names that are set (and,
    for set bits that have no name, their bit numbers as ints, so nothing is lost)."""
    if any(not isinstance(i, int) or i < 0 for i in names.values()):
        raise GrammarError("bit numbers must be ints >= 0")
    return Prim("named_bits", named=names)


def sized(grammar: Grammar, min: int | None = None, max: int | None = None) -> Grammar:
    """SIZE(min..max) on a string or OCTET STRING (count of characters / bytes)."""
    if not isinstance(grammar, Prim):
        raise GrammarError("sized() applies to primitive string types; use sequence_of(min=)")
    new = grammar.retagged(grammar.cls, grammar.num)
    assert isinstance(new, Prim)
    new.min, new.max = min, max
    new._compiled = {}
    return new


def sequence(*fields: Field | tuple[str, Grammar], name: str | None = None) -> Grammar:
    """SEQUENCE { ... }: decodes to a dict {field name: value}."""
    return Sequence(_fields(fields), name)


def set_(*fields: Field | tuple[str, Grammar], name: str | None = None) -> Grammar:
    """SET { ... }: like sequence(), any order in BER, canonical tag order in DER."""
    return Set(_fields(fields), name)


def sequence_of(
    element: Grammar, min: int = 0, max: int | None = None, name: str | None = None
) -> Grammar:
    """SEQUENCE SIZE(min..max) OF element: decodes to a list."""
    return SequenceOf(element, False, min, max, name)


def set_of(
    element: Grammar, min: int = 0, max: int | None = None, name: str | None = None
) -> Grammar:
    """SET SIZE(min..max) OF element: a list; DER sorts the encodings and the strict
    decoder rejects unsorted input."""
    return SequenceOf(element, True, min, max, name)


def choice(*alternatives: tuple[str, Grammar], name: str | None = None) -> Grammar:
    """CHOICE: decodes to ``(alternative name, value)``."""
    return Choice(tuple(alternatives), name)


def explicit(num: int, grammar: Grammar, cls: int = CONTEXT) -> Grammar:
    """[cls num] EXPLICIT grammar."""
    return Explicit(cls, num, grammar)


def implicit(num: int, grammar: Grammar, cls: int = CONTEXT) -> Grammar:
    """[cls num] IMPLICIT grammar (not allowed on CHOICE or ANY, as in X.680 31.2.7)."""
    return grammar.retagged(cls, num)


def contains(grammar: Grammar) -> Grammar:
    """OCTET STRING CONTAINING ``grammar`` (e.g. an X.509 extnValue): decodes straight to
    the inner value, with error paths and offsets inside it."""
    return Containing(grammar, bits=False)


def bit_string_containing(grammar: Grammar) -> Grammar:
    """BIT STRING (no unused bits) CONTAINING ``grammar`` (e.g. subjectPublicKey)."""
    return Containing(grammar, bits=True)


def any_defined_by(
    key_field: str, table: Mapping[TAny, Grammar], fallback: Grammar = ANY
) -> Grammar:
    """ANY DEFINED BY ``key_field`` (a sibling earlier in the same SEQUENCE, or a dotted
    path into one, e.g. ``"algorithm.algorithm"``): its value selects the grammar from
    ``table``; other values use ``fallback`` (by default ANY, kept raw)."""
    return AnyDefinedBy(key_field, table, fallback)


def map(  # noqa: A001 - the combinator's name in asn1-combinators
    grammar: Grammar, to_user: Callable[[TAny], TAny], from_user: Callable[[TAny], TAny]
) -> Grammar:
    """Convert decoded values with ``to_user`` and values to encode with ``from_user``.
    ``to_user`` may raise ValueError to reject a value (reported as a DecodeError)."""
    return Map(grammar, to_user, from_user)


def raw(grammar: Grammar) -> Grammar:
    """Decode to ``(value, exact bytes of the element)``."""
    return Raw(grammar)


def fix(body: Callable[[Grammar], Grammar], name: str | None = None) -> Grammar:
    """A recursive grammar: ``body`` receives the grammar being defined."""
    return Fix(body, name)
