"""The few cryptographic operations TLS needs, expressed on top of ``nocrypto``.

This is the only module of ``tls`` that touches primitives: hashing, HMAC, HKDF,
the AEAD for a suite and the (EC)DHE key exchange for a named group.  Private
keys are drawn from bytes the caller supplies (the connection's DRBG), so the
engine stays a pure function.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import nocrypto
from nocrypto import aead as _aead
from nocrypto import ec, hashes, kdf, x25519
from tls.failures import PeerError, Reason
from tls.wire.cipher_suite import SuiteParameters
from tls.wire.named_group import SERVER_SHARE_LENGTH, SHARE_LENGTH, NamedGroup

HASH_LENGTH = {"sha256": 32, "sha384": 48, "sha512": 64}


def digest(hash_name: str, data: bytes) -> bytes:
    return hashes.lookup(hash_name)(data if type(data) is bytes else bytes(data)).digest()  # type: ignore[no-any-return]


def hmac(key: bytes, message: bytes, hash_name: str) -> bytes:
    return nocrypto.hmac(key, message, hash_name)


def hkdf_extract(salt: bytes, ikm: bytes, hash_name: str) -> bytes:
    return nocrypto.hkdf_extract(salt, ikm, hash_name)


def hkdf_expand(prk: bytes, info: bytes, length: int, hash_name: str) -> bytes:
    return nocrypto.hkdf_expand(prk, info, length, hash_name)


hkdf_expand_label = kdf.hkdf_expand_label  # (secret, label, context, length, hash_name)


def constant_time_equal(a: bytes, b: bytes) -> bool:
    return nocrypto.constant_time_equal(a, b)


class Aead(Protocol):
    def seal(self, nonce: bytes, plaintext: bytes, aad: bytes = b"") -> bytes: ...
    def open(self, nonce: bytes, ciphertext: bytes, aad: bytes = b"") -> bytes: ...
    def seal_into(self, nonce: bytes, plaintext: Any, aad: bytes, out: Any) -> int: ...
    def seal_framed(self, nonce: bytes, prefix: bytes, plaintext: Any, suffix: bytes) -> bytes: ...


def aead(params: SuiteParameters, key: bytes) -> Aead:
    """The AEAD object for one traffic key; built once per epoch and reused."""
    if params.aead == "aes-gcm":
        return _aead.AESGCM(key)
    if params.aead == "chacha20-poly1305":
        return _aead.ChaCha20Poly1305(key)
    if params.aead == "aes-ccm":
        return _aead.AESCCM(key, tag_length=params.tag_length)
    raise ValueError(f"unknown AEAD {params.aead}")


# ---- (EC)DHE --------------------------------------------------------------------

# Group orders (SEC 2) used to turn DRBG output into a scalar without bias.
_EC_ORDER = {
    NamedGroup.secp256r1: int(
        "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16
    ),
    NamedGroup.secp384r1: int(
        "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf"
        "581a0db248b0a77aecec196accc52973",
        16,
    ),
    NamedGroup.secp521r1: int(
        "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
        "fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
        16,
    ),
}
_EC_CURVE_NAME = {
    NamedGroup.secp256r1: "P256",
    NamedGroup.secp384r1: "P384",
    NamedGroup.secp521r1: "P521",
}
_FFDHE_NAME = {
    NamedGroup.ffdhe2048: "FFDHE2048",
    NamedGroup.ffdhe3072: "FFDHE3072",
    NamedGroup.ffdhe4096: "FFDHE4096",
    NamedGroup.ffdhe6144: "FFDHE6144",
    NamedGroup.ffdhe8192: "FFDHE8192",
}


# draft-ietf-tls-ecdhe-mlkem §4: (classical group, ML-KEM set, classical part first?).
# X25519MLKEM768 puts ML-KEM first "for historical reasons"; the others ECDH first.
_HYBRID = {
    NamedGroup.X25519MLKEM768: (NamedGroup.x25519, "ML_KEM_768", False),
    NamedGroup.SecP256r1MLKEM768: (NamedGroup.secp256r1, "ML_KEM_768", True),
    NamedGroup.SecP384r1MLKEM1024: (NamedGroup.secp384r1, "ML_KEM_1024", True),
}
_KEM_LENGTHS = {"ML_KEM_768": (1184, 1088), "ML_KEM_1024": (1568, 1568)}  # (ek, ct)


def random_bytes_for(group: NamedGroup) -> int:
    """How many DRBG bytes a private key for ``group`` consumes."""
    if group in _HYBRID:
        return random_bytes_for(_HYBRID[group][0]) + 64  # + ML-KEM d, z (or m)
    if group == NamedGroup.x25519:
        return 32
    if group == NamedGroup.x448:
        return 56
    if group in _EC_ORDER:
        return (_EC_ORDER[group].bit_length() + 7) // 8 + 8
    return 64  # FFDHE: a 512-bit exponent (RFC 7919 §5.2 asks for at least 2x security)


@dataclass(frozen=True, slots=True)
class KeyExchange:
    """A private key for one named group and the share we sent for it."""

    group: NamedGroup
    private: Any
    share: bytes


def _kem(name: str) -> Any:
    from nocrypto import mlkem

    return getattr(mlkem, name)


def generate(group: NamedGroup, randomness: bytes) -> KeyExchange:
    """Our private key and share for ``group`` (a client's, for the hybrid groups)."""
    if group in _HYBRID:
        classical_group, kem, ecdh_first = _HYBRID[group]
        n = random_bytes_for(classical_group)
        classical = generate(classical_group, randomness[:n])
        ek, dk = _kem(kem).keygen(randomness[n : n + 32], randomness[n + 32 : n + 64])
        share = classical.share + ek if ecdh_first else ek + classical.share
        return KeyExchange(group, (classical, dk), share)
    if group == NamedGroup.x25519:
        return KeyExchange(group, randomness, x25519.public_key(randomness))
    if group == NamedGroup.x448:
        from nocrypto import x448

        return KeyExchange(group, randomness, x448.public_key(randomness))
    if group in _EC_ORDER:
        d = int.from_bytes(randomness, "big") % (_EC_ORDER[group] - 1) + 1
        key = getattr(ec, _EC_CURVE_NAME[group]).private_key(d)
        return KeyExchange(group, key, key.public_bytes())
    if group in _FFDHE_NAME:
        from nocrypto import dh

        private, public = getattr(dh, _FFDHE_NAME[group]).generate(
            rng_bytes=lambda n: randomness[:n]
        )
        return KeyExchange(group, private, public)
    raise ValueError(f"unsupported group {group!r}")


def respond(group: NamedGroup, randomness: bytes, client_share: bytes) -> tuple[bytes, bytes]:
    """The server side: (our share, shared secret) answering ``client_share``."""
    if group not in _HYBRID:
        kex = generate(group, randomness)
        return kex.share, shared_secret(kex, client_share)
    classical_group, kem, ecdh_first = _HYBRID[group]
    if len(client_share) != SHARE_LENGTH[group]:
        raise PeerError(Reason.illegal_parameter, f"{group.name} share has the wrong length")
    ek_length = _KEM_LENGTHS[kem][0]
    if ecdh_first:
        ecdh_share, ek = client_share[:-ek_length], client_share[-ek_length:]
    else:
        ek, ecdh_share = client_share[:ek_length], client_share[ek_length:]
    n = random_bytes_for(classical_group)
    classical = generate(classical_group, randomness[:n])
    ecdh_secret = shared_secret(classical, ecdh_share)
    try:  # FIPS 203 §7.2: encaps checks the encapsulation key
        kem_secret, ct = _kem(kem).encaps(ek, randomness[n : n + 32])
    except nocrypto.InvalidKeyError as exc:
        raise PeerError(Reason.illegal_parameter, f"invalid ML-KEM key: {exc}") from None
    if ecdh_first:
        return classical.share + ct, ecdh_secret + kem_secret
    return ct + classical.share, kem_secret + ecdh_secret


def shared_secret(kex: KeyExchange, peer_share: bytes) -> bytes:
    """The (EC)DHE (or hybrid) shared secret; a bad peer share is an illegal_parameter."""
    group = kex.group
    if group in _HYBRID:
        return _hybrid_client_secret(kex, peer_share)
    if len(peer_share) != SHARE_LENGTH[group]:
        raise PeerError(Reason.illegal_parameter, f"{group.name} share has the wrong length")
    try:
        if group == NamedGroup.x25519:
            secret = x25519.x25519(kex.private, peer_share)
        elif group == NamedGroup.x448:
            from nocrypto import x448

            secret = x448.x448(kex.private, peer_share)
        elif group in _EC_ORDER:
            if peer_share[0] != 4:  # RFC 8446 §4.2.8.2: uncompressed points only
                raise PeerError(Reason.illegal_parameter, "EC share is not uncompressed")
            secret = kex.private.exchange(peer_share)
        else:
            from nocrypto import dh

            secret = getattr(dh, _FFDHE_NAME[group]).shared_secret(kex.private, peer_share)
    except nocrypto.InvalidKeyError as exc:
        raise PeerError(Reason.illegal_parameter, f"invalid {group.name} share: {exc}") from None
    # RFC 7748 §6.1 / RFC 8446 §7.4.2: an all-zero X25519/X448 result means a
    # small-order point; refuse it rather than derive keys an attacker knows.
    if group in (NamedGroup.x25519, NamedGroup.x448) and not any(secret):
        raise PeerError(Reason.illegal_parameter, "small-order share")
    return secret


def _hybrid_client_secret(kex: KeyExchange, server_share: bytes) -> bytes:
    """The client side of a hybrid group: decapsulate and combine (draft §4.2, §4.3)."""
    classical_group, kem, ecdh_first = _HYBRID[kex.group]
    if len(server_share) != SERVER_SHARE_LENGTH[kex.group]:
        raise PeerError(Reason.illegal_parameter, f"{kex.group.name} share has the wrong length")
    classical, dk = kex.private
    ct_length = _KEM_LENGTHS[kem][1]
    if ecdh_first:
        ecdh_share, ct = server_share[:-ct_length], server_share[-ct_length:]
    else:
        ct, ecdh_share = server_share[:ct_length], server_share[ct_length:]
    ecdh_secret = shared_secret(classical, ecdh_share)
    kem_secret = _kem(kem).decaps(dk, ct)  # implicit rejection: never fails on a bad ct
    return ecdh_secret + kem_secret if ecdh_first else kem_secret + ecdh_secret
