"""Public and private keys, as x509 and TLS use them: sign and verify by scheme name.

The objects wrap the nocrypto primitives (``.key``) and add what a certificate or a
TLS handshake needs: the algorithm family, the curve, the size, and one ``sign`` /
``verify`` entry point taking a scheme name:

    "rsa_pkcs1_sha1" | "rsa_pkcs1_sha256" | "rsa_pkcs1_sha384" | "rsa_pkcs1_sha512"
    "rsa_pss_sha256" | "rsa_pss_sha384" | "rsa_pss_sha512"   (salt = hash length, MGF1 same hash)
    "ecdsa_sha1" | "ecdsa_sha256" | "ecdsa_sha384" | "ecdsa_sha512"   (DER ECDSA-Sig-Value)
    "ed25519" | "ed448"

``verify`` returns False for a wrong signature and for a scheme the key cannot do;
it raises only for a scheme name that does not exist.  Encoding to and from DER/PEM
(SubjectPublicKeyInfo, PKCS#1, SEC1, PKCS#8) lives in ``x509.keyformats``.

Side channels: the private operations are nocrypto's; see its module docstrings for
what the pure-Python backend does not protect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from x509.errors import UnsupportedAlgorithm

# scheme -> (family, hash name or None, padding)
SCHEMES: dict[str, tuple[str, str | None, str]] = {
    "rsa_pkcs1_sha1": ("rsa", "sha1", "pkcs1"),
    "rsa_pkcs1_sha256": ("rsa", "sha256", "pkcs1"),
    "rsa_pkcs1_sha384": ("rsa", "sha384", "pkcs1"),
    "rsa_pkcs1_sha512": ("rsa", "sha512", "pkcs1"),
    "rsa_pss_sha256": ("rsa", "sha256", "pss"),
    "rsa_pss_sha384": ("rsa", "sha384", "pss"),
    "rsa_pss_sha512": ("rsa", "sha512", "pss"),
    "ecdsa_sha1": ("ec", "sha1", "dsa"),
    "ecdsa_sha224": ("ec", "sha224", "dsa"),
    "ecdsa_sha256": ("ec", "sha256", "dsa"),
    "ecdsa_sha384": ("ec", "sha384", "dsa"),
    "ecdsa_sha512": ("ec", "sha512", "dsa"),
    "ed25519": ("ed25519", None, "eddsa"),
    "ed448": ("ed448", None, "eddsa"),
}
HASH_LENGTH = {"sha1": 20, "sha224": 28, "sha256": 32, "sha384": 48, "sha512": 64}
CURVE_BITS = {"secp256r1": 256, "secp384r1": 384, "secp521r1": 521}
# The scheme each EC curve is conventionally paired with (TLS 1.3, and our builder).
DEFAULT_EC_HASH = {"secp256r1": "sha256", "secp384r1": "sha384", "secp521r1": "sha512"}
ALGORITHMS = ("rsa", "rsa-pss", "ec", "ed25519", "ed448", "x25519", "x448")


def _scheme(algorithm: str) -> tuple[str, str | None, str]:
    try:
        return SCHEMES[algorithm]
    except KeyError:
        raise ValueError(
            f"unknown signature algorithm {algorithm!r}; expected one of {', '.join(SCHEMES)}"
        ) from None


def _bytes(value: object, what: str) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    raise TypeError(f"{what} must be bytes-like, not {type(value).__name__}")


@dataclass(frozen=True, slots=True)
class PssRestriction:
    """RSASSA-PSS parameters fixed by an id-RSASSA-PSS key (RFC 4055 §3.1), if any."""

    hash: str
    mgf_hash: str
    salt_length: int


class PublicKey:
    """A public key.  Build with the class methods, or load with ``x509.keyformats``."""

    __slots__ = ("algorithm", "curve", "key_size", "key", "raw", "pss", "_der", "_schemes")

    def __init__(
        self,
        algorithm: str,
        key: Any,
        key_size: int,
        curve: str | None = None,
        raw: bytes = b"",
        pss: PssRestriction | None = None,
    ) -> None:
        if algorithm not in ALGORITHMS:
            raise ValueError(f"unknown key algorithm {algorithm!r}")
        self.algorithm = algorithm
        self.key = key  # the nocrypto object (raw bytes for the Edwards/Montgomery keys)
        self.key_size = key_size
        self.curve = curve
        self.raw = raw  # EC: SEC1 point; 25519/448: the raw key; RSA: b""
        self.pss = pss
        self._der: bytes | None = None
        self._schemes: tuple[str, ...] | None = None

    # -- construction ---------------------------------------------------------------

    @classmethod
    def rsa(cls, n: int, e: int, pss: bool | PssRestriction = False) -> PublicKey:
        from nocrypto import rsa

        key = rsa.RSAPublicKey(n, e)
        restriction = pss if isinstance(pss, PssRestriction) else None
        return cls("rsa-pss" if pss else "rsa", key, n.bit_length(), pss=restriction)

    @classmethod
    def ec(cls, curve: str, point: bytes) -> PublicKey:
        from nocrypto import ec

        curves = {"secp256r1": ec.P256, "secp384r1": ec.P384, "secp521r1": ec.P521}
        if curve not in curves:
            raise UnsupportedAlgorithm(f"unsupported elliptic curve {curve}")
        key = curves[curve].public_key(bytes(point))
        return cls("ec", key, CURVE_BITS[curve], curve=curve, raw=bytes(point))

    @classmethod
    def octets(cls, algorithm: str, raw: bytes) -> PublicKey:
        """Ed25519, Ed448, X25519 or X448 from the raw public key."""
        sizes = {"ed25519": (32, 256), "x25519": (32, 255), "ed448": (57, 456), "x448": (56, 448)}
        if algorithm not in sizes:
            raise ValueError(f"{algorithm!r} is not an octet-string key algorithm")
        length, bits = sizes[algorithm]
        raw = bytes(raw)
        if len(raw) != length:
            from nocrypto import InvalidKeyError

            raise InvalidKeyError(f"{algorithm} public key must be {length} bytes, got {len(raw)}")
        return cls(algorithm, raw, bits, raw=raw)

    # -- use ------------------------------------------------------------------------

    def schemes(self) -> tuple[str, ...]:
        """The signature scheme names this key can verify."""
        if self._schemes is None:
            self._schemes = self._compute_schemes()
        return self._schemes

    def _compute_schemes(self) -> tuple[str, ...]:
        fam = "rsa" if self.algorithm in ("rsa", "rsa-pss") else self.algorithm
        out = []
        for name, (family, hash_name, padding) in SCHEMES.items():
            if family != fam:
                continue
            if self.algorithm == "rsa-pss" and padding != "pss":
                continue
            if self.pss is not None and hash_name != self.pss.hash:
                continue
            out.append(name)
        return tuple(out)

    def verify(self, signature: bytes, message: bytes, algorithm: str) -> bool:
        """Whether ``signature`` is ``algorithm``'s signature of ``message`` by this key."""
        family, hash_name, padding = _scheme(algorithm)
        signature = _bytes(signature, "signature")
        message = _bytes(message, "message")
        if algorithm not in self.schemes():
            return False
        if family == "rsa":
            assert hash_name is not None
            if padding == "pss":
                salt = self.pss.salt_length if self.pss else HASH_LENGTH[hash_name]
                return bool(
                    self.key.verify_pss(
                        signature, message, hash_name, salt_length=salt, mgf_hash=hash_name
                    )
                )
            return bool(self.key.verify_pkcs1v15(signature, message, hash_name))
        if family == "ec":
            return bool(self.key.verify(signature, message, hash_name))
        if family == "ed25519":
            from nocrypto import ed25519

            return bool(ed25519.verify(self.raw, signature, message))
        if family == "ed448":
            from nocrypto import ed448

            return bool(ed448.verify(self.raw, signature, message))
        return False

    def public_numbers(self) -> dict[str, int]:
        if self.algorithm in ("rsa", "rsa-pss"):
            return {"n": self.key.n, "e": self.key.e}
        if self.algorithm == "ec":
            return {"x": self.key.x, "y": self.key.y}
        return {}

    def to_der(self) -> bytes:
        """The SubjectPublicKeyInfo DER."""
        if self._der is None:
            from x509 import keyformats

            self._der = keyformats.encode_spki(self)
        return self._der

    def to_pem(self) -> bytes:
        from x509 import pem

        return pem.encode("PUBLIC KEY", self.to_der())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PublicKey):
            return NotImplemented
        return self.to_der() == other.to_der()

    def __hash__(self) -> int:
        return hash(self.to_der())

    def __repr__(self) -> str:
        extra = f" {self.curve}" if self.curve else f" {self.key_size} bits"
        return f"<PublicKey {self.algorithm}{extra}>"


class PrivateKey:
    """A private key that can sign; ``public_key()`` is its public half."""

    __slots__ = ("algorithm", "curve", "key_size", "key", "secret", "_public")

    def __init__(
        self,
        algorithm: str,
        key: Any,
        key_size: int,
        curve: str | None = None,
        secret: bytes = b"",
        public: PublicKey | None = None,
    ) -> None:
        if algorithm not in ALGORITHMS:
            raise ValueError(f"unknown key algorithm {algorithm!r}")
        self.algorithm = algorithm
        self.key = key  # nocrypto object (None for the octet-string algorithms)
        self.key_size = key_size
        self.curve = curve
        self.secret = secret  # Edwards seed / Montgomery scalar; EC: d big-endian
        self._public = public

    @classmethod
    def rsa(cls, key: Any, pss: bool = False) -> PrivateKey:
        return cls("rsa-pss" if pss else "rsa", key, key.n.bit_length())

    @classmethod
    def ec(cls, curve: str, d: int) -> PrivateKey:
        from nocrypto import ec

        curves = {"secp256r1": ec.P256, "secp384r1": ec.P384, "secp521r1": ec.P521}
        if curve not in curves:
            raise UnsupportedAlgorithm(f"unsupported elliptic curve {curve}")
        key = curves[curve].private_key(d)
        size = (CURVE_BITS[curve] + 7) // 8
        return cls("ec", key, CURVE_BITS[curve], curve=curve, secret=d.to_bytes(size, "big"))

    @classmethod
    def octets(cls, algorithm: str, secret: bytes) -> PrivateKey:
        sizes = {"ed25519": (32, 256), "x25519": (32, 255), "ed448": (57, 456), "x448": (56, 448)}
        if algorithm not in sizes:
            raise ValueError(f"{algorithm!r} is not an octet-string key algorithm")
        length, bits = sizes[algorithm]
        secret = bytes(secret)
        if len(secret) != length:
            from nocrypto import InvalidKeyError

            raise InvalidKeyError(f"{algorithm} private key must be {length} bytes")
        return cls(algorithm, None, bits, secret=secret)

    def public_key(self) -> PublicKey:
        if self._public is None:
            self._public = self._derive_public()
        return self._public

    def _derive_public(self) -> PublicKey:
        if self.algorithm in ("rsa", "rsa-pss"):
            pub = self.key.public_key()
            return PublicKey.rsa(pub.n, pub.e, pss=self.algorithm == "rsa-pss")
        if self.algorithm == "ec":
            assert self.curve is not None
            return PublicKey.ec(self.curve, self.key.public_bytes())
        import importlib

        module = importlib.import_module(f"nocrypto.{self.algorithm}")
        return PublicKey.octets(self.algorithm, module.public_key(self.secret))

    def schemes(self) -> tuple[str, ...]:
        return self.public_key().schemes()

    def sign(
        self,
        message: bytes,
        algorithm: str,
        rng_bytes: Callable[[int], bytes] | None = None,
    ) -> bytes:
        """``algorithm``'s signature of ``message``; ValueError if the key cannot do it.

        ``rng_bytes`` (n -> n bytes), when given, is the only source of randomness the
        signature uses: the RSA-PSS salt and the RSA blinding factor.  The system RNG
        is then not read and the key object is not changed, so a signature depends on
        its inputs alone (what a side-effect-free TLS engine needs).  ECDSA here is
        RFC 6979 deterministic and EdDSA is deterministic by design: neither takes
        any randomness, so ``rng_bytes`` is not consulted for them."""
        family, hash_name, padding = _scheme(algorithm)
        message = _bytes(message, "message")
        if rng_bytes is not None and not callable(rng_bytes):
            raise TypeError("rng_bytes must be a callable taking a length and returning bytes")
        if algorithm not in self.schemes():
            raise ValueError(f"a {self.algorithm} key cannot sign with {algorithm}")
        if family == "rsa":
            assert hash_name is not None
            if padding == "pss":
                return bytes(
                    self.key.sign_pss(
                        message, hash_name, salt_length=HASH_LENGTH[hash_name], rng_bytes=rng_bytes
                    )
                )
            return bytes(self.key.sign_pkcs1v15(message, hash_name, rng_bytes=rng_bytes))
        if family == "ec":
            return bytes(self.key.sign(message, hash_name))
        if family == "ed25519":
            from nocrypto import ed25519

            return bytes(ed25519.sign(self.secret, message))
        from nocrypto import ed448

        return bytes(ed448.sign(self.secret, message))

    def default_scheme(self) -> str:
        """The scheme a certificate signed by this key uses unless told otherwise."""
        if self.algorithm == "rsa":
            return "rsa_pkcs1_sha256"
        if self.algorithm == "rsa-pss":
            return "rsa_pss_sha256"
        if self.algorithm == "ec":
            assert self.curve is not None
            return "ecdsa_" + DEFAULT_EC_HASH[self.curve]
        if self.algorithm in ("ed25519", "ed448"):
            return self.algorithm
        raise ValueError(f"{self.algorithm} keys cannot sign")

    def to_der(self) -> bytes:
        """PKCS#8 PrivateKeyInfo DER (unencrypted)."""
        from x509 import keyformats

        return keyformats.encode_pkcs8(self)

    def to_pem(self, password: bytes | None = None) -> bytes:
        from x509 import keyformats

        return keyformats.private_key_to_pem(self, password)

    def __repr__(self) -> str:
        extra = f" {self.curve}" if self.curve else f" {self.key_size} bits"
        return f"<PrivateKey {self.algorithm}{extra}>"


def generate_private_key(
    algorithm: str, curve: str | None = None, key_size: int = 2048
) -> PrivateKey:
    """A fresh key: "rsa" (``key_size`` bits), "rsa-pss", "ec" (``curve``, default
    secp256r1), "ed25519", "ed448", "x25519" or "x448"."""
    if algorithm in ("rsa", "rsa-pss"):
        from nocrypto import rsa

        if key_size < 2048:
            raise ValueError("RSA keys shorter than 2048 bits are not generated")
        return PrivateKey.rsa(rsa.RSAPrivateKey.generate(key_size), pss=algorithm == "rsa-pss")
    if algorithm == "ec":
        from nocrypto import ec

        curve = curve or "secp256r1"
        curves = {"secp256r1": ec.P256, "secp384r1": ec.P384, "secp521r1": ec.P521}
        if curve not in curves:
            raise ValueError(f"unsupported curve {curve!r}; expected one of {', '.join(curves)}")
        return PrivateKey.ec(curve, curves[curve].generate().d)
    sizes = {"ed25519": 32, "ed448": 57, "x25519": 32, "x448": 56}
    if algorithm in sizes:
        from nocrypto import rng

        return PrivateKey.octets(algorithm, rng.entropy(sizes[algorithm]))
    raise ValueError(
        f"unknown key algorithm {algorithm!r}; expected one of {', '.join(ALGORITHMS)}"
    )
