"""Modular exponentiation for RSA and finite-field Diffie-Hellman: the pure-Python reference.

Two objects, mirrored exactly by the Cython kernel ``nocrypto._bignum_cy``:

* ``Modulus(n)`` for an odd public modulus: ``exp(base, exponent, exponent_bits)`` for
  secret exponents (Diffie-Hellman), ``exp_public(base, exponent)`` for public ones,
  ``mul(a, b)`` for one modular product and ``inverse(a)`` for a modular inverse (RSA
  blinding).
* ``CRTKey(p, q, dp, dq, qinv)``: ``private_op(c) == c ** d % (p * q)`` by the Chinese
  remainder theorem (RFC 8017 section 5.1.2, Garner's recombination).

Side channels of this reference (the kernel exists to avoid them):

* It uses Python's built-in ``pow`` and integer arithmetic.  CPython's ``pow`` is a
  sliding-window exponentiation whose sequence of multiplications depends on the
  exponent's bits, and its division (``%``) has data-dependent correction steps, so the
  time taken and the memory touched depend on secret exponents and on the secret primes.
* ``inverse`` is ``pow(a, -1, n)``, CPython's extended Euclidean algorithm, whose steps
  (and so its time) depend on the value inverted.  The kernel's ``inverse`` runs a fixed
  number of Bernstein-Yang divsteps instead.
* CPython integers are variable length: leading zero digits are stripped, so the sizes of
  intermediate values (and the time spent on them) leak a little about secret values.
* Nothing here wipes secrets from memory; Python objects are immutable and copied freely.

RSA blinding (in ``nocrypto.rsa``) masks the signing input from an attacker who chooses it,
which blunts the best-known timing attacks on this path, but it is not a constant-time
guarantee.  Use the Cython backend where side channels matter.
"""

from __future__ import annotations


def _check_modulus(n: int) -> None:
    if not isinstance(n, int):
        raise TypeError("modulus must be an int")
    if n < 3 or n % 2 == 0:
        raise ValueError("modulus must be odd and at least 3")
    if n.bit_length() > 8192:
        raise ValueError("modulus larger than 8192 bits")


class Modulus:
    """An odd modulus ``n`` (at most 8192 bits)."""

    __slots__ = ("n",)

    def __init__(self, n: int, secret: bool = False) -> None:
        # ``secret`` matters to the kernel only (constant-time set-up); see its twin.
        _check_modulus(n)
        self.n = n

    def exp(self, base: int, exponent: int, exponent_bits: int) -> int:
        """``base ** exponent % n`` for a secret exponent below ``2 ** exponent_bits``."""
        if not 0 <= base < self.n:
            raise ValueError("base out of range")
        if exponent_bits < 1 or exponent_bits > 8192:
            raise ValueError("exponent out of range")
        if exponent < 0 or exponent.bit_length() > exponent_bits:
            raise ValueError("exponent out of range")
        return pow(base, exponent, self.n)

    def mul(self, a: int, b: int) -> int:
        """``a * b % n`` for ``0 <= a, b < n``."""
        if not (0 <= a < self.n and 0 <= b < self.n):
            raise ValueError("factor out of range")
        return a * b % self.n

    def inverse(self, a: int) -> int:
        """``a ** -1 % n`` for ``0 <= a < n``; ValueError when ``gcd(a, n) != 1``.

        NOT constant time here (CPython's extended Euclid, see the module docstring); the
        kernel's twin is."""
        if not 0 <= a < self.n:
            raise ValueError("value out of range")
        try:
            return pow(a, -1, self.n)
        except ValueError:
            raise ValueError("value not invertible modulo n") from None

    def exp_public(self, base: int, exponent: int) -> int:
        """``base ** exponent % n`` for a public exponent."""
        if not 0 <= base < self.n:
            raise ValueError("base out of range")
        if exponent < 0 or exponent.bit_length() > 8192:
            raise ValueError("exponent out of range")
        return pow(base, exponent, self.n)


class CRTKey:
    """An RSA private key in CRT form: ``private_op(c) == c ** d % (p * q)``."""

    __slots__ = ("_p", "_q", "_dp", "_dq", "_qinv", "_n")

    def __init__(self, p: int, q: int, dp: int, dq: int, qinv: int) -> None:
        _check_modulus(p)
        _check_modulus(q)
        if max(p.bit_length(), q.bit_length()) > 4096:
            raise ValueError("primes larger than 4096 bits")
        if not (0 < dp < p and 0 < dq < q and 0 < qinv < p):
            raise ValueError("CRT parameters out of range")
        self._p, self._q, self._dp, self._dq, self._qinv = p, q, dp, dq, qinv
        self._n = p * q

    def private_op(self, c: int) -> int:
        if not 0 <= c < self._n:
            raise ValueError("input out of range")
        p, q = self._p, self._q
        m1 = pow(c % p, self._dp, p)
        m2 = pow(c % q, self._dq, q)
        h = (m1 - m2) * self._qinv % p
        return m2 + h * q
