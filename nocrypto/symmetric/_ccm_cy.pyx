# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""AES-CCM kernel, twin of ``ccm.py`` (which runs over any AES object).

``CCM(key, tag_length)`` uses the AES paths of ``_aes_impl.h``: VAES or AES-NI when the
CPU has them, else the constant-time bitsliced AES (``portable=True`` forces it,
``wide=False`` stays on 128-bit AES-NI).  The tag is checked before any plaintext is
written: decryption feeds the MAC from a wiped stack buffer and decrypts into the
output only once the tag matches.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize
from libc.stdint cimport uint8_t
from libc.string cimport memset

from nocrypto._backend import cpu_features
from nocrypto._errors import AuthenticationError


cdef extern from "_ccm_impl.h":
    ctypedef struct nc_aes_key:
        int rounds
        int hw
    int nc_aes_setup(nc_aes_key *k, const uint8_t *key, size_t keylen, int want_hw, int have_hw) nogil
    void nc_ccm_seal(const nc_aes_key *k, const uint8_t *nonce, size_t nlen, size_t tlen,
                     const uint8_t *aad, size_t alen, const uint8_t *pt, size_t length, uint8_t *out) nogil
    int nc_ccm_open(const nc_aes_key *k, const uint8_t *nonce, size_t nlen, size_t tlen,
                    const uint8_t *aad, size_t alen, const uint8_t *ct, size_t length,
                    const uint8_t *tag, uint8_t *out) nogil


HARDWARE_AVAILABLE = {"aesni", "sse4_1", "ssse3"} <= cpu_features
WIDE_AVAILABLE = HARDWARE_AVAILABLE and {"vaes", "avx512f", "avx512bw"} <= cpu_features
cdef int _have_hw = 2 if WIDE_AVAILABLE else (1 if HARDWARE_AVAILABLE else 0)
include "_buffers.pxi"
cdef Py_ssize_t _MAX_INC32 = (1 << 36) - 32  # the 32-bit block counter must not wrap


cdef inline void _check(Py_ssize_t nlen, Py_ssize_t length) except *:
    if not 7 <= nlen <= 13:
        raise ValueError(f"CCM nonce must be 7 to 13 bytes long, not {nlen}")
    cdef Py_ssize_t q = 15 - nlen
    if (q < 8 and length >= (<Py_ssize_t>1) << (8 * q)) or length > _MAX_INC32:
        raise ValueError(f"CCM message too long for a {nlen}-byte nonce")


cdef class CCM:
    """An AES-CCM key with a fixed tag length (4, 6, 8, 10, 12, 14 or 16 bytes)."""

    cdef nc_aes_key k
    cdef readonly int tag_length

    def __cinit__(self, const uint8_t[::1] key, int tag_length=16, bint portable=False, bint wide=True):
        if tag_length not in (4, 6, 8, 10, 12, 14, 16):
            raise ValueError(f"CCM tag length must be 4, 6, ..., 16 bytes, not {tag_length}")
        if nc_aes_setup(&self.k, _ptr(key), key.shape[0], not portable,
                        _have_hw if wide else min(_have_hw, 1)):
            raise ValueError(f"AES key must be 16, 24 or 32 bytes long, not {key.shape[0]}")
        self.tag_length = tag_length

    def __dealloc__(self):
        memset(&self.k, 0, sizeof(nc_aes_key))

    @property
    def hardware(self):
        return bool(self.k.hw)

    @property
    def hw_level(self):
        """2: VAES on 512-bit registers, 1: AES-NI, 0: portable bitsliced."""
        return self.k.hw

    cdef void _seal(self, const uint8_t[::1] nonce, const uint8_t[::1] plaintext,
                    const uint8_t[::1] aad, uint8_t *out) except *:
        cdef const uint8_t *np = _ptr(nonce)
        cdef const uint8_t *ap = _ptr(aad)
        cdef const uint8_t *pp = _ptr(plaintext)
        cdef size_t nl = nonce.shape[0], al = aad.shape[0], n = plaintext.shape[0]
        cdef size_t tl = self.tag_length
        _check(nl, n)
        with nogil:
            nc_ccm_seal(&self.k, np, nl, tl, ap, al, pp, n, out)

    cdef void _open(self, const uint8_t[::1] nonce, const uint8_t[::1] data,
                    const uint8_t[::1] aad, uint8_t *out) except *:
        cdef const uint8_t *np = _ptr(nonce)
        cdef const uint8_t *ap = _ptr(aad)
        cdef const uint8_t *dp = _ptr(data)
        cdef size_t tl = self.tag_length
        cdef size_t nl = nonce.shape[0], al = aad.shape[0], n = data.shape[0] - tl
        cdef int rc
        _check(nl, n)
        with nogil:
            rc = nc_ccm_open(&self.k, np, nl, tl, ap, al, dp, n, dp + n, out)
        if rc:
            raise AuthenticationError("CCM tag mismatch")

    def seal(self, const uint8_t[::1] nonce, const uint8_t[::1] plaintext, const uint8_t[::1] aad=b""):
        out = PyBytes_FromStringAndSize(NULL, plaintext.shape[0] + self.tag_length)
        self._seal(nonce, plaintext, aad, <uint8_t *>PyBytes_AS_STRING(out))
        return out

    def open(self, const uint8_t[::1] nonce, const uint8_t[::1] ciphertext_and_tag, const uint8_t[::1] aad=b""):
        cdef Py_ssize_t n = ciphertext_and_tag.shape[0] - self.tag_length
        if n < 0:
            raise AuthenticationError("CCM input shorter than its tag")
        out = PyBytes_FromStringAndSize(NULL, n)
        self._open(nonce, ciphertext_and_tag, aad, <uint8_t *>PyBytes_AS_STRING(out))
        return out

    def seal_into(self, const uint8_t[::1] nonce, const uint8_t[::1] plaintext, const uint8_t[::1] aad, out):
        cdef Py_ssize_t n = plaintext.shape[0] + self.tag_length
        cdef uint8_t[::1] o = _writable(out, n)
        self._seal(nonce, plaintext, aad, &o[0])
        return n

    def open_into(self, const uint8_t[::1] nonce, const uint8_t[::1] ciphertext_and_tag, const uint8_t[::1] aad, out):
        cdef Py_ssize_t n = ciphertext_and_tag.shape[0] - self.tag_length
        cdef uint8_t[::1] o
        if n < 0:
            raise AuthenticationError("CCM input shorter than its tag")
        o = _writable(out, n)
        self._open(nonce, ciphertext_and_tag, aad, &o[0] if n else NULL)
        return n
