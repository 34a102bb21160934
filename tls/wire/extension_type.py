"""TLS ExtensionType registry (RFC 8446 §4.2 and the RFCs that add to it)."""

from __future__ import annotations

from enum import IntEnum


class ExtensionType(IntEnum):
    server_name = 0  # RFC 6066
    max_fragment_length = 1
    status_request = 5
    supported_groups = 10  # RFC 8422, 7919
    ec_point_formats = 11
    signature_algorithms = 13
    use_srtp = 14
    heartbeat = 15
    application_layer_protocol_negotiation = 16  # RFC 7301
    signed_certificate_timestamp = 18
    client_certificate_type = 19
    server_certificate_type = 20
    padding = 21  # RFC 7685
    encrypt_then_mac = 22
    extended_master_secret = 23
    record_size_limit = 28  # RFC 8449
    session_ticket = 35
    pre_shared_key = 41
    early_data = 42
    supported_versions = 43
    cookie = 44
    psk_key_exchange_modes = 45
    certificate_authorities = 47
    oid_filters = 48
    post_handshake_auth = 49
    signature_algorithms_cert = 50
    key_share = 51
    renegotiation_info = 0xFF01


# RFC 8446 §4.2: which extensions may appear in which message.  Anything the peer
# sends outside its column is an illegal_parameter (or unsupported_extension for
# a server answering with something the client never offered).
CLIENT_HELLO_ONLY = frozenset(
    {
        ExtensionType.padding,
        ExtensionType.psk_key_exchange_modes,
        ExtensionType.post_handshake_auth,
        ExtensionType.signature_algorithms_cert,
    }
)
ENCRYPTED_EXTENSIONS_ALLOWED = frozenset(
    {
        ExtensionType.server_name,
        ExtensionType.max_fragment_length,
        ExtensionType.supported_groups,
        ExtensionType.use_srtp,
        ExtensionType.heartbeat,
        ExtensionType.application_layer_protocol_negotiation,
        ExtensionType.client_certificate_type,
        ExtensionType.server_certificate_type,
        ExtensionType.record_size_limit,
        ExtensionType.early_data,
    }
)
SERVER_HELLO_ALLOWED = frozenset(
    {ExtensionType.key_share, ExtensionType.pre_shared_key, ExtensionType.supported_versions}
)
HELLO_RETRY_ALLOWED = frozenset(
    {ExtensionType.key_share, ExtensionType.cookie, ExtensionType.supported_versions}
)


def is_grease(value: int) -> bool:
    """RFC 8701 reserved values 0x?A?A, used to keep peers tolerant of unknown code points."""
    return (value & 0x0F0F) == 0x0A0A and (value >> 8) == (value & 0xFF)
