"""Hostile bytes: every x509 parser raises only x509.ParseError (or, for a key that
parses but is mathematically invalid, a ValueError subclass) — never anything else."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

import x509

_SAMPLES: dict[str, bytes] = {}


def samples() -> dict[str, bytes]:
    if not _SAMPLES:
        k = x509.generate_private_key("ec")
        ca = x509.CertificateBuilder().subject("CN=h").public_key(k).ca().sign(k)
        when = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        _SAMPLES.update(
            cert=ca.to_der(),
            key=k.to_der(),
            spki=k.public_key().to_der(),
            csr=x509.CSRBuilder()
            .subject("CN=h")
            .subject_alt_names(dns=["h.example"])
            .sign(k)
            .to_der(),
            crl=x509.CRLBuilder(ca, this_update=when)
            .revoke(7, when, "superseded")
            .sign(k)
            .to_der(),
        )
    return _SAMPLES


PARSERS = {
    "cert": x509.Certificate.from_der,
    "key": x509.load_der_private_key,
    "spki": x509.load_der_public_key,
    "csr": x509.CSR.from_der,
    "crl": x509.CRL.from_der,
}


@settings(deadline=None)
@given(kind=st.sampled_from(sorted(PARSERS)), data=st.data())
def test_mutations_raise_only_parse_errors(kind: str, data) -> None:
    blob = bytearray(samples()[kind])
    action = data.draw(st.sampled_from(["truncate", "flip", "insert"]))
    pos = data.draw(st.integers(0, len(blob) - 1))
    if action == "truncate":
        del blob[pos:]
    elif action == "flip":
        blob[pos] ^= 1 << data.draw(st.integers(0, 7))
    else:
        blob[pos:pos] = data.draw(st.binary(min_size=1, max_size=4))
    try:
        PARSERS[kind](bytes(blob))
    except (x509.ParseError, x509.UnsupportedAlgorithm):
        pass
    except ValueError as exc:  # nocrypto.InvalidKeyError: well-formed but not a key
        assert type(exc).__module__.startswith(("nocrypto", "x509")), repr(exc)


@settings(deadline=None)
@given(blob=st.binary(max_size=64))
def test_random_bytes(blob: bytes) -> None:
    for parse in PARSERS.values():
        try:
            parse(blob)
        except (x509.ParseError, x509.UnsupportedAlgorithm):
            pass
