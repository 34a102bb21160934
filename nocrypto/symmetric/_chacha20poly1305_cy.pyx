# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""ChaCha20-Poly1305 kernel, twin of ``chacha20poly1305.py``.

ChaCha20 runs sixteen blocks at once with AVX-512 or eight with AVX2 when the CPU has
them, else four at a time on portable C vectors; ``portable=True`` forces the latter and
``wide=False`` stops at AVX2.  Poly1305 uses 64-bit limbs in portable C and four
(AVX2) or eight (AVX-512) radix-2^26 lanes.
Both are free of secret-dependent branches and table lookups.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from libc.stdint cimport uint8_t, uint32_t
from libc.string cimport memcpy, memset

from nocrypto._backend import cpu_features
from nocrypto._errors import AuthenticationError


cdef extern from "_chacha20poly1305_impl.h":
    void cc_init(uint32_t *st, const uint8_t *key, const uint8_t *nonce) nogil
    void nc_chacha20_xor(const uint32_t *st, uint32_t ctr, const uint8_t *inp, uint8_t *out, size_t length, int simd) nogil
    void nc_hchacha20(const uint8_t *key, const uint8_t *n16, uint8_t *out) nogil
    void nc_poly1305_mac(const uint8_t *key, const uint8_t *m, size_t length, uint8_t *tag, int simd) nogil
    void nc_cc_seal(const uint8_t *key, const uint8_t *nonce, const uint8_t *aad, size_t alen,
                    const uint8_t *pt, size_t length, uint8_t *out, int simd) nogil
    int nc_cc_open(const uint8_t *key, const uint8_t *nonce, const uint8_t *aad, size_t alen,
                   const uint8_t *ct, size_t length, const uint8_t *tag, uint8_t *out, int simd) nogil


HARDWARE_AVAILABLE = "avx2" in cpu_features
WIDE_AVAILABLE = HARDWARE_AVAILABLE and "avx512f" in cpu_features
cdef int _have_simd = 2 if WIDE_AVAILABLE else (1 if HARDWARE_AVAILABLE else 0)


cdef inline int _simd(bint portable, bint wide):
    if portable:
        return 0
    return _have_simd if wide else min(_have_simd, 1)
include "_buffers.pxi"


cdef inline void _check_nonce(Py_ssize_t n) except *:
    if n != 12:
        raise ValueError(f"ChaCha20-Poly1305 nonce must be 12 bytes long, not {n}")


def chacha20_xor(const uint8_t[::1] key, unsigned long long counter, const uint8_t[::1] nonce,
                 const uint8_t[::1] data, bint portable=False, bint wide=True):
    """XOR ``data`` with the ChaCha20 keystream (32-byte key, 12-byte nonce)."""
    cdef uint32_t st[16]
    cdef Py_ssize_t n = data.shape[0]
    if key.shape[0] != 32 or nonce.shape[0] != 12:
        raise ValueError("ChaCha20 needs a 32-byte key and a 12-byte nonce")
    if counter + (n + 63) // 64 > (1 << 32):
        raise ValueError("ChaCha20 block counter would wrap (message too long)")
    out = PyBytes_FromStringAndSize(NULL, n)
    cc_init(st, &key[0], &nonce[0])
    if n:
        nc_chacha20_xor(st, <uint32_t>counter, &data[0], <uint8_t *>PyBytes_AS_STRING(out), n,
                        _simd(portable, wide))
    memset(st, 0, sizeof(st))
    return out


def hchacha20(const uint8_t[::1] key, const uint8_t[::1] nonce16):
    """HChaCha20: a 32-byte subkey from a key and 16 nonce bytes."""
    cdef uint8_t out[32]
    if key.shape[0] != 32 or nonce16.shape[0] != 16:
        raise ValueError("HChaCha20 needs a 32-byte key and a 16-byte nonce")
    nc_hchacha20(&key[0], &nonce16[0], out)
    r = PyBytes_FromStringAndSize(<char *>out, 32)
    memset(out, 0, 32)
    return r


def poly1305_mac(const uint8_t[::1] key, const uint8_t[::1] msg, bint portable=False, bint wide=True):
    """The Poly1305 one-time authenticator (RFC 8439 2.5)."""
    cdef uint8_t tag[16]
    if key.shape[0] != 32:
        raise ValueError("Poly1305 needs a 32-byte one-time key")
    nc_poly1305_mac(&key[0], _ptr(msg), msg.shape[0], tag, _simd(portable, wide))
    return PyBytes_FromStringAndSize(<char *>tag, 16)


cdef class ChaCha20Poly1305:
    """The RFC 8439 AEAD under one 32-byte key; 12-byte nonces, 16-byte tags."""

    cdef uint8_t key[32]
    cdef int simd

    def __cinit__(self, const uint8_t[::1] key, bint portable=False, bint wide=True):
        if key.shape[0] != 32:
            raise ValueError(f"ChaCha20-Poly1305 key must be 32 bytes long, not {key.shape[0]}")
        memcpy(self.key, &key[0], 32)
        self.simd = _simd(portable, wide)

    def __dealloc__(self):
        memset(self.key, 0, 32)

    @property
    def hardware(self):
        """True when ChaCha20 and Poly1305 run on a SIMD path."""
        return bool(self.simd)

    @property
    def hw_level(self):
        """2: AVX-512 ChaCha20 (16 blocks), 1: AVX2 (8 blocks), 0: portable C."""
        return self.simd

    cdef void _seal(self, const uint8_t[::1] nonce, const uint8_t[::1] plaintext,
                    const uint8_t[::1] aad, uint8_t *out) except *:
        cdef const uint8_t *ap = _ptr(aad)
        cdef const uint8_t *pp = _ptr(plaintext)
        cdef size_t al = aad.shape[0], n = plaintext.shape[0]
        if nonce.shape[0] != 12:
            raise ValueError(f"ChaCha20-Poly1305 nonce must be 12 bytes long, not {nonce.shape[0]}")
        if n > 64 * ((1 << 32) - 1):
            raise ValueError("ChaCha20-Poly1305 plaintext too long")
        np = &nonce[0]
        with nogil:
            nc_cc_seal(self.key, np, ap, al, pp, n, out, self.simd)

    cdef void _open(self, const uint8_t[::1] nonce, const uint8_t[::1] data,
                    const uint8_t[::1] aad, uint8_t *out) except *:
        cdef const uint8_t *ap = _ptr(aad)
        cdef const uint8_t *dp = _ptr(data)
        cdef size_t al = aad.shape[0], n = data.shape[0] - 16
        cdef int rc
        if nonce.shape[0] != 12:
            raise ValueError(f"ChaCha20-Poly1305 nonce must be 12 bytes long, not {nonce.shape[0]}")
        np = &nonce[0]
        with nogil:
            rc = nc_cc_open(self.key, np, ap, al, dp, n, dp + n, out, self.simd)
        if rc:
            raise AuthenticationError("ChaCha20-Poly1305 tag mismatch")

    def seal(self, const uint8_t[::1] nonce, const uint8_t[::1] plaintext, const uint8_t[::1] aad=b""):
        out = PyBytes_FromStringAndSize(NULL, plaintext.shape[0] + 16)
        self._seal(nonce, plaintext, aad, <uint8_t *>PyBytes_AS_STRING(out))
        return out

    def open(self, const uint8_t[::1] nonce, const uint8_t[::1] ciphertext_and_tag, const uint8_t[::1] aad=b""):
        cdef Py_ssize_t n = ciphertext_and_tag.shape[0] - 16
        _check_nonce(nonce.shape[0])
        if n < 0:
            raise AuthenticationError("ChaCha20-Poly1305 input shorter than its tag")
        out = PyBytes_FromStringAndSize(NULL, n)
        self._open(nonce, ciphertext_and_tag, aad, <uint8_t *>PyBytes_AS_STRING(out))
        return out

    def seal_framed(self, bytes nonce, bytes prefix, plaintext, bytes suffix=b""):
        """``prefix || seal(nonce, plaintext || suffix, aad=prefix)`` as one new bytes object:
        the plaintext is copied once into place and encrypted there."""
        cdef Py_ssize_t pl = PyBytes_GET_SIZE(prefix), n
        _check_nonce(PyBytes_GET_SIZE(nonce))
        out = _framed_output(prefix, plaintext, suffix, 64 * ((1 << 32) - 1),
                             "ChaCha20-Poly1305 plaintext too long", &n)
        cdef uint8_t *o = <uint8_t *>PyBytes_AS_STRING(out)
        cdef const uint8_t *np = <const uint8_t *>PyBytes_AS_STRING(nonce)
        with nogil:
            nc_cc_seal(self.key, np, o, pl, o + pl, n, o + pl, self.simd)
        return out

    def seal_into(self, const uint8_t[::1] nonce, const uint8_t[::1] plaintext, const uint8_t[::1] aad, out):
        cdef Py_ssize_t n = plaintext.shape[0] + 16
        cdef uint8_t[::1] o = _writable(out, n)
        self._seal(nonce, plaintext, aad, &o[0])
        return n

    def open_into(self, const uint8_t[::1] nonce, const uint8_t[::1] ciphertext_and_tag, const uint8_t[::1] aad, out):
        cdef Py_ssize_t n = ciphertext_and_tag.shape[0] - 16
        cdef uint8_t[::1] o
        _check_nonce(nonce.shape[0])
        if n < 0:
            raise AuthenticationError("ChaCha20-Poly1305 input shorter than its tag")
        o = _writable(out, n)
        self._open(nonce, ciphertext_and_tag, aad, &o[0] if n else NULL)
        return n
