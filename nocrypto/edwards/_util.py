"""Argument checks and entropy shared by the Curve25519/Curve448 and ML-KEM public modules,
and the one implementation of the ``x25519`` / ``x448`` public modules (``MontgomeryDH``)."""

from __future__ import annotations

from collections.abc import Callable

from nocrypto import rng
from nocrypto._errors import InvalidKeyError
from nocrypto.ct import constant_time_equal


def as_bytes(name: str, value: object, length: int | None = None) -> bytes:
    """``value`` as ``bytes``; TypeError for a non-bytes-like, ValueError for a wrong length."""
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise TypeError(f"{name} must be bytes-like, not {type(value).__name__}")
    b = bytes(value)
    if length is not None and len(b) != length:
        raise ValueError(f"{name} must be {length} bytes long, got {len(b)}")
    return b


def entropy(n: int) -> bytes:
    """``n`` bytes from nocrypto's entropy source, for fresh private keys."""
    return bytes(rng.entropy(n))


def is_all_zero(value: bytes) -> bool:
    """True when every byte is zero, without stopping at the first non-zero byte."""
    b = bytes(value)
    return constant_time_equal(b, bytes(len(b)))


class MontgomeryDH:
    """RFC 7748 Diffie-Hellman on one curve, as ``nocrypto.x25519`` and ``nocrypto.x448`` offer it.

    ``ladder(k, u)`` is the raw X25519/X448 function of the active backend; ``fixed_base(k)``,
    when given, computes ``ladder(k, base_point)`` faster (the Edwards fixed-base table).
    """

    def __init__(
        self,
        name: str,
        base_point: bytes,
        ladder: Callable[[bytes, bytes], bytes],
        fixed_base: Callable[[bytes], bytes] | None,
    ) -> None:
        self.name = name
        self.key_length = len(base_point)
        self.base_point = base_point
        self._ladder = ladder
        self._fixed_base = fixed_base

    def function(self, scalar: bytes, u: bytes) -> bytes:
        """The raw function of RFC 7748 section 5: the u-coordinate of [clamp(scalar)]u."""
        k = as_bytes("scalar", scalar, self.key_length)
        return self._ladder(k, as_bytes("u", u, self.key_length))

    def public_key(self, scalar: bytes) -> bytes:
        """The public key (the function at the base point) belonging to the private ``scalar``."""
        k = as_bytes("scalar", scalar, self.key_length)
        if self._fixed_base is not None:
            return bytes(self._fixed_base(k))
        return self._ladder(k, self.base_point)

    def exchange(self, scalar: bytes, peer: bytes) -> bytes:
        """The shared secret with ``peer``; InvalidKeyError when it is all zero (a low-order peer)."""
        k = as_bytes("scalar", scalar, self.key_length)
        if not isinstance(peer, (bytes, bytearray, memoryview)) or len(peer) != self.key_length:
            raise InvalidKeyError(f"an {self.name} public key is {self.key_length} bytes")
        shared = self._ladder(k, bytes(peer))
        if is_all_zero(shared):
            raise InvalidKeyError(
                f"{self.name} shared secret is all zero: the peer sent a low-order point"
            )
        return shared

    def generate(self) -> tuple[bytes, bytes]:
        """A fresh (private scalar, public key) pair."""
        scalar = entropy(self.key_length)
        return scalar, self.public_key(scalar)
