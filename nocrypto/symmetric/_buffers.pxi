# Included by the AEAD kernels: reading arguments, checking output buffers, and the
# output object of ``seal_framed``.
from cpython.buffer cimport PyBUF_SIMPLE, PyBuffer_Release, PyObject_GetBuffer
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from libc.stdint cimport uint8_t
from libc.string cimport memcpy

cdef const uint8_t *_EMPTY = <const uint8_t *>b""


cdef inline const uint8_t *_ptr(const uint8_t[::1] b):
    return &b[0] if b.shape[0] else _EMPTY


cdef uint8_t[::1] _writable(out, Py_ssize_t need):
    cdef uint8_t[::1] o
    if memoryview(out).readonly:
        raise TypeError("output buffer must be writable (a bytearray or writable memoryview)")
    o = out
    if o.shape[0] < need:
        raise ValueError(f"output buffer holds {o.shape[0]} bytes but {need} are needed")
    return o


cdef object _framed_output(bytes prefix, plaintext, bytes suffix, Py_ssize_t limit,
                           str too_long, Py_ssize_t *n):
    """A new bytes object of prefix || plaintext || suffix || 16 bytes for the tag, to be
    encrypted in place; ``n[0]`` gets the length of plaintext || suffix."""
    cdef Py_buffer pt
    cdef Py_ssize_t pl = PyBytes_GET_SIZE(prefix), sl = PyBytes_GET_SIZE(suffix)
    cdef uint8_t *o
    PyObject_GetBuffer(plaintext, &pt, PyBUF_SIMPLE)
    try:
        n[0] = pt.len + sl
        if n[0] > limit:
            raise ValueError(too_long)
        out = PyBytes_FromStringAndSize(NULL, pl + n[0] + 16)
        o = <uint8_t *>PyBytes_AS_STRING(out)
        memcpy(o, PyBytes_AS_STRING(prefix), pl)
        memcpy(o + pl, pt.buf, pt.len)
        memcpy(o + pl + pt.len, PyBytes_AS_STRING(suffix), sl)
    finally:
        PyBuffer_Release(&pt)
    return out
