# Shared by the hash kernels: borrowing the bytes of an argument, and the buffering of
# partial blocks behind ``update`` and ``copy``.
from cpython.buffer cimport PyBUF_SIMPLE, PyBuffer_Release, PyObject_GetBuffer
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE
from cpython.pythread cimport (
    NOWAIT_LOCK,
    WAIT_LOCK,
    PyThread_acquire_lock,
    PyThread_allocate_lock,
    PyThread_free_lock,
    PyThread_release_lock,
    PyThread_type_lock,
)
from libc.stdint cimport uint8_t, uint64_t
from libc.string cimport memcpy


# Inputs at least this long are hashed without the GIL (hashlib's threshold is 2 KiB).
cdef enum:
    GIL_RELEASE = 2048


cdef inline object _check_bytes_like(object data):
    """``data`` itself when it can be read as one contiguous buffer, else a copy / TypeError."""
    if isinstance(data, bytes) or isinstance(data, bytearray):
        return data
    if isinstance(data, memoryview):
        return data if data.c_contiguous else data.tobytes()
    raise TypeError(
        f"data must be bytes, bytearray or memoryview, not {type(data).__name__}"
    )


cdef class _BlockHash:
    """A hash fed block by block: whole blocks go straight to ``_compress``, a tail waits in
    ``buf``.  Subclasses hold the chaining state and say how to run blocks over it
    (``_compress``) and how to copy it (``_copy_state``); ``bsize`` is the block size (the
    rate, for a sponge)."""

    cdef uint8_t buf[168]  # the largest block: SHAKE128's rate
    cdef size_t buflen
    cdef size_t bsize
    cdef uint64_t total
    # Made by the first update of GIL_RELEASE bytes or more, which runs without the GIL;
    # from then on every method that touches the state holds it (as hashlib does).
    cdef PyThread_type_lock lock

    def __dealloc__(self):
        if self.lock != NULL:
            PyThread_free_lock(self.lock)

    cdef inline void _enter(self) noexcept:
        if self.lock != NULL and not PyThread_acquire_lock(self.lock, NOWAIT_LOCK):
            with nogil:
                PyThread_acquire_lock(self.lock, WAIT_LOCK)

    cdef inline void _leave(self) noexcept:
        if self.lock != NULL:
            PyThread_release_lock(self.lock)

    cdef void _compress(self, const uint8_t *p, size_t nblocks) noexcept nogil:
        pass

    cdef void _copy_state(self, _BlockHash other) noexcept:
        pass

    cdef _begin(self, size_t bsize, data):
        self.bsize = bsize
        self.buflen = 0
        self.total = 0
        if data is not None:
            self.update(data)

    cdef void _absorb(self, const uint8_t *p, size_t n) noexcept nogil:
        cdef size_t take, nblocks
        cdef size_t bsize = self.bsize
        self.total += n
        if self.buflen:
            take = bsize - self.buflen
            if take > n:
                take = n
            memcpy(self.buf + self.buflen, p, take)
            self.buflen += take
            p += take
            n -= take
            if self.buflen < bsize:
                return
            self._compress(self.buf, 1)
            self.buflen = 0
        nblocks = n // bsize
        if nblocks:
            self._compress(p, nblocks)
            p += bsize * nblocks
            n -= bsize * nblocks
        if n:
            memcpy(self.buf, p, n)
            self.buflen = n

    cdef int _absorb_locked(self, const uint8_t *p, size_t n) except -1:
        """``_absorb`` under the object's lock; a large input runs without the GIL."""
        if n >= GIL_RELEASE:
            if self.lock == NULL:
                self.lock = PyThread_allocate_lock()
                if self.lock == NULL:
                    raise MemoryError("no lock for a hash object")
            with nogil:
                PyThread_acquire_lock(self.lock, WAIT_LOCK)
                self._absorb(p, n)
                PyThread_release_lock(self.lock)
        else:
            self._enter()
            self._absorb(p, n)
            self._leave()
        return 0

    def update(self, data):
        cdef Py_buffer view
        data = _check_bytes_like(data)
        if isinstance(data, bytes):
            self._absorb_locked(<const uint8_t *>PyBytes_AS_STRING(data), <size_t>PyBytes_GET_SIZE(data))
            return
        # The exported buffer keeps a bytearray from being resized while we read it.
        PyObject_GetBuffer(data, &view, PyBUF_SIMPLE)
        try:
            self._absorb_locked(<const uint8_t *>view.buf, <size_t>view.len)
        finally:
            PyBuffer_Release(&view)

    def copy(self):
        cdef _BlockHash other = type(self).__new__(type(self))
        self._enter()
        memcpy(other.buf, self.buf, self.buflen)
        other.buflen = self.buflen
        other.bsize = self.bsize
        other.total = self.total
        self._copy_state(other)
        self._leave()
        return other
