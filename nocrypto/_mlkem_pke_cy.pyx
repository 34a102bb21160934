# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""K-PKE (FIPS 203) kernel: the same functions as ``nocrypto.mlkem_pke``, in C (``mlkem_poly.h``).

Secret-dependent work (noise sampling, NTTs, decryption, the implicit-rejection select)
is branch-free with no secret-dependent table index; matrix sampling and the modulus
check handle public data.
"""

from libc.stdint cimport uint8_t

cdef extern from "mlkem_poly.h":
    ctypedef struct mlkem_poly:
        pass
    void mlkem_setup()
    int mlkem_sample_ntt(mlkem_poly *a, const uint8_t *s, size_t length) nogil
    void mlkem_encode(uint8_t *out, const mlkem_poly *f, unsigned d) nogil
    void mlkem_decode(mlkem_poly *f, const uint8_t *data, unsigned d) nogil
    void mlkem_compress(mlkem_poly *f, unsigned d) nogil
    void mlkem_keygen(unsigned k, const uint8_t *a_hat, const uint8_t *const *noise,
                      unsigned eta1, uint8_t *t_out, uint8_t *s_out) nogil
    void mlkem_encrypt(unsigned k, unsigned du, unsigned dv, const uint8_t *t_hat,
                       const uint8_t *a_hat, const uint8_t *const *noise, unsigned eta1,
                       unsigned eta2, const uint8_t *m, uint8_t *c) nogil
    void mlkem_decrypt(unsigned k, unsigned du, unsigned dv, const uint8_t *s_hat,
                       const uint8_t *c, uint8_t *m) nogil
    int mlkem_is_reduced(const uint8_t *data, size_t n) nogil
    void mlkem_select_on_equal(uint8_t *out, const uint8_t *a, const uint8_t *b, size_t n,
                               const uint8_t *x, const uint8_t *y, size_t m) nogil

mlkem_setup()


cdef int _check_k(int k) except -1:
    if k < 2 or k > 4:
        raise ValueError("k must be 2, 3 or 4")
    return 0


def sample_ntt(const uint8_t[::1] stream):
    """Algorithm 7: the ByteEncode12 of the sampled polynomial, or None if ``stream`` ran out."""
    cdef mlkem_poly a
    cdef uint8_t out[384]
    if stream.shape[0] == 0:
        return None
    if mlkem_sample_ntt(&a, &stream[0], stream.shape[0]) != 0:
        return None
    mlkem_encode(out, &a, 12)
    return out[:384]


def keygen(int k, const uint8_t[::1] a_hat, noise):
    """(t_hat, s_hat) encodings from the matrix and the 2k PRF outputs."""
    _check_k(k)
    if a_hat.shape[0] != 384 * k * k or len(noise) != 2 * k:
        raise ValueError("bad matrix or noise length")
    cdef const uint8_t *ptrs[8]
    cdef const uint8_t[::1] view
    cdef unsigned eta = len(noise[0]) // 64
    keep = [bytes(b) for b in noise]
    for i in range(2 * k):
        if len(keep[i]) != 64 * eta or eta not in (2, 3):
            raise ValueError("bad noise length")
        view = keep[i]
        ptrs[i] = &view[0]
    t = bytearray(384 * k)
    s = bytearray(384 * k)
    cdef uint8_t[::1] tv = t, sv = s
    mlkem_keygen(k, &a_hat[0], ptrs, eta, &tv[0], &sv[0])
    return bytes(t), bytes(s)


def encrypt(int k, int du, int dv, const uint8_t[::1] t_hat, const uint8_t[::1] a_hat, noise,
            const uint8_t[::1] m):
    """K-PKE.Encrypt from the sampled noise: the ciphertext."""
    _check_k(k)
    if (t_hat.shape[0] != 384 * k or a_hat.shape[0] != 384 * k * k or m.shape[0] != 32
            or len(noise) != 2 * k + 1 or du not in (10, 11) or dv not in (4, 5)):
        raise ValueError("bad K-PKE.Encrypt arguments")
    cdef const uint8_t *ptrs[9]
    cdef const uint8_t[::1] view
    keep = [bytes(b) for b in noise]
    cdef unsigned eta1 = len(keep[0]) // 64, eta2 = len(keep[k]) // 64
    for i in range(2 * k + 1):
        want = eta1 if i < k else eta2
        if len(keep[i]) != 64 * want or want not in (2, 3):
            raise ValueError("bad noise length")
        view = keep[i]
        ptrs[i] = &view[0]
    c = bytearray(32 * (du * k + dv))
    cdef uint8_t[::1] cv = c
    mlkem_encrypt(k, du, dv, &t_hat[0], &a_hat[0], ptrs, eta1, eta2, &m[0], &cv[0])
    return bytes(c)


def decrypt(int k, int du, int dv, const uint8_t[::1] s_hat, const uint8_t[::1] c):
    """K-PKE.Decrypt: the 32-byte message."""
    _check_k(k)
    if s_hat.shape[0] != 384 * k or c.shape[0] != 32 * (du * k + dv) or du not in (10, 11) \
            or dv not in (4, 5):
        raise ValueError("bad K-PKE.Decrypt arguments")
    cdef uint8_t m[32]
    with nogil:
        mlkem_decrypt(k, du, dv, &s_hat[0], &c[0], m)
    return m[:32]


def compress(int d, const uint8_t[::1] encoded):
    """ByteEncode_d(Compress_d(f)) of one ByteEncode12 polynomial with coefficients below q;
    the kernel's compress on its own, for tests (it runs on secrets inside ``encrypt`` and
    ``decrypt``)."""
    cdef mlkem_poly f
    cdef uint8_t out[384]
    if d < 1 or d > 11 or encoded.shape[0] != 384:
        raise ValueError("need 1 <= d <= 11 and one 384-byte polynomial")
    mlkem_decode(&f, &encoded[0], 12)
    mlkem_compress(&f, d)
    mlkem_encode(out, &f, d)
    return out[:32 * d]


def is_reduced(const uint8_t[::1] encoded):
    """The modulus check: every 12-bit coefficient below q."""
    if encoded.shape[0] % 384:
        raise ValueError("not a sequence of 384-byte polynomial encodings")
    if encoded.shape[0] == 0:
        return True
    return mlkem_is_reduced(&encoded[0], encoded.shape[0] // 384) == 1


def select_on_equal(const uint8_t[::1] a, const uint8_t[::1] b, const uint8_t[::1] x,
                    const uint8_t[::1] y):
    """x when a == b else y, in constant time (lengths are public)."""
    if x.shape[0] != y.shape[0] or x.shape[0] == 0:
        raise ValueError("x and y must be non-empty and of one length")
    if a.shape[0] != b.shape[0] or a.shape[0] == 0:
        return bytes(y)
    out = bytearray(x.shape[0])
    cdef uint8_t[::1] ov = out
    mlkem_select_on_equal(&ov[0], &a[0], &b[0], a.shape[0], &x[0], &y[0], x.shape[0])
    return bytes(out)
