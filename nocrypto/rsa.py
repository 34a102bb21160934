"""RSA signatures: RSASSA-PKCS1-v1_5 and RSASSA-PSS (RFC 8017), and key generation.

Deliberately absent: RSA encryption and decryption of any kind.  TLS 1.3 and puretls's
TLS 1.2 never use RSA key transport, so there is no padding oracle to attack
(Bleichenbacher 1998 and its many returns) because there is no decryption at all.

Hash policy: the verify functions check whatever hash they are told, SHA-1 included,
because refusing SHA-1 is a policy for certificates and handshakes that ``x509`` and
``tls`` apply before calling here (they refuse it by default).

Private-key operations:

* Blinding: the input m is replaced by m * r^e for a secret random r and the result is
  multiplied by r^-1, so the exponentiation never sees a value the caller chose
  (Kocher 1996, Brumley-Boneh 2003).  r is drawn afresh every ``BLINDING_REFRESH``
  signatures and squared in between, as OpenSSL does: a fresh factor costs an
  exponentiation and a modular inverse (``Modulus.inverse``, constant-time divsteps in
  the kernel), a fraction of a signature.  A caller that passes ``rng_bytes`` (the TLS
  engine, with its connection DRBG) is asked for exactly ``BLINDING_SEED`` bytes per
  signature whether or not a refresh is due, and a refresh
  expands them with SHAKE256: the system RNG is never read, the caller's randomness is
  consumed the same way every time, and the key's blinding state is a cache that no
  output depends on (the signature is m^d whatever r is).
* Verify-after-sign: every signature is checked with the public key before it is
  released; a fault during the CRT computation would otherwise reveal a prime factor
  (Boneh-DeMillo-Lipton 1997).
* The Cython kernel computes the CRT exponentiations and the recombination in constant
  time (AVX-512 IFMA engine where the CPU has it, portable C otherwise).  The
  pure-Python path (``NOCRYPTO_BACKEND=python`` or no compiler) uses ``pow`` and is NOT
  constant time; see ``nocrypto.bignum`` for its limits.  Blinding remains.

Known side-channel limits on every backend: loading a key derives dmp1, dmq1 and iqmp
with CPython's variable-time ``%`` and ``pow(q, -1, p)`` (once per key, not per
signature); on the pure-Python backend only, a fresh blinding factor's inverse is a
variable-time ``pow(r, -1, n)`` (once per ``BLINDING_REFRESH`` signatures, on a random
value unrelated to the message), while the kernel's ``Modulus.inverse`` is constant time
in r and reveals only whether r is invertible (all but a negligible share of r are); two
threads signing at once with one key may square the same factor and use it twice, which
weakens the masking of those two signatures only; and
``from_private_exponent`` factors n with variable-time ``pow``.

PKCS#1 v1.5 verification rebuilds the expected encoding and compares it whole instead of
parsing the signature's contents, which rules out the lenient-parser forgeries
(Bleichenbacher 2006, "BERserk").
"""

from __future__ import annotations

import math
from collections.abc import Callable

from nocrypto import _backend, hashes, primes
from nocrypto import bignum as _bignum_py
from nocrypto._errors import InvalidKeyError

_bn = _backend.kernel("nocrypto._bignum_cy") or _bignum_py

Bytes = bytes | bytearray | memoryview
RngBytes = Callable[[int], bytes]

MIN_MODULUS_BITS = 1024  # below this an RSA key is not worth a signature
MAX_MODULUS_BITS = 8192  # the kernel's limit
BLINDING_REFRESH = 32  # signatures per fresh blinding factor (see _next_blinding)
BLINDING_SEED = 32  # bytes asked of a caller's rng_bytes per signature, for the blinding

# DER of DigestInfo up to the digest itself (RFC 8017 section 9.2, note 1; the SHA-3
# object identifiers are 2.16.840.1.101.3.4.2.8 and .10 from NIST's registry).
_DIGEST_INFO_PREFIX: dict[str, bytes] = {
    "sha1": bytes.fromhex("3021300906052b0e03021a05000414"),
    "sha224": bytes.fromhex("302d300d06096086480165030402040500041c"),
    "sha256": bytes.fromhex("3031300d060960864801650304020105000420"),
    "sha384": bytes.fromhex("3041300d060960864801650304020205000430"),
    "sha512": bytes.fromhex("3051300d060960864801650304020305000440"),
    "sha3_256": bytes.fromhex("3031300d060960864801650304020805000420"),
    "sha3_512": bytes.fromhex("3051300d060960864801650304020a05000440"),
}


def _hash_name(name: str) -> str:
    if not isinstance(name, str):
        raise TypeError("hash name must be a str")
    key = name.lower().replace("-", "")
    if key not in _DIGEST_INFO_PREFIX:
        raise ValueError(f"unsupported hash {name!r} for RSA signatures")
    return key


def _as_bytes(data: Bytes, what: str) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, bytearray | memoryview):
        return bytes(data)
    raise TypeError(f"{what} must be bytes, bytearray or memoryview, not {type(data).__name__}")


def _digest(name: str, message: Bytes) -> bytes:
    return hashes.new(name, _as_bytes(message, "message")).digest()  # type: ignore[no-any-return]


def mgf1(seed: bytes, length: int, hash_name: str) -> bytes:
    """MGF1 mask generation (RFC 8017 appendix B.2.1)."""
    out = bytearray()
    counter = 0
    while len(out) < length:
        out += hashes.new(hash_name, seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return bytes(out[:length])


def _xor(a: bytes, b: bytes) -> bytes:
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).to_bytes(len(a), "big")


def emsa_pkcs1_v15(digest: bytes, hash_name: str, em_len: int) -> bytes:
    """EMSA-PKCS1-v1_5 encoding of a digest (RFC 8017 section 9.2)."""
    t = _DIGEST_INFO_PREFIX[hash_name] + digest
    if em_len < len(t) + 11:
        raise ValueError("RSA modulus too short for this hash")
    return b"\x00\x01" + b"\xff" * (em_len - len(t) - 3) + b"\x00" + t


def emsa_pss_encode(
    m_hash: bytes, em_bits: int, salt: bytes, hash_name: str, mgf_hash: str
) -> bytes:
    """EMSA-PSS-ENCODE (RFC 8017 section 9.1.1) for a message digest."""
    h_len = len(m_hash)
    em_len = (em_bits + 7) // 8
    if em_len < h_len + len(salt) + 2:
        raise ValueError("RSA modulus too short for this hash and salt length")
    h = hashes.new(hash_name, b"\x00" * 8 + m_hash + salt).digest()
    db = b"\x00" * (em_len - len(salt) - h_len - 2) + b"\x01" + salt
    masked = bytearray(_xor(db, mgf1(h, len(db), mgf_hash)))
    masked[0] &= 0xFF >> (8 * em_len - em_bits)
    return bytes(masked) + h + b"\xbc"


def emsa_pss_verify(
    m_hash: bytes, em: bytes, em_bits: int, hash_name: str, mgf_hash: str, salt_length: int | None
) -> bool:
    """EMSA-PSS-VERIFY (RFC 8017 section 9.1.2); ``salt_length=None`` accepts any."""
    h_len = len(m_hash)
    em_len = (em_bits + 7) // 8
    if len(em) != em_len or em_len < h_len + 2:
        return False
    if salt_length is not None and em_len < h_len + salt_length + 2:
        return False
    if em[-1] != 0xBC:
        return False
    masked_db, h = em[: em_len - h_len - 1], em[em_len - h_len - 1 : -1]
    top_mask = (0xFF << (8 - (8 * em_len - em_bits))) & 0xFF
    if masked_db[0] & top_mask:
        return False
    db = bytearray(_xor(masked_db, mgf1(h, len(masked_db), mgf_hash)))
    db[0] &= 0xFF >> (8 * em_len - em_bits)
    if salt_length is None:
        # The salt starts after the first 0x01 that follows only zero bytes.
        sep = next((i for i, b in enumerate(db) if b), len(db))
        if sep == len(db) or db[sep] != 0x01:
            return False
    else:
        sep = len(db) - salt_length - 1
        if any(db[:sep]) or db[sep] != 0x01:
            return False
    salt = bytes(db[sep + 1 :])
    h2 = hashes.new(hash_name, b"\x00" * 8 + m_hash + salt).digest()
    return bool(h2 == h)


def is_probable_prime(n: int) -> bool:
    """Whether ``n`` is prime (error below 2**-128, even for adversarial ``n``)."""
    return primes.is_probable_prime(n)


def _generate_components(
    key_size: int, e: int, rng_bytes: RngBytes | None
) -> tuple[int, int, int, int, int]:
    """(n, e, d, p, q) per FIPS 186-5 appendix A.1.3 and its section 5.1 criteria."""
    if key_size not in (2048, 3072, 4096):
        raise ValueError("RSA key size must be 2048, 3072 or 4096")
    if not (65537 <= e < 1 << 256 and e % 2 == 1):
        raise ValueError("public exponent must be odd and 2**16 < e < 2**256")
    half = key_size // 2

    def coprime_to_e(x: int) -> bool:
        return math.gcd(x - 1, e) == 1

    while True:
        # Top two bits set: p, q >= 1.5 * 2**(half-1) > sqrt(2) * 2**(half-1), so n has
        # exactly key_size bits.
        p = primes.generate_prime(half, rng_bytes, coprime_to_e)
        q = primes.generate_prime(half, rng_bytes, coprime_to_e)
        if abs(p - q) <= 1 << (half - 100):
            continue
        lam = (p - 1) * (q - 1) // math.gcd(p - 1, q - 1)
        d = pow(e, -1, lam)
        if d <= 1 << half:  # a small d would invite Wiener/Boneh-Durfee attacks
            continue
        return p * q, e, d, p, q


class RSAPublicKey:
    """An RSA public key (n, e) that verifies signatures."""

    __slots__ = ("n", "e", "key_size", "_mod")

    def __init__(self, n: int, e: int) -> None:
        if not isinstance(n, int) or not isinstance(e, int) or isinstance(n | e, bool):
            raise TypeError("n and e must be ints")
        if n <= 0 or n % 2 == 0:
            raise InvalidKeyError("RSA modulus must be positive and odd")
        if not MIN_MODULUS_BITS <= n.bit_length() <= MAX_MODULUS_BITS:
            raise InvalidKeyError(
                f"RSA modulus of {n.bit_length()} bits outside {MIN_MODULUS_BITS}..{MAX_MODULUS_BITS}"
            )
        if e < 3 or e % 2 == 0 or e >= n:
            raise InvalidKeyError("RSA public exponent must be odd and 3 <= e < n")
        if math.gcd(n, primes._SMALL_PRODUCT) != 1:
            raise InvalidKeyError("RSA modulus has a small prime factor")
        self.n = n
        self.e = e
        self.key_size = n.bit_length()
        self._mod = _bn.Modulus(n)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RSAPublicKey) and (self.n, self.e) == (other.n, other.e)

    def __hash__(self) -> int:
        return hash((self.n, self.e))

    def __repr__(self) -> str:
        return f"RSAPublicKey({self.key_size} bits, e={self.e})"

    @property
    def byte_length(self) -> int:
        return (self.key_size + 7) // 8

    def _public_op(self, signature: Bytes) -> bytes | None:
        """RSAVP1 on a signature of exactly k bytes, or None when it is malformed."""
        sig = _as_bytes(signature, "signature")
        if len(sig) != self.byte_length:  # RFC 8017 8.1.2 / 8.2.2 step 1
            return None
        s = int.from_bytes(sig, "big")
        if s >= self.n:
            return None
        m = self._mod.exp_public(s, self.e)
        return m.to_bytes(self.byte_length, "big")  # type: ignore[no-any-return]

    def verify_pkcs1v15(self, signature: Bytes, message: Bytes, hash_name: str) -> bool:
        """RSASSA-PKCS1-v1_5-VERIFY (RFC 8017 section 8.2.2)."""
        return self.verify_pkcs1v15_digest(
            signature, _digest(_hash_name(hash_name), message), hash_name
        )

    def verify_pkcs1v15_digest(self, signature: Bytes, digest: Bytes, hash_name: str) -> bool:
        """As ``verify_pkcs1v15`` for a message already hashed with ``hash_name``."""
        name = _hash_name(hash_name)
        digest = _as_bytes(digest, "digest")
        if len(digest) != hashes.DIGEST_SIZES[name]:
            raise ValueError(f"digest must be {hashes.DIGEST_SIZES[name]} bytes for {name}")
        em = self._public_op(signature)
        if em is None:
            return False
        try:
            expected = emsa_pkcs1_v15(digest, name, self.byte_length)
        except ValueError:
            return False
        return em == expected

    def verify_pss(
        self,
        signature: Bytes,
        message: Bytes,
        hash_name: str,
        salt_length: int | None = None,
        mgf_hash: str | None = None,
    ) -> bool:
        """RSASSA-PSS-VERIFY (RFC 8017 section 8.1.2) with MGF1.

        ``salt_length=None`` accepts any salt length; ``mgf_hash=None`` means MGF1 with
        ``hash_name``."""
        name = _hash_name(hash_name)
        return self.verify_pss_digest(
            signature, _digest(name, message), name, salt_length, mgf_hash
        )

    def verify_pss_digest(
        self,
        signature: Bytes,
        digest: Bytes,
        hash_name: str,
        salt_length: int | None = None,
        mgf_hash: str | None = None,
    ) -> bool:
        """As ``verify_pss`` for a message already hashed with ``hash_name``."""
        name = _hash_name(hash_name)
        mgf = _hash_name(mgf_hash) if mgf_hash is not None else name
        digest = _as_bytes(digest, "digest")
        if len(digest) != hashes.DIGEST_SIZES[name]:
            raise ValueError(f"digest must be {hashes.DIGEST_SIZES[name]} bytes for {name}")
        if salt_length is not None and salt_length < 0:
            raise ValueError("salt_length must be non-negative")
        em_full = self._public_op(signature)
        if em_full is None:
            return False
        em_bits = self.key_size - 1
        em_len = (em_bits + 7) // 8
        # When the modulus is a multiple of 8 bits plus one, EM is one byte shorter
        # than the signature and the leading byte must be zero.
        if len(em_full) > em_len:
            if em_full[0] != 0:
                return False
            em_full = em_full[1:]
        return emsa_pss_verify(digest, em_full, em_bits, name, mgf, salt_length)


def _expander(seed: bytes) -> RngBytes:
    """n -> n bytes of SHAKE256(seed || counter), a fresh block per call."""
    calls = 0

    def take(n: int) -> bytes:
        nonlocal calls
        calls += 1
        return hashes.shake256(seed + calls.to_bytes(4, "big")).digest(n)  # type: ignore[no-any-return]

    return take


class RSAPrivateKey:
    """An RSA private key that signs; CRT parameters are derived and checked."""

    __slots__ = (
        "n",
        "e",
        "d",
        "p",
        "q",
        "dmp1",
        "dmq1",
        "iqmp",
        "_public",
        "_crt",
        "_blinding",
    )

    def __init__(self, n: int, e: int, d: int, p: int, q: int) -> None:
        for v in (n, e, d, p, q):
            if not isinstance(v, int) or isinstance(v, bool):
                raise TypeError("RSA key components must be ints")
        public = RSAPublicKey(n, e)
        if p < 3 or q < 3 or p * q != n or p == q:
            raise InvalidKeyError("RSA primes do not multiply to the modulus")
        if not 1 < d < n:
            raise InvalidKeyError("RSA private exponent out of range")
        # e*d = 1 modulo p-1 and q-1, i.e. modulo lcm(p-1, q-1) (RFC 8017 section 3.2)
        if (e * d) % (p - 1) != 1 or (e * d) % (q - 1) != 1:
            raise InvalidKeyError("RSA private exponent does not match the public exponent")
        self.n, self.e, self.d, self.p, self.q = n, e, d, p, q
        self.dmp1 = d % (p - 1)
        self.dmq1 = d % (q - 1)
        self.iqmp = pow(q, -1, p)
        self._public = public
        self._blinding: tuple[int, int, int] | None = None  # (r^e, r^-1, uses left)
        try:
            self._crt = _bn.CRTKey(p, q, self.dmp1, self.dmq1, self.iqmp)
        except ValueError as exc:
            raise InvalidKeyError(f"RSA key unusable: {exc}") from None

    def __repr__(self) -> str:
        return f"RSAPrivateKey({self.key_size} bits, e={self.e})"

    @property
    def key_size(self) -> int:
        return self._public.key_size

    def public_key(self) -> RSAPublicKey:
        return self._public

    @classmethod
    def generate(
        cls, key_size: int = 2048, public_exponent: int = 65537, rng_bytes: RngBytes | None = None
    ) -> RSAPrivateKey:
        """A new key (FIPS 186-5 appendix A.1.3: random probable primes)."""
        return cls(*_generate_components(key_size, public_exponent, rng_bytes))

    @classmethod
    def from_private_exponent(cls, n: int, e: int, d: int) -> RSAPrivateKey:
        """The key for (n, e, d) alone: p and q are recovered from e*d - 1, a multiple of
        lcm(p-1, q-1), by finding a non-trivial square root of 1 (NIST SP 800-56B
        appendix C).  Variable time in d; for loading keys, not for signing."""
        for v in (n, e, d):
            if not isinstance(v, int) or isinstance(v, bool):
                raise TypeError("RSA key components must be ints")
        RSAPublicKey(n, e)
        k = e * d - 1
        if not 1 < d < n or k % 2:
            raise InvalidKeyError("RSA private exponent does not match the public exponent")
        t = (k & -k).bit_length() - 1
        r = k >> t
        for g in primes.SMALL_PRIMES[:100]:
            y = pow(g, r, n)
            if y in (1, n - 1):
                continue
            for _ in range(t):
                x = y * y % n
                if x == 1:
                    p = math.gcd(y - 1, n)
                    return cls(n, e, d, max(p, n // p), min(p, n // p))
                if x == n - 1:
                    break
                y = x
            else:
                break  # y^(2^t r) != 1: d is not an inverse of e
        raise InvalidKeyError("cannot factor the modulus with this private exponent")

    def _fresh_blinding(self, rng_bytes: RngBytes | None) -> tuple[int, int]:
        """A new blinding pair (r^e, r^-1 mod n) for a random unit r."""
        n, mod = self.n, self._public._mod
        while True:
            r = primes.random_below(n, rng_bytes)
            if r <= 1:
                continue
            # Constant time in r on the kernel; it fails exactly when gcd(r, n) != 1 (a
            # factor of n found by chance), which redraws as the gcd test used to.
            try:
                r_inv = mod.inverse(r)
            except ValueError:
                continue
            return mod.exp_public(r, self.e), r_inv

    def _next_blinding(self, rng_bytes: RngBytes | None) -> tuple[int, int]:
        """A blinding pair (r^e, r^-1 mod n), from the key's blinding state: a fresh pair
        serves BLINDING_REFRESH signatures, squared between uses as OpenSSL does:
        (r^2)^e = (r^e)^2 and (r^2)^-1 = (r^-1)^2.

        A fresh pair comes from the system RNG, or, when the caller passes ``rng_bytes``,
        from BLINDING_SEED bytes of it expanded by SHAKE256.  Those bytes are asked for
        on every signature, refresh or not, so a caller that owns its randomness (the
        side-effect-free TLS engine) sees its generator advanced the same way whatever
        state the shared key object is in; nothing it outputs depends on that state.
        Two threads racing here may square the same pair and use one factor twice; that
        weakens the masking of those two signatures only, never their correctness."""
        seed = None
        if rng_bytes is not None:
            seed = bytes(rng_bytes(BLINDING_SEED))
            if len(seed) != BLINDING_SEED:
                raise ValueError(f"rng_bytes({BLINDING_SEED}) returned {len(seed)} bytes")
        mod = self._public._mod
        state = self._blinding
        if state is None or state[2] <= 0:
            r_e, r_inv = self._fresh_blinding(None if seed is None else _expander(seed))
            uses = BLINDING_REFRESH
        else:
            r_e, r_inv, uses = mod.mul(state[0], state[0]), mod.mul(state[1], state[1]), state[2]
        self._blinding = (r_e, r_inv, uses - 1)
        return r_e, r_inv

    def _private_op(self, m: int, rng_bytes: RngBytes | None = None) -> int:
        """RSASP1 with blinding and verify-after-sign."""
        mod = self._public._mod
        r_e, r_inv = self._next_blinding(rng_bytes)
        s = mod.mul(self._crt.private_op(mod.mul(m, r_e)), r_inv)
        if mod.exp_public(s, self.e) != m:
            raise ArithmeticError("RSA signature failed its own verification (fault?)")
        return s  # type: ignore[no-any-return]

    def _sign_em(self, em: bytes, rng_bytes: RngBytes | None = None) -> bytes:
        s = self._private_op(int.from_bytes(em, "big"), rng_bytes)
        return s.to_bytes(self._public.byte_length, "big")

    def sign_pkcs1v15(
        self, message: Bytes, hash_name: str, rng_bytes: RngBytes | None = None
    ) -> bytes:
        """RSASSA-PKCS1-v1_5-SIGN (RFC 8017 section 8.2.1); the signature is
        deterministic, ``rng_bytes`` (n -> n random bytes) only feeds the blinding."""
        name = _hash_name(hash_name)
        return self.sign_pkcs1v15_digest(_digest(name, message), name, rng_bytes)

    def sign_pkcs1v15_digest(
        self, digest: Bytes, hash_name: str, rng_bytes: RngBytes | None = None
    ) -> bytes:
        """As ``sign_pkcs1v15`` for a message already hashed with ``hash_name``."""
        name = _hash_name(hash_name)
        digest = _as_bytes(digest, "digest")
        if len(digest) != hashes.DIGEST_SIZES[name]:
            raise ValueError(f"digest must be {hashes.DIGEST_SIZES[name]} bytes for {name}")
        return self._sign_em(emsa_pkcs1_v15(digest, name, self._public.byte_length), rng_bytes)

    def sign_pss(
        self,
        message: Bytes,
        hash_name: str,
        salt_length: int | None = None,
        rng_bytes: RngBytes | None = None,
    ) -> bytes:
        """RSASSA-PSS-SIGN (RFC 8017 section 8.1.1) with MGF1 over the same hash.

        The default salt is as long as the digest (what TLS 1.3 requires, RFC 8446
        section 4.2.3).  ``rng_bytes`` (n -> n random bytes), when given, supplies all
        the randomness: the salt, then BLINDING_SEED bytes for the blinding (see
        ``_next_blinding``); the system RNG is not used."""
        name = _hash_name(hash_name)
        return self.sign_pss_digest(_digest(name, message), name, salt_length, rng_bytes)

    def sign_pss_digest(
        self,
        digest: Bytes,
        hash_name: str,
        salt_length: int | None = None,
        rng_bytes: RngBytes | None = None,
    ) -> bytes:
        """As ``sign_pss`` for a message already hashed with ``hash_name``."""
        name = _hash_name(hash_name)
        digest = _as_bytes(digest, "digest")
        h_len = hashes.DIGEST_SIZES[name]
        if len(digest) != h_len:
            raise ValueError(f"digest must be {h_len} bytes for {name}")
        s_len = h_len if salt_length is None else salt_length
        if s_len < 0:
            raise ValueError("salt_length must be non-negative")
        if rng_bytes is None:
            from nocrypto import rng

            salt = rng.entropy(s_len)
        else:
            salt = bytes(rng_bytes(s_len))
            if len(salt) != s_len:
                raise ValueError(f"rng_bytes({s_len}) returned {len(salt)} bytes")
        em_bits = self.key_size - 1
        em = emsa_pss_encode(digest, em_bits, salt, name, name)
        return self._sign_em(em, rng_bytes)
