# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""SHA3-256, SHA3-512, SHAKE128 and SHAKE256 kernels over Keccak-f[1600] in C (``keccak.h``).

Same classes and behaviour as the pure-Python ``nocrypto.hashes.sha3``.
"""

from libc.stdint cimport uint8_t, uint64_t
from libc.string cimport memcpy, memset

include "_input.pxi"

cdef extern from "keccak.h" nogil:
    void keccak_f1600(uint64_t *s)
    void keccak_absorb_blocks(uint64_t *s, const uint8_t *p, size_t n, size_t rate)

implementation = "portable"


def available():
    return ["portable"]


cdef class Keccak(_BlockHash):
    """The sponge: absorb with ``update``, squeeze with ``digest`` (the object is not consumed)."""

    cdef uint64_t lanes[25]
    cdef uint8_t suffix

    def __init__(self, data=b""):
        memset(self.lanes, 0, sizeof(self.lanes))
        self.suffix = self._suffix
        self._begin(self.block_size, data)

    cdef void _compress(self, const uint8_t *p, size_t nblocks) noexcept nogil:
        keccak_absorb_blocks(self.lanes, p, nblocks, self.bsize)

    cdef void _copy_state(self, _BlockHash other) noexcept:
        cdef Keccak o = <Keccak>other
        memcpy(o.lanes, self.lanes, sizeof(self.lanes))
        o.suffix = self.suffix

    cdef bytes _squeeze(self, size_t length):
        cdef uint64_t st[25]
        cdef uint8_t block[168]
        cdef size_t rate = self.bsize
        cdef size_t done = 0, take, i
        cdef bytearray out = bytearray(length)
        cdef uint8_t *dst = out
        self._enter()
        memcpy(st, self.lanes, sizeof(st))
        # pad10*1 with the domain bits: suffix byte, zeros, a final 0x80 (may share a byte).
        memcpy(block, self.buf, self.buflen)
        block[self.buflen] = self.suffix
        memset(block + self.buflen + 1, 0, rate - self.buflen - 1)
        self._leave()
        block[rate - 1] |= 0x80
        keccak_absorb_blocks(st, block, 1, rate)
        while True:
            take = rate if length - done > rate else length - done
            for i in range(take):
                dst[done + i] = <uint8_t>(st[i // 8] >> (8 * (i % 8)))
            done += take
            if done >= length:
                return bytes(out)
            keccak_f1600(st)


cdef class _FixedSHA3(Keccak):
    _suffix = 0x06  # SHA-3 domain bits 01, then the pad's first 1

    def digest(self):
        return self._squeeze(self.digest_size)

    def hexdigest(self):
        return self.digest().hex()


cdef class _Shake(Keccak):
    _suffix = 0x1F  # SHAKE domain bits 1111, then the pad's first 1
    digest_size = 0

    def digest(self, length):
        if not isinstance(length, int) or isinstance(length, bool):
            raise TypeError(f"length must be an int, not {type(length).__name__}")
        if length < 0:
            raise ValueError("length must be non-negative")
        return self._squeeze(length)

    def hexdigest(self, length):
        return self.digest(length).hex()


cdef class SHA3_256(_FixedSHA3):
    name = "sha3_256"
    digest_size = 32
    block_size = 136


cdef class SHA3_512(_FixedSHA3):
    name = "sha3_512"
    digest_size = 64
    block_size = 72


cdef class SHAKE128(_Shake):
    name = "shake128"
    block_size = 168


cdef class SHAKE256(_Shake):
    name = "shake256"
    block_size = 136
