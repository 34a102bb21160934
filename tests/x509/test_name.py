"""Distinguished names: RFC 4514 text agrees with cryptography; RFC 5280 §7.1 matching."""

from __future__ import annotations

from cryptography import x509 as cx509
from cryptography.x509.oid import NameOID
from hypothesis import given
from hypothesis import strategies as st

from x509 import Name, NameAttribute

OIDS = [
    NameOID.COMMON_NAME,
    NameOID.ORGANIZATION_NAME,
    NameOID.ORGANIZATIONAL_UNIT_NAME,
    NameOID.LOCALITY_NAME,
    NameOID.DOMAIN_COMPONENT,
    NameOID.SERIAL_NUMBER,
    NameOID.EMAIL_ADDRESS,
    NameOID.STREET_ADDRESS,
]
values = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12
)
rdn = st.lists(
    st.tuples(st.sampled_from(OIDS), values), min_size=1, max_size=3, unique_by=lambda t: t[0]
)


@given(rdns=st.lists(rdn, min_size=0, max_size=4))
def test_rfc4514_string_matches_cryptography(rdns) -> None:
    theirs = cx509.Name(
        [cx509.RelativeDistinguishedName([cx509.NameAttribute(o, v) for o, v in r]) for r in rdns]
    )
    ours = Name([[NameAttribute(o.dotted_string, v) for o, v in r] for r in rdns])
    # cryptography writes RDN members in DER SET OF order; compare single-valued RDNs exactly
    if all(len(r) == 1 for r in rdns):
        assert ours.rfc4514_string() == theirs.rfc4514_string()


@given(
    rdns=st.lists(
        st.tuples(st.sampled_from([NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME]), values),
        min_size=1,
        max_size=4,
    )
)
def test_parse_of_rfc4514_string_roundtrips(rdns) -> None:
    name = Name([[NameAttribute(o.dotted_string, v)] for o, v in rdns])
    again = Name.parse(name.rfc4514_string())
    assert [a.value for a in again] == [a.value for a in name]


def test_rfc5280_comparison_folds_case_and_spaces() -> None:
    a = Name.parse("CN=Example  CA,O=Acme")
    b = Name(
        [
            [NameAttribute("2.5.4.10", "ACME", "printable")],
            [NameAttribute("2.5.4.3", " example ca ")],
        ]
    )
    assert a.matches(b) and a != b
    assert not a.matches(Name.parse("CN=Example CA2,O=Acme"))


def test_directory_subtree() -> None:
    base = Name.parse("O=Acme,C=US")
    assert Name.parse("CN=x,O=Acme,C=US").is_within(base)
    assert not Name.parse("CN=x,O=Other,C=US").is_within(base)
    assert not Name.parse("C=US").is_within(base)
