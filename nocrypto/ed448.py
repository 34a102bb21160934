"""Ed448 signatures (RFC 8032 section 5.2, pure Ed448 with an optional context).

``sign`` is deterministic.  ``verify`` returns False for every bad signature or public
key and never raises on them.  Verification checks the cofactorless equation
[S]B = R + [k]A on encodings; S >= L, a non-canonical or off-curve A and a non-canonical
R are rejected (RFC 8032 section 5.2.7, as Wycheproof's ed448 vectors expect).  A
context longer than 255 bytes cannot be encoded in dom4: ``sign`` raises ValueError and
``verify`` returns False.

The Cython kernel is constant time for everything that touches the seed; the
pure-Python fallback is not (see ``nocrypto.edwards.ed448_ref``).
"""

from __future__ import annotations

from nocrypto import hashes
from nocrypto._backend import kernel
from nocrypto.edwards import ed448_ref as _reference
from nocrypto.edwards._util import as_bytes, entropy

_impl = kernel("nocrypto.edwards._ed448_cy") or _reference

__all__ = ["generate", "public_key", "sign", "verify"]

SEED_LENGTH = 57
PUBLIC_KEY_LENGTH = 57
SIGNATURE_LENGTH = 114


def _dom4(context: bytes) -> bytes:
    # RFC 8032 section 2: dom4(phflag = 0, context) for pure Ed448.
    return b"SigEd448\x00" + bytes([len(context)]) + context


def _h(data: bytes) -> bytes:
    return bytes(hashes.shake256(data).digest(114))


def _expand(seed: bytes) -> tuple[bytes, bytes]:
    # RFC 8032 section 5.2.5: the secret scalar is the clamped first half of SHAKE256(seed).
    h = _h(seed)
    s = bytearray(h[:57])
    s[0] &= 252
    s[56] = 0
    s[55] |= 128
    return bytes(s), h[57:]


def _context(context: object) -> bytes:
    ctx = as_bytes("context", context)
    if len(ctx) > 255:
        raise ValueError("an Ed448 context is at most 255 bytes")
    return ctx


def public_key(seed: bytes) -> bytes:
    """The 57-byte public key of the 57-byte private ``seed``."""
    s, _ = _expand(as_bytes("seed", seed, SEED_LENGTH))
    return _impl.scalarmult_base(s)


def sign(seed: bytes, msg: bytes, context: bytes = b"") -> bytes:
    """The 114-byte signature R || S of ``msg`` under ``context`` (RFC 8032 section 5.2.6)."""
    s, prefix = _expand(as_bytes("seed", seed, SEED_LENGTH))
    m = as_bytes("msg", msg)
    dom = _dom4(_context(context))
    r = _impl.sc_reduce(_h(dom + prefix + m))
    both = _impl.scalarmult_base_pair(s, r)
    pub, r_enc = both[:57], both[57:]
    k = _h(dom + r_enc + pub + m)
    return r_enc + _impl.sc_muladd(k, s, r)


def verify(public: bytes, signature: bytes, msg: bytes, context: bytes = b"") -> bool:
    """True exactly when ``signature`` signs ``msg`` under ``public`` and ``context``."""
    pub = as_bytes("public key", public)
    sig = as_bytes("signature", signature)
    m = as_bytes("msg", msg)
    ctx = as_bytes("context", context)
    if len(pub) != PUBLIC_KEY_LENGTH or len(sig) != SIGNATURE_LENGTH or len(ctx) > 255:
        return False
    r_enc, s_enc = sig[:57], sig[57:]
    k = _h(_dom4(ctx) + r_enc + pub + m)
    return bool(_impl.verify_equation(pub, r_enc, s_enc, k))


def generate() -> tuple[bytes, bytes]:
    """A fresh (seed, public key) pair."""
    seed = entropy(SEED_LENGTH)
    return seed, public_key(seed)
