"""Montgomery kernel and pure-Python reference against Python's own ``pow``."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa as c_rsa
from hypothesis import given
from hypothesis import strategies as st

from nocrypto import _backend, bignum

KERNEL = _backend.kernel("nocrypto._bignum_cy")


@pytest.fixture(scope="module", params=["python", "cython", "cython-portable"])
def bn(request: pytest.FixtureRequest):
    """The reference, the kernel with its best engine (AVX-512 IFMA when the CPU has
    it), and the kernel forced onto its portable C engine."""
    if request.param == "python":
        yield bignum
        return
    if KERNEL is None:
        pytest.skip("nocrypto._bignum_cy is not built (or NOCRYPTO_BACKEND=python)")
    previous = KERNEL.engine()
    KERNEL._use_vector(request.param == "cython")
    yield KERNEL
    KERNEL._use_vector(previous != "portable")


@st.composite
def odd_modulus(draw, max_bits: int = 8192) -> int:
    bits = draw(st.sampled_from([3, 64, 65, 127, 128, 1024, 1025, 2048, 3072, 4096, max_bits]))
    n = draw(st.integers(min_value=1 << (bits - 1), max_value=(1 << bits) - 1)) | 1
    return max(n, 3)


@given(data=st.data(), n=odd_modulus())
def test_exp_matches_pow(bn, data, n: int) -> None:
    m = bn.Modulus(n)
    base = data.draw(st.integers(0, n - 1) | st.sampled_from([0, 1, n - 1]))
    ebits = data.draw(st.integers(1, max(1, n.bit_length())))
    e = data.draw(st.integers(0, (1 << ebits) - 1))
    assert m.exp(base, e, ebits) == pow(base, e, n)
    assert m.exp_public(base, e) == pow(base, e, n)
    other = data.draw(st.integers(0, n - 1))
    assert m.mul(base, other) == base * other % n
    # a secret modulus (key generation: at most 2048-bit primes) derives its constants
    # by constant-time doubling instead
    if n.bit_length() <= 2048:
        assert bn.Modulus(n, secret=True).exp(base, e, ebits) == pow(base, e, n)


@given(data=st.data(), n=odd_modulus(max_bits=2048))
def test_exponent_bound_longer_than_modulus(bn, data, n: int) -> None:
    """Miller-Rabin and DH may pass exponents as long as, or longer than, the modulus."""
    m = bn.Modulus(n)
    base = data.draw(st.integers(0, n - 1))
    e = data.draw(st.integers(0, (1 << (n.bit_length() + 70)) - 1))
    assert m.exp(base, e, n.bit_length() + 70) == pow(base, e, n)


def _inverse_or_none(m, a: int) -> int | None:
    try:
        return m.inverse(a)  # type: ignore[no-any-return]
    except ValueError:
        return None


def _pow_inverse_or_none(a: int, n: int) -> int | None:
    try:
        return pow(a, -1, n)
    except ValueError:
        return None


@given(data=st.data(), n=odd_modulus())
def test_inverse_matches_pow(bn, data, n: int) -> None:
    """Random odd moduli, composite as often as not: the inverse where gcd(a, n) = 1,
    ValueError (and nothing else) where it is not."""
    m = bn.Modulus(n)
    a = data.draw(st.integers(0, n - 1) | st.sampled_from([0, 1, 2, n - 1, n - 2, n // 2]))
    assert _inverse_or_none(m, a) == _pow_inverse_or_none(a, n)


@given(
    data=st.data(),
    n=odd_modulus(max_bits=4096),
    factor=st.sampled_from([3, 5, 7, 15, 65537, (1 << 61) - 1, (1 << 127) - 1]),
)
def test_inverse_refuses_a_shared_factor(bn, data, n: int, factor: int) -> None:
    """a and n with gcd(a, n) > 1 (n made a multiple of the factor) raise ValueError;
    a unit of the same modulus still inverts."""
    n = n * factor
    m = bn.Modulus(n)
    a = factor * data.draw(st.integers(0, n // factor - 1))
    with pytest.raises(ValueError):
        m.inverse(a)
    b = data.draw(st.integers(1, n - 1))
    assert _inverse_or_none(m, b) == _pow_inverse_or_none(b, n)


@pytest.mark.parametrize("bits", [2, 3, 62, 63, 64, 65, 124, 125, 1024, 2048, 4096, 8192])
def test_inverse_edge_values(bn, bits: int) -> None:
    """a = 1, a = n - 1 (its own inverse), a = 2, and a = 0 (never invertible) for the
    moduli 2^b - 1 and 2^(b-1) + 1 (every limb all ones, nearly every limb zero), and
    the largest power of two below n."""
    for n in {(1 << bits) - 1, (1 << (bits - 1)) + 1}:
        if n < 3:
            continue
        m = bn.Modulus(n)
        assert m.inverse(1) == 1
        assert m.inverse(n - 1) == n - 1
        assert m.inverse(2) == (n + 1) // 2
        assert m.inverse(1 << (n.bit_length() - 2)) == pow(1 << (n.bit_length() - 2), -1, n)
        with pytest.raises(ValueError):
            m.inverse(0)
    assert bn.Modulus(3).inverse(2) == 2


@pytest.fixture(scope="module", params=[2048, 3072])
def crt_key(request):
    return c_rsa.generate_private_key(65537, request.param).private_numbers()


@given(data=st.data())
def test_crt_private_op_matches_pow(bn, crt_key, data) -> None:
    k = crt_key
    n = k.public_numbers.n
    c = data.draw(st.integers(0, n - 1) | st.sampled_from([0, 1, n - 1, k.p, k.q]))
    for p, q, dp, dq, qinv in (
        (k.p, k.q, k.dmp1, k.dmq1, k.iqmp),
        (k.q, k.p, k.dmq1, k.dmp1, pow(k.p, -1, k.q)),  # either prime order
    ):
        # RSA is a permutation of Z_n: the e-th power pins the result down uniquely.
        assert pow(bn.CRTKey(p, q, dp, dq, qinv).private_op(c), k.public_numbers.e, n) == c


# Primes at the edges of their limb counts: 2^b - k has every 52-bit lane all ones
# (the carries of the vector engine's lazy accumulation at their largest), 2^(b-1) + k
# nearly every lane zero.  (b, k for 2^b - k, k for 2^(b-1) + k), the smallest k.
EDGE_PRIMES = [(1024, 105, 1155), (1536, 3453, 699), (2048, 1557, 1919)]


@pytest.mark.parametrize(("bits", "below", "above"), EDGE_PRIMES)
def test_crt_private_op_on_edge_primes(bn, bits: int, below: int, above: int) -> None:
    p, q, e = (1 << bits) - below, (1 << (bits - 1)) + above, 65537
    n, d = p * q, pow(e, -1, (p - 1) * (q - 1))
    key = bn.CRTKey(p, q, d % (p - 1), d % (q - 1), pow(q, -1, p))
    for c in (2, n - 1, n - 2, ((1 << (2 * bits - 1)) - 1) % n, p - 1, q + 1, n // 3):
        assert key.private_op(c) == pow(c, d, n)


def test_unbalanced_primes(bn) -> None:
    """Primes of different limb counts share one (public) limb count in the kernel."""
    p = (1 << 521) - 1  # Mersenne prime
    q = (1 << 607) - 1
    n, e = p * q, 65537
    d = pow(e, -1, (p - 1) * (q - 1))
    key = bn.CRTKey(p, q, d % (p - 1), d % (q - 1), pow(q, -1, p))
    for c in (2, 12345678901234567890, n - 2):
        assert key.private_op(c) == pow(c, d, n)


def test_out_of_range_inputs(bn) -> None:
    m = bn.Modulus(1000003)
    for bad in (
        lambda: m.exp(1000003, 5, 10),
        lambda: m.exp(-1, 5, 10),
        lambda: m.exp(2, 1 << 10, 10),
        lambda: m.exp(2, -1, 10),
        lambda: m.exp_public(1000003, 3),
        lambda: m.mul(1000003, 3),
        lambda: m.inverse(1000003),
        lambda: m.inverse(-1),
        lambda: bn.Modulus(1 << 100),
        lambda: bn.Modulus(1),
        lambda: bn.Modulus((1 << 8193) + 1),
        lambda: bn.CRTKey(11, 13, 11, 1, 1),
        lambda: bn.CRTKey(11, 13, 3, 5, 6).private_op(143),
    ):
        with pytest.raises(ValueError):
            bad()


LANE = (1 << 52) - 1


@given(
    lanes=st.lists(
        st.sampled_from([0, 1, LANE - 1, LANE, LANE + 1, 1 << 52, (1 << 63) + 5])
        | st.integers(0, (1 << 64) - 1),
        min_size=20,
        max_size=40,
    )
)
def test_vector_carry_propagation(lanes: list[int]) -> None:
    """The IFMA engine's carry-lookahead normalisation keeps the value: long runs of
    all-ones lanes are where such code goes wrong, hence the sampled lane values."""
    if KERNEL is None:
        pytest.skip("nocrypto._bignum_cy is not built (or NOCRYPTO_BACKEND=python)")
    wide = len(lanes) % 8 == 0  # 512-bit registers; otherwise the 256-bit 20-lane case
    if not wide:
        lanes = lanes[:20]
    lanes[-1] &= (1 << 40) - 1  # the value must fit in the lanes, as in the engine
    value = sum(v << (52 * i) for i, v in enumerate(lanes))
    try:
        out = KERNEL._normalise52(lanes, wide)
    except RuntimeError:
        pytest.skip("this CPU has no AVX-512 IFMA")
    assert all(0 <= v <= LANE for v in out)
    assert sum(v << (52 * i) for i, v in enumerate(out)) == value
