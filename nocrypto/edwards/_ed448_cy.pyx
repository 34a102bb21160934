# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Ed448 group and scalar kernel: the same functions as ``ed448_ref``.

``scalarmult_base``, ``scalarmult_base_pair``, ``sc_reduce`` and ``sc_muladd`` handle
secrets and are constant time (C in ``ed448.h``, ``fe448.h`` and ``scalar.h``);
``verify_equation`` handles public values only and uses a faster variable-time
double-base multiplication.
``x448_base`` serves ``nocrypto.x448.public_key`` from the same fixed-base table.
The fixed-base table (112 x 8 multiples of B) is built once, at import.
"""

from libc.stdint cimport uint8_t, uint64_t

from nocrypto.edwards import ed448_ref as _ref

cdef extern from "ed448.h":
    int ed448_setup(const uint8_t *base)
    void ed448_scalarmult_base(uint8_t *out, const uint8_t *a) nogil
    void x448_scalarmult_base(uint8_t *out, const uint8_t *scalar) nogil
    void ed448_scalarmult_base_pair(uint8_t *out, const uint8_t *a, const uint8_t *r) nogil
    int ed448_verify(const uint8_t *pub, const uint8_t *r, const uint8_t *s,
                     const uint8_t *k) nogil
    const uint64_t ed448_L[7]
    void sc_mod(uint64_t *r, const uint8_t *x, size_t nbytes, const uint64_t *L, int nl,
                int lbits) nogil
    void sc_tobytes(uint8_t *out, size_t nbytes, const uint64_t *r, int nl) nogil
    void c_sc_muladd "sc_muladd"(uint8_t *out, const uint8_t *k, size_t klen, const uint8_t *a,
                                 const uint8_t *c, size_t nbytes, const uint64_t *L,
                                 int nl, int lbits) nogil

cdef bytes _base = _ref.encode(_ref.BASE)
if ed448_setup(_base) != 0:
    raise ImportError("edwards448 base point did not decode")


cdef inline void _need(const uint8_t[::1] v, Py_ssize_t n, str name) except *:
    if v.shape[0] != n:
        raise ValueError(f"{name} must be {n} bytes long")


def scalarmult_base(const uint8_t[::1] a):
    """Encoding of [a]B for a 57-byte little-endian scalar (reduced modulo L first)."""
    _need(a, 57, "scalar")
    cdef uint8_t out[57]
    with nogil:
        ed448_scalarmult_base(out, &a[0])
    return out[:57]


def scalarmult_base_pair(const uint8_t[::1] a, const uint8_t[::1] r):
    """Encodings of [a]B and [r]B, concatenated (one shared inversion)."""
    _need(a, 57, "scalar")
    _need(r, 57, "scalar")
    cdef uint8_t out[114]
    with nogil:
        ed448_scalarmult_base_pair(out, &a[0], &r[0])
    return out[:114]


def x448_base(const uint8_t[::1] scalar):
    """X448(scalar, 5) by the Edwards fixed-base table and the RFC 7748 4-isogeny."""
    _need(scalar, 56, "scalar")
    cdef uint8_t out[56]
    with nogil:
        x448_scalarmult_base(out, &scalar[0])
    return out[:56]


def sc_reduce(const uint8_t[::1] h):
    """A 114-byte little-endian integer modulo L, as 57 bytes."""
    _need(h, 114, "hash")
    cdef uint64_t r[8]
    cdef uint8_t out[57]
    with nogil:
        sc_mod(r, &h[0], 114, ed448_L, 7, 446)
        sc_tobytes(out, 57, r, 7)
    return out[:57]


def sc_muladd(const uint8_t[::1] k, const uint8_t[::1] a, const uint8_t[::1] r):
    """(k * a + r) mod L for a 114-byte k and 57-byte a and r."""
    _need(k, 114, "k")
    _need(a, 57, "a")
    _need(r, 57, "r")
    cdef uint8_t out[57]
    with nogil:
        c_sc_muladd(out, &k[0], 114, &a[0], &r[0], 57, ed448_L, 7, 446)
    return out[:57]


def verify_equation(const uint8_t[::1] pub, const uint8_t[::1] r, const uint8_t[::1] s,
                    const uint8_t[::1] k):
    """True when encode([S]B - [k]A) == R, S < L and A decodes canonically."""
    if pub.shape[0] != 57 or r.shape[0] != 57 or s.shape[0] != 57 or k.shape[0] != 114:
        return False
    cdef int ok
    with nogil:
        ok = ed448_verify(&pub[0], &r[0], &s[0], &k[0])
    return ok == 1
