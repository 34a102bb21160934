"""The purpose a leaf is validated for (review findings M1 and M5).

A TLS server authenticating a client asks for ``extended_key_usage=["client"]``; a
TLS peer whose key signs the handshake asks for ``key_usage=["digitalSignature"]``
(RFC 5280 §4.2.1.3 and §4.2.1.12, RFC 8446 §4.4.2.2).  Chains are made with
``cryptography``; the expectations are those RFC rules.
"""

from __future__ import annotations

import pytest

import x509
from tests.x509.chains import CLIENT_AUTH, NOW, SERVER_AUTH, Spec, build, key
from tests.x509.test_verify import ours

TLS_CLIENT = {"extended_key_usage": ["client"], "key_usage": ["digitalSignature"]}
TLS_SERVER = {"extended_key_usage": ["server"], "key_usage": ["digitalSignature"]}


def chain(inter_eku=None, **leaf) -> list[x509.Certificate]:
    leaf.setdefault("dns", ["alice.example"])
    return ours(
        build(
            [
                Spec("Root", key("ec", 0)),
                Spec("Inter", key("ec", 1), issuer=0, eku=inter_eku),
                Spec("alice", key("ec", 2), issuer=1, ca=False, **leaf),
            ]
        )
    )


def check(certs, name=None, **options):
    return x509.Verifier([certs[0]], [certs[1]], time=NOW, **options).verify(certs[2], name)


def reason(certs, name=None, **options) -> str:
    with pytest.raises(x509.ValidationError) as info:
        check(certs, name, **options)
    return info.value.reason


def test_client_certificate_is_accepted_for_the_client_purpose() -> None:
    assert len(check(chain(eku=[CLIENT_AUTH]), **TLS_CLIENT)) == 3
    # the OID spelled out works as the short name does
    assert len(check(chain(eku=[CLIENT_AUTH]), extended_key_usage=[CLIENT_AUTH.dotted_string])) == 3


def test_client_certificate_without_subject_alt_name() -> None:
    """Client certificates often name their subject only; the CABF requirement of a
    SAN is a rule for TLS server certificates."""
    certs = chain(eku=[CLIENT_AUTH], dns=[])
    assert certs[2].san is None
    assert len(check(certs, **TLS_CLIENT)) == 3
    assert reason(certs, **TLS_SERVER) == x509.Reason.PROFILE


def test_purposes_do_not_cross() -> None:
    # a server certificate (say, a web server's leaked key) is no client identity...
    assert reason(chain(eku=[SERVER_AUTH]), **TLS_CLIENT) == x509.Reason.EXTENDED_KEY_USAGE
    # ...and a client certificate is no server identity
    server = reason(chain(eku=[CLIENT_AUTH]), "alice.example", **TLS_SERVER)
    assert server == x509.Reason.EXTENDED_KEY_USAGE
    # a CA restricted to serverAuth cannot vouch for client certificates
    restricted = chain(inter_eku=[SERVER_AUTH], eku=[CLIENT_AUTH])
    assert reason(restricted, **TLS_CLIENT) == x509.Reason.EXTENDED_KEY_USAGE
    both = chain(eku=[SERVER_AUTH, CLIENT_AUTH])
    assert len(check(both, **TLS_CLIENT)) == 3
    assert len(check(both, "alice.example", **TLS_SERVER)) == 3


@pytest.mark.parametrize("options", [TLS_CLIENT, TLS_SERVER])
@pytest.mark.parametrize(
    ("usage", "accepted"),
    [
        ({}, True),  # digitalSignature asserted
        ({"digital_signature": False, "key_agreement": True}, False),  # ECDH only
        ({"digital_signature": False, "key_encipherment": True}, False),  # RSA transport
        ({"digital_signature": False, "content_commitment": True}, False),
        (None, True),  # no keyUsage extension: the key is not restricted (§4.2.1.3)
    ],
)
def test_tls_leaf_key_must_be_allowed_to_sign(options, usage, accepted) -> None:
    eku = [CLIENT_AUTH, SERVER_AUTH]
    if usage is None:
        certs = chain(eku=eku, omit_key_usage=True)
        assert certs[2].key_usage is None
    else:
        certs = chain(eku=eku, key_usage=usage)
    if accepted:
        assert len(check(certs, "alice.example", **options)) == 3
    else:
        assert reason(certs, "alice.example", **options) == x509.Reason.KEY_USAGE
        # without the keyUsage request the same chain passes: the request is the check
        assert len(check(certs, "alice.example", extended_key_usage=options["extended_key_usage"]))
