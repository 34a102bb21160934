"""ML-KEM (FIPS 203): ML-KEM-512, ML-KEM-768 and ML-KEM-1024.

``ek, dk = ML_KEM_768.keygen()``; ``shared, ct = ML_KEM_768.encaps(ek)``;
``shared = ML_KEM_768.decaps(dk, ct)``.  ``encaps`` raises InvalidKeyError for an
encapsulation key of the wrong length or failing the modulus check (section 7.2);
``decaps`` raises InvalidKeyError for a ciphertext or decapsulation key of the wrong
length or a decapsulation key whose embedded hash does not match (section 7.3), and
otherwise never fails: a ciphertext that does not re-encrypt yields the implicit
rejection key J(z || c).

This module is the Fujisaki-Okamoto layer and the hashing (H, G, J, PRF, XOF); the
lattice arithmetic is ``nocrypto.mlkem_pke`` (readable reference) or its constant-time
Cython kernel ``nocrypto._mlkem_pke_cy``.  When the kernel is loaded, keygen, encaps and
decaps each make one kernel call for the lattice work and its hashing (PRF, G, J and the
matrix XOF run in C on the SHA-3 kernel's Keccak-f[1600]); the input checks stay here.  Side-channel limits of the pure-Python path
are listed in ``nocrypto.mlkem_pke``.
"""

from __future__ import annotations

import functools

from nocrypto import hashes
from nocrypto import mlkem_pke as _reference
from nocrypto._backend import kernel
from nocrypto._errors import InvalidKeyError
from nocrypto.edwards._util import as_bytes, entropy

_impl = kernel("nocrypto._mlkem_pke_cy") or _reference

__all__ = ["ML_KEM_512", "ML_KEM_768", "ML_KEM_1024", "MLKEM"]


def _h(data: bytes) -> bytes:
    return bytes(hashes.sha3_256(data).digest())


@functools.lru_cache(maxsize=32)
def _h_ek(ek: bytes) -> bytes:
    """H(ek), cached: an encapsulation key is public and a key exchange hashes it up to
    three times (keygen, encaps, the decapsulation-key check)."""
    return _h(ek)


def _g(data: bytes) -> tuple[bytes, bytes]:
    out = bytes(hashes.sha3_512(data).digest())
    return out[:32], out[32:]


def _j(data: bytes) -> bytes:
    return bytes(hashes.shake256(data).digest(32))


def _prf(eta: int, seed: bytes, n: int) -> bytes:
    return bytes(hashes.shake256(seed + bytes([n])).digest(64 * eta))


@functools.lru_cache(maxsize=32)
def _matrix(rho: bytes, k: int) -> bytes:
    """Â in the NTT domain, entry (i, j) from SampleNTT(rho || j || i) (public data: cached)."""
    if getattr(_impl, "expand_matrix", None) is not None:
        return _impl.expand_matrix(rho, k)
    out = []
    for i in range(k):
        for j in range(k):
            xof = hashes.shake128(rho + bytes([j, i]))
            length = 504  # three SHAKE128 blocks: enough for 256 coefficients almost always
            while (poly := _impl.sample_ntt(bytes(xof.copy().digest(length)))) is None:
                length *= 2
            out.append(poly)
    return b"".join(out)


class MLKEM:
    """One ML-KEM parameter set (FIPS 203 section 8)."""

    def __init__(self, name: str, k: int, eta1: int, eta2: int, du: int, dv: int) -> None:
        self.name = name
        self.k, self.eta1, self.eta2, self.du, self.dv = k, eta1, eta2, du, dv
        self.ek_length = 384 * k + 32
        self.dk_length = 768 * k + 96
        self.ct_length = 32 * (du * k + dv)
        self.shared_length = 32

    def __repr__(self) -> str:
        return f"<{self.name}>"

    def keygen(self, d: bytes | None = None, z: bytes | None = None) -> tuple[bytes, bytes]:
        """(encapsulation key, decapsulation key); d and z are drawn fresh when omitted."""
        d = entropy(32) if d is None else as_bytes("d", d, 32)
        z = entropy(32) if z is None else as_bytes("z", z, 32)
        k = self.k
        rho, sigma = _g(d + bytes([k]))
        if getattr(_impl, "kem_keygen", None) is not None:
            t_hat, s_hat = _impl.kem_keygen(k, self.eta1, _matrix(rho, k), sigma)
        else:
            noise = [_prf(self.eta1, sigma, n) for n in range(2 * k)]
            t_hat, s_hat = _impl.keygen(k, _matrix(rho, k), noise)
        ek = t_hat + rho
        return ek, s_hat + ek + _h_ek(ek) + z

    def keygen_from_seed(self, seed: bytes) -> tuple[bytes, bytes]:
        """Keys from the 64-byte seed d || z (the FIPS 203 "seed" private-key format)."""
        s = as_bytes("seed", seed, 64)
        return self.keygen(s[:32], s[32:])

    def _encrypt(self, ek: bytes, m: bytes, r: bytes) -> bytes:
        k = self.k
        noise = [_prf(self.eta1, r, n) for n in range(k)]
        noise += [_prf(self.eta2, r, n) for n in range(k, 2 * k + 1)]
        a_hat = _matrix(ek[384 * k :], k)
        return _impl.encrypt(k, self.du, self.dv, ek[: 384 * k], a_hat, noise, m)

    def encaps(self, ek: bytes, m: bytes | None = None) -> tuple[bytes, bytes]:
        """(shared secret, ciphertext) for the encapsulation key ``ek``."""
        key = as_bytes("ek", ek)
        if len(key) != self.ek_length:
            raise InvalidKeyError(f"{self.name} encapsulation key must be {self.ek_length} bytes")
        if not _impl.is_reduced(key[: 384 * self.k]):
            raise InvalidKeyError(f"{self.name} encapsulation key fails the modulus check")
        msg = entropy(32) if m is None else as_bytes("m", m, 32)
        k = self.k
        if getattr(_impl, "kem_encaps", None) is not None:
            a_hat = _matrix(key[384 * k :], k)
            return _impl.kem_encaps(
                k, self.du, self.dv, self.eta1, self.eta2, key, a_hat, _h_ek(key), msg
            )
        shared, r = _g(msg + _h_ek(key))
        return shared, self._encrypt(key, msg, r)

    def decaps(self, dk: bytes, ct: bytes) -> bytes:
        """The shared secret in ``ct`` (or the implicit-rejection key if ``ct`` was altered)."""
        key = as_bytes("dk", dk)
        c = as_bytes("ciphertext", ct)
        k = self.k
        if len(c) != self.ct_length:
            raise InvalidKeyError(f"{self.name} ciphertext must be {self.ct_length} bytes")
        if len(key) != self.dk_length:
            raise InvalidKeyError(f"{self.name} decapsulation key must be {self.dk_length} bytes")
        s_hat, ek = key[: 384 * k], key[384 * k : 768 * k + 32]
        h, z = key[768 * k + 32 : 768 * k + 64], key[768 * k + 64 :]
        if _h_ek(ek) != h:
            raise InvalidKeyError(f"{self.name} decapsulation key is inconsistent (hash check)")
        if getattr(_impl, "kem_decaps", None) is not None:
            a_hat = _matrix(ek[384 * k :], k)
            return _impl.kem_decaps(k, self.du, self.dv, self.eta1, self.eta2, key, a_hat, c)
        m2 = _impl.decrypt(k, self.du, self.dv, s_hat, c)
        shared, r2 = _g(m2 + h)
        rejected = _j(z + c)
        c2 = self._encrypt(ek, m2, r2)
        return _impl.select_on_equal(c, c2, shared, rejected)


ML_KEM_512 = MLKEM("ML-KEM-512", k=2, eta1=3, eta2=2, du=10, dv=4)
ML_KEM_768 = MLKEM("ML-KEM-768", k=3, eta1=2, eta2=2, du=10, dv=4)
ML_KEM_1024 = MLKEM("ML-KEM-1024", k=4, eta1=2, eta2=2, du=11, dv=5)
