# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""SHA-224/256/384/512 kernels: the state stays in C, so ``update`` on small chunks is cheap.

SHA-256 uses the SHA extensions (SHA-NI) when the CPU has them; otherwise, like
SHA-512, it runs scalar rounds with the message schedule on SSSE3 / AVX-512VL registers
(``sha256.h``, ``sha512.h`` and their ``*_simd.h``), or baseline C.  The choice is made once
at import from the CPU's features; ``available()`` and ``_use()`` expose it for tests.  Same classes and
behaviour as the pure-Python ``nocrypto.hashes.sha2``.
"""

from libc.stdint cimport uint8_t, uint32_t, uint64_t
from libc.string cimport memcpy

from nocrypto._backend import cpu_features

include "_input.pxi"
include "_md.pxi"

cdef extern from "sha256.h" nogil:
    void sha256_blocks_portable(uint32_t *st, const uint8_t *p, size_t n)
    void sha256_blocks_shani(uint32_t *st, const uint8_t *p, size_t n)
    int NOCRYPTO_HAVE_SHA256_SHANI

cdef extern from "sha512.h" nogil:
    void sha512_blocks_portable(uint64_t *st, const uint8_t *p, size_t n)
    void sha512_blocks_ssse3(uint64_t *st, const uint8_t *p, size_t n)
    void sha512_blocks_avx512(uint64_t *st, const uint8_t *p, size_t n)
    int sha512_cpu_has_avx512vl()
    int NOCRYPTO_HAVE_SHA512_SIMD

cdef extern from "sha256.h" nogil:
    void sha256_blocks_ssse3(uint32_t *st, const uint8_t *p, size_t n)
    void sha256_blocks_avx512(uint32_t *st, const uint8_t *p, size_t n)
    int NOCRYPTO_HAVE_SHA256_SIMD

ctypedef void (*blocks256_fn)(uint32_t *st, const uint8_t *p, size_t n) noexcept nogil
ctypedef void (*blocks512_fn)(uint64_t *st, const uint8_t *p, size_t n) noexcept nogil

cdef blocks256_fn _blocks256 = sha256_blocks_portable
cdef blocks512_fn _blocks512 = sha512_blocks_portable
implementation = "portable"


def available():
    """The code paths this CPU and build can run, fastest first.

    "sha_ni": SHA-256 on the SHA extensions, SHA-512 on the best path below;
    "avx512": message schedules on AVX-512VL, scalar rounds with BMI2;
    "ssse3": message schedules on SSSE3, scalar rounds with BMI2;
    "portable": both in baseline C.
    """
    out = []
    if NOCRYPTO_HAVE_SHA256_SHANI and {"sha_ni", "sse4_1", "ssse3"} <= cpu_features:
        out.append("sha_ni")
    if NOCRYPTO_HAVE_SHA512_SIMD and NOCRYPTO_HAVE_SHA256_SIMD and "bmi2" in cpu_features:
        if sha512_cpu_has_avx512vl():
            out.append("avx512")
        if "ssse3" in cpu_features:
            out.append("ssse3")
    out.append("portable")
    return out


def _use(str name):
    """Select the code path (tests run each one, see ``available``)."""
    global _blocks256, _blocks512, implementation
    paths = available()
    if name not in paths:
        raise ValueError(f"implementation {name!r} is not available here")
    if name == "sha_ni":
        _blocks256 = sha256_blocks_shani
        name512 = paths[1]
    else:
        if name == "avx512":
            _blocks256 = sha256_blocks_avx512
        elif name == "ssse3":
            _blocks256 = sha256_blocks_ssse3
        else:
            _blocks256 = sha256_blocks_portable
        name512 = name
    if name512 == "avx512":
        _blocks512 = sha512_blocks_avx512
    elif name512 == "ssse3":
        _blocks512 = sha512_blocks_ssse3
    else:
        _blocks512 = sha512_blocks_portable
    implementation = name


_use(available()[0])

cdef uint32_t[8] _IV256 = [
    0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19,
]
cdef uint32_t[8] _IV224 = [
    0xC1059ED8, 0x367CD507, 0x3070DD17, 0xF70E5939, 0xFFC00B31, 0x68581511, 0x64F98FA7, 0xBEFA4FA4,
]
cdef uint64_t[8] _IV512 = [
    0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B, 0xA54FF53A5F1D36F1,
    0x510E527FADE682D1, 0x9B05688C2B3E6C1F, 0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179,
]
cdef uint64_t[8] _IV384 = [
    0xCBBB9D5DC1059ED8, 0x629A292A367CD507, 0x9159015A3070DD17, 0x152FECD8F70E5939,
    0x67332667FFC00B31, 0x8EB44A8768581511, 0xDB0C2E0D64F98FA7, 0x47B5481DBEFA4FA4,
]


cdef class SHA256(_MDHash):
    """SHA-256 (FIPS 180-4) with a hashlib-like interface."""

    cdef uint32_t state[8]

    name = "sha256"
    digest_size = 32
    block_size = 64

    def __init__(self, data=b""):
        memcpy(self.state, _IV256, sizeof(self.state))
        self.out_len = 32
        self._begin(64, data)

    cdef void _compress(self, const uint8_t *p, size_t nblocks) noexcept nogil:
        _blocks256(self.state, p, nblocks)

    cdef void _copy_state(self, _BlockHash other) noexcept:
        cdef SHA256 o = <SHA256>other
        memcpy(o.state, self.state, sizeof(self.state))
        o.out_len = self.out_len

    cdef void _finish(self, const uint8_t *block, size_t nblocks, uint8_t *out) noexcept:
        cdef uint32_t st[8]
        memcpy(st, self.state, sizeof(st))
        _blocks256(st, block, nblocks)
        _store_be32(out, st, 8)


cdef class SHA224(SHA256):
    """SHA-224: SHA-256 with its own IV, cut to 28 bytes."""

    name = "sha224"
    digest_size = 28

    def __init__(self, data=b""):
        memcpy(self.state, _IV224, sizeof(self.state))
        self.out_len = 28
        self._begin(64, data)


cdef class SHA512(_MDHash):
    """SHA-512 (FIPS 180-4) with a hashlib-like interface."""

    cdef uint64_t state[8]

    name = "sha512"
    digest_size = 64
    block_size = 128

    def __init__(self, data=b""):
        memcpy(self.state, _IV512, sizeof(self.state))
        self.out_len = 64
        self._begin(128, data)

    cdef void _compress(self, const uint8_t *p, size_t nblocks) noexcept nogil:
        _blocks512(self.state, p, nblocks)

    cdef void _copy_state(self, _BlockHash other) noexcept:
        cdef SHA512 o = <SHA512>other
        memcpy(o.state, self.state, sizeof(self.state))
        o.out_len = self.out_len

    cdef void _finish(self, const uint8_t *block, size_t nblocks, uint8_t *out) noexcept:
        cdef uint64_t st[8]
        memcpy(st, self.state, sizeof(st))
        _blocks512(st, block, nblocks)
        _store_be64(out, st, 8)


cdef class SHA384(SHA512):
    """SHA-384: SHA-512 with its own IV, cut to 48 bytes."""

    name = "sha384"
    digest_size = 48

    def __init__(self, data=b""):
        memcpy(self.state, _IV384, sizeof(self.state))
        self.out_len = 48
        self._begin(128, data)


def hmac_digest(cls, key, *parts):
    """HMAC (RFC 2104) under ``key`` of the concatenation of ``parts`` with the hash class
    ``cls`` (one of this module's), in one call: the same bytes as ``nocrypto.kdf.Hmac``,
    without the Python objects in between (the TLS key schedule runs dozens of these).
    The key's length decides only whether it is hashed first, as in the Python code."""
    cdef _MDHash inner = cls()
    cdef _MDHash outer = cls()
    cdef uint8_t pad[128]
    cdef uint8_t digest[64]
    cdef Py_buffer view
    cdef size_t bs = inner.bsize, i, klen
    cdef const uint8_t *kp
    if not isinstance(key, bytes):
        key = bytes(_check_bytes_like(key))
    klen = <size_t>PyBytes_GET_SIZE(key)
    if klen > bs:
        key = cls(key).digest()
        klen = <size_t>PyBytes_GET_SIZE(key)
    kp = <const uint8_t *>PyBytes_AS_STRING(key)
    for i in range(bs):
        pad[i] = (kp[i] if i < klen else 0) ^ 0x36
    inner._absorb(pad, bs)
    for part in parts:
        if isinstance(part, bytes):
            inner._absorb(<const uint8_t *>PyBytes_AS_STRING(part), <size_t>PyBytes_GET_SIZE(part))
        else:
            part = _check_bytes_like(part)
            PyObject_GetBuffer(part, &view, PyBUF_SIMPLE)
            try:
                inner._absorb(<const uint8_t *>view.buf, <size_t>view.len)
            finally:
                PyBuffer_Release(&view)
    inner._digest_into(digest)
    for i in range(bs):
        pad[i] ^= 0x36 ^ 0x5C
    outer._absorb(pad, bs)
    outer._absorb(digest, <size_t>inner.out_len)
    outer._digest_into(digest)
    return (<char *>digest)[:outer.out_len]
