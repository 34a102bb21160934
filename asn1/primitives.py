"""Contents codecs of the primitive types (X.690 8 and the DER rules of 10/11).

Each ``decoder(kind, strict)`` returns ``f(buf, start, stop) -> value`` reading the
contents octets ``buf[start:stop]``; each ``encoder(kind)`` returns ``f(value) -> bytes``
(the contents octets).  ``strict`` selects the DER rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any as TAny

from .errors import DecodeError, EncodeError
from .values import BitString

ContentDecoder = Callable[[bytes, int, int], TAny]
ContentEncoder = Callable[[TAny], bytes]

UTC = timezone.utc  # noqa: UP017 - one spelling across the package

# Character sets (X.680 41): what each restricted string type may contain.
PRINTABLE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?"
NUMERIC = "0123456789 "
_PRINTABLE_RE = re.compile(rb"[A-Za-z0-9 '()+,\-./:=?]*")
_VISIBLE_RE = re.compile(rb"[\x20-\x7e]*")
_NUMERIC_RE = re.compile(rb"[0-9 ]*")
_PRINTABLE_SET = frozenset(PRINTABLE)
_NUMERIC_SET = frozenset(NUMERIC)

_OID_CACHE: dict[bytes, str] = {}
_OID_CACHE_MAX = 4096  # entries of at most 32 bytes: hostile input cannot grow it further
# Arcs are bounded so that decoding stays linear in the input: 24 base-128 bytes (168 bits)
# hold the 128-bit UUID arcs of 2.25 (X.667) with room to spare.
_OID_ARC_MAX_BYTES = 24


def _boolean(strict: bool) -> ContentDecoder:
    def dec(buf: bytes, s: int, e: int) -> bool:
        if e - s != 1:
            raise DecodeError("BOOLEAN must have exactly one contents byte", s)
        v = buf[s]
        if v == 0:
            return False
        if v != 0xFF and strict:
            raise DecodeError("DER BOOLEAN must be 00 or FF", s)
        return True

    return dec


def _integer(strict: bool) -> ContentDecoder:
    def dec(buf: bytes, s: int, e: int) -> int:
        n = e - s
        if n == 1:
            v = buf[s]
            return v - 256 if v & 0x80 else v
        if n == 0:
            raise DecodeError("INTEGER has no contents bytes", s)
        b0, b1 = buf[s], buf[s + 1]
        # X.690 8.3.2 (BER and DER): the first nine bits are never all 0 or all 1
        if (b0 == 0 and b1 < 0x80) or (b0 == 0xFF and b1 >= 0x80):
            raise DecodeError("INTEGER is not minimally encoded", s)
        return int.from_bytes(buf[s:e], "big", signed=True)

    return dec


def _bit_string(strict: bool) -> ContentDecoder:
    def dec(buf: bytes, s: int, e: int) -> BitString:
        if e == s:
            raise DecodeError("BIT STRING has no contents bytes", s)
        u = buf[s]
        if u > 7:
            raise DecodeError("BIT STRING unused-bits count above 7", s)
        if u and e - s == 1:
            raise DecodeError("empty BIT STRING with unused bits", s)
        if u and strict and buf[e - 1] & ((1 << u) - 1):
            raise DecodeError("DER BIT STRING has non-zero unused bits", e - 1)
        return BitString(buf[s + 1 : e], u)

    return dec


def _named_bits(strict: bool, named: Mapping[str, int]) -> ContentDecoder:
    bits = _bit_string(strict)
    by_number = {i: n for n, i in named.items()}

    def dec(buf: bytes, s: int, e: int) -> frozenset[TAny]:
        b = bits(buf, s, e)
        # X.690 11.2.2: DER drops trailing zero bits of a named-bit list
        if strict and b.data and not (b.data[-1] >> b.unused) & 1:
            raise DecodeError("DER named BIT STRING has trailing zero bits", e - 1)
        out: list[TAny] = []
        data = b.data
        for byte_i, byte in enumerate(data):
            if byte:
                for j in range(8):
                    if byte & (0x80 >> j):
                        i = byte_i * 8 + j
                        out.append(by_number.get(i, i))
        return frozenset(out)

    return dec


def _octet_string(strict: bool) -> ContentDecoder:
    def dec(buf: bytes, s: int, e: int) -> bytes:
        return buf[s:e]

    return dec


def _null(strict: bool) -> ContentDecoder:
    def dec(buf: bytes, s: int, e: int) -> None:
        if e != s:
            raise DecodeError("NULL must be empty", s)
        return None

    return dec


def _oid(strict: bool) -> ContentDecoder:
    def dec(buf: bytes, s: int, e: int) -> str:
        raw = buf[s:e]
        hit = _OID_CACHE.get(raw)
        if hit is not None:
            return hit
        if not raw:
            raise DecodeError("OBJECT IDENTIFIER has no contents bytes", s)
        if raw[-1] & 0x80:
            raise DecodeError("OBJECT IDENTIFIER ends inside an arc", e - 1)
        arcs: list[int] = []
        v = 0
        at_start = True
        arc_len = 0
        for i, c in enumerate(raw):
            if at_start and c == 0x80:
                raise DecodeError("OBJECT IDENTIFIER arc is not minimally encoded", s + i)
            arc_len += 1
            if arc_len > _OID_ARC_MAX_BYTES:
                raise DecodeError("OBJECT IDENTIFIER arc too large", s + i)
            v = (v << 7) | (c & 0x7F)
            at_start = not c & 0x80
            if at_start:
                arcs.append(v)
                v = 0
                arc_len = 0
        first = arcs[0]
        head = (0, first) if first < 40 else (1, first - 40) if first < 80 else (2, first - 80)
        text = ".".join(str(a) for a in (*head, *arcs[1:]))
        if len(_OID_CACHE) < _OID_CACHE_MAX and len(raw) <= 32:
            _OID_CACHE[raw] = text
        return text

    return dec


def _text(codec: str, check: Callable[[bytes], bool] | None, what: str, unit: int = 1):
    def factory(strict: bool) -> ContentDecoder:
        def dec(buf: bytes, s: int, e: int) -> str:
            raw = buf[s:e]
            if (e - s) % unit:
                raise DecodeError(f"{what} length is not a multiple of {unit}", s)
            if check is not None and not check(raw):
                raise DecodeError(f"{what} contains a character outside its alphabet", s)
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"{what} is not valid {codec}", s + exc.start) from None
            if unit == 2 and not _bmp_ok(text):
                raise DecodeError(f"{what} contains a character outside the BMP", s)
            return text

        return dec

    return factory


def _bmp_ok(text: str) -> bool:
    return not text or max(text) <= "\uffff"


def _printable_ok(raw: bytes) -> bool:
    return _PRINTABLE_RE.fullmatch(raw) is not None


def _visible_ok(raw: bytes) -> bool:
    return _VISIBLE_RE.fullmatch(raw) is not None


def _numeric_ok(raw: bytes) -> bool:
    return _NUMERIC_RE.fullmatch(raw) is not None


def _ia5_ok(raw: bytes) -> bool:
    return raw.isascii()


_BER_UTC_RE = re.compile(rb"(\d{10})(\d{2})?(Z|[+-]\d{4})")
_BER_GEN_RE = re.compile(rb"(\d{10})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})")


def _mk_time(y: int, raw: bytes, s: int, what: str) -> datetime:
    try:
        return datetime(
            y,
            int(raw[0:2]),
            int(raw[2:4]),
            int(raw[4:6]),
            int(raw[6:8]),
            int(raw[8:10]),
            tzinfo=UTC,
        )
    except ValueError:
        raise DecodeError(f"{what} is not a valid date and time", s) from None


def _tz_shift(dt: datetime, tz: bytes, s: int) -> datetime:
    if tz == b"Z":
        return dt
    h, m = int(tz[1:3]), int(tz[3:5])
    if h > 23 or m > 59:
        raise DecodeError("bad time-zone offset", s)
    delta = timedelta(hours=h, minutes=m)
    return dt - delta if tz[:1] == b"+" else dt + delta


def _utc_time(strict: bool) -> ContentDecoder:
    def dec(buf: bytes, s: int, e: int) -> datetime:
        raw = buf[s:e]
        if e - s == 13 and raw[12] == 0x5A and raw[:12].isdigit():
            yy = int(raw[0:2])
            # RFC 5280 4.1.2.5.1: YY >= 50 is 19YY, otherwise 20YY
            return _mk_time(yy + (1900 if yy >= 50 else 2000), raw[2:], s, "UTCTime")
        if strict:
            raise DecodeError("DER UTCTime must be YYMMDDHHMMSSZ", s)
        m = _BER_UTC_RE.fullmatch(raw)
        if m is None:
            raise DecodeError("malformed UTCTime", s)
        yy = int(raw[0:2])
        body = raw[2:10] + (m.group(2) or b"00")
        dt = _mk_time(yy + (1900 if yy >= 50 else 2000), body, s, "UTCTime")
        return _tz_shift(dt, m.group(3), s)

    return dec


def _generalized_time(strict: bool) -> ContentDecoder:
    def dec(buf: bytes, s: int, e: int) -> datetime:
        raw = buf[s:e]
        if e - s == 15 and raw[14] == 0x5A and raw[:14].isdigit():
            return _mk_time(int(raw[0:4]), raw[4:], s, "GeneralizedTime")
        if strict:
            raise DecodeError("DER GeneralizedTime must be YYYYMMDDHHMMSSZ", s)
        m = _BER_GEN_RE.fullmatch(raw)
        if m is None:
            raise DecodeError("malformed GeneralizedTime", s)
        body = raw[4:10] + (m.group(2) or b"00") + (m.group(3) or b"00")
        dt = _mk_time(int(raw[0:4]), body, s, "GeneralizedTime")
        if m.group(4):
            frac = m.group(4)[:6].ljust(6, b"0")
            dt = dt.replace(microsecond=int(frac))
        return _tz_shift(dt, m.group(5), s)

    return dec


_DECODERS: dict[str, Callable[[bool], ContentDecoder]] = {
    "boolean": _boolean,
    "integer": _integer,
    "enumerated": _integer,
    "bit_string": _bit_string,
    "octet_string": _octet_string,
    "null": _null,
    "oid": _oid,
    "utf8_string": _text("utf-8", None, "UTF8String"),
    "printable_string": _text("ascii", _printable_ok, "PrintableString"),
    "ia5_string": _text("ascii", _ia5_ok, "IA5String"),
    # T.61 proper is a shifting 8-bit code; in certificates it carries latin-1 in practice,
    # so it is kept as latin-1 text, which maps every byte and round-trips exactly.
    "teletex_string": _text("latin-1", None, "TeletexString"),
    "bmp_string": _text("utf-16-be", None, "BMPString", 2),
    "universal_string": _text("utf-32-be", None, "UniversalString", 4),
    "visible_string": _text("ascii", _visible_ok, "VisibleString"),
    "numeric_string": _text("ascii", _numeric_ok, "NumericString"),
    "utc_time": _utc_time,
    "generalized_time": _generalized_time,
}


def decoder(
    kind: str,
    strict: bool,
    named: Mapping[str, int] | None = None,
    size: tuple[int | None, int | None] = (None, None),
) -> ContentDecoder:
    if kind == "named_bits":
        assert named is not None
        dec = _named_bits(strict, named)
    else:
        dec = _DECODERS[kind](strict)
    lo, hi = size
    if lo is None and hi is None:
        return dec

    def sized(buf: bytes, s: int, e: int) -> TAny:
        v = dec(buf, s, e)
        n = len(v)
        if (lo is not None and n < lo) or (hi is not None and n > hi):
            raise DecodeError(f"size {n} outside SIZE({lo}..{hi})", s)
        return v

    return sized


# ---- encoders ---------------------------------------------------------------------------


def _need(v: TAny, types: type | tuple[type, ...], what: str) -> None:
    if not isinstance(v, types):
        raise EncodeError(f"{what} needs {types}, got {type(v).__name__}")


def enc_boolean(v: TAny) -> bytes:
    _need(v, bool, "BOOLEAN")
    return b"\xff" if v else b"\x00"


def enc_integer(v: TAny) -> bytes:
    _need(v, int, "INTEGER")
    n = ((v if v >= 0 else ~v).bit_length() + 8) // 8
    return int(v).to_bytes(n, "big", signed=True)


def enc_bit_string(v: TAny) -> bytes:
    _need(v, BitString, "BIT STRING")
    data, u = bytes(v.data), v.unused
    if not 0 <= u <= 7 or (u and not data):
        raise EncodeError(f"BIT STRING unused-bits count {u} is invalid for {len(data)} bytes")
    if u and data[-1] & ((1 << u) - 1):
        raise EncodeError("BIT STRING padding bits must be zero in DER")
    return bytes((u,)) + data


def enc_named_bits(named: Mapping[str, int]) -> ContentEncoder:
    def enc(v: TAny) -> bytes:
        _need(v, (set, frozenset, list, tuple), "named BIT STRING")
        nums = []
        for x in v:
            if isinstance(x, str):
                if x not in named:
                    raise EncodeError(f"unknown bit name {x!r}")
                nums.append(named[x])
            elif isinstance(x, int) and x >= 0:
                nums.append(x)
            else:
                raise EncodeError(f"bad bit {x!r}")
        return enc_bit_string(BitString.from_bits(nums))

    return enc


def enc_octet_string(v: TAny) -> bytes:
    _need(v, (bytes, bytearray, memoryview), "OCTET STRING")
    return bytes(v)


def enc_null(v: TAny) -> bytes:
    if v is not None:
        raise EncodeError("NULL takes None")
    return b""


_OID_ENC_CACHE: dict[str, bytes] = {}


def enc_oid(v: TAny) -> bytes:
    hit = _OID_ENC_CACHE.get(v) if type(v) is str else None
    if hit is not None:
        return hit
    out = _enc_oid(v)
    if len(_OID_ENC_CACHE) < _OID_CACHE_MAX and len(v) <= 64:
        _OID_ENC_CACHE[v] = out
    return out


def _enc_oid(v: TAny) -> bytes:
    _need(v, str, "OBJECT IDENTIFIER")
    try:
        arcs = [int(a) for a in v.split(".")]
    except ValueError:
        raise EncodeError(f"bad OBJECT IDENTIFIER {v!r}") from None
    if (
        len(arcs) < 2
        or any(a < 0 for a in arcs)
        or arcs[0] > 2
        or (arcs[0] < 2 and arcs[1] > 39)
        or any(str(a) != p for a, p in zip(arcs, v.split("."), strict=True))
    ):
        raise EncodeError(f"bad OBJECT IDENTIFIER {v!r}")
    out = bytearray()
    for a in (arcs[0] * 40 + arcs[1], *arcs[2:]):
        chunk = [a & 0x7F]
        a >>= 7
        while a:
            chunk.append(0x80 | (a & 0x7F))
            a >>= 7
        out += bytes(reversed(chunk))
    return bytes(out)


def _enc_text(codec: str, allowed: frozenset[str] | None, what: str, top: str) -> ContentEncoder:
    def enc(v: TAny) -> bytes:
        _need(v, str, what)
        if allowed is not None and not allowed.issuperset(v):
            raise EncodeError(f"{what} cannot hold {v!r}")
        if v and max(v) > top:
            raise EncodeError(f"{what} cannot hold {v!r}")
        try:
            return v.encode(codec)
        except UnicodeEncodeError:
            raise EncodeError(f"{what} cannot hold {v!r}") from None

    return enc


def _enc_time(v: TAny, utc: bool) -> bytes:
    _need(v, datetime, "time")
    if v.tzinfo is None:
        raise EncodeError("times must be timezone-aware")
    v = v.astimezone(UTC)
    if v.microsecond:
        raise EncodeError("DER times have whole seconds")
    if utc:
        if not 1950 <= v.year <= 2049:
            raise EncodeError("UTCTime covers 1950..2049")
        return v.strftime("%y%m%d%H%M%SZ").encode()
    return b"%04d%02d%02d%02d%02d%02dZ" % (v.year, v.month, v.day, v.hour, v.minute, v.second)


_ENCODERS: dict[str, ContentEncoder] = {
    "boolean": enc_boolean,
    "integer": enc_integer,
    "enumerated": enc_integer,
    "bit_string": enc_bit_string,
    "octet_string": enc_octet_string,
    "null": enc_null,
    "oid": enc_oid,
    "utf8_string": _enc_text("utf-8", None, "UTF8String", "\U0010ffff"),
    "printable_string": _enc_text("ascii", _PRINTABLE_SET, "PrintableString", "\x7f"),
    "ia5_string": _enc_text("ascii", None, "IA5String", "\x7f"),
    "teletex_string": _enc_text("latin-1", None, "TeletexString", "\xff"),
    "bmp_string": _enc_text("utf-16-be", None, "BMPString", "\uffff"),
    "universal_string": _enc_text("utf-32-be", None, "UniversalString", "\U0010ffff"),
    "visible_string": _enc_text(
        "ascii", frozenset(chr(c) for c in range(0x20, 0x7F)), "VisibleString", "\x7e"
    ),
    "numeric_string": _enc_text("ascii", _NUMERIC_SET, "NumericString", "9"),
    "utc_time": lambda v: _enc_time(v, True),
    "generalized_time": lambda v: _enc_time(v, False),
}


def encoder(
    kind: str,
    named: Mapping[str, int] | None = None,
    size: tuple[int | None, int | None] = (None, None),
) -> ContentEncoder:
    if kind == "named_bits":
        assert named is not None
        enc = enc_named_bits(named)
    else:
        enc = _ENCODERS[kind]
    lo, hi = size
    if lo is None and hi is None:
        return enc

    def sized(v: TAny) -> bytes:
        n = len(v)
        if (lo is not None and n < lo) or (hi is not None and n > hi):
            raise EncodeError(f"size {n} outside SIZE({lo}..{hi})")
        return enc(v)

    return sized
