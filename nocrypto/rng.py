"""Randomness: the operating system's entropy and an HMAC_DRBG (NIST SP 800-90A 10.1.2).

``entropy(n)`` reads the kernel CSPRNG (``getrandom`` where available).  ``HmacDrbg`` is
an immutable value: ``generate`` and ``reseed`` return a new generator and leave the old
one as it was, so a TLS connection state that holds one can be replayed exactly.  The
flip side is the caller's duty: never call ``generate`` twice on the same value and use
both outputs, they are equal.

Side channels: the DRBG state enters only HMAC (see ``nocrypto.kdf``); the pure-Python
path inherits the hash modules' caveats.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from nocrypto.hashes._input import as_bytes
from nocrypto.kdf import _hash_len, hmac_parts

# SP 800-90A 10.1, table 2.
MAX_BYTES_PER_REQUEST = (1 << 19) // 8
RESEED_INTERVAL = 1 << 48
MAX_INPUT_BYTES = (1 << 35) // 8  # entropy, personalization and additional input
_SECURITY_STRENGTH = {"sha1": 16, "sha224": 24, "sha256": 32, "sha384": 32, "sha512": 32}


def entropy(n: int) -> bytes:
    """``n`` bytes from the operating system's CSPRNG."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"n must be an int, not {type(n).__name__}")
    if n < 0:
        raise ValueError("n must be non-negative")
    getrandom = getattr(os, "getrandom", None)
    if getrandom is not None:
        out = bytearray()
        while len(out) < n:  # getrandom may return short reads for large n
            out += getrandom(n - len(out))
        return bytes(out)
    return os.urandom(n)


@dataclass(frozen=True, slots=True)
class HmacDrbg:
    """SP 800-90A HMAC_DRBG.  ``seed`` is entropy_input || nonce (at least the security
    strength of the hash: 16 bytes for SHA-1, 24 for SHA-224, 32 otherwise)."""

    hash_name: str
    _key: bytes = field(repr=False)
    _value: bytes = field(repr=False)
    reseed_counter: int

    def __init__(
        self,
        seed: bytes | bytearray | memoryview,
        hash_name: str = "sha256",
        personalization: bytes | bytearray | memoryview = b"",
    ) -> None:
        seed = as_bytes(seed, "seed")
        personalization = as_bytes(personalization, "personalization")
        if not isinstance(hash_name, str):
            raise TypeError(f"hash_name must be a str, not {type(hash_name).__name__}")
        if hash_name.lower() not in _SECURITY_STRENGTH:
            raise ValueError(
                f"HMAC_DRBG hash must be one of {', '.join(_SECURITY_STRENGTH)}, not {hash_name!r}"
            )
        hash_name = hash_name.lower()
        _check_entropy(seed, hash_name)
        _check_input(personalization, "personalization")
        out_len = _hash_len(hash_name)
        key, value = _update(hash_name, seed + personalization, bytes(out_len), b"\x01" * out_len)
        object.__setattr__(self, "hash_name", hash_name)
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "_value", value)
        object.__setattr__(self, "reseed_counter", 1)

    def _with(self, key: bytes, value: bytes, reseed_counter: int) -> HmacDrbg:
        other = object.__new__(HmacDrbg)
        object.__setattr__(other, "hash_name", self.hash_name)
        object.__setattr__(other, "_key", key)
        object.__setattr__(other, "_value", value)
        object.__setattr__(other, "reseed_counter", reseed_counter)
        return other

    def reseed(
        self,
        entropy_input: bytes | bytearray | memoryview,
        additional: bytes | bytearray | memoryview = b"",
    ) -> HmacDrbg:
        """SP 800-90A 10.1.2.4: a new generator mixing in fresh entropy."""
        entropy_input = as_bytes(entropy_input, "entropy_input")
        additional = as_bytes(additional, "additional")
        _check_entropy(entropy_input, self.hash_name)
        _check_input(additional, "additional input")
        key, value = _update(self.hash_name, entropy_input + additional, self._key, self._value)
        return self._with(key, value, 1)

    def generate(
        self, n: int, additional: bytes | bytearray | memoryview = b""
    ) -> tuple[HmacDrbg, bytes]:
        """SP 800-90A 10.1.2.5: (the next generator, ``n`` pseudorandom bytes)."""
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(f"n must be an int, not {type(n).__name__}")
        if n < 0:
            raise ValueError("n must be non-negative")
        if n > MAX_BYTES_PER_REQUEST:
            raise ValueError(f"HMAC_DRBG: at most {MAX_BYTES_PER_REQUEST} bytes per request")
        additional = as_bytes(additional, "additional")
        _check_input(additional, "additional input")
        if self.reseed_counter > RESEED_INTERVAL:
            raise ValueError("HMAC_DRBG: reseed required (reseed interval reached)")
        key, value = self._key, self._value
        if additional:
            key, value = _update(self.hash_name, additional, key, value)
        name = self.hash_name
        out = bytearray()
        while len(out) < n:
            value = hmac_parts(key, name, value)
            out += value
        key, value = _update(self.hash_name, additional, key, value)
        return self._with(key, value, self.reseed_counter + 1), bytes(out[:n])


def _update(hash_name: str, provided: bytes, key: bytes, value: bytes) -> tuple[bytes, bytes]:
    """HMAC_DRBG_Update (SP 800-90A 10.1.2.2)."""
    key = hmac_parts(key, hash_name, value, b"\x00", provided)
    value = hmac_parts(key, hash_name, value)
    if not provided:
        return key, value
    key = hmac_parts(key, hash_name, value, b"\x01", provided)
    value = hmac_parts(key, hash_name, value)
    return key, value


def _check_entropy(data: bytes, hash_name: str) -> None:
    need = _SECURITY_STRENGTH[hash_name]
    if len(data) < need:
        raise ValueError(f"HMAC_DRBG with {hash_name} needs at least {need} bytes of entropy")
    _check_input(data, "entropy input")


def _check_input(data: bytes, what: str) -> None:
    if len(data) > MAX_INPUT_BYTES:
        raise ValueError(f"HMAC_DRBG: {what} longer than {MAX_INPUT_BYTES} bytes")
