# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Kernel of ``nocrypto.ct``: the comparison loop in C, OR-accumulating XORs.

The accumulator is ``volatile`` so the compiler cannot turn the loop into an early-exit
``memcmp``; the only branch is on the (public) lengths.
"""

from cpython.buffer cimport PyBUF_SIMPLE, PyBuffer_Release, PyObject_GetBuffer


cdef object _contiguous(object value, str what):
    if isinstance(value, bytes) or isinstance(value, bytearray):
        return value
    if isinstance(value, memoryview):
        return value if value.c_contiguous else value.tobytes()
    raise TypeError(f"{what} must be bytes, bytearray or memoryview, not {type(value).__name__}")


def constant_time_equal(a, b):
    """``a == b`` for secrets: no early exit on the first differing byte."""
    cdef Py_buffer va, vb
    cdef const unsigned char *pa
    cdef const unsigned char *pb
    cdef Py_ssize_t i, n
    cdef volatile unsigned char acc = 0
    a = _contiguous(a, "a")
    b = _contiguous(b, "b")
    PyObject_GetBuffer(a, &va, PyBUF_SIMPLE)
    try:
        PyObject_GetBuffer(b, &vb, PyBUF_SIMPLE)
        try:
            if va.len != vb.len:
                return False
            n = va.len
            pa = <const unsigned char *>va.buf
            pb = <const unsigned char *>vb.buf
            for i in range(n):
                acc |= pa[i] ^ pb[i]
            return acc == 0
        finally:
            PyBuffer_Release(&vb)
    finally:
        PyBuffer_Release(&va)
