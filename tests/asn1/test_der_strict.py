"""One malformed encoding per DER rule (X.690 clauses 8, 10 and 11; RFC 5280 times): the
strict decoder rejects each with a message naming the rule, and the BER decoder accepts
exactly those that are valid BER, with the value BER gives them."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import asn1
from asn1 import default, field

UTC = timezone.utc  # noqa: UP017
SEQ_INT = asn1.sequence(field("a", asn1.integer))
SEQ_DEFAULT = asn1.sequence(default("a", asn1.boolean, False))
KU = asn1.named_bits({"digitalSignature": 0, "keyEncipherment": 2})
REJECT = object()  # BER rejects it as well

# (rule, grammar, encoding in hex, DER error fragment, value under BER)
CASES = [
    ("indefinite length", SEQ_INT, "3080020101 0000", "indefinite length", {"a": 1}),
    ("long-form length below 128", asn1.octet_string, "048101 41", "length is not minimally", b"A"),
    (
        "length with a leading zero",
        asn1.octet_string,
        "04820081" + "41" * 0x81,
        "length is not minimally",
        b"A" * 0x81,
    ),
    ("SEQUENCE length 82 00 03", SEQ_INT, "30820003020101", "length is not minimally", {"a": 1}),
    (
        "ANY holding a long-form length",
        asn1.ANY,
        "300404810141",
        "length is not minimally",
        asn1.Any(bytes.fromhex("300404810141")),
    ),
    (
        "ANY holding BOOLEAN 01",
        asn1.ANY,
        "3003010101",
        "BOOLEAN must be 00 or FF",
        asn1.Any(bytes.fromhex("3003010101")),
    ),
    (
        "ANY holding a constructed string",
        asn1.ANY,
        "2403040141",
        "constructed OCTET STRING",
        asn1.Any(bytes.fromhex("2403040141")),
    ),
    ("INTEGER with a redundant 00", asn1.integer, "0202007f", "INTEGER is not minimally", REJECT),
    ("INTEGER with a redundant FF", asn1.integer, "0202ff80", "INTEGER is not minimally", REJECT),
    ("empty INTEGER", asn1.integer, "0200", "INTEGER has no contents", REJECT),
    ("BOOLEAN 01", asn1.boolean, "010101", "BOOLEAN must be 00 or FF", True),
    ("BOOLEAN of two bytes", asn1.boolean, "0102ffff", "exactly one contents byte", REJECT),
    (
        "BIT STRING padding bits set",
        asn1.bit_string,
        "03020101",
        "non-zero unused bits",
        asn1.BitString(b"\x01", 1),
    ),
    ("BIT STRING unused count 8", asn1.bit_string, "03020800", "unused-bits count above 7", REJECT),
    ("empty BIT STRING with unused bits", asn1.bit_string, "030103", "empty BIT STRING", REJECT),
    (
        "named bits with trailing zero",
        KU,
        "03020680",
        "trailing zero bits",
        frozenset({"digitalSignature"}),
    ),
    ("unsorted SET OF", asn1.set_of(asn1.integer), "3106020102020101", "not sorted", [2, 1]),
    ("encoded DEFAULT value", SEQ_DEFAULT, "3003010100", "DEFAULT", {"a": False}),
    ("bytes after the element", asn1.integer, "02010100", "trailing bytes", REJECT),
    (
        "bytes left inside a SEQUENCE",
        SEQ_INT,
        "3006020101020102",
        "unexpected element at the end",
        REJECT,
    ),
    ("PrintableString with *", asn1.printable_string, "13012a", "outside its alphabet", REJECT),
    ("IA5String with a high byte", asn1.ia5_string, "160180", "outside its alphabet", REJECT),
    (
        "NumericString with a letter",
        asn1.numeric_string,
        "120141",
        "outside its alphabet",
        REJECT,
    ),
    ("VisibleString with a control", asn1.visible_string, "1a0109", "outside its alphabet", REJECT),
    ("UTF8String not UTF-8", asn1.utf8_string, "0c01ff", "not valid utf-8", REJECT),
    ("BMPString of odd length", asn1.bmp_string, "1e0141", "not a multiple of 2", REJECT),
    (
        "UniversalString above U+10FFFF",
        asn1.universal_string,
        "1c0400110000",
        "not valid utf-32",
        REJECT,
    ),
    (
        "UTCTime without seconds",
        asn1.utc_time,
        "170b" + b"0001010000Z".hex(),
        "UTCTime must be YYMMDDHHMMSSZ",
        datetime(2000, 1, 1, tzinfo=UTC),
    ),
    (
        "UTCTime with an offset",
        asn1.utc_time,
        "1711" + b"000101000000+0100".hex(),
        "UTCTime must be",
        datetime(1999, 12, 31, 23, tzinfo=UTC),
    ),
    (
        "GeneralizedTime with a fraction",
        asn1.generalized_time,
        "1811" + b"20000101000000.5Z".hex(),
        "GeneralizedTime must be",
        datetime(2000, 1, 1, 0, 0, 0, 500000, tzinfo=UTC),
    ),
    (
        "GeneralizedTime month 13",
        asn1.generalized_time,
        "180f" + b"20001301000000Z".hex(),
        "not a valid date",
        REJECT,
    ),
    (
        "GeneralizedTime without zone",
        asn1.generalized_time,
        "180e" + b"20000101000000".hex(),
        "GeneralizedTime must be",
        REJECT,
    ),
    ("OID arc with a leading 80", asn1.oid, "06032a8001", "arc is not minimally encoded", REJECT),
    (
        "OID ending inside an arc",
        asn1.oid,
        "060181",
        "ends inside an arc",
        REJECT,
    ),
    ("OID arc of 25 bytes", asn1.oid, "061a2a" + "81" * 24 + "01", "arc too large", REJECT),
    ("empty OID", asn1.oid, "0600", "no contents", REJECT),
    ("NULL with contents", asn1.null, "050100", "NULL must be empty", REJECT),
    (
        "constructed OCTET STRING",
        asn1.octet_string,
        "2406040141040142",
        "constructed OCTET STRING",
        b"AB",
    ),
    ("length past the end", asn1.octet_string, "040541", "exceeds the remaining input", REJECT),
    (
        "four-gigabyte length",
        asn1.octet_string,
        "0484ffffffff41",
        "exceeds the remaining input",
        REJECT,
    ),
    ("wrong tag", asn1.integer, "040101", "expected INTEGER, found OCTET STRING", REJECT),
    ("missing required field", SEQ_INT, "3000", "missing INTEGER", REJECT),
    ("empty input", asn1.integer, "", "missing INTEGER", REJECT),
    (
        "SIZE(1..) violated",
        asn1.sequence_of(asn1.integer, min=1),
        "3000",
        "outside SIZE(1..",
        REJECT,
    ),
]


@pytest.mark.parametrize(
    ("rule", "grammar", "hexdata", "message", "ber"), CASES, ids=[c[0] for c in CASES]
)
def test_strict_der_rejects(rule, grammar, hexdata, message, ber) -> None:
    data = bytes.fromhex(hexdata.replace(" ", ""))
    with pytest.raises(asn1.DecodeError) as info:
        asn1.der.decode(grammar, data)
    assert message in info.value.message, rule
    assert 0 <= info.value.offset <= len(data)
    if ber is REJECT:
        with pytest.raises(asn1.DecodeError):
            asn1.ber.decode(grammar, data)
    else:
        assert asn1.ber.decode(grammar, data) == ber


def test_error_carries_grammar_path_and_offset() -> None:
    inner = asn1.sequence(field("a", asn1.integer), field("b", asn1.printable_string), name="Inner")
    outer = asn1.sequence(field("items", asn1.sequence_of(inner)), name="Outer")
    good = asn1.der.encode(outer, {"items": [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]})
    bad = good.replace(b"\x13\x01y", b"\x13\x01*")
    with pytest.raises(asn1.DecodeError) as info:
        asn1.der.decode(outer, bad)
    assert info.value.path == "Outer.items[1].b"
    assert bad[info.value.offset : info.value.offset + 1] == b"*"
    assert "Outer.items[1].b" in str(info.value)


def test_recursive_grammar_nesting_is_limited() -> None:
    tree = asn1.fix(lambda self: asn1.sequence_of(self), name="Tree")
    ok = b"\x30\x00"
    for _ in range(10):
        ok = b"\x30" + bytes([len(ok)]) + ok
    assert asn1.der.decode(tree, ok) == [[[[[[[[[[[]]]]]]]]]]]
    deep = b"\x30\x80" * 5000 + b"\x00\x00" * 5000  # BER: no length to check up front
    for decode in (asn1.der.decode, asn1.ber.decode):
        with pytest.raises(asn1.DecodeError, match="indefinite|deeper"):
            decode(tree, deep)


def test_ber_indefinite_constructed_strings_nest() -> None:
    # OCTET STRING, constructed, indefinite, holding a nested constructed segment
    data = bytes.fromhex("2480 0402 4142 2480 0401 43 0000 0000")
    assert asn1.ber.decode(asn1.octet_string, data) == b"ABC"
    # BIT STRING segments: only the last may have unused bits
    bits = bytes.fromhex("2380 0302 00ff 0302 04f0 0000")
    assert asn1.ber.decode(asn1.bit_string, bits) == asn1.BitString(b"\xff\xf0", 4)
    with pytest.raises(asn1.DecodeError):
        asn1.ber.decode(asn1.bit_string, bytes.fromhex("2380 0302 04f0 0302 00ff 0000"))


def test_ber_set_in_any_order_der_only_canonical() -> None:
    s = asn1.set_(field("n", asn1.integer), field("b", asn1.boolean))
    canonical = bytes.fromhex("3106 0101ff 020105")
    swapped = bytes.fromhex("3106 020105 0101ff")
    assert asn1.der.decode(s, canonical) == {"n": 5, "b": True}
    assert asn1.der.encode(s, {"n": 5, "b": True}) == canonical
    assert asn1.ber.decode(s, swapped) == {"n": 5, "b": True}
    with pytest.raises(asn1.DecodeError, match="tag order"):
        asn1.der.decode(s, swapped)


def test_raw_keeps_exact_bytes_and_reencodes_them() -> None:
    g = asn1.sequence(field("tbs", asn1.raw(SEQ_INT)), field("sig", asn1.bit_string))
    der = bytes.fromhex("300a 3003020107 0303000102")
    value = asn1.der.decode(g, der)
    assert value["tbs"] == ({"a": 7}, bytes.fromhex("3003020107"))
    assert asn1.der.encode(g, value) == der
    # under BER the raw view is the original (BER) bytes, still re-encoded verbatim
    ber = bytes.fromhex("3080 3080020107 0000 0303000102 0000")
    value = asn1.ber.decode(g, ber)
    assert value["tbs"][1] == bytes.fromhex("3080020107 0000")


def test_any_defined_by_unknown_oid_kept_raw() -> None:
    alg = asn1.sequence(
        field("algorithm", asn1.oid),
        asn1.optional("parameters", asn1.any_defined_by("algorithm", {"1.2.3": asn1.integer})),
    )
    known = asn1.der.encode(alg, {"algorithm": "1.2.3", "parameters": 5})
    assert asn1.der.decode(alg, known) == {"algorithm": "1.2.3", "parameters": 5}
    unknown = bytes.fromhex("3009 06022a04 0403 010203")
    value = asn1.der.decode(alg, unknown)
    assert value["parameters"] == asn1.Any(bytes.fromhex("0403010203"))
    assert value["parameters"].tag == (0, 4)
    assert asn1.der.encode(alg, value) == unknown


def test_implicit_on_choice_is_a_grammar_error() -> None:
    with pytest.raises(asn1.GrammarError):
        asn1.implicit(0, asn1.choice(("a", asn1.integer)))
