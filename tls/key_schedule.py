"""The TLS 1.3 key schedule (RFC 8446 §7.1–§7.5).

Pure functions from secrets and transcript hashes to secrets, keys and
Finished values.  Labels are given without the ``"tls13 "`` prefix.
"""

from __future__ import annotations

from tls import crypto


def expand_label(secret: bytes, label: bytes, context: bytes, length: int, hash_name: str) -> bytes:
    """HKDF-Expand-Label (RFC 8446 §7.1)."""
    return crypto.hkdf_expand_label(secret, label, context, length, hash_name)


def derive_secret(secret: bytes, label: bytes, transcript_hash: bytes, hash_name: str) -> bytes:
    """Derive-Secret (RFC 8446 §7.1), given the transcript hash already computed."""
    return expand_label(secret, label, transcript_hash, crypto.HASH_LENGTH[hash_name], hash_name)


# Per hash: Hash(""), the Early Secret without a PSK, and that secret's "derived" salt.
# All three are constants (RFC 8446 §7.1 feeds zeros where no PSK is used), so every
# full handshake would otherwise recompute them.
_CONSTANTS: dict[str, tuple[bytes, bytes, bytes]] = {}


def _constants(hash_name: str) -> tuple[bytes, bytes, bytes]:
    found = _CONSTANTS.get(hash_name)
    if found is None:
        empty_hash = crypto.digest(hash_name, b"")
        zeros = bytes(crypto.HASH_LENGTH[hash_name])
        early = crypto.hkdf_extract(zeros, zeros, hash_name)
        salt = derive_secret(early, b"derived", empty_hash, hash_name)
        found = _CONSTANTS[hash_name] = (empty_hash, early, salt)
    return found


def early_secret(hash_name: str, psk: bytes | None = None) -> bytes:
    if psk is None:
        return _constants(hash_name)[1]
    return crypto.hkdf_extract(bytes(crypto.HASH_LENGTH[hash_name]), psk, hash_name)


def _next_stage(secret: bytes, ikm: bytes, hash_name: str) -> bytes:
    empty_hash, no_psk_early, no_psk_salt = _constants(hash_name)
    if secret is no_psk_early:  # the very object early_secret() returned: no PSK
        salt = no_psk_salt
    else:
        salt = derive_secret(secret, b"derived", empty_hash, hash_name)
    return crypto.hkdf_extract(salt, ikm, hash_name)


def handshake_secret(early: bytes, shared_secret: bytes, hash_name: str) -> bytes:
    return _next_stage(early, shared_secret, hash_name)


def master_secret(handshake: bytes, hash_name: str) -> bytes:
    return _next_stage(handshake, bytes(crypto.HASH_LENGTH[hash_name]), hash_name)


def traffic_key_iv(
    secret: bytes, key_length: int, iv_length: int, hash_name: str
) -> tuple[bytes, bytes]:
    """The write key and IV of one traffic secret (RFC 8446 §7.3)."""
    key = expand_label(secret, b"key", b"", key_length, hash_name)
    iv = expand_label(secret, b"iv", b"", iv_length, hash_name)
    return key, iv


def next_traffic_secret(secret: bytes, hash_name: str) -> bytes:
    """application_traffic_secret_N+1 (RFC 8446 §7.2), used by KeyUpdate."""
    return expand_label(secret, b"traffic upd", b"", crypto.HASH_LENGTH[hash_name], hash_name)


def finished_verify_data(base_key: bytes, transcript_hash: bytes, hash_name: str) -> bytes:
    """Finished.verify_data (RFC 8446 §4.4.4)."""
    finished_key = expand_label(
        base_key, b"finished", b"", crypto.HASH_LENGTH[hash_name], hash_name
    )
    return crypto.hmac(finished_key, transcript_hash, hash_name)


def exporter(
    exporter_master_secret: bytes, label: bytes, context: bytes, length: int, hash_name: str
) -> bytes:
    """TLS-Exporter (RFC 8446 §7.5)."""
    empty_hash = crypto.digest(hash_name, b"")
    secret = derive_secret(exporter_master_secret, label, empty_hash, hash_name)
    return expand_label(secret, b"exporter", crypto.digest(hash_name, context), length, hash_name)


def binder_key(early: bytes, hash_name: str, external: bool = False) -> bytes:
    """The PSK binder key (RFC 8446 §7.1): "res binder" for resumption PSKs."""
    label = b"ext binder" if external else b"res binder"
    return derive_secret(early, label, crypto.digest(hash_name, b""), hash_name)


def psk_binder(early: bytes, truncated_transcript: bytes, hash_name: str) -> bytes:
    """The binder over a ClientHello cut before its binders (RFC 8446 §4.2.11.2)."""
    return finished_verify_data(
        binder_key(early, hash_name), crypto.digest(hash_name, truncated_transcript), hash_name
    )


def resumption_psk(resumption_master_secret: bytes, ticket_nonce: bytes, hash_name: str) -> bytes:
    """The PSK a NewSessionTicket stands for (RFC 8446 §4.6.1)."""
    return expand_label(
        resumption_master_secret,
        b"resumption",
        ticket_nonce,
        crypto.HASH_LENGTH[hash_name],
        hash_name,
    )
