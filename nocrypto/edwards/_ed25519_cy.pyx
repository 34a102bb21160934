# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Ed25519 group and scalar kernel: the same functions as ``ed25519_ref``.

``scalarmult_base``, ``scalarmult_base_pair``, ``sc_reduce`` and ``sc_muladd`` handle
secrets and are constant time (C in ``ed25519.h``, ``fe25519.h`` and ``scalar.h``; the
scalars modulo L use a Barrett reduction); ``verify_equation`` handles public values
only and uses a faster variable-time double-base multiplication.
``x25519_base`` serves ``nocrypto.x25519.public_key`` from the same fixed-base table.
The fixed-base table (64 x 8 multiples of B) is built once, at import.
"""

from libc.stdint cimport uint8_t, uint64_t

from nocrypto.edwards import ed25519_ref as _ref

cdef extern from "ed25519.h":
    int ed25519_setup(const uint8_t *d, const uint8_t *sqrtm1, const uint8_t *base)
    void ed25519_scalarmult_base(uint8_t *out, const uint8_t *a) nogil
    void x25519_scalarmult_base(uint8_t *out, const uint8_t *scalar) nogil
    void ed25519_scalarmult_base_pair(uint8_t *out, const uint8_t *a, const uint8_t *r) nogil
    int ed25519_verify(const uint8_t *pub, const uint8_t *r, const uint8_t *s,
                       const uint8_t *k) nogil
    void sc_tobytes(uint8_t *out, size_t nbytes, const uint64_t *r, int nl) nogil
    void sc25519_reduce64(uint64_t *r, const uint8_t *x) nogil
    void sc25519_muladd(uint8_t *out, const uint8_t *k, const uint8_t *a, const uint8_t *c) nogil

_D = _ref.D.to_bytes(32, "little")
_SQRT_M1 = _ref.SQRT_M1.to_bytes(32, "little")
_BASE = _ref.encode(_ref.BASE)
cdef bytes _d = _D, _sqrt_m1 = _SQRT_M1, _base = _BASE
if ed25519_setup(_d, _sqrt_m1, _base) != 0:
    raise ImportError("edwards25519 base point did not decode")


cdef inline void _need(const uint8_t[::1] v, Py_ssize_t n, str name) except *:
    if v.shape[0] != n:
        raise ValueError(f"{name} must be {n} bytes long")


def scalarmult_base(const uint8_t[::1] a):
    """Encoding of [a]B for a 32-byte little-endian scalar below 2^255."""
    _need(a, 32, "scalar")
    if a[31] & 0x80:
        raise ValueError("scalar must be below 2^255")
    cdef uint8_t out[32]
    with nogil:
        ed25519_scalarmult_base(out, &a[0])
    return out[:32]


def scalarmult_base_pair(const uint8_t[::1] a, const uint8_t[::1] r):
    """Encodings of [a]B and [r]B, concatenated (one shared inversion)."""
    _need(a, 32, "scalar")
    _need(r, 32, "scalar")
    if a[31] & 0x80 or r[31] & 0x80:
        raise ValueError("scalars must be below 2^255")
    cdef uint8_t out[64]
    with nogil:
        ed25519_scalarmult_base_pair(out, &a[0], &r[0])
    return out[:64]


def x25519_base(const uint8_t[::1] scalar):
    """X25519(scalar, 9) by the Edwards fixed-base table (about twice as fast as the ladder)."""
    _need(scalar, 32, "scalar")
    cdef uint8_t out[32]
    with nogil:
        x25519_scalarmult_base(out, &scalar[0])
    return out[:32]


def sc_reduce(const uint8_t[::1] h):
    """A 64-byte little-endian integer modulo L, as 32 bytes."""
    _need(h, 64, "hash")
    cdef uint64_t r[4]
    cdef uint8_t out[32]
    with nogil:
        sc25519_reduce64(r, &h[0])
        sc_tobytes(out, 32, r, 4)
    return out[:32]


def sc_muladd(const uint8_t[::1] k, const uint8_t[::1] a, const uint8_t[::1] r):
    """(k * a + r) mod L for a 64-byte k and 32-byte a and r."""
    _need(k, 64, "k")
    _need(a, 32, "a")
    _need(r, 32, "r")
    cdef uint8_t out[32]
    with nogil:
        sc25519_muladd(out, &k[0], &a[0], &r[0])
    return out[:32]


def verify_equation(const uint8_t[::1] pub, const uint8_t[::1] r, const uint8_t[::1] s,
                    const uint8_t[::1] k):
    """True when encode([S]B - [k]A) == R, S < L and A decodes canonically."""
    if pub.shape[0] != 32 or r.shape[0] != 32 or s.shape[0] != 32 or k.shape[0] != 64:
        return False
    cdef int ok
    with nogil:
        ok = ed25519_verify(&pub[0], &r[0], &s[0], &k[0])
    return ok == 1
