# Shared by the hash kernels: borrow a C pointer to the bytes of a bytes-like argument.
from cpython.buffer cimport PyBUF_SIMPLE, PyBuffer_Release, PyObject_GetBuffer
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE


cdef inline object _check_bytes_like(object data):
    """``data`` itself when it can be read as one contiguous buffer, else a copy / TypeError."""
    if isinstance(data, bytes) or isinstance(data, bytearray):
        return data
    if isinstance(data, memoryview):
        return data if data.c_contiguous else data.tobytes()
    raise TypeError(
        f"data must be bytes, bytearray or memoryview, not {type(data).__name__}"
    )
