"""Distinguished names (RFC 5280 §4.1.2.4) and their RFC 4514 string form.

A ``Name`` is a sequence of relative distinguished names (RDNs), each a set of
``NameAttribute`` (an OID, a value and the ASN.1 string type it was encoded with).
Two comparisons exist because the RFCs need both: ``==`` is exact (same attributes,
same string types, same order) and ``matches`` is RFC 5280 §7.1's comparison, which
ignores case and folds runs of white space in string values so that issuers encoded
by different software still chain.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# RFC 4514 §3 short names (those cryptography and OpenSSL also print).
SHORT_NAMES: dict[str, str] = {
    "2.5.4.3": "CN",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "2.5.4.6": "C",
    "2.5.4.9": "STREET",
    "0.9.2342.19200300.100.1.25": "DC",
    "0.9.2342.19200300.100.1.1": "UID",
}
# Names accepted when parsing a user-written string (``Name.parse``).
_LONG_NAMES: dict[str, str] = {
    **{v: k for k, v in SHORT_NAMES.items()},
    "SERIALNUMBER": "2.5.4.5",
    "EMAILADDRESS": "1.2.840.113549.1.9.1",
    "E": "1.2.840.113549.1.9.1",
    "SN": "2.5.4.4",
    "GN": "2.5.4.42",
    "T": "2.5.4.12",
}
COMMON_NAME = "2.5.4.3"
COUNTRY_NAME = "2.5.4.6"
EMAIL_ADDRESS = "1.2.840.113549.1.9.1"
DOMAIN_COMPONENT = "0.9.2342.19200300.100.1.25"

# The ASN.1 string type a builder uses by default for an attribute.
_DEFAULT_TYPE: dict[str, str] = {
    COUNTRY_NAME: "printable",
    "2.5.4.5": "printable",
    EMAIL_ADDRESS: "ia5",
    DOMAIN_COMPONENT: "ia5",
}


@dataclass(frozen=True, slots=True)
class NameAttribute:
    """One AttributeTypeAndValue.

    ``value`` is text for the directory string types; for any other ASN.1 type it is
    the element's DER bytes (kept so that the name re-encodes exactly).
    ``string_type`` is one of "utf8", "printable", "ia5", "teletex", "bmp",
    "universal", "visible", "numeric", or "der" for a non-string value.
    """

    oid: str
    value: str | bytes
    string_type: str = "utf8"

    @classmethod
    def of(cls, oid: str, value: str) -> NameAttribute:
        """An attribute with the conventional string type for ``oid``."""
        return cls(oid, value, _DEFAULT_TYPE.get(oid, "utf8"))

    def rfc4514_string(self) -> str:
        key = SHORT_NAMES.get(self.oid, self.oid)
        if isinstance(self.value, bytes):
            return f"{key}=#{self.value.hex()}"
        return f"{key}={escape_rfc4514(self.value)}"

    def canonical(self) -> tuple[str, str | bytes]:
        """RFC 5280 §7.1: case-insensitive, insignificant white space removed."""
        if isinstance(self.value, bytes):
            return (self.oid, self.value)
        return (self.oid, " ".join(self.value.casefold().split()))


def escape_rfc4514(value: str) -> str:
    """Escape an attribute value as RFC 4514 §2.4 requires."""
    if not value:
        return ""
    out = []
    for ch in value:
        if ch in '\\"+,;<>':
            out.append("\\" + ch)
        elif ch == "\0":
            out.append("\\00")
        else:
            out.append(ch)
    if out[0] in ("#", " "):
        out[0] = "\\" + out[0]
    if out[-1] == " ":
        out[-1] = "\\ "
    return "".join(out)


RDN = tuple[NameAttribute, ...]


class Name:
    """An X.501 Name: RDNs in encoding order (most significant first)."""

    __slots__ = ("rdns", "der", "_canonical")

    def __init__(self, rdns: Iterable[Iterable[NameAttribute]], der: bytes | None = None):
        self.rdns: tuple[RDN, ...] = tuple(tuple(rdn) for rdn in rdns)
        for rdn in self.rdns:
            if not rdn:
                raise ValueError("a relative distinguished name needs at least one attribute")
        # The exact encoding this name was parsed from, when it was parsed.
        self.der = der
        self._canonical: tuple[frozenset[tuple[str, str | bytes]], ...] | None = None

    @classmethod
    def from_attributes(cls, attributes: Iterable[tuple[str, str]]) -> Name:
        """One attribute per RDN, from (oid, text) pairs, in encoding order."""
        return cls([[NameAttribute.of(oid, value)] for oid, value in attributes])

    @classmethod
    def parse(cls, text: str) -> Name:
        """A Name from a simple RFC 4514 string such as ``"CN=example,O=Org,C=US"``.

        Covers the escapes of RFC 4514 §2.4 and multi-valued RDNs with ``+``; the
        hex ``#`` form is not accepted (use ``Name(...)`` for such values).
        """
        rdns: list[list[NameAttribute]] = []
        current: list[NameAttribute] = []
        key = ""
        # (character, escaped): unescaped spaces around a value are not part of it
        buf: list[tuple[str, bool]] = []
        in_value, i = False, 0
        while i <= len(text):
            ch = text[i] if i < len(text) else None
            if ch == "\\" and in_value:
                nxt = text[i + 1 : i + 3]
                if len(nxt) == 2 and all(c in "0123456789abcdefABCDEF" for c in nxt):
                    buf.append((chr(int(nxt, 16)), True))
                    i += 3
                    continue
                if i + 1 >= len(text):
                    raise ValueError("dangling backslash in name")
                buf.append((text[i + 1], True))
                i += 2
                continue
            if ch == "=" and not in_value:
                key, buf, in_value = "".join(c for c, _ in buf).strip(), [], True
            elif ch in (",", "+", None):
                if not in_value:
                    if (
                        ch is None
                        and not rdns
                        and not current
                        and not "".join(c for c, _ in buf).strip()
                    ):
                        break
                    raise ValueError(f"attribute without '=' in name {text!r}")
                while buf and buf[0] == (" ", False):
                    buf.pop(0)
                while buf and buf[-1] == (" ", False):
                    buf.pop()
                oid = _LONG_NAMES.get(key.upper(), key)
                if not all(part.isdigit() for part in oid.split(".")):
                    raise ValueError(f"unknown attribute type {key!r}")
                current.append(NameAttribute.of(oid, "".join(c for c, _ in buf)))
                buf, in_value = [], False
                if ch != "+":
                    rdns.append(current)
                    current = []
            else:
                buf.append((ch, False))
            i += 1
        # RFC 4514 strings list the most significant RDN last.
        return cls(reversed(rdns))

    def __iter__(self) -> Iterator[NameAttribute]:
        for rdn in self.rdns:
            yield from rdn

    def __len__(self) -> int:
        return len(self.rdns)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Name):
            return NotImplemented
        return self.rdns == other.rdns

    def __hash__(self) -> int:
        return hash(self.rdns)

    def __repr__(self) -> str:
        return f"<Name {self.rfc4514_string()!r}>"

    def get(self, oid: str) -> list[str | bytes]:
        """Every value of attribute ``oid``, in encoding order."""
        return [a.value for a in self if a.oid == oid]

    @property
    def common_names(self) -> list[str]:
        return [v for v in self.get(COMMON_NAME) if isinstance(v, str)]

    def rfc4514_string(self) -> str:
        """RFC 4514 text: RDNs from last to first, multi-valued RDNs joined by ``+``."""
        return ",".join("+".join(a.rfc4514_string() for a in rdn) for rdn in reversed(self.rdns))

    def canonical(self) -> tuple[frozenset[tuple[str, str | bytes]], ...]:
        if self._canonical is None:
            self._canonical = tuple(frozenset(a.canonical() for a in rdn) for rdn in self.rdns)
        return self._canonical

    def matches(self, other: Name) -> bool:
        """RFC 5280 §7.1 name comparison (used for issuer/subject chaining)."""
        if self.der is not None and self.der == other.der:
            return True
        return self.canonical() == other.canonical()

    def is_within(self, subtree: Name) -> bool:
        """Whether this name lies in the directory subtree rooted at ``subtree``
        (RFC 5280 §4.2.1.10: the subtree's RDNs are a prefix of this name's)."""
        n = len(subtree.rdns)
        return n <= len(self.rdns) and self.canonical()[:n] == subtree.canonical()
