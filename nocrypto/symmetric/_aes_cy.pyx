# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""AES kernel: the block function, CBC, CBC-MAC and CTR, twin of ``aes.py``.

Two constant-time paths live in ``_aes_impl.h``: AES-NI (chosen when the CPU has it)
and a portable bitsliced implementation (no table lookups on secrets).
``AES(key, portable=True)`` forces the portable path and ``wide=False`` the 128-bit AES-NI
one (instead of VAES on AVX-512 registers); ``.hw_level`` says which is used (0, 1, 2).
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize
from libc.stdint cimport uint8_t
from libc.string cimport memcpy, memset

from nocrypto._backend import cpu_features


cdef extern from "_aes_impl.h":
    ctypedef struct nc_aes_key:
        int rounds
        int hw
    int nc_aes_setup(nc_aes_key *k, const uint8_t *key, size_t keylen, int want_hw, int have_hw) nogil
    void nc_aes_ecb_encrypt(const nc_aes_key *k, const uint8_t *inp, uint8_t *out, size_t nblocks) nogil
    void nc_aes_ecb_decrypt(const nc_aes_key *k, const uint8_t *inp, uint8_t *out, size_t nblocks) nogil
    void nc_aes_cbc_encrypt(const nc_aes_key *k, uint8_t *iv, const uint8_t *inp, uint8_t *out, size_t nblocks) nogil
    void nc_aes_cbc_decrypt(const nc_aes_key *k, const uint8_t *iv, const uint8_t *inp, uint8_t *out, size_t nblocks) nogil
    void nc_aes_ctr32(const nc_aes_key *k, const uint8_t *cb, const uint8_t *inp, uint8_t *out, size_t length) nogil


HARDWARE_AVAILABLE = {"aesni", "sse4_1", "ssse3"} <= cpu_features
# 2: also VAES (+ VPCLMULQDQ) on 512-bit registers; 1: AES-NI only; 0: portable only.
WIDE_AVAILABLE = HARDWARE_AVAILABLE and {"vaes", "vpclmulqdq", "avx512f", "avx512bw"} <= cpu_features
cdef int _have_hw = 2 if WIDE_AVAILABLE else (1 if HARDWARE_AVAILABLE else 0)


cdef inline void _check16(Py_ssize_t n, str what) except *:
    if n != 16:
        raise ValueError(f"AES {what} must be 16 bytes long, not {n}")


cdef inline void _check_blocks(Py_ssize_t n) except *:
    if n % 16:
        raise ValueError(f"data length {n} is not a multiple of the 16-byte AES block")


cdef class AES:
    """An expanded AES key (16, 24 or 32 bytes)."""

    cdef nc_aes_key k

    def __cinit__(self, const uint8_t[::1] key, bint portable=False, bint wide=True):
        if nc_aes_setup(&self.k, &key[0] if key.shape[0] else NULL, key.shape[0], not portable, _have_hw if wide else min(_have_hw, 1)):
            raise ValueError(f"AES key must be 16, 24 or 32 bytes long, not {key.shape[0]}")

    def __dealloc__(self):
        memset(&self.k, 0, sizeof(nc_aes_key))

    @property
    def hw_level(self):
        """2: VAES/VPCLMULQDQ on 512-bit registers, 1: AES-NI (+PCLMULQDQ), 0: portable."""
        return self.k.hw

    @property
    def hardware(self):
        """True when this key runs on AES-NI, False on the portable bitsliced path."""
        return bool(self.k.hw)

    @property
    def rounds(self):
        return self.k.rounds

    def encrypt_block(self, const uint8_t[::1] block):
        _check16(block.shape[0], "block")
        out = PyBytes_FromStringAndSize(NULL, 16)
        nc_aes_ecb_encrypt(&self.k, &block[0], <uint8_t *>PyBytes_AS_STRING(out), 1)
        return out

    def decrypt_block(self, const uint8_t[::1] block):
        _check16(block.shape[0], "block")
        out = PyBytes_FromStringAndSize(NULL, 16)
        nc_aes_ecb_decrypt(&self.k, &block[0], <uint8_t *>PyBytes_AS_STRING(out), 1)
        return out

    def ecb_encrypt(self, const uint8_t[::1] data):
        """Encrypt whole blocks independently (a building block, not a mode to use)."""
        cdef Py_ssize_t n = data.shape[0]
        _check_blocks(n)
        out = PyBytes_FromStringAndSize(NULL, n)
        if n:
            nc_aes_ecb_encrypt(&self.k, &data[0], <uint8_t *>PyBytes_AS_STRING(out), n // 16)
        return out

    def cbc_encrypt(self, const uint8_t[::1] iv, const uint8_t[::1] data):
        cdef Py_ssize_t n = data.shape[0]
        cdef uint8_t v[16]
        cdef uint8_t *o
        _check16(iv.shape[0], "IV")
        _check_blocks(n)
        out = PyBytes_FromStringAndSize(NULL, n)
        if n:
            memcpy(v, &iv[0], 16)
            o = <uint8_t *>PyBytes_AS_STRING(out)
            with nogil:
                nc_aes_cbc_encrypt(&self.k, v, &data[0], o, n // 16)
        return out

    def cbc_decrypt(self, const uint8_t[::1] iv, const uint8_t[::1] data):
        cdef Py_ssize_t n = data.shape[0]
        cdef uint8_t *o
        _check16(iv.shape[0], "IV")
        _check_blocks(n)
        out = PyBytes_FromStringAndSize(NULL, n)
        if n:
            o = <uint8_t *>PyBytes_AS_STRING(out)
            with nogil:
                nc_aes_cbc_decrypt(&self.k, &iv[0], &data[0], o, n // 16)
        return out

    def cbc_mac(self, const uint8_t[::1] data):
        """The last block of CBC encryption under a zero IV (the raw CBC-MAC of CCM)."""
        cdef Py_ssize_t n = data.shape[0]
        cdef uint8_t v[16]
        _check_blocks(n)
        memset(v, 0, 16)
        if n:
            with nogil:
                nc_aes_cbc_encrypt(&self.k, v, &data[0], NULL, n // 16)
        return PyBytes_FromStringAndSize(<char *>v, 16)

    def ctr32(self, const uint8_t[::1] counter_block, const uint8_t[::1] data):
        """XOR ``data`` with the keystream E(cb), E(inc32(cb)), ... (SP 800-38D inc32)."""
        cdef Py_ssize_t n = data.shape[0]
        cdef uint8_t *o
        _check16(counter_block.shape[0], "counter block")
        out = PyBytes_FromStringAndSize(NULL, n)
        if n:
            o = <uint8_t *>PyBytes_AS_STRING(out)
            with nogil:
                nc_aes_ctr32(&self.k, &counter_block[0], &data[0], o, n)
        return out
