"""asn1: ASN.1 combinators — one grammar gives a strict DER decoder, a BER decoder, a DER
encoder and a random generator (after OCaml's asn1-combinators).

Declare a structure once, then decode, encode and generate from it:

>>> import asn1
>>> from asn1 import default, field, optional
>>> AlgorithmIdentifier = asn1.sequence(
...     field("algorithm", asn1.oid),
...     optional("parameters", asn1.any_defined_by("algorithm", {"1.2.840.113549.1.1.11": asn1.null})),
...     name="AlgorithmIdentifier",
... )
>>> GeneralName = asn1.choice(
...     ("dNSName", asn1.implicit(2, asn1.ia5_string)),
...     ("iPAddress", asn1.implicit(7, asn1.octet_string)),
... )
>>> Thing = asn1.sequence(
...     default("version", asn1.explicit(0, asn1.integer), 0),
...     field("serial", asn1.integer),
...     field("alg", AlgorithmIdentifier),
...     field("names", asn1.sequence_of(GeneralName, min=1)),
...     optional("flags", asn1.implicit(1, asn1.named_bits({"a": 0, "b": 1}))),
...     name="Thing",
... )
>>> der = asn1.der.encode(Thing, {"serial": 5, "alg": {"algorithm": "1.2.3"},
...                               "names": [("dNSName", "example.com")]})
>>> der.hex()
'3018020105300406022a03300d820b6578616d706c652e636f6d'
>>> asn1.der.decode(Thing, der)      # strict DER (asn1.ber.decode for BER)
{'version': 0, 'serial': 5, 'alg': {'algorithm': '1.2.3'}, 'names': [('dNSName', 'example.com')]}
>>> asn1.der.decode(Thing, der[:-1] + bytes([0xFF]))
Traceback (most recent call last):
asn1.errors.DecodeError: IA5String contains a character outside its alphabet (at Thing.names[0].dNSName, offset 15)
>>> c = asn1.codec(Thing)            # the same, compiled once: c.decode / c.decode_ber / c.encode
>>> c.encode(c.decode(der)) == der
True

``asn1.strategy(Thing)`` is a hypothesis strategy of random valid values (hypothesis is
imported only then).

Values (what decoders return and encoders take):

- BOOLEAN ``bool``; INTEGER / ENUMERATED ``int``; NULL ``None``; OCTET STRING ``bytes``;
  OBJECT IDENTIFIER dotted ``str`` ("1.2.840.113549"); BIT STRING ``asn1.BitString(data,
  unused)``; ``named_bits({name: bit})`` a ``frozenset`` of names (unnamed set bits as ints).
- strings ``str``: UTF8String, PrintableString, IA5String, VisibleString, NumericString,
  BMPString, UniversalString are checked against their alphabets; TeletexString is kept as
  latin-1 text (every byte maps to one character, so it re-encodes byte for byte).
- UTCTime / GeneralizedTime: timezone-aware UTC ``datetime`` (UTCTime YY >= 50 is 19YY).
- SEQUENCE / SET: ``dict`` {field: value}.  OPTIONAL fields that are absent are *missing
  from the dict* (use ``.get``); DEFAULT fields are filled in; the encoder leaves out a
  missing OPTIONAL and a value equal to its DEFAULT.
- SEQUENCE OF / SET OF: ``list`` (DER sorts SET OF on encode).  CHOICE: ``(name, value)``.
- ANY: ``asn1.Any(der)`` — the element's exact bytes; re-encodes as is.  ANY DEFINED BY:
  the sibling field's value picks a grammar from the table; other values decode to ``Any``,
  and an ``Any`` value is always encoded as its bytes.
- ``raw(g)``: ``(value, exact_bytes)``; encoding ``(value, bytes)`` writes the bytes,
  ``(value, None)`` encodes the value.  Use it where signatures cover the original bytes.
- ``map(g, to_user, from_user)`` converts to/from your own type (e.g. a dataclass).

Combinators: ``sequence``, ``set_``, ``sequence_of(g, min=, max=)``, ``set_of``, ``choice``,
``explicit(n, g, cls=CONTEXT)``, ``implicit(n, g, cls=CONTEXT)`` (APPLICATION, PRIVATE,
UNIVERSAL also), ``ANY``, ``any_defined_by``, ``map``, ``raw``, ``fix(lambda self: ...)`` for
recursion, ``sized(g, min, max)`` for SIZE on strings, ``named_bits``, ``contains(g)`` (OCTET
STRING CONTAINING g, decoded in place: X.509 extnValue) and ``bit_string_containing(g)``.

Errors: ``asn1.DecodeError`` (the only exception a decoder raises on bad input) has
``.message``, ``.offset`` (byte offset in the input) and ``.path`` (e.g.
``Certificate.tbsCertificate.extensions[3].extnValue``).  ``asn1.EncodeError`` for values
that do not fit; ``asn1.GrammarError`` for impossible declarations (found when a codec is
first built).  Strict DER rejects indefinite and non-minimal lengths, non-minimal INTEGERs
and OID arcs, BOOLEAN other than 00/FF, non-zero BIT STRING padding, trailing zero bits in
named bit lists, constructed strings, unsorted SET OF, encoded DEFAULT values, bytes after
the element, characters outside a string's alphabet, and times other than
``YYMMDDHHMMSSZ`` / ``YYYYMMDDHHMMSSZ``.  Nesting is limited to ``MAX_DEPTH`` (64) through
recursive grammars and BER indefinite lengths; lengths are checked before any slicing;
OID arcs are limited to 24 bytes so decoding stays linear in the input.

Side channels: decoding is plain Python, so its time depends on the bytes it reads
(lengths, INTEGER sizes, which fields are present).  Decoding a private key therefore
leaks the key's encoded length and structure through timing, not more: the values pass
through ``int.from_bytes`` and slicing, whose cost depends only on their length.

Speed: each grammar is compiled once into closures (strict-DER SEQUENCE decoders are
generated as straight-line functions); decoding is about 10x asn1crypto ``.native`` and
13x pyasn1 on a full certificate (``python -m benchmarks.asn1``).
"""

from . import ber, der
from .codec import Codec, codec
from .decoder import MAX_DEPTH
from .errors import Asn1Error, DecodeError, EncodeError, GrammarError
from .grammar import (
    ANY,
    APPLICATION,
    CONTEXT,
    PRIVATE,
    UNIVERSAL,
    Field,
    Grammar,
    any_defined_by,
    bit_string,
    bit_string_containing,
    bmp_string,
    boolean,
    choice,
    contains,
    default,
    enumerated,
    explicit,
    field,
    fix,
    generalized_time,
    ia5_string,
    implicit,
    integer,
    map,
    named_bits,
    null,
    numeric_string,
    octet_string,
    oid,
    optional,
    printable_string,
    raw,
    sequence,
    sequence_of,
    set_,
    set_of,
    sized,
    teletex_string,
    universal_string,
    utc_time,
    utf8_string,
    visible_string,
)
from .values import Any, BitString


def strategy(grammar: Grammar):  # type: ignore[no-untyped-def]
    """A hypothesis strategy of random valid values of ``grammar`` (imports hypothesis)."""
    from .generate import strategy as _strategy

    return _strategy(grammar)


__all__ = [
    "ANY",
    "APPLICATION",
    "CONTEXT",
    "MAX_DEPTH",
    "PRIVATE",
    "UNIVERSAL",
    "Any",
    "Asn1Error",
    "BitString",
    "Codec",
    "DecodeError",
    "EncodeError",
    "Field",
    "Grammar",
    "GrammarError",
    "any_defined_by",
    "ber",
    "bit_string",
    "bit_string_containing",
    "bmp_string",
    "boolean",
    "choice",
    "codec",
    "contains",
    "default",
    "der",
    "enumerated",
    "explicit",
    "field",
    "fix",
    "generalized_time",
    "ia5_string",
    "implicit",
    "integer",
    "map",
    "named_bits",
    "null",
    "numeric_string",
    "octet_string",
    "oid",
    "optional",
    "printable_string",
    "raw",
    "sequence",
    "sequence_of",
    "set_",
    "set_of",
    "sized",
    "strategy",
    "teletex_string",
    "universal_string",
    "utc_time",
    "utf8_string",
    "visible_string",
]
