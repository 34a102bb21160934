"""ECDH and ECDSA on the NIST curves P-256, P-384 and P-521.

    from nocrypto import ec
    k = ec.P256.generate()                       # or ec.P256.private_key(d)
    shared = k.exchange(peer_sec1_bytes)         # x coordinate, fixed width
    sig = k.sign(b"message", "sha256")           # DER; sign_p1363 gives r || s
    pk = ec.P256.public_key(k.public_bytes())
    pk.verify(sig, b"message", "sha256")         # True / False, never raises on a bad sig

Signatures use RFC 6979 deterministic nonces; ``extra_entropy`` (bytes, or True for
fresh random bytes) hedges them (RFC 6979 §3.6) against fault attacks and bad
hashes while staying safe if the RNG is broken.

The group arithmetic is the constant-time Cython kernel ``nist._arith_cy`` when it
is built, else the pure-Python reference ``nist.arith`` (not constant-time: see its
docstring).  Only public values (public keys, signatures, digests) are handled with
ordinary Python integers here; secret scalars go to the arithmetic as fixed-width
bytes.  Side-channel limits of this module, whatever the backend:

* RFC 6979 turns each HMAC output into a Python integer nonce candidate (an
  ``int`` conversion and the ``1 <= k < n`` test); CPython's big integers are not
  constant-time, though these are single conversions of fixed-size values, not
  arithmetic loops.  The key itself stays in bytes.  The rejection test leaks only that a candidate was refused,
  which happens with probability about 2^-32 at most (P-256).
* Secrets live in immutable ``bytes``/``int`` objects that cannot be wiped.
* Peer points and signatures are validated with variable-time Python arithmetic,
  which is fine: they are public.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from nocrypto import hashes, rng
from nocrypto._backend import kernel
from nocrypto._errors import InvalidKeyError
from nocrypto.nist import arith as _arith_py
from nocrypto.nist import curves as _curves
from nocrypto.nist import ecdsa as _ecdsa

_ARITH: ModuleType = kernel("nocrypto.nist._arith_cy") or _arith_py

Buffer = bytes | bytearray | memoryview


def _as_bytes(value: object, what: str) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    raise TypeError(f"{what} must be bytes, bytearray or memoryview, not {type(value).__name__}")


def _digest(message: object, hash_name: str) -> bytes:
    h: Any = hashes.new(hash_name, _as_bytes(message, "message"))
    if not h.digest_size:
        raise ValueError(f"ECDSA needs a fixed-length hash, not {hash_name!r}")
    out: bytes = h.digest()
    return out


class Curve:
    """One NIST curve: the factory for its keys."""

    __slots__ = ("params", "name", "_arith")

    def __init__(self, params: _curves.CurveParams, arith: ModuleType | None = None) -> None:
        self.params = params
        self.name = params.name
        self._arith = arith or _ARITH

    def __repr__(self) -> str:
        return f"<ec.Curve {self.name}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Curve) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    @property
    def key_size(self) -> int:
        """Bit length of the group order (256, 384, 521)."""
        return self.params.order_bits

    @property
    def field_bytes(self) -> int:
        return self.params.field_bytes

    def with_arith(self, arith: ModuleType) -> Curve:
        """This curve computing with ``arith`` (``nist.arith`` or ``nist._arith_cy``);
        the tests use it to run both backends in one process."""
        return Curve(self.params, arith)

    def private_key(self, d: int) -> PrivateKey:
        """The key with secret scalar ``d``; ``InvalidKeyError`` unless 1 <= d < n."""
        if not isinstance(d, int) or isinstance(d, bool):
            raise TypeError(f"d must be an int, not {type(d).__name__}")
        if not 1 <= d < self.params.n:
            raise InvalidKeyError(f"{self.name} private scalar must be in [1, n-1]")
        return PrivateKey(self, d.to_bytes(self.params.field_bytes, "big"))

    def private_key_from_bytes(self, data: Buffer) -> PrivateKey:
        """The key whose scalar is the big-endian ``data`` (SEC 1 ECPrivateKey form)."""
        data = _as_bytes(data, "private key")
        if len(data) != self.params.field_bytes:
            raise InvalidKeyError(
                f"{self.name} private key must be {self.params.field_bytes} bytes"
            )
        return self.private_key(int.from_bytes(data, "big"))

    def generate(self) -> PrivateKey:
        """A fresh key: d uniform in [1, n-1] by rejection sampling (FIPS 186-4 B.4.2)."""
        n = self.params.n
        width = self.params.field_bytes
        excess = width * 8 - n.bit_length()
        while True:
            d = int.from_bytes(rng.entropy(width), "big") >> excess
            if 1 <= d < n:
                return PrivateKey(self, d.to_bytes(width, "big"))

    def public_key(self, data: Buffer) -> PublicKey:
        """Parse a SEC 1 point (§2.3.4): 04||x||y, or compressed 02/03||x.

        ``InvalidKeyError`` for the point at infinity, wrong lengths, coordinates not
        below p, or a point not on the curve (cofactor 1: on the curve is enough).
        """
        data = _as_bytes(data, "public key")
        c = self.params
        w = c.field_bytes
        if not data:
            raise InvalidKeyError("empty EC point")
        tag = data[0]
        if tag == 0x04 and len(data) == 1 + 2 * w:
            x = int.from_bytes(data[1 : 1 + w], "big")
            y = int.from_bytes(data[1 + w :], "big")
            return PublicKey(self, x, y)  # checks the range and the curve equation
        if tag in (0x02, 0x03) and len(data) == 1 + w:
            x = int.from_bytes(data[1:], "big")
            if x >= c.p:
                raise InvalidKeyError(f"{self.name} point coordinate out of range")
            rhs = (x * x * x - 3 * x + c.b) % c.p
            y = pow(rhs, (c.p + 1) // 4, c.p)  # p = 3 mod 4 on all three curves
            if y * y % c.p != rhs:
                raise InvalidKeyError(f"point is not on {self.name}")
            if y & 1 != tag & 1:
                y = c.p - y
            return PublicKey(self, x, y)
        if tag == 0x00 and len(data) == 1:
            raise InvalidKeyError("the point at infinity is not a public key")
        raise InvalidKeyError(f"malformed SEC 1 point for {self.name}")

    def public_key_from_ints(self, x: int, y: int) -> PublicKey:
        return PublicKey(self, x, y)


# Verifications with one public key after which it gets its own comb table (tens of KiB:
# 53 for P-256, 118 for P-384, 242 for P-521; built in about three verifications' time).
TABLE_AFTER = 4


class PublicKey:
    """A point on a NIST curve, checked at construction (whoever builds it: an
    off-curve point reaching ECDH would leak the private key, the invalid-curve
    attack)."""

    __slots__ = ("curve", "x", "y", "_verifies", "_table")

    def __init__(self, curve: Curve, x: int, y: int) -> None:
        # Verifications so far, and the point's comb table once it has verified
        # TABLE_AFTER times (see _verify).
        self._verifies = 0
        self._table: bytes | None = None
        c = curve.params
        if not (isinstance(x, int) and isinstance(y, int) and 0 <= x < c.p and 0 <= y < c.p):
            raise InvalidKeyError(f"{curve.name} point coordinate out of range")
        if (y * y - (x * x * x - 3 * x + c.b)) % c.p:
            raise InvalidKeyError(f"point is not on {curve.name}")
        self.curve = curve
        self.x = x
        self.y = y

    def __repr__(self) -> str:
        return f"<ec.PublicKey {self.curve.name} x={self.x:x}>"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, PublicKey)
            and other.curve == self.curve
            and (other.x, other.y) == (self.x, self.y)
        )

    def __hash__(self) -> int:
        return hash((self.curve.name, self.x, self.y))

    def public_bytes(self, compressed: bool = False) -> bytes:
        w = self.curve.params.field_bytes
        if compressed:
            return bytes([2 | (self.y & 1)]) + self.x.to_bytes(w, "big")
        return b"\x04" + self.x.to_bytes(w, "big") + self.y.to_bytes(w, "big")

    def _xy(self) -> bytes:
        return self.public_bytes()[1:]

    def verify(self, signature: Buffer, message: Buffer, hash_name: str) -> bool:
        """Check a DER ECDSA-Sig-Value over ``message``; False for any bad signature."""
        rs = _ecdsa.decode_der(_as_bytes(signature, "signature"))
        return rs is not None and self._verify(rs[0], rs[1], _digest(message, hash_name))

    def verify_p1363(self, signature: Buffer, message: Buffer, hash_name: str) -> bool:
        """Check an r || s signature (each n-width, as in JWS and WebCrypto)."""
        rs = self._split_p1363(_as_bytes(signature, "signature"))
        return rs is not None and self._verify(rs[0], rs[1], _digest(message, hash_name))

    def verify_digest(self, signature: Buffer, digest: Buffer) -> bool:
        """``verify`` for a message already hashed; ``digest`` is the hash output."""
        rs = _ecdsa.decode_der(_as_bytes(signature, "signature"))
        return rs is not None and self._verify(rs[0], rs[1], _as_bytes(digest, "digest"))

    def verify_digest_p1363(self, signature: Buffer, digest: Buffer) -> bool:
        rs = self._split_p1363(_as_bytes(signature, "signature"))
        return rs is not None and self._verify(rs[0], rs[1], _as_bytes(digest, "digest"))

    def _split_p1363(self, sig: bytes) -> tuple[int, int] | None:
        w = self.curve.params.field_bytes
        if len(sig) != 2 * w:
            return None
        return int.from_bytes(sig[:w], "big"), int.from_bytes(sig[w:], "big")

    def _verify(self, r: int, s: int, digest: bytes) -> bool:
        # SEC 1 §4.1.4.  Everything here is public, so ordinary integers will do.
        c = self.curve.params
        n = c.n
        if not (1 <= r < n and 1 <= s < n):
            return False
        e = _ecdsa.bits2int(digest, c.order_bits)
        w = pow(s, -1, n)
        width = c.field_bytes
        u1 = (e * w % n).to_bytes(width, "big")
        u2 = (r * w % n).to_bytes(width, "big")
        arith = self.curve._arith
        table = self._table
        if table is None:
            self._verifies += 1
            if self._verifies >= TABLE_AFTER:
                # A key that keeps verifying (a server's, on every connection to it) gets
                # a precomputed table of its multiples, which takes u2*Q without a single
                # doubling: a third of the work, for a table the size of the generator's.
                table = self._table = arith.point_table(c.name, self._xy())
        if table is not None:
            x = arith.double_base_x_table(c.name, u1, u2, table)
        else:
            x = arith.double_base_x(c.name, u1, u2, self._xy())
        return x is not None and int.from_bytes(x, "big") % n == r


class PrivateKey:
    """A secret scalar d on a NIST curve."""

    __slots__ = ("curve", "_d", "_public")

    def __init__(self, curve: Curve, d_bytes: bytes) -> None:
        self.curve = curve
        self._d = d_bytes
        self._public: PublicKey | None = None

    def __repr__(self) -> str:
        return f"<ec.PrivateKey {self.curve.name}>"

    @property
    def d(self) -> int:
        return int.from_bytes(self._d, "big")

    def private_bytes(self) -> bytes:
        """d as fixed-width big-endian bytes."""
        return self._d

    def public_key(self) -> PublicKey:
        if self._public is None:
            c = self.curve.params
            xy = self.curve._arith.base_mult(c.name, self._d)
            w = c.field_bytes
            self._public = PublicKey(
                self.curve, int.from_bytes(xy[:w], "big"), int.from_bytes(xy[w:], "big")
            )
        return self._public

    def public_bytes(self, compressed: bool = False) -> bytes:
        return self.public_key().public_bytes(compressed)

    def exchange(self, peer: Buffer | PublicKey) -> bytes:
        """ECDH (SEC 1 §3.3.1): the x coordinate of d * peer, field-width bytes.

        ``peer`` is a SEC 1 point or a ``PublicKey`` of the same curve;
        ``InvalidKeyError`` if it is malformed, off the curve or infinity.
        """
        if isinstance(peer, PublicKey):
            if peer.curve != self.curve:
                raise InvalidKeyError(f"peer key is on {peer.curve.name}, not {self.curve.name}")
            point = peer
        else:
            point = self.curve.public_key(peer)
        shared = self.curve._arith.ecdh(self.curve.name, self._d, point._xy())
        if shared is None:  # impossible for a valid point of prime order; kept as a guard
            raise InvalidKeyError("ECDH result is the point at infinity")
        out: bytes = shared
        return out

    def sign(
        self, message: Buffer, hash_name: str, extra_entropy: bytes | bool | None = None
    ) -> bytes:
        """DER ECDSA-Sig-Value over ``message`` hashed with ``hash_name``."""
        r, s = self._sign(_digest(message, hash_name), hash_name, extra_entropy)
        return _ecdsa.encode_der(r, s)

    def sign_p1363(
        self, message: Buffer, hash_name: str, extra_entropy: bytes | bool | None = None
    ) -> bytes:
        """r || s, each field-width big-endian."""
        r, s = self._sign(_digest(message, hash_name), hash_name, extra_entropy)
        w = self.curve.params.field_bytes
        return r.to_bytes(w, "big") + s.to_bytes(w, "big")

    def sign_digest(
        self, digest: Buffer, hash_name: str, extra_entropy: bytes | bool | None = None
    ) -> bytes:
        """``sign`` for a digest computed by the caller with ``hash_name`` (which
        also keys the RFC 6979 nonce generator)."""
        digest = _as_bytes(digest, "digest")
        expected = _digest(b"", hash_name)
        if len(digest) != len(expected):
            raise ValueError(f"a {hash_name} digest is {len(expected)} bytes, not {len(digest)}")
        r, s = self._sign(digest, hash_name, extra_entropy)
        return _ecdsa.encode_der(r, s)

    def _sign(
        self, digest: bytes, hash_name: str, extra_entropy: bytes | bool | None
    ) -> tuple[int, int]:
        c = self.curve.params
        if extra_entropy is True:
            extra = rng.entropy(c.field_bytes)
        elif extra_entropy is None or extra_entropy is False:
            extra = b""
        else:
            extra = _as_bytes(extra_entropy, "extra_entropy")
        width = c.field_bytes
        e = (_ecdsa.bits2int(digest, c.order_bits)).to_bytes(width, "big")
        for k in _ecdsa.rfc6979_nonces(self._d, digest, c.n, hash_name.lower(), extra):
            rs = self.curve._arith.sign(c.name, self._d, k.to_bytes(width, "big"), e)
            if rs is not None:
                r: int = rs[0]
                s: int = rs[1]
                return r, s
        raise AssertionError("unreachable: the nonce stream is infinite")


P256 = Curve(_curves.P256)
P384 = Curve(_curves.P384)
P521 = Curve(_curves.P521)

_ALIASES = {
    "secp256r1": P256,
    "prime256v1": P256,
    "p-256": P256,
    "p256": P256,
    "secp384r1": P384,
    "p-384": P384,
    "p384": P384,
    "secp521r1": P521,
    "p-521": P521,
    "p521": P521,
}


def curve(name: str) -> Curve:
    """Look a curve up by its SEC 2 name ("secp256r1"), X9.62 or NIST name ("P-256")."""
    try:
        return _ALIASES[name.lower()]
    except (KeyError, AttributeError):
        raise ValueError(
            f"unknown curve {name!r}; choose secp256r1, secp384r1 or secp521r1"
        ) from None


__all__ = ["P256", "P384", "P521", "Curve", "PrivateKey", "PublicKey", "curve"]
