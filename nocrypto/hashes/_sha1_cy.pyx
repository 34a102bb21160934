# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""SHA-1 kernel: SHA-NI when the CPU has it, else portable C (``sha1.h``).

Same class and behaviour as the pure-Python ``nocrypto.hashes.sha1_ref``.
"""

from libc.stdint cimport uint8_t, uint32_t, uint64_t
from libc.string cimport memcpy, memset

from nocrypto._backend import cpu_features

include "_input.pxi"

cdef extern from "sha1.h" nogil:
    void sha1_blocks_portable(uint32_t *st, const uint8_t *p, size_t n)
    void sha1_blocks_shani(uint32_t *st, const uint8_t *p, size_t n)
    int NOCRYPTO_HAVE_SHA1_SHANI

ctypedef void (*blocks_fn)(uint32_t *st, const uint8_t *p, size_t n) noexcept nogil

cdef blocks_fn _blocks = sha1_blocks_portable
implementation = "portable"


def available():
    """The code paths this CPU and build can run, fastest first."""
    if NOCRYPTO_HAVE_SHA1_SHANI and {"sha_ni", "sse4_1", "ssse3"} <= cpu_features:
        return ["sha_ni", "portable"]
    return ["portable"]


def _use(str name):
    """Select the code path: "sha_ni" or "portable" (tests run each one)."""
    global _blocks, implementation
    if name not in available():
        raise ValueError(f"implementation {name!r} is not available here")
    _blocks = sha1_blocks_shani if name == "sha_ni" else sha1_blocks_portable
    implementation = name


_use(available()[0])

cdef uint32_t[5] _IV = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]


cdef class SHA1:
    """SHA-1 (FIPS 180-4) with a hashlib-like interface.  Broken for collisions."""

    cdef uint32_t state[5]
    cdef uint8_t buf[64]
    cdef size_t buflen
    cdef uint64_t total

    name = "sha1"
    digest_size = 20
    block_size = 64

    def __init__(self, data=b""):
        memcpy(self.state, _IV, sizeof(self.state))
        self.buflen = 0
        self.total = 0
        if data is not None:
            self.update(data)

    cdef void _absorb(self, const uint8_t *p, size_t n) noexcept:
        cdef size_t take, nblocks
        self.total += n
        if self.buflen:
            take = 64 - self.buflen
            if take > n:
                take = n
            memcpy(self.buf + self.buflen, p, take)
            self.buflen += take
            p += take
            n -= take
            if self.buflen < 64:
                return
            _blocks(self.state, self.buf, 1)
            self.buflen = 0
        nblocks = n // 64
        if nblocks:
            _blocks(self.state, p, nblocks)
            p += 64 * nblocks
            n -= 64 * nblocks
        if n:
            memcpy(self.buf, p, n)
            self.buflen = n

    def update(self, data):
        cdef Py_buffer view
        data = _check_bytes_like(data)
        if isinstance(data, bytes):
            self._absorb(<const uint8_t *>PyBytes_AS_STRING(data), <size_t>PyBytes_GET_SIZE(data))
            return
        PyObject_GetBuffer(data, &view, PyBUF_SIMPLE)
        try:
            self._absorb(<const uint8_t *>view.buf, <size_t>view.len)
        finally:
            PyBuffer_Release(&view)

    def copy(self):
        cdef SHA1 other = type(self).__new__(type(self))
        memcpy(other.state, self.state, sizeof(self.state))
        memcpy(other.buf, self.buf, self.buflen)
        other.buflen = self.buflen
        other.total = self.total
        return other

    def digest(self):
        cdef uint32_t st[5]
        cdef uint8_t block[128]
        cdef uint8_t out[20]
        cdef size_t padded = 64 if self.buflen < 56 else 128
        cdef uint64_t bits = self.total * 8
        cdef int i
        memcpy(st, self.state, sizeof(st))
        memcpy(block, self.buf, self.buflen)
        block[self.buflen] = 0x80
        memset(block + self.buflen + 1, 0, padded - self.buflen - 1)
        for i in range(8):
            block[padded - 1 - i] = <uint8_t>(bits >> (8 * i))
        _blocks(st, block, padded // 64)
        for i in range(5):
            out[4 * i] = <uint8_t>(st[i] >> 24)
            out[4 * i + 1] = <uint8_t>(st[i] >> 16)
            out[4 * i + 2] = <uint8_t>(st[i] >> 8)
            out[4 * i + 3] = <uint8_t>st[i]
        return (<char *>out)[:20]

    def hexdigest(self):
        return self.digest().hex()
