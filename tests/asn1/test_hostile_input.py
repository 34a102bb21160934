"""Decoders under hostile input: random bytes and mutated valid encodings only ever raise
asn1.DecodeError, never another exception, whatever the grammar."""

from __future__ import annotations

from functools import cache

from hypothesis import given
from hypothesis import strategies as st

import asn1
from x509 import grammar as G

from ._grammars import grammars

DECODERS = (asn1.der.decode, asn1.ber.decode)


def _only_decode_error(grammar: asn1.Grammar, data: bytes) -> None:
    for decode in DECODERS:
        try:
            decode(grammar, data)
        except asn1.DecodeError as e:
            assert 0 <= e.offset <= len(data)
            # the decoder's safety net (an unexpected exception turned into a
            # DecodeError) must never be what caught it
            assert not e.message.startswith("malformed input ("), e.message
            str(e)  # the message and path render


@cache
def _certificate() -> bytes:
    from benchmarks.asn1 import make_certificate

    return make_certificate()


def _mutations(data: bytes) -> st.SearchStrategy[bytes]:
    n = len(data)
    flip = st.tuples(st.integers(0, n - 1), st.integers(0, 255)).map(
        lambda t: data[: t[0]] + bytes([t[1]]) + data[t[0] + 1 :]
    )
    cut = st.integers(0, n - 1).map(lambda i: data[:i])
    splice = st.tuples(st.integers(0, n), st.binary(min_size=1, max_size=8)).map(
        lambda t: data[: t[0]] + t[1] + data[t[0] :]
    )
    delete = st.tuples(st.integers(0, n - 1), st.integers(1, 8)).map(
        lambda t: data[: t[0]] + data[t[0] + t[1] :]
    )
    return st.one_of(flip, cut, splice, delete)


@given(st.binary(max_size=200))
def test_random_bytes_into_certificate_grammar(data: bytes) -> None:
    _only_decode_error(G.Certificate, data)


@given(st.data())
def test_mutated_certificate(data: st.DataObject) -> None:
    der = _certificate()
    mutated = data.draw(_mutations(der))
    for _ in range(data.draw(st.integers(0, 3))):
        mutated = data.draw(_mutations(mutated)) if mutated else mutated
    _only_decode_error(G.Certificate, mutated)


@given(st.data())
def test_mutated_encodings_of_random_grammars(data: st.DataObject) -> None:
    g = data.draw(grammars())
    der = asn1.der.encode(g, data.draw(asn1.strategy(g)))
    _only_decode_error(g, data.draw(_mutations(der)))
    _only_decode_error(g, data.draw(st.binary(max_size=64)))


@given(
    st.sampled_from(
        [G.CertificateList, G.CertificationRequest, G.OneAsymmetricKey, G.ECPrivateKey]
    ),
    st.binary(max_size=300),
)
def test_random_bytes_into_other_x509_grammars(grammar: asn1.Grammar, data: bytes) -> None:
    _only_decode_error(grammar, b"\x30" + bytes([min(len(data), 127)]) + data)


def test_lengths_are_checked_before_allocation() -> None:
    # a 2**63-byte length claim in a few bytes: rejected by arithmetic, not by a MemoryError
    data = bytes.fromhex("3088 7fffffffffffffff 00")
    for decode in DECODERS:
        try:
            decode(G.Certificate, data)
        except asn1.DecodeError as e:
            assert "exceeds" in e.message
        else:  # pragma: no cover
            raise AssertionError("accepted")


def test_deep_indefinite_nesting_in_any_is_bounded() -> None:
    anything = asn1.sequence(asn1.field("x", asn1.ANY))
    data = b"\x30\x80" + b"\x30\x80" * 100_000 + b"\x00\x00" * 100_001
    try:
        asn1.ber.decode(anything, data)
    except asn1.DecodeError as e:
        assert "deeper" in e.message
    else:  # pragma: no cover
        raise AssertionError("accepted")
