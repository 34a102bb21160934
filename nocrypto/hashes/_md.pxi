# Shared by the SHA-1 and SHA-2 kernels (after ``_input.pxi``): the Merkle-Damgard finish.
from libc.stdint cimport uint8_t, uint32_t, uint64_t
from libc.string cimport memcpy, memset


cdef inline size_t _md_pad(uint8_t *block, const uint8_t *buf, size_t buflen, uint64_t total,
                           size_t bsize) noexcept:
    """FIPS 180-4 section 5.1: the tail, 0x80, zeros, then the message length in bits as a
    big-endian field of bsize/8 bytes, over one or two blocks.  Returns their length."""
    cdef size_t lenfield = bsize // 8
    cdef size_t padded = bsize if buflen < bsize - lenfield else 2 * bsize
    cdef uint64_t bits_lo = total << 3
    cdef uint64_t bits_hi = total >> 61
    cdef int i
    memcpy(block, buf, buflen)
    block[buflen] = 0x80
    memset(block + buflen + 1, 0, padded - buflen - 1)
    for i in range(8):
        block[padded - 1 - i] = <uint8_t>(bits_lo >> (8 * i))
    if lenfield > 8:
        for i in range(8):
            block[padded - 9 - i] = <uint8_t>(bits_hi >> (8 * i))
    return padded


cdef inline void _store_be32(uint8_t *out, const uint32_t *words, int n) noexcept:
    cdef int i
    for i in range(n):
        out[4 * i] = <uint8_t>(words[i] >> 24)
        out[4 * i + 1] = <uint8_t>(words[i] >> 16)
        out[4 * i + 2] = <uint8_t>(words[i] >> 8)
        out[4 * i + 3] = <uint8_t>words[i]


cdef inline void _store_be64(uint8_t *out, const uint64_t *words, int n) noexcept:
    cdef int i
    for i in range(8 * n):
        out[i] = <uint8_t>(words[i // 8] >> (56 - 8 * (i % 8)))


cdef class _MDHash(_BlockHash):
    """A Merkle-Damgard hash: ``_finish`` runs the padding blocks over a copy of the state
    and writes the digest out, cut to ``out_len`` bytes."""

    cdef int out_len

    cdef void _finish(self, const uint8_t *block, size_t nblocks, uint8_t *out) noexcept:
        pass

    cdef void _digest_into(self, uint8_t *out) noexcept:
        """The digest (out_len bytes) into ``out``; the caller holds the lock if one exists."""
        cdef uint8_t block[256]
        cdef size_t padded = _md_pad(block, self.buf, self.buflen, self.total, self.bsize)
        self._finish(block, padded // self.bsize, out)

    def digest(self):
        cdef uint8_t out[64]
        self._enter()
        self._digest_into(out)
        self._leave()
        return (<char *>out)[:self.out_len]

    def hexdigest(self):
        return self.digest().hex()
