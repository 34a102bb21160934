# Included by the GCM and ChaCha20-Poly1305 kernels (after their cimports of the buffer
# and bytes C API and memcpy): the output object of ``seal_framed``.

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
