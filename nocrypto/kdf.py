"""HMAC (RFC 2104), HKDF (RFC 5869), the TLS 1.3 key-schedule helpers (RFC 8446 7.1)
and the TLS 1.2 PRF (RFC 5246 5).

Everything is built on ``Hmac``, a keyed object that hashes the padded key into the
inner and outer hash states once; ``copy()`` then costs two hash-state copies instead
of two extra compression calls, which is what makes HKDF and the PRF cheap.  The hash
objects are the kernel ones when the kernels are built.

Side channels: the key enters only through the hash functions (see their modules);
a key longer than the block size is hashed first, so its length is the only
key-dependent branch, and lengths are public.
"""

from __future__ import annotations

from typing import Any

from nocrypto import _backend, hashes
from nocrypto.hashes._input import as_bytes

# RFC 2104 ipad / opad as byte translation tables: XOR of every key byte in one C call.
_IPAD = bytes(b ^ 0x36 for b in range(256))
_OPAD = bytes(b ^ 0x5C for b in range(256))
_OCTET = [bytes((i,)) for i in range(256)]
_ZEROS = [bytes(n) for n in range(145)]  # key padding up to the largest block (SHA3-224: 144)

# hash name as given -> (constructor, block size, digest size, "hmac-" name), filled on
# first use so every later Hmac skips the name lookup and the probe hash object.  It is
# only valid for the name table it was filled from: the test suite swaps the table to run
# the same code over each hash backend, and a swap empties the cache.
_HASH_INFO: dict[str, tuple[Any, int, int, str, Any]] = {}
_HASH_TABLE: list[object] = [None]

# The SHA-2 kernel's one-call HMAC, used when the hash is one of its classes.
_sha2_kernel = _backend.kernel("nocrypto.hashes._sha2_cy")
_KERNEL_HMAC_CLASSES: tuple[Any, ...] = (
    ()
    if _sha2_kernel is None
    else (_sha2_kernel.SHA224, _sha2_kernel.SHA256, _sha2_kernel.SHA384, _sha2_kernel.SHA512)
)


def _hash_info(hash_name: str) -> tuple[Any, int, int, str, Any]:
    if hashes._BY_NAME is not _HASH_TABLE[0]:
        _HASH_INFO.clear()
        _HASH_TABLE[0] = hashes._BY_NAME
    else:
        cached = _HASH_INFO.get(hash_name)
        if cached is not None:
            return cached
    ctor = hashes.lookup(hash_name)
    probe = ctor()
    if not probe.digest_size:
        raise ValueError(f"HMAC needs a fixed-length hash, not {hash_name!r}")
    fast = _sha2_kernel.hmac_digest if ctor in _KERNEL_HMAC_CLASSES else None  # type: ignore[union-attr]
    info = (ctor, probe.block_size, probe.digest_size, "hmac-" + probe.name, fast)
    _HASH_INFO[hash_name] = info
    return info


class Hmac:
    """HMAC with one key: ``Hmac(key, "sha256").update(msg).digest()``.

    ``update`` returns the object so calls chain; ``copy`` gives an independent object
    with the same key and the same message so far.
    """

    __slots__ = ("_inner", "_outer", "name", "digest_size", "block_size")

    def __init__(
        self,
        key: bytes | bytearray | memoryview,
        hash_name: str = "sha256",
        msg: bytes | bytearray | memoryview = b"",
    ) -> None:
        k: bytes = key if type(key) is bytes else as_bytes(key, "key")
        ctor, bs, self.digest_size, self.name, _ = _hash_info(hash_name)
        self.block_size = bs
        k = _block_key(k, ctor, bs)
        self._inner = ctor(k.translate(_IPAD))
        self._outer = ctor(k.translate(_OPAD))
        if msg:
            self._inner.update(msg)

    def update(self, msg: bytes | bytearray | memoryview) -> Hmac:
        self._inner.update(msg)
        return self

    def copy(self) -> Hmac:
        other = object.__new__(Hmac)
        other._inner = self._inner.copy()
        other._outer = self._outer
        other.name = self.name
        other.digest_size = self.digest_size
        other.block_size = self.block_size
        return other

    def digest(self) -> bytes:
        outer = self._outer.copy()
        outer.update(self._inner.digest())
        result: bytes = outer.digest()
        return result

    def hexdigest(self) -> str:
        return self.digest().hex()

    def mac(self, *parts: bytes | bytearray | memoryview) -> bytes:
        """HMAC of the concatenation of ``parts`` under this key, leaving ``self`` unchanged."""
        h: Any = self._inner.copy()
        for p in parts:
            h.update(p)
        outer = self._outer.copy()
        outer.update(h.digest())
        result: bytes = outer.digest()
        return result


def hmac(
    key: bytes | bytearray | memoryview, msg: bytes | bytearray | memoryview, hash_name: str
) -> bytes:
    """HMAC-``hash_name`` of ``msg`` under ``key`` (RFC 2104)."""
    return _oneshot(
        key if type(key) is bytes else as_bytes(key, "key"),
        _hash_info(hash_name),
        msg if type(msg) is bytes else as_bytes(msg, "msg"),
    )


def hmac_parts(key: bytes, hash_name: str, *parts: bytes) -> bytes:
    """HMAC-``hash_name`` under ``key`` of the concatenation of ``parts`` (all ``bytes``),
    without joining them or building an ``Hmac``: the DRBG and RFC 6979 nonces run many
    short HMACs under ever-changing keys."""
    return _oneshot(key, _hash_info(hash_name), *parts)


def _block_key(k: bytes, ctor: Any, bs: int) -> bytes:
    """RFC 2104's K0: the key hashed first if longer than a block, then zero-padded to one."""
    if len(k) > bs:
        k = ctor(k).digest()
    return k + _ZEROS[bs - len(k)]


def _oneshot(k: bytes, info: tuple[Any, int, int, str, Any], *parts: bytes) -> bytes:
    """HMAC of the concatenation of ``parts`` under ``k`` with no ``Hmac`` object: the
    outer hash takes opad key and inner digest in one call (a copy and an update fewer);
    with a SHA-2 kernel hash, the kernel does all of it in one call."""
    if info[4] is not None:
        return info[4](info[0], k, *parts)  # type: ignore[no-any-return]
    ctor = info[0]
    k = _block_key(k, ctor, info[1])
    inner = ctor(k.translate(_IPAD))
    for p in parts:
        inner.update(p)
    result: bytes = ctor(k.translate(_OPAD) + inner.digest()).digest()
    return result


def hkdf_extract(
    salt: bytes | bytearray | memoryview | None, ikm: bytes | bytearray | memoryview, hash_name: str
) -> bytes:
    """RFC 5869 2.2: PRK = HMAC(salt, IKM); an empty or ``None`` salt means HashLen zeros."""
    if salt is None:
        salt = b""
    salt = as_bytes(salt, "salt")
    ikm = as_bytes(ikm, "ikm")
    if not salt:
        salt = bytes(_hash_len(hash_name))
    return _oneshot(salt, _hash_info(hash_name), ikm)


def hkdf_expand(
    prk: bytes | bytearray | memoryview,
    info: bytes | bytearray | memoryview,
    length: int,
    hash_name: str,
) -> bytes:
    """RFC 5869 2.3: T(i) = HMAC(PRK, T(i-1) | info | i), concatenated and cut to ``length``."""
    prk = prk if type(prk) is bytes else as_bytes(prk, "prk")
    info = info if type(info) is bytes else as_bytes(info, "info")
    hinfo = _hash_info(hash_name)
    hash_len = hinfo[2]
    if type(length) is int and 0 <= length <= hash_len:
        # One block: every call of the TLS 1.3 key schedule.
        return _oneshot(prk, hinfo, info, b"\x01")[:length]
    _check_length(length, 255 * hash_len, "HKDF-Expand")
    key = Hmac(prk, hash_name)
    blocks = []
    t = b""
    for i in range(1, -(-length // hash_len) + 1):
        t = key.mac(t, info, _OCTET[i])
        blocks.append(t)
    return b"".join(blocks)[:length]


def hkdf(
    salt: bytes | bytearray | memoryview | None,
    ikm: bytes | bytearray | memoryview,
    info: bytes | bytearray | memoryview,
    length: int,
    hash_name: str,
) -> bytes:
    """RFC 5869 HKDF in one call: HKDF-Expand(HKDF-Extract(salt, IKM), info, length)."""
    return hkdf_expand(hkdf_extract(salt, ikm, hash_name), info, length, hash_name)


def hkdf_expand_label(
    secret: bytes | bytearray | memoryview,
    label: bytes | bytearray | memoryview | str,
    context: bytes | bytearray | memoryview,
    length: int,
    hash_name: str,
) -> bytes:
    """RFC 8446 7.1 HKDF-Expand-Label; ``label`` is given without the ``"tls13 "`` prefix."""
    if type(label) is bytes and type(context) is bytes and type(length) is int:
        label_bytes = label  # the key schedule's own calls: skip the conversions
    else:
        label_bytes = label.encode("ascii") if isinstance(label, str) else as_bytes(label, "label")
        context = as_bytes(context, "context")
        _check_length(length, 0xFFFF, "HKDF-Expand-Label")
    if len(label_bytes) > 249:
        raise ValueError("HKDF-Expand-Label: label longer than 249 bytes")
    if len(context) > 255:
        raise ValueError("HKDF-Expand-Label: context longer than 255 bytes")
    if not 0 <= length <= 0xFFFF:
        _check_length(length, 0xFFFF, "HKDF-Expand-Label")
    # struct { uint16 length; opaque label<7..255>; opaque context<0..255>; } HkdfLabel;
    hkdf_label = b"".join(
        (
            length.to_bytes(2, "big"),
            _OCTET[len(label_bytes) + 6],
            b"tls13 ",
            label_bytes,
            _OCTET[len(context)],
            context,
        )
    )
    return hkdf_expand(secret, hkdf_label, length, hash_name)


def derive_secret(
    secret: bytes | bytearray | memoryview,
    label: bytes | bytearray | memoryview | str,
    transcript_hash: bytes | bytearray | memoryview,
    hash_name: str,
) -> bytes:
    """RFC 8446 7.1 Derive-Secret, taking the transcript hash already computed."""
    hash_len = (_hash_info(hash_name))[2]
    return hkdf_expand_label(secret, label, transcript_hash, hash_len, hash_name)


def tls12_prf(
    secret: bytes | bytearray | memoryview,
    label: bytes | bytearray | memoryview | str,
    seed: bytes | bytearray | memoryview,
    length: int,
    hash_name: str,
) -> bytes:
    """RFC 5246 5: PRF(secret, label, seed) = P_hash(secret, label + seed), cut to ``length``."""
    label_bytes = label.encode("ascii") if isinstance(label, str) else as_bytes(label, "label")
    seed = as_bytes(seed, "seed")
    _check_length(length, 1 << 30, "TLS 1.2 PRF")
    key = Hmac(as_bytes(secret, "secret"), hash_name)
    label_seed = label_bytes + seed
    out = bytearray()
    a = label_seed  # A(0)
    while len(out) < length:
        a = key.mac(a)  # A(i) = HMAC(secret, A(i-1))
        out += key.mac(a, label_seed)
    return bytes(out[:length])


def _hash_len(hash_name: str) -> int:
    size = hashes.DIGEST_SIZES.get(hash_name.lower()) if isinstance(hash_name, str) else None
    if size is None:
        hashes.lookup(hash_name)  # TypeError / ValueError for a bad or unknown name
        raise ValueError(f"a fixed-length hash is needed, not {hash_name!r}")
    return size


def _check_length(length: object, limit: int, what: str) -> None:
    if not isinstance(length, int) or isinstance(length, bool):
        raise TypeError(f"{what}: length must be an int, not {type(length).__name__}")
    if length < 0:
        raise ValueError(f"{what}: length must be non-negative")
    if length > limit:
        raise ValueError(f"{what}: length {length} exceeds the maximum of {limit}")
