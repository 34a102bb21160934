# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""AES-GCM kernel, twin of ``gcm.py``.

``GCM(key)`` runs on AES-NI + PCLMULQDQ when the CPU has them and otherwise on the
portable constant-time path (bitsliced AES, carry-less multiply from spaced integer
multiplies); ``GCM(key, portable=True)`` forces the latter.  Where VAES and
VPCLMULQDQ exist, the hardware path uses 512-bit registers (16 blocks per GHASH
reduction); ``wide=False`` keeps it on 128-bit AES-NI.  ``.hw_level`` says which
(0 portable, 1 AES-NI, 2 VAES).
Decryption hashes and checks the tag before it decrypts anything, so no plaintext is
written on failure.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from libc.stdint cimport uint8_t
from libc.string cimport memcpy, memset

from nocrypto._backend import cpu_features
from nocrypto._errors import AuthenticationError


cdef extern from "_gcm_impl.h":
    ctypedef struct nc_gcm_key:
        int hw
    int nc_gcm_setup(nc_gcm_key *g, const uint8_t *key, size_t keylen, int want_hw, int have_hw) nogil
    void nc_gcm_seal(const nc_gcm_key *g, const uint8_t *nonce, size_t nlen, const uint8_t *aad,
                     size_t alen, const uint8_t *pt, size_t length, uint8_t *out) nogil
    int nc_gcm_open(const nc_gcm_key *g, const uint8_t *nonce, size_t nlen, const uint8_t *aad,
                    size_t alen, const uint8_t *ct, size_t length, const uint8_t *tag, uint8_t *out) nogil


HARDWARE_AVAILABLE = {"aesni", "pclmulqdq", "sse4_1", "ssse3"} <= cpu_features
# 2: also VAES (+ VPCLMULQDQ) on 512-bit registers; 1: AES-NI only; 0: portable only.
WIDE_AVAILABLE = HARDWARE_AVAILABLE and {"vaes", "vpclmulqdq", "avx512f", "avx512bw"} <= cpu_features
cdef int _have_hw = 2 if WIDE_AVAILABLE else (1 if HARDWARE_AVAILABLE else 0)
cdef Py_ssize_t _MAX_PLAINTEXT = (1 << 36) - 32
include "_buffers.pxi"


cdef class GCM:
    """An AES-GCM key (16, 24 or 32 bytes) with 16-byte tags."""

    cdef nc_gcm_key g

    def __cinit__(self, const uint8_t[::1] key, bint portable=False, bint wide=True):
        if nc_gcm_setup(&self.g, _ptr(key), key.shape[0], not portable, _have_hw if wide else min(_have_hw, 1)):
            raise ValueError(f"AES key must be 16, 24 or 32 bytes long, not {key.shape[0]}")

    def __dealloc__(self):
        memset(&self.g, 0, sizeof(nc_gcm_key))

    @property
    def hw_level(self):
        """2: VAES/VPCLMULQDQ on 512-bit registers, 1: AES-NI (+PCLMULQDQ), 0: portable."""
        return self.g.hw

    @property
    def hardware(self):
        """True on AES-NI + PCLMULQDQ, False on the portable constant-time path."""
        return bool(self.g.hw)

    cdef void _seal(self, const uint8_t[::1] nonce, const uint8_t[::1] plaintext,
                    const uint8_t[::1] aad, uint8_t *out) except *:
        cdef Py_ssize_t n = plaintext.shape[0]
        cdef const uint8_t *np = _ptr(nonce)
        cdef const uint8_t *ap = _ptr(aad)
        cdef const uint8_t *pp = _ptr(plaintext)
        cdef size_t nl = nonce.shape[0], al = aad.shape[0]
        if nl == 0:
            raise ValueError("GCM nonce must not be empty")
        if n > _MAX_PLAINTEXT:
            raise ValueError("GCM plaintext longer than 2^36 - 32 bytes")
        with nogil:
            nc_gcm_seal(&self.g, np, nl, ap, al, pp, n, out)

    cdef void _open(self, const uint8_t[::1] nonce, const uint8_t[::1] data,
                    const uint8_t[::1] aad, uint8_t *out) except *:
        cdef Py_ssize_t n = data.shape[0] - 16
        cdef int rc
        cdef const uint8_t *np = _ptr(nonce)
        cdef const uint8_t *ap = _ptr(aad)
        cdef const uint8_t *dp = _ptr(data)
        cdef size_t nl = nonce.shape[0], al = aad.shape[0]
        if nl == 0:
            raise ValueError("GCM nonce must not be empty")
        with nogil:
            rc = nc_gcm_open(&self.g, np, nl, ap, al, dp, n, dp + n, out)
        if rc:
            raise AuthenticationError("GCM tag mismatch")

    def seal(self, const uint8_t[::1] nonce, const uint8_t[::1] plaintext, const uint8_t[::1] aad=b""):
        """Encrypt and authenticate: ``ciphertext || 16-byte tag``."""
        out = PyBytes_FromStringAndSize(NULL, plaintext.shape[0] + 16)
        self._seal(nonce, plaintext, aad, <uint8_t *>PyBytes_AS_STRING(out))
        return out

    def open(self, const uint8_t[::1] nonce, const uint8_t[::1] ciphertext_and_tag, const uint8_t[::1] aad=b""):
        """Verify then decrypt; raises ``AuthenticationError`` and releases nothing on failure."""
        cdef Py_ssize_t n = ciphertext_and_tag.shape[0] - 16
        if n < 0:
            raise AuthenticationError("GCM input shorter than its tag")
        out = PyBytes_FromStringAndSize(NULL, n)
        self._open(nonce, ciphertext_and_tag, aad, <uint8_t *>PyBytes_AS_STRING(out))
        return out

    def seal_framed(self, bytes nonce, bytes prefix, plaintext, bytes suffix=b""):
        """``prefix || seal(nonce, plaintext || suffix, aad=prefix)`` as one new bytes object:
        the plaintext is copied once into place and encrypted there."""
        cdef Py_ssize_t nl = PyBytes_GET_SIZE(nonce), pl = PyBytes_GET_SIZE(prefix), n
        if nl == 0:
            raise ValueError("GCM nonce must not be empty")
        out = _framed_output(prefix, plaintext, suffix, _MAX_PLAINTEXT,
                             "GCM plaintext longer than 2^36 - 32 bytes", &n)
        cdef uint8_t *o = <uint8_t *>PyBytes_AS_STRING(out)
        cdef const uint8_t *np = <const uint8_t *>PyBytes_AS_STRING(nonce)
        with nogil:
            nc_gcm_seal(&self.g, np, nl, o, pl, o + pl, n, o + pl)
        return out

    def seal_into(self, const uint8_t[::1] nonce, const uint8_t[::1] plaintext, const uint8_t[::1] aad, out):
        """``seal`` into the writable buffer ``out`` (len(plaintext) + 16 bytes); returns that length."""
        cdef Py_ssize_t n = plaintext.shape[0] + 16
        cdef uint8_t[::1] o = _writable(out, n)
        self._seal(nonce, plaintext, aad, &o[0])
        return n

    def open_into(self, const uint8_t[::1] nonce, const uint8_t[::1] ciphertext_and_tag, const uint8_t[::1] aad, out):
        """``open`` writing the plaintext into ``out``; nothing is written on failure."""
        cdef Py_ssize_t n = ciphertext_and_tag.shape[0] - 16
        cdef uint8_t[::1] o
        if n < 0:
            raise AuthenticationError("GCM input shorter than its tag")
        o = _writable(out, n)
        if n == 0:
            self._open(nonce, ciphertext_and_tag, aad, NULL)
        else:
            self._open(nonce, ciphertext_and_tag, aad, &o[0])
        return n
