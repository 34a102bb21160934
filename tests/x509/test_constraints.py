"""Name constraints (RFC 5280 §4.2.1.10) on each name form."""

from __future__ import annotations

import ipaddress

import pytest

from x509.constraints import ConstraintViolation, check
from x509.extensions import NameConstraints
from x509.hostname import IPAddressValue
from x509.name import Name


def ip_net(text: str) -> IPAddressValue:
    net = ipaddress.ip_network(text)
    return IPAddressValue(net.network_address.packed + net.netmask.packed)


def ip(text: str) -> IPAddressValue:
    return IPAddressValue(ipaddress.ip_address(text).packed)


def ok(nc: NameConstraints, *names) -> bool:
    try:
        check(nc, names)
        return True
    except ConstraintViolation:
        return False


@pytest.mark.parametrize(
    ("base", "name", "permitted"),
    [
        ("example.com", "example.com", True),
        ("example.com", "foo.bar.example.com", True),
        ("example.com", "notexample.com", False),  # label boundary
        ("example.com", "*.example.com", True),
        ("foo.example.com", "*.example.com", False),  # wildcard may leave the subtree
        ("", "anything.test", True),
    ],
)
def test_dns_permitted(base: str, name: str, permitted: bool) -> None:
    assert ok(NameConstraints(permitted=(("dns", base),)), ("dns", name)) is permitted


@pytest.mark.parametrize(
    ("base", "name", "excluded"),
    [
        ("example.com", "EXAMPLE.com", True),
        ("bar.example.com", "*.example.com", True),  # CVE-2025-61727: may match bar
        ("a.b.example.com", "*.example.com", False),  # cannot match two labels
        ("example.com", "example.org", False),
    ],
)
def test_dns_excluded(base: str, name: str, excluded: bool) -> None:
    assert ok(NameConstraints(excluded=(("dns", base),)), ("dns", name)) is not excluded


def test_other_forms_are_unconstrained_by_dns_subtrees() -> None:
    nc = NameConstraints(permitted=(("dns", "example.com"),))
    assert ok(nc, ("ip", ip("192.0.2.1")), ("email", "a@elsewhere.test"))


def test_ip_subtrees() -> None:
    nc = NameConstraints(
        permitted=(("ip", ip_net("192.0.2.0/24")),), excluded=(("ip", ip_net("192.0.2.128/25")),)
    )
    assert ok(nc, ("ip", ip("192.0.2.1")))
    assert not ok(nc, ("ip", ip("192.0.2.200")))
    assert not ok(nc, ("ip", ip("198.51.100.1")))
    assert not ok(nc, ("ip", ip("::1")))  # other family is not inside an IPv4 subtree
    assert not ok(nc, ("ip", IPAddressValue(ip_net("192.0.2.0/24").raw)))  # CIDR in a SAN


def test_email_subtrees() -> None:
    mailbox = NameConstraints(permitted=(("email", "*@example.com"),))
    assert ok(mailbox, ("email", "*@example.com"))  # literal asterisk
    assert not ok(mailbox, ("email", "user@example.com"))
    host = NameConstraints(permitted=(("email", "example.com"),))
    assert ok(host, ("email", "user@EXAMPLE.com"))
    assert not ok(host, ("email", "user@sub.example.com"))
    assert not ok(host, ("email", "invalid@address@example.com"))
    sub = NameConstraints(permitted=(("email", ".example.com"),))
    assert ok(sub, ("email", "user@sub.example.com"))


def test_uri_and_directory_subtrees() -> None:
    nc = NameConstraints(permitted=(("uri", ".example.com"),))
    assert ok(nc, ("uri", "https://www.example.com:8443/path"))
    assert not ok(nc, ("uri", "https://example.com/"))
    assert not ok(nc, ("uri", "urn:isbn:123"))  # no authority: cannot be inside
    dn = NameConstraints(excluded=(("dirname", Name.parse("O=Evil,C=US")),))
    assert not ok(dn, ("dirname", Name.parse("CN=x,O=Evil,C=US")))
    assert ok(dn, ("dirname", Name.parse("CN=x,O=Good,C=US")))


@pytest.mark.parametrize(
    "bad",
    [
        ("dns", "*.example.com"),
        ("dns", ".example.com"),  # the leading-dot form is for URIs and email only
        ("email", "a@b@example.com"),
        ("ip", IPAddressValue(b"\x01")),
    ],
)
def test_malformed_subtrees_fail(bad) -> None:
    assert not ok(NameConstraints(permitted=(bad,)), ("dns", "example.com"))


def test_unprocessable_forms_fail_when_both_sides_use_them() -> None:
    nc = NameConstraints(excluded=(("other", ("1.2.3", b"\x05\x00")),))
    assert not ok(nc, ("other", ("1.2.3", b"\x05\x00")))
    assert ok(nc, ("dns", "example.com"))


def test_quadratic_blowup_is_refused() -> None:
    nc = NameConstraints(permitted=tuple(("dns", f"n{i}.example") for i in range(1100)))
    names = [("dns", f"h{i}.n{i}.example") for i in range(1000)]
    assert not ok(nc, *names)
