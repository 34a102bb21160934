"""Reference-identity matching (RFC 9525 as the web PKI applies it)."""

from __future__ import annotations

import ipaddress

import pytest

from x509 import Email
from x509.hostname import IPAddressValue, match_dns, matches_reference


@pytest.mark.parametrize(
    ("pattern", "host", "expected"),
    [
        ("example.com", "example.com", True),
        ("example.com", "EXAMPLE.com", True),  # case-insensitive
        ("example.com", "example.com.", True),  # absolute reference name
        ("example.com", "example2.com", False),
        ("abc.example.com", "def.example.com", False),
        ("abc.example.com", "example.com", False),
        ("*.example.com", "foo.example.com", True),  # RFC 9525 §6.3
        ("*.example.com", "example.com", False),  # wildcard needs one label
        ("*.example.com", "foo.bar.example.com", False),  # only one label
        ("foo.*.example.com", "foo.bar.example.com", False),  # only left-most
        ("f*o.example.com", "foo.example.com", False),  # no partial-label wildcards
        ("*", "com", False),
        ("*.com", "example.com", False),  # wildcard over a single label
        ("xn--628h.example.com", "xn--628h.example.com", True),
        ("\U0001f61c.example.com", "xn--628h.example.com", False),  # not an A-label
        ("xn--bcher-kva.example", "b\u00fccher.example", True),  # U-label reference
        ("b\u00fccher.example", "b\u00fccher.example", False),  # a U-label SAN is invalid
    ],
)
def test_dns_matching(pattern: str, host: str, expected: bool) -> None:
    assert match_dns(pattern, host) is expected


def test_ip_reference_only_matches_ip_sans() -> None:
    sans = [("dns", "127.0.0.1"), ("ip", IPAddressValue(bytes([10, 0, 0, 1])))]
    assert not matches_reference(sans, ipaddress.ip_address("127.0.0.1"))
    assert matches_reference(sans, ipaddress.ip_address("10.0.0.1"))
    # an IPv4-mapped IPv6 address is a different address
    assert not matches_reference(sans, ipaddress.ip_address("::ffff:10.0.0.1"))


def test_email_reference() -> None:
    sans = [("email", "User@Example.com")]
    assert matches_reference(sans, Email("User@example.COM"))
    assert not matches_reference(sans, Email("user@example.com"))  # local part is exact
    with pytest.raises(ValueError):
        Email("a@b@example.com")


def test_dns_reference_never_matches_other_kinds() -> None:
    assert not matches_reference(
        [("email", "x@example.com"), ("uri", "https://example.com/")], "example.com"
    )


@pytest.mark.parametrize(
    "host",
    [
        "example.com",
        "EXAMPLE.com.",
        "foo.example.com",
        "foo.bar.example.com",
        "com",
        "xn--628h.example.com",
        "b\u00fccher.example",
        "bad_label.example.com",
        "",
    ],
)
def test_prepared_dns_identities_match_like_the_entries(host: str) -> None:
    from x509.hostname import dns_identities, match_reference_dns

    sans = [
        ("dns", "Example.COM"),
        ("dns", "*.Example.com"),
        ("dns", "*.com"),
        ("dns", "f*o.example.com"),
        ("dns", "xn--bcher-kva.example"),
        ("email", "x@foo.example.com"),
        ("ip", IPAddressValue(bytes([10, 0, 0, 1]))),
    ]
    for i in range(len(sans) + 1):
        subset = sans[:i]
        assert match_reference_dns(dns_identities(subset), host) is matches_reference(subset, host)
