"""Path validation: fixed scenarios, and a differential test against cryptography's verifier."""

from __future__ import annotations

import datetime as dt
import ipaddress

import pytest
from cryptography import x509 as cx
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import x509
from tests.x509.chains import CLIENT_AUTH, NOW, SERVER_AUTH, Spec, build, der, key


def ours(certs):
    return [x509.Certificate.from_der(der(c)) for c in certs]


def verify(specs, name="example.com", roots=(0,), chain=None, **kw):
    certs = build(specs)
    parsed = ours(certs)
    leaf = parsed[-1]
    inter = parsed[1:-1] if chain is None else [parsed[i] for i in chain]
    v = x509.Verifier([parsed[i] for i in roots], inter, time=NOW, **kw)
    return v.verify(leaf, name)


def three(**leaf):
    leaf.setdefault("dns", ["example.com"])
    return [
        Spec("Root", key("ec", 0)),
        Spec("Inter", key("ec", 1), issuer=0),
        Spec("leaf", key("ec", 2), issuer=1, ca=False, **leaf),
    ]


def test_valid_chain_returns_path_leaf_first() -> None:
    path = verify(three())
    assert [c.subject.rfc4514_string() for c in path] == ["CN=leaf", "CN=Inter", "CN=Root"]


def test_rsa_chain() -> None:
    specs = [
        Spec("Root", key("rsa", 0)),
        Spec("Inter", key("rsa", 1), issuer=0),
        Spec("leaf", key("ec", 2), issuer=1, ca=False, dns=["example.com"]),
    ]
    assert len(verify(specs)) == 3


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"dns": ["other.example"]}, x509.Reason.NAME_MISMATCH),
        ({"not_after": NOW - dt.timedelta(seconds=1)}, x509.Reason.EXPIRED),
        ({"not_before": NOW + dt.timedelta(seconds=1)}, x509.Reason.NOT_YET_VALID),
        ({"eku": [cx.oid.ExtendedKeyUsageOID.CLIENT_AUTH]}, x509.Reason.EXTENDED_KEY_USAGE),
    ],
)
def test_leaf_problems_have_reasons(change, reason) -> None:
    with pytest.raises(x509.ValidationError) as info:
        verify(three(**change))
    assert info.value.reason == reason
    assert info.value.index == 0


def test_missing_intermediate_gives_no_path() -> None:
    with pytest.raises(x509.ValidationError) as info:
        verify(three(), roots=(0,), chain=[])
    assert info.value.reason == x509.Reason.NO_PATH


def test_intermediate_without_ca_bit() -> None:
    specs = three()
    specs[1].ca = False
    with pytest.raises(x509.ValidationError) as info:
        verify(specs)
    assert info.value.reason in (x509.Reason.NOT_A_CA, x509.Reason.KEY_USAGE)


def test_path_length_constraint() -> None:
    specs = [
        Spec("Root", key("ec", 0)),
        Spec("I1", key("ec", 1), issuer=0, path_length=0),
        Spec("I2", key("ec", 3), issuer=1),
        Spec("leaf", key("ec", 2), issuer=2, ca=False, dns=["example.com"]),
    ]
    with pytest.raises(x509.ValidationError) as info:
        verify(specs)
    assert info.value.reason == x509.Reason.PATH_LENGTH
    specs[1].path_length = 1
    assert len(verify(specs)) == 4


def test_max_depth() -> None:
    with pytest.raises(x509.ValidationError):
        verify(three(), max_depth=0)
    assert len(verify(three(), max_depth=1)) == 3


def test_name_constraints_on_intermediate() -> None:
    specs = three()
    specs[1].excluded_dns = ["example.com"]
    with pytest.raises(x509.ValidationError) as info:
        verify(specs)
    assert info.value.reason == x509.Reason.NAME_CONSTRAINTS
    specs[1].excluded_dns = None
    specs[1].permitted_dns = ["example.com"]
    assert len(verify(specs)) == 3


def test_backtracks_past_a_bad_candidate_issuer() -> None:
    # Two intermediates with the same name and key: one expired, one valid.
    specs = [
        Spec("Root", key("ec", 0)),
        Spec("Inter", key("ec", 1), issuer=0, not_after=NOW - dt.timedelta(days=1)),
        Spec("Inter", key("ec", 1), issuer=0),
        Spec("leaf", key("ec", 2), issuer=1, ca=False, dns=["example.com"]),
    ]
    assert len(verify(specs, chain=[1, 2])) == 3
    with pytest.raises(x509.ValidationError) as info:
        verify(specs, chain=[1])
    assert info.value.reason == x509.Reason.EXPIRED


def test_ip_name() -> None:
    specs = three(ips=["192.0.2.7"])
    assert len(verify(specs, name=ipaddress.ip_address("192.0.2.7"))) == 3
    with pytest.raises(x509.ValidationError):
        verify(specs, name=ipaddress.ip_address("192.0.2.8"))


# -- differential: random chain shapes, puretls and cryptography must agree -----------
# (Not varied: a CA certificate as leaf.  cryptography refuses it; puretls accepts it
# as RFC 5280 and x509-limbo's pathlen::validation-ignores-pathlen-in-leaf ask.)

flags = st.fixed_dictionaries(
    {
        "inter_ca": st.booleans(),
        "path_length": st.sampled_from([None, 0, 1]),
        "extra_inter": st.booleans(),
        "leaf_expired": st.booleans(),
        "inter_expired": st.booleans(),
        "name_ok": st.booleans(),
        "eku": st.sampled_from([None, "server", "client"]),
        "excluded": st.booleans(),
        "permitted": st.sampled_from([None, "bad.example", "other.example"]),
        "leaf_rsa": st.booleans(),
        "by_ip": st.booleans(),
    }
)


@settings(deadline=None)
@given(f=flags)
def test_agrees_with_cryptography(f) -> None:
    past = NOW - dt.timedelta(days=1)
    specs = [Spec("Root", key("ec", 0))]
    specs.append(
        Spec(
            "Inter",
            key("ec", 1),
            issuer=0,
            ca=f["inter_ca"],
            path_length=f["path_length"],
            not_after=past if f["inter_expired"] else NOW + dt.timedelta(days=9),
            excluded_dns=["bad.example"] if f["excluded"] else None,
            permitted_dns=[f["permitted"]] if f["permitted"] else None,
        )
    )
    if f["extra_inter"]:
        specs.append(Spec("Inter2", key("ec", 3), issuer=1))
    eku = {None: None, "server": [SERVER_AUTH], "client": [cx.oid.ExtendedKeyUsageOID.CLIENT_AUTH]}
    specs.append(
        Spec(
            "leaf",
            key("rsa", 0) if f["leaf_rsa"] else key("ec", 2),
            issuer=len(specs) - 1,
            ca=False,
            dns=["host.bad.example"],
            ips=["192.0.2.5"],
            not_after=past if f["leaf_expired"] else NOW + dt.timedelta(days=9),
            eku=eku[f["eku"]],
        )
    )
    certs = build(specs)
    host = "host.bad.example" if f["name_ok"] else "elsewhere.example"
    try:
        v = (
            PolicyBuilder()
            .store(Store([certs[0]]))
            .time(NOW)
            .build_server_verifier(cx.DNSName(host))
        )
        v.verify(certs[-1], certs[1:-1])
        expected = True
    except VerificationError:
        expected = False
    parsed = ours(certs)
    try:
        x509.Verifier([parsed[0]], parsed[1:-1], time=NOW).verify(parsed[-1], host)
        actual = True
    except x509.ValidationError:
        actual = False
    assert actual == expected


labels = st.sampled_from(["a", "b", "example", "com", "test", "xn--bcher-kva"])
dns_names = st.lists(labels, min_size=2, max_size=4).map(".".join)
subtrees = st.lists(st.lists(labels, min_size=1, max_size=3).map(".".join), max_size=2)


@settings(deadline=None)
@given(
    sans=st.lists(dns_names, min_size=1, max_size=3),
    wildcard=st.booleans(),
    permitted=subtrees,
    excluded=subtrees,
)
def test_dns_name_constraints_agree_with_cryptography(sans, wildcard, permitted, excluded) -> None:
    # cryptography 48 lets a wildcard SAN pass a narrower permitted subtree (*.b.c under
    # a.b.c); x509-limbo's cve-2025-61727-nc-permits-variant, and puretls, refuse it
    assume(not (wildcard and permitted))
    if wildcard:
        sans = ["*." + sans[0], *sans[1:]]
    if not permitted and not excluded:
        excluded = ["example.com"]
    specs = [
        Spec("Root", key("ec", 0)),
        Spec(
            "Inter",
            key("ec", 1),
            issuer=0,
            permitted_dns=permitted or None,
            excluded_dns=excluded or None,
        ),
        Spec("leaf", key("ec", 2), issuer=1, ca=False, dns=sans),
    ]
    certs = build(specs)
    host = sans[-1] if not sans[-1].startswith("*.") else "x." + sans[-1][2:]
    try:
        verifier = PolicyBuilder().store(Store([certs[0]])).time(NOW)
        verifier.build_server_verifier(cx.DNSName(host)).verify(certs[2], [certs[1]])
        expected = True
    except VerificationError:
        expected = False
    parsed = ours(certs)
    try:
        x509.Verifier([parsed[0]], [parsed[1]], time=NOW).verify(parsed[2], host)
        actual = True
    except x509.ValidationError:
        actual = False
    assert actual == expected


@pytest.mark.parametrize(
    ("cn", "sans", "accepted"),
    [
        ("www.example.com", ["www.example.com"], True),  # the BR 7.1.4.3 shape
        ("other.example.com", ["www.example.com", "api.example.com"], False),  # sibling
        ("xn--nxasmq6b.com", ["xn--n3h.com"], False),  # sibling A-labels under com
        ("WWW.example.com", ["www.example.com"], False),  # not a copy: case differs
        ("foo.example.com", ["*.example.com"], True),  # covered by the wildcard
        ("example.com", ["www.example.com"], True),  # an ancestor claims no host there
        ("bad.example.com", ["test.localhost"], True),  # unrelated legacy CN (BetterTLS)
        ("Leaf Certificate", ["www.example.com"], True),  # not a host name at all
    ],
)
def test_common_name_must_not_name_an_unlisted_host_of_the_san_zone(cn, sans, accepted):
    """CABF BR 7.1.4.3 in the web-PKI profile; the rfc5280 profile has no such rule."""
    name = sans[0].replace("*", "x")
    specs = [
        Spec("Root", key("ec", 0)),
        Spec("Inter", key("ec", 1), issuer=0),
        Spec(cn, key("ec", 2), issuer=1, ca=False, dns=sans),
    ]
    if accepted:
        assert len(verify(specs, name=name)) == 3
    else:
        with pytest.raises(x509.ValidationError) as info:
            verify(specs, name=name)
        assert info.value.reason == x509.Reason.PROFILE and info.value.index == 0
    assert len(verify(specs, name=name, profile="rfc5280")) == 3


def test_for_chain_is_a_verifier_with_other_intermediates_and_time() -> None:
    certs = ours(build(three()))
    other = ours(build([Spec("Root", key("ec", 0)), Spec("Inter", key("ec", 3), issuer=0)]))
    # the template's own intermediates (the wrong one here) are replaced, not added to
    template = x509.Verifier([certs[0]], [other[1]], time=NOW - dt.timedelta(days=365))
    with pytest.raises(x509.ValidationError):
        template.verify(certs[2], "example.com")
    assert template.for_chain([certs[1]], NOW).verify(certs[2], "example.com") == certs[::-1]
    with pytest.raises(x509.ValidationError) as exc:
        template.for_chain([other[1]], NOW).verify(certs[2], "example.com")
    assert exc.value.reason == "no_path"  # its key identifier is not the leaf's AKI
    with pytest.raises(x509.ValidationError) as exc:
        template.for_chain([certs[1]], NOW + dt.timedelta(days=365)).verify(certs[2])
    assert exc.value.reason == "expired"


def test_remembered_rule_outcomes_follow_the_profile_and_purpose() -> None:
    # one leaf, checked repeatedly under options with different verdicts: each
    # verifier must get its own answer, however often the leaf was seen before
    certs = ours(build(three(eku=[CLIENT_AUTH])))
    for _ in range(3):
        for options, reason in [
            ({}, "extended_key_usage"),
            ({"extended_key_usage": ["client"]}, None),
            ({"extended_key_usage": ["client"], "profile": "rfc5280"}, None),
            ({"profile": "rfc5280"}, "extended_key_usage"),
        ]:
            v = x509.Verifier([certs[0]], [certs[1]], time=NOW, **options)
            if reason is None:
                assert v.verify(certs[2]) == certs[::-1]
            else:
                with pytest.raises(x509.ValidationError) as exc:
                    v.verify(certs[2])
                assert exc.value.reason == reason and exc.value.index == 0
