"""Matching a certificate's identities against the name the client expected.

RFC 9525 (which obsoletes RFC 6125) as the web PKI applies it:

* only subjectAltName entries are consulted, never the subject's common name;
* DNS names compare case-insensitively, label by label, as A-labels (``xn--…``; a
  reference name in U-labels is converted first); a final dot on the reference name
  is ignored;
* a wildcard is allowed only as the complete left-most label (``*.example.com``),
  matches exactly one non-empty label, and needs at least two labels after it
  (``*.com`` and ``*`` never match);
* an IP address reference matches only iPAddress entries, byte for byte, and never
  a DNS name that looks like an address.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Letters, digits, hyphens (RFC 1034 §3.5, RFC 5280 §4.2.1.6 "preferred name syntax");
# no underscores, which CABF has forbidden in dNSNames since 2019.
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


@dataclass(frozen=True, slots=True)
class Email:
    """An rfc822Name reference identity, e.g. ``Email("user@example.com")``."""

    address: str

    def __post_init__(self) -> None:
        if not is_valid_mailbox(self.address):
            raise ValueError(f"not a valid email address: {self.address!r}")


@functools.lru_cache(maxsize=1024)
def _labels(name: str) -> tuple[str, ...] | None:
    """The lower-cased labels of an ASCII DNS name, or None when it is not one.  Kept
    for the names seen last: a client checks the same server's SANs on every connection."""
    if not name or not name.isascii() or len(name) > 253:
        return None
    labels = tuple(name.lower().split("."))
    if not all(_LABEL.match(label) for label in labels):
        return None
    return labels


def is_valid_dns_name(name: str) -> bool:
    """A syntactically valid host name (no wildcard)."""
    return _labels(name) is not None


def is_valid_dns_pattern(name: str) -> bool:
    """A valid dNSName SAN for the web PKI: a host name, or ``*.`` + a name of >= 2 labels."""
    if name.startswith("*."):
        rest = _labels(name[2:])
        return rest is not None and len(rest) >= 2
    return is_valid_dns_name(name)


@functools.lru_cache(maxsize=1024)
def normalize_reference(host: str) -> str | None:
    """The reference name the client asked for, lower-cased without a final dot.

    An internationalized name given in U-labels is converted to A-labels with
    Python's ``idna`` codec (IDNA 2003) — the same conversion ``socket`` applies when
    it resolves that name, so the certificate is checked for the host actually
    contacted (RFC 9525 §6.2.1 compares A-labels).  Remembered for the names seen
    last: a client asks for the same hosts connection after connection."""
    if host.endswith("."):
        host = host[:-1]
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    return host.lower() if is_valid_dns_name(host) else None


def match_dns(pattern: str, host: str) -> bool:
    """Whether the dNSName ``pattern`` (possibly ``*.`` wildcard) covers ``host``."""
    ref = normalize_reference(host)
    if ref is None or not is_valid_dns_pattern(pattern):
        return False
    pattern = pattern.lower()
    if pattern.startswith("*."):
        first, _, rest = ref.partition(".")
        return bool(first) and rest == pattern[2:]
    return pattern == ref


def dns_identities(
    subject_alt_names: Iterable[tuple[str, object]],
) -> tuple[frozenset[str], frozenset[str]]:
    """The dNSName entries of ``subject_alt_names`` as ``match_reference_dns`` takes
    them: (exact host names, the parent domains of ``*.`` wildcards), lower-cased,
    leaving out entries that are not valid web-PKI dNSNames (which match nothing)."""
    exact: set[str] = set()
    wildcard: set[str] = set()
    for kind, value in subject_alt_names:
        if kind != "dns" or not isinstance(value, str) or not is_valid_dns_pattern(value):
            continue
        pattern = value.lower()
        if pattern.startswith("*."):
            wildcard.add(pattern[2:])
        else:
            exact.add(pattern)
    return frozenset(exact), frozenset(wildcard)


def match_reference_dns(identities: tuple[frozenset[str], frozenset[str]], host: str) -> bool:
    """``matches_reference(sans, host)`` for a DNS reference name, given
    ``dns_identities(sans)``: the same answer, without re-reading every entry."""
    ref = normalize_reference(host)
    if ref is None:
        return False
    exact, wildcard = identities
    if ref in exact:
        return True
    if not wildcard:
        return False
    first, _, rest = ref.partition(".")
    return bool(first) and rest in wildcard


def is_valid_mailbox(address: str) -> bool:
    """``local@domain`` with exactly one ``@`` and a valid host name after it."""
    local, sep, domain = address.rpartition("@")
    return bool(sep and local) and "@" not in local and is_valid_dns_name(domain)


def match_email(san: str, reference: Email) -> bool:
    """RFC 5280 §4.2.1.6 / RFC 9525: local part exact, domain case-insensitive."""
    if not is_valid_mailbox(san):
        return False
    local, _, domain = san.rpartition("@")
    rlocal, _, rdomain = reference.address.rpartition("@")
    return local == rlocal and domain.lower() == rdomain.lower()


def matches_reference(
    subject_alt_names: list[tuple[str, object]], reference: str | IPAddress | Email
) -> bool:
    """Whether any SAN entry matches the reference identity."""
    if isinstance(reference, Email):
        return any(
            kind == "email" and isinstance(v, str) and match_email(v, reference)
            for kind, v in subject_alt_names
        )
    if isinstance(reference, ipaddress.IPv4Address | ipaddress.IPv6Address):
        return any(kind == "ip" and v == reference for kind, v in subject_alt_names)
    if isinstance(reference, str):
        return any(
            kind == "dns" and isinstance(v, str) and match_dns(v, reference)
            for kind, v in subject_alt_names
        )
    raise TypeError("name must be a DNS name (str), an ipaddress address, or x509.Email")


class IPAddressValue:
    """The iPAddress GeneralName: the raw octets, and their meaning when well-formed.

    In a certificate's SAN the octets are an address (4 or 16 bytes); in a name
    constraint they are an address followed by a mask (8 or 32 bytes).
    ``address``/``network`` is None when the length is wrong for the context.
    """

    __slots__ = ("raw",)

    def __init__(self, raw: bytes) -> None:
        self.raw = bytes(raw)

    @property
    def address(self) -> IPAddress | None:
        if len(self.raw) in (4, 16):
            return ipaddress.ip_address(self.raw)
        return None

    @property
    def network(self) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
        """The constraint's network, None when malformed (bad length, non-contiguous
        mask, or host bits set outside the mask)."""
        n = len(self.raw)
        if n not in (8, 32):
            return None
        addr, mask = self.raw[: n // 2], self.raw[n // 2 :]
        m = int.from_bytes(mask, "big")
        bits = n * 4
        prefix = bin(m).count("1")
        if m != ((1 << bits) - 1) ^ ((1 << (bits - prefix)) - 1):
            return None
        try:
            return ipaddress.ip_network((int.from_bytes(addr, "big"), prefix))
        except ValueError:
            return None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IPAddressValue):
            return self.raw == other.raw
        if isinstance(other, ipaddress.IPv4Address | ipaddress.IPv6Address):
            return self.raw == other.packed
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.raw)

    def __str__(self) -> str:
        if self.address is not None:
            return str(self.address)
        if self.network is not None:
            return str(self.network)
        return "#" + self.raw.hex()

    def __repr__(self) -> str:
        return f"IPAddressValue({self})"
