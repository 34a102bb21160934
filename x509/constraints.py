"""Name constraints (RFC 5280 §4.2.1.10) evaluated against a certificate's names.

A constraint restricts only names of its own form: a certificate whose dNSNames all
lie in the permitted dNSName subtrees may carry any iPAddress when no iPAddress
subtree is given.  Forms puretls cannot evaluate (otherName, x400Address,
ediPartyName, registeredID) make the certificate fail when a constraint of that form
meets a name of that form, as §4.2.1.10 requires for critical constraints.

Wildcard dNSNames (``*.example.com``) stand for every name they can match (RFC 9525):
they are permitted only if every such name is, and excluded if any such name is —
the defensive reading behind CVE-2025-61727.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Sequence

from x509.extensions import GeneralName, NameConstraints
from x509.hostname import IPAddressValue, is_valid_mailbox
from x509.name import EMAIL_ADDRESS, Name

# Checking n names against m subtrees costs n*m comparisons; a hostile CA and leaf
# with thousands of each would pin a CPU (x509-limbo "nc-dos").  Refuse beyond this.
MAX_COMPARISONS = 1 << 20

_DNS_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


class ConstraintViolation(Exception):
    """Raised internally with a description; the verifier turns it into ValidationError."""


def _dns_labels_ok(name: str) -> bool:
    return name.isascii() and all(_DNS_LABEL.match(p) for p in name.lower().split("."))


def _valid_dns_base(base: str) -> bool:
    """A dNSName constraint: empty (everything) or a host name.  RFC 5280 §4.2.1.10
    has no leading-period form for DNS names (that is the URI and email syntax), so
    ``.example.com`` is malformed, as cryptography's verifier also holds."""
    return base == "" or _dns_labels_ok(base)


def _dns_within(name: str, base: str) -> bool:
    """Whether host ``name`` is in the subtree ``base`` (both lower-case)."""
    if base == "":
        return True
    if base.startswith("."):
        return name.endswith(base)
    return name == base or name.endswith("." + base)


def _dns_permitted(name: str, base: str) -> bool:
    if name.startswith("*."):
        # every one-label expansion of the wildcard must be inside the subtree
        suffix = name[2:]
        if base.startswith("."):
            return suffix == base[1:] or suffix.endswith(base)
        return _dns_within(suffix, base)
    return _dns_within(name, base)


def _dns_excluded(name: str, base: str) -> bool:
    if name.startswith("*."):
        # any expansion inside the subtree is enough
        suffix = name[2:]
        if _dns_permitted(name, base):
            return True
        bare = base[1:] if base.startswith(".") else base
        head, _, parent = bare.partition(".")
        return bool(head) and parent == suffix
    return _dns_within(name, base)


def _split_mailbox(address: str) -> tuple[str, str]:
    local, _, domain = address.rpartition("@")
    return local, domain.lower()


def _valid_email_base(base: str) -> bool:
    if "@" in base:
        return is_valid_mailbox(base)
    if base.startswith("."):
        base = base[1:]
    return base == "" or _dns_labels_ok(base)


def _email_within(address: str, base: str) -> bool:
    local, domain = _split_mailbox(address)
    if "@" in base:
        blocal, bdomain = _split_mailbox(base)
        return local == blocal and domain == bdomain
    base = base.lower()
    if base.startswith("."):
        return domain.endswith(base)
    return domain == base


def _uri_host(uri: str) -> str | None:
    """The host of a URI with an authority component; None if there is none."""
    m = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)", uri)
    if not m:
        return None
    authority = m.group(1).rpartition("@")[2]
    if authority.startswith("["):
        return None  # IP literal: not a host name
    host = authority.partition(":")[0].lower()
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    return host if host and _dns_labels_ok(host) else None


def _uri_within(uri: str, base: str) -> bool:
    host = _uri_host(uri)
    if host is None:
        return False
    base = base.lower()
    if base.startswith("."):
        return host.endswith(base)
    return host == base


def _ip_within(value: IPAddressValue, base: IPAddressValue) -> bool:
    addr, net = value.address, base.network
    if addr is None or net is None or addr.version != net.version:
        return False
    return addr in net


def _check_base(kind: str, base: object) -> None:
    """Refuse malformed subtrees (x509-limbo: wildcard or double-@ constraints)."""
    ok = True
    if kind == "dns":
        ok = isinstance(base, str) and _valid_dns_base(base.lower())
    elif kind == "email":
        ok = isinstance(base, str) and _valid_email_base(base)
    elif kind == "uri":
        ok = isinstance(base, str) and (
            base == "" or _valid_dns_base(base.lower().lstrip(".")) or base == "."
        )
    elif kind == "ip":
        ok = isinstance(base, IPAddressValue) and base.network is not None
    if not ok:
        raise ConstraintViolation(f"malformed {kind} name constraint {base!r}")


def _within(kind: str, name: object, base: object, excluded: bool) -> bool:
    if kind == "dns":
        assert isinstance(name, str) and isinstance(base, str)
        n, b = name.lower(), base.lower()
        return _dns_excluded(n, b) if excluded else _dns_permitted(n, b)
    if kind == "email":
        assert isinstance(name, str) and isinstance(base, str)
        return _email_within(name, base)
    if kind == "uri":
        assert isinstance(name, str) and isinstance(base, str)
        return _uri_within(name, base)
    if kind == "ip":
        assert isinstance(name, IPAddressValue) and isinstance(base, IPAddressValue)
        return _ip_within(name, base)
    if kind == "dirname":
        assert isinstance(name, Name) and isinstance(base, Name)
        return name.is_within(base)
    raise ConstraintViolation(f"cannot evaluate {kind} name constraints")


def names_of(subject: Name, sans: Sequence[GeneralName], leaf: bool) -> list[GeneralName]:
    """The names of a certificate that constraints apply to: its SANs, its subject
    (as a directoryName, when not empty) and emailAddress attributes of its subject."""
    names: list[GeneralName] = list(sans)
    if len(subject):
        names.append(("dirname", subject))
    for value in subject.get(EMAIL_ADDRESS):
        if isinstance(value, str):
            names.append(("email", value))
    return names


def check(
    constraints: NameConstraints,
    names: Iterable[GeneralName],
    charge: Callable[[int], None] | None = None,
) -> None:
    """Raise ConstraintViolation unless every name satisfies ``constraints``.

    ``charge``, when given, is called first with the most comparisons the check can
    make (subtrees times names, plus one per subtree), so a caller can bound the
    total over many checks; it raises to refuse the work."""
    permitted = constraints.permitted or ()
    excluded = constraints.excluded or ()
    names = list(names)
    subtrees = len(permitted) + len(excluded)
    if subtrees * len(names) > MAX_COMPARISONS:
        raise ConstraintViolation("too many names and name constraints to evaluate")
    if charge is not None:
        charge(subtrees * (len(names) + 1))
    for kind, base in (*permitted, *excluded):
        _check_base(kind, base)
    permitted_kinds = {kind for kind, _ in permitted}
    for kind, name in names:
        if kind in ("dns", "email") and not isinstance(name, str):
            raise ConstraintViolation(f"malformed {kind} name")
        if kind == "email" and not is_valid_mailbox(name):
            if kind in permitted_kinds or any(k == kind for k, _ in excluded):
                raise ConstraintViolation(f"malformed email address {name!r}")
            continue
        if kind == "ip" and isinstance(name, IPAddressValue) and name.address is None:
            raise ConstraintViolation(f"malformed iPAddress name {name}")
        for ekind, base in excluded:
            if ekind == kind and _within(kind, name, base, excluded=True):
                raise ConstraintViolation(f"{kind} name {name} is in excluded subtree {base}")
        if kind in permitted_kinds and not any(
            pkind == kind and _within(kind, name, base, excluded=False) for pkind, base in permitted
        ):
            raise ConstraintViolation(f"{kind} name {name} is not in any permitted subtree")
