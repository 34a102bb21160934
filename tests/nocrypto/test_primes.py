"""Primality: Wycheproof's adversarial composites, a sieve, and generated primes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nocrypto import _backend, bignum, primes, rsa

KERNEL = _backend.kernel("nocrypto._bignum_cy")


@pytest.fixture(params=["python", "cython", "cython-portable"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "python":
        module = bignum
    else:
        if KERNEL is None:
            pytest.skip("nocrypto._bignum_cy is not built (or NOCRYPTO_BACKEND=python)")
        module = KERNEL
        previous = KERNEL.engine()
        KERNEL._use_vector(request.param == "cython")
        request.addfinalizer(lambda: KERNEL._use_vector(previous != "portable"))
    monkeypatch.setattr(primes, "_bn", module)
    return str(request.param)


def _signed(hex_value: str) -> int:
    """Wycheproof writes integers as big-endian two's complement."""
    return int.from_bytes(bytes.fromhex(hex_value), "big", signed=True)


# Policy for "acceptable": those vectors are negatives of primes; we say a negative
# number is never prime, which the test asserts.
def test_wycheproof_primality(wycheproof_dir, backend: str) -> None:
    data = json.loads((wycheproof_dir / "primality_test.json").read_text())
    cases = [t for g in data["testGroups"] for t in g["tests"]]
    assert len(cases) == data["numberOfTests"]
    # the best kernel engine checks every vector, the others a deterministic sample
    for test in cases[:: {"python": 10, "cython-portable": 5}.get(backend, 1)]:
        n = _signed(test["value"])
        expected = test["result"] == "valid"
        if test["result"] == "acceptable":
            assert n < 0, test["comment"]
        assert rsa.is_probable_prime(n) == expected, f"tcId {test['tcId']}: {test['comment']}"


def _sieve(limit: int) -> list[bool]:
    flags = [True] * limit
    flags[0] = flags[1] = False
    for i in range(2, limit):
        if flags[i]:
            for j in range(i * i, limit, i):
                flags[j] = False
    return flags


def test_agrees_with_a_sieve_below_100000() -> None:
    flags = _sieve(100_000)
    assert [n for n in range(100_000) if primes.is_probable_prime(n)] == [
        n for n in range(100_000) if flags[n]
    ]


@given(a=st.integers(2, 1 << 40), b=st.integers(2, 1 << 600))
def test_products_are_composite(a: int, b: int) -> None:
    assert not primes.is_probable_prime(a * b)


# Known primes from outside: Mersenne exponents and the P-256 / Curve25519 field primes.
@pytest.mark.parametrize(
    "n",
    [
        (1 << 127) - 1,
        (1 << 521) - 1,
        (1 << 1279) - 1,
        (1 << 255) - 19,
        2**256 - 2**224 + 2**192 + 2**96 - 1,
    ],
)
def test_known_primes(n: int, backend: str) -> None:
    assert primes.is_probable_prime(n)
    assert not primes.is_probable_prime(n * n)
    assert not primes.is_probable_prime(n + 2 if n % 3 == 0 else n * 3)


@pytest.mark.parametrize("bits", [256, 512, 1024])
def test_generate_prime(bits: int, backend: str) -> None:
    p = primes.generate_prime(bits)
    assert p.bit_length() == bits and p >> (bits - 2) == 0b11
    # Fermat test to several fixed bases: an independent (if weaker) witness
    assert all(pow(a, p - 1, p) == 1 for a in (2, 3, 5, 7, 11))
    assert primes.is_probable_prime(p)


def test_rejects_non_integers() -> None:
    with pytest.raises(TypeError):
        primes.is_probable_prime(7.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        primes.is_probable_prime(True)  # type: ignore[arg-type]
