"""Ed25519 signatures (RFC 8032 section 5.1, pure EdDSA: no prehash, no context).

``sign`` is deterministic: the same seed and message always give the same 64 bytes.
``verify`` returns False for every bad signature or public key and never raises on
them.  Verification follows RFC 8032 section 5.1.7 with the cofactorless equation
[S]B = R + [k]A checked on encodings: S >= L, a non-canonical or off-curve A, and a
non-canonical R are all rejected (what Wycheproof's ed25519 vectors expect).

The Cython kernel is constant time for everything that touches the seed (fixed-base
table with masked lookups, constant-time scalar reduction); the pure-Python fallback is
not (see ``nocrypto.edwards.ed25519_ref``).  Verification handles public data only and
may take variable time.
"""

from __future__ import annotations

from nocrypto import hashes
from nocrypto._backend import kernel
from nocrypto.edwards import ed25519_ref as _reference
from nocrypto.edwards._util import as_bytes, entropy

_impl = kernel("nocrypto.edwards._ed25519_cy") or _reference

__all__ = ["generate", "public_key", "sign", "verify"]

SEED_LENGTH = 32
PUBLIC_KEY_LENGTH = 32
SIGNATURE_LENGTH = 64


def _expand(seed: bytes) -> tuple[bytes, bytes]:
    # RFC 8032 section 5.1.5: the first half, clamped, is the secret scalar a.
    h = hashes.sha512(seed).digest()
    a = bytearray(h[:32])
    a[0] &= 248
    a[31] &= 127
    a[31] |= 64
    return bytes(a), h[32:]


def public_key(seed: bytes) -> bytes:
    """The 32-byte public key A = [a]B of the 32-byte private ``seed``."""
    a, _ = _expand(as_bytes("seed", seed, SEED_LENGTH))
    return _impl.scalarmult_base(a)


def sign(seed: bytes, msg: bytes) -> bytes:
    """The 64-byte signature R || S of ``msg`` (RFC 8032 section 5.1.6)."""
    a, prefix = _expand(as_bytes("seed", seed, SEED_LENGTH))
    m = as_bytes("msg", msg)
    r = _impl.sc_reduce(hashes.sha512(prefix + m).digest())
    both = _impl.scalarmult_base_pair(a, r)
    pub, r_enc = both[:32], both[32:]
    k = hashes.sha512(r_enc + pub + m).digest()
    return r_enc + _impl.sc_muladd(k, a, r)


def verify(public: bytes, signature: bytes, msg: bytes) -> bool:
    """True exactly when ``signature`` is a valid signature of ``msg`` under ``public``."""
    pub = as_bytes("public key", public)
    sig = as_bytes("signature", signature)
    m = as_bytes("msg", msg)
    if len(pub) != PUBLIC_KEY_LENGTH or len(sig) != SIGNATURE_LENGTH:
        return False
    r_enc, s_enc = sig[:32], sig[32:]
    k = hashes.sha512(r_enc + pub + m).digest()
    return bool(_impl.verify_equation(pub, r_enc, s_enc, k))


def generate() -> tuple[bytes, bytes]:
    """A fresh (seed, public key) pair."""
    seed = entropy(SEED_LENGTH)
    return seed, public_key(seed)
