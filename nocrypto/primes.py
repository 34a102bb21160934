"""Probable primes: trial division plus Miller-Rabin with random bases (FIPS 186-5 B.3).

``is_probable_prime(n)`` is meant for numbers anyone may have chosen, including an
adversary who built a composite to pass Miller-Rabin for fixed bases or with probability
1/4 per round: it draws 64 fresh random bases (error below 2**-128 for every odd
composite), and for n below 3.3e24 uses the first 13 primes as bases, a set proven to be
deterministic in that range.  Negative numbers, 0 and 1 are not prime.

``generate_prime`` is for key generation, where candidates are uniformly random, so the
much smaller round counts of FIPS 186-5 Table B.1 (for 2**-100 error) apply; we use at
least those.

Side channels: trial division uses Python's ``%`` on the secret candidate, and the
squarings after the first Miller-Rabin exponentiation are Python integer arithmetic; the
exponentiation itself runs on the constant-time kernel when it is built (see
``nocrypto.bignum`` for the pure-Python path's limits).  Rejected candidates are
discarded, so their timing says nothing about the prime finally kept; for the kept prime
the variable-time steps see only its size and the (random) bases' outcomes.
"""

from __future__ import annotations

from collections.abc import Callable

from nocrypto import _backend
from nocrypto import bignum as _bignum_py

_bn = _backend.kernel("nocrypto._bignum_cy") or _bignum_py

RngBytes = Callable[[int], bytes]


def _small_primes(limit: int) -> tuple[int, ...]:
    sieve = bytearray([1]) * limit
    sieve[0:2] = b"\x00\x00"
    for i in range(2, int(limit**0.5) + 1):
        if sieve[i]:
            sieve[i * i :: i] = bytes(len(range(i * i, limit, i)))
    return tuple(i for i in range(limit) if sieve[i])


SMALL_PRIMES = _small_primes(2000)
# The product of the odd small primes: one gcd-like remainder test per candidate.
_SMALL_PRODUCT = 1
for _p in SMALL_PRIMES[1:]:
    _SMALL_PRODUCT *= _p

# Bases 2..41 decide primality deterministically below this bound
# (Sorenson and Webster 2015 extend Jaeschke's 1993 results).
_DETERMINISTIC_BOUND = 3317044064679887385961981
_DETERMINISTIC_BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41)


def _default_rng() -> RngBytes:
    from nocrypto import rng

    return rng.entropy


def random_below(limit: int, rng_bytes: RngBytes | None = None) -> int:
    """A uniform random integer in ``[0, limit)`` by rejection sampling."""
    if limit <= 0:
        raise ValueError("limit must be positive")
    get = rng_bytes or _default_rng()
    bits = limit.bit_length()
    nbytes = (bits + 7) // 8
    excess = 8 * nbytes - bits
    while True:
        x = int.from_bytes(get(nbytes), "big") >> excess
        if x < limit:
            return x


def _miller_rabin_round(n: int, d: int, s: int, a: int, mod: object) -> bool:
    """One strong-probable-prime test of odd ``n = d * 2**s + 1`` to base ``a``."""
    x = mod.exp(a, d, n.bit_length())  # type: ignore[attr-defined]
    if x == 1 or x == n - 1:
        return True
    for _ in range(s - 1):
        x = x * x % n
        if x == n - 1:
            return True
    return False


def miller_rabin(n: int, rounds: int, rng_bytes: RngBytes | None = None) -> bool:
    """``rounds`` Miller-Rabin tests of odd ``n > 3`` with uniformly random bases."""
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    mod = _bn.Modulus(n, secret=True)
    for _ in range(rounds):
        a = 2 + random_below(n - 3, rng_bytes)  # a in [2, n-2]
        if not _miller_rabin_round(n, d, s, a, mod):
            return False
    return True


def is_probable_prime(n: int, rng_bytes: RngBytes | None = None) -> bool:
    """Whether ``n`` is prime, with error below 2**-128 even for adversarial ``n``."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError("n must be an int")
    if n < 2:
        return False
    if n <= SMALL_PRIMES[-1]:
        return n in SMALL_PRIMES
    if n % 2 == 0 or _trial_division_finds_factor(n):
        return False
    if n < _DETERMINISTIC_BOUND:
        d, s = n - 1, 0
        while d % 2 == 0:
            d //= 2
            s += 1
        mod = _bn.Modulus(n, secret=True)
        return all(_miller_rabin_round(n, d, s, a, mod) for a in _DETERMINISTIC_BASES)
    return miller_rabin(n, 64, rng_bytes)


def _trial_division_finds_factor(n: int) -> bool:
    """Whether an odd small prime divides ``n`` (n larger than every small prime)."""
    import math

    return math.gcd(n, _SMALL_PRODUCT) != 1


def rounds_for_random_candidate(bits: int) -> int:
    """Miller-Rabin rounds for a uniformly random candidate of ``bits`` bits: at least the
    FIPS 186-5 Table B.1 counts for an error probability of 2**-100."""
    if bits >= 1536:
        return 5
    if bits >= 1024:
        return 6
    if bits >= 512:
        return 8
    return 40


def generate_prime(
    bits: int,
    rng_bytes: RngBytes | None = None,
    accept: Callable[[int], bool] | None = None,
) -> int:
    """A random probable prime of exactly ``bits`` bits whose top two bits are set (so a
    product of two such primes has exactly ``2 * bits`` bits), passing ``accept``."""
    if bits < 16:
        raise ValueError("prime too small")
    get = rng_bytes or _default_rng()
    nbytes = (bits + 7) // 8
    rounds = rounds_for_random_candidate(bits)
    while True:
        x = int.from_bytes(get(nbytes), "big") >> (8 * nbytes - bits)
        x |= (3 << (bits - 2)) | 1
        if _trial_division_finds_factor(x):
            continue
        if accept is not None and not accept(x):
            continue
        if miller_rabin(x, rounds, get):
            return x
