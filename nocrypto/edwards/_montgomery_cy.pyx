# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Constant-time X25519 and X448 (RFC 7748): the kernel of ``nocrypto.edwards.montgomery``.

The ladder, the field arithmetic and the final inversion are C in ``montgomery.h``,
``fe25519.h`` and ``fe448.h``, and ``fe25519_adx.h`` for the X25519 ladder on MULX/ADX
(chosen at import when CPUID reports BMI2 and ADX): no branch and no memory index
depends on the scalar or on the point.  Lengths are checked by the public modules; they
are checked again here so the C code can never read past a buffer.
"""

from libc.stdint cimport uint8_t

cdef extern from "montgomery.h":
    void puretls_x25519(uint8_t *out, const uint8_t *scalar, const uint8_t *u) nogil
    void puretls_x448(uint8_t *out, const uint8_t *scalar, const uint8_t *u) nogil
    int puretls_x25519_use_adx(int enable)


puretls_x25519_use_adx(-1)


def _use_adx(enable=True):
    """Switch the X25519 MULX/ADX ladder on (if the CPU has BMI2 and ADX) or off, and say
    whether it is in use: the tests run both X25519 field implementations through this."""
    return bool(puretls_x25519_use_adx(-1 if enable else 0))


def x25519(const uint8_t[::1] k, const uint8_t[::1] u):
    """X25519(k, u) on 32-byte strings."""
    if k.shape[0] != 32 or u.shape[0] != 32:
        raise ValueError("X25519 takes a 32-byte scalar and a 32-byte u-coordinate")
    cdef uint8_t out[32]
    with nogil:
        puretls_x25519(out, &k[0], &u[0])
    return out[:32]


def x448(const uint8_t[::1] k, const uint8_t[::1] u):
    """X448(k, u) on 56-byte strings."""
    if k.shape[0] != 56 or u.shape[0] != 56:
        raise ValueError("X448 takes a 56-byte scalar and a 56-byte u-coordinate")
    cdef uint8_t out[56]
    with nogil:
        puretls_x448(out, &k[0], &u[0])
    return out[:56]
