"""TLS NamedGroup registry (RFC 8446 §4.2.7, RFC 7919) and the share size of each group."""

from __future__ import annotations

from enum import IntEnum


class NamedGroup(IntEnum):
    secp256r1 = 0x0017
    secp384r1 = 0x0018
    secp521r1 = 0x0019
    x25519 = 0x001D
    x448 = 0x001E
    ffdhe2048 = 0x0100
    ffdhe3072 = 0x0101
    ffdhe4096 = 0x0102
    ffdhe6144 = 0x0103
    ffdhe8192 = 0x0104
    # draft-ietf-tls-ecdhe-mlkem: hybrid post-quantum key agreement.
    SecP256r1MLKEM768 = 0x11EB
    X25519MLKEM768 = 0x11EC
    SecP384r1MLKEM1024 = 0x11ED


# Exact key_share length for each group: a share of any other length is an
# illegal_parameter before any arithmetic touches it (RFC 8446 §4.2.8.1, .2).
SHARE_LENGTH: dict[NamedGroup, int] = {
    NamedGroup.secp256r1: 65,
    NamedGroup.secp384r1: 97,
    NamedGroup.secp521r1: 133,
    NamedGroup.x25519: 32,
    NamedGroup.x448: 56,
    NamedGroup.ffdhe2048: 256,
    NamedGroup.ffdhe3072: 384,
    NamedGroup.ffdhe4096: 512,
    NamedGroup.ffdhe6144: 768,
    NamedGroup.ffdhe8192: 1024,
    # Hybrids: the client's share (encapsulation key side); see SERVER_SHARE_LENGTH.
    NamedGroup.SecP256r1MLKEM768: 65 + 1184,
    NamedGroup.X25519MLKEM768: 1184 + 32,
    NamedGroup.SecP384r1MLKEM1024: 97 + 1568,
}
# Where the server's share differs from the client's: the ML-KEM ciphertext side.
SERVER_SHARE_LENGTH: dict[NamedGroup, int] = {
    **SHARE_LENGTH,
    NamedGroup.SecP256r1MLKEM768: 65 + 1088,
    NamedGroup.X25519MLKEM768: 1088 + 32,
    NamedGroup.SecP384r1MLKEM1024: 97 + 1568,
}
