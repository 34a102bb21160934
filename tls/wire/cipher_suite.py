"""TLS 1.3 cipher suites (RFC 8446 §B.4) and the parameters each one fixes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class CipherSuite(IntEnum):
    TLS_AES_128_GCM_SHA256 = 0x1301
    TLS_AES_256_GCM_SHA384 = 0x1302
    TLS_CHACHA20_POLY1305_SHA256 = 0x1303
    TLS_AES_128_CCM_SHA256 = 0x1304
    TLS_AES_128_CCM_8_SHA256 = 0x1305
    TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00FF


@dataclass(frozen=True, slots=True)
class SuiteParameters:
    aead: str  # "aes-gcm" | "chacha20-poly1305" | "aes-ccm"
    key_length: int
    iv_length: int
    tag_length: int
    hash_name: str
    # RFC 8446 §5.5 / AEBounds: records one key may protect before a KeyUpdate.
    record_limit: int


SUITES: dict[CipherSuite, SuiteParameters] = {
    CipherSuite.TLS_AES_128_GCM_SHA256: SuiteParameters("aes-gcm", 16, 12, 16, "sha256", 2**24),
    CipherSuite.TLS_AES_256_GCM_SHA384: SuiteParameters("aes-gcm", 32, 12, 16, "sha384", 2**24),
    CipherSuite.TLS_CHACHA20_POLY1305_SHA256: SuiteParameters(
        "chacha20-poly1305", 32, 12, 16, "sha256", 2**62
    ),
    CipherSuite.TLS_AES_128_CCM_SHA256: SuiteParameters("aes-ccm", 16, 12, 16, "sha256", 2**23),
}
