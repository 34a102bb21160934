# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""SHA-1 kernel: SHA-NI when the CPU has it, else portable C (``sha1.h``).

Same class and behaviour as the pure-Python ``nocrypto.hashes.sha1_ref``.
"""

from libc.stdint cimport uint8_t, uint32_t
from libc.string cimport memcpy

from nocrypto._backend import cpu_features

include "_input.pxi"
include "_md.pxi"

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


cdef class SHA1(_MDHash):
    """SHA-1 (FIPS 180-4) with a hashlib-like interface.  Broken for collisions."""

    cdef uint32_t state[5]

    name = "sha1"
    digest_size = 20
    block_size = 64

    def __init__(self, data=b""):
        memcpy(self.state, _IV, sizeof(self.state))
        self.out_len = 20
        self._begin(64, data)

    cdef void _compress(self, const uint8_t *p, size_t nblocks) noexcept nogil:
        _blocks(self.state, p, nblocks)

    cdef void _copy_state(self, _BlockHash other) noexcept:
        cdef SHA1 o = <SHA1>other
        memcpy(o.state, self.state, sizeof(self.state))
        o.out_len = self.out_len

    cdef void _finish(self, const uint8_t *block, size_t nblocks, uint8_t *out) noexcept:
        cdef uint32_t st[5]
        memcpy(st, self.state, sizeof(st))
        _blocks(st, block, nblocks)
        _store_be32(out, st, 5)
