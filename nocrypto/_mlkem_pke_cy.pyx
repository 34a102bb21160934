# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""K-PKE (FIPS 203) kernel: the same functions as ``nocrypto.mlkem_pke``, in C (``mlkem_poly.h``),
plus whole ML-KEM operations (``kem_keygen``, ``kem_encaps``, ``kem_decaps``, ``expand_matrix``)
that ``nocrypto.mlkem`` calls once per operation when this kernel is loaded.

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
    void mlkem_hash(size_t rate, uint8_t suffix, const uint8_t *a, size_t alen,
                    const uint8_t *b, size_t blen, uint8_t *out, size_t outlen) nogil
    void mlkem_expand_matrix(uint8_t *a_hat, const uint8_t *rho, unsigned k) nogil
    void mlkem_kem_keygen(unsigned k, unsigned eta1, const uint8_t *a_hat, const uint8_t *sigma,
                          uint8_t *t_out, uint8_t *s_out) nogil
    void mlkem_kem_encaps(unsigned k, unsigned du, unsigned dv, unsigned eta1, unsigned eta2,
                          const uint8_t *ek, const uint8_t *a_hat, const uint8_t *h_ek,
                          const uint8_t *m, uint8_t *shared, uint8_t *c) nogil
    void mlkem_kem_decaps(unsigned k, unsigned du, unsigned dv, unsigned eta1, unsigned eta2,
                          const uint8_t *dk, const uint8_t *a_hat, const uint8_t *c,
                          uint8_t *shared) nogil
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


# ---- Whole ML-KEM operations in one call each (hashing on the hash kernel's Keccak-f[1600],
# compiled into this module from ``hashes/keccak.h``).  ``nocrypto.mlkem`` uses them when
# the kernel is loaded; the argument checks (lengths, modulus check, H(ek) in dk) stay there.

cdef int _check_params(int k, int du, int dv, int eta1, int eta2) except -1:
    _check_k(k)
    if du not in (10, 11) or dv not in (4, 5) or eta1 not in (2, 3) or eta2 not in (2, 3):
        raise ValueError("bad ML-KEM parameters")
    return 0


def expand_matrix(const uint8_t[::1] rho, int k):
    """Â (ByteEncode12 of the k*k entries, row-major) from the 32-byte seed rho."""
    _check_k(k)
    if rho.shape[0] != 32:
        raise ValueError("rho must be 32 bytes")
    out = bytearray(384 * k * k)
    cdef uint8_t[::1] ov = out
    with nogil:
        mlkem_expand_matrix(&ov[0], &rho[0], k)
    return bytes(out)


def h(const uint8_t[::1] data):
    """H = SHA3-256."""
    cdef uint8_t out[32]
    with nogil:
        mlkem_hash(136, 0x06, &data[0] if data.shape[0] else NULL, data.shape[0], NULL, 0,
                   out, 32)
    return out[:32]


def g(const uint8_t[::1] data):
    """G = SHA3-512, split into its two 32-byte halves."""
    cdef uint8_t out[64]
    with nogil:
        mlkem_hash(72, 0x06, &data[0] if data.shape[0] else NULL, data.shape[0], NULL, 0,
                   out, 64)
    return out[:32], out[32:64]


def kem_keygen(int k, int eta1, const uint8_t[::1] a_hat, const uint8_t[::1] sigma):
    """(t_hat, s_hat) encodings from the matrix and sigma (the PRF runs here)."""
    _check_k(k)
    if a_hat.shape[0] != 384 * k * k or sigma.shape[0] != 32 or eta1 not in (2, 3):
        raise ValueError("bad keygen arguments")
    t = bytearray(384 * k)
    s = bytearray(384 * k)
    cdef uint8_t[::1] tv = t, sv = s
    with nogil:
        mlkem_kem_keygen(k, eta1, &a_hat[0], &sigma[0], &tv[0], &sv[0])
    return bytes(t), bytes(s)


def kem_encaps(int k, int du, int dv, int eta1, int eta2, const uint8_t[::1] ek,
               const uint8_t[::1] a_hat, const uint8_t[::1] h_ek, const uint8_t[::1] m):
    """ML-KEM.Encaps_internal: (shared key, ciphertext)."""
    _check_params(k, du, dv, eta1, eta2)
    if (ek.shape[0] < 384 * k or a_hat.shape[0] != 384 * k * k or h_ek.shape[0] != 32
            or m.shape[0] != 32):
        raise ValueError("bad encaps arguments")
    cdef uint8_t shared[32]
    c = bytearray(32 * (du * k + dv))
    cdef uint8_t[::1] cv = c
    with nogil:
        mlkem_kem_encaps(k, du, dv, eta1, eta2, &ek[0], &a_hat[0], &h_ek[0], &m[0], shared,
                         &cv[0])
    return shared[:32], bytes(c)


def kem_decaps(int k, int du, int dv, int eta1, int eta2, const uint8_t[::1] dk,
               const uint8_t[::1] a_hat, const uint8_t[::1] c):
    """ML-KEM.Decaps_internal: the shared key, or J(z || c) when c does not re-encrypt."""
    _check_params(k, du, dv, eta1, eta2)
    if (dk.shape[0] != 768 * k + 96 or a_hat.shape[0] != 384 * k * k
            or c.shape[0] != 32 * (du * k + dv)):
        raise ValueError("bad decaps arguments")
    cdef uint8_t shared[32]
    with nogil:
        mlkem_kem_decaps(k, du, dv, eta1, eta2, &dk[0], &a_hat[0], &c[0], shared)
    return shared[:32]
