"""Why a connection failed, and the one alert each reason is reported with.

Every error a peer can cause is raised inside the engine as :class:`PeerError`
with a :class:`Reason`; the engine turns it into exactly the alert listed in
:data:`ALERT_FOR` here, and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from tls.wire.alert import AlertDescription


class Reason(Enum):
    decode_error = "malformed message"
    unexpected_message = "message not allowed here"
    bad_record_mac = "record failed authentication"
    record_overflow = "record too large"
    illegal_parameter = "illegal parameter"
    handshake_failure = "no acceptable parameters"
    protocol_version = "no common protocol version"
    insufficient_security = "peer offers only weak parameters"
    missing_extension = "required extension missing"
    unsupported_extension = "extension not offered"
    bad_certificate = "bad certificate"
    unsupported_certificate = "unsupported certificate"
    certificate_expired = "certificate expired"
    certificate_revoked = "certificate revoked"
    unknown_ca = "certificate not trusted"
    certificate_unknown = "certificate rejected"
    decrypt_error = "signature or Finished did not verify"
    no_application_protocol = "no common application protocol"
    unrecognized_name = "unknown server name"
    certificate_required = "certificate required"
    too_many_empty_records = "too many empty or warning records"
    internal_error = "internal error"
    peer_alert = "peer sent a fatal alert"
    inappropriate_fallback = "downgrade detected"


ALERT_FOR: dict[Reason, AlertDescription] = {
    Reason.decode_error: AlertDescription.decode_error,
    Reason.unexpected_message: AlertDescription.unexpected_message,
    Reason.bad_record_mac: AlertDescription.bad_record_mac,
    Reason.record_overflow: AlertDescription.record_overflow,
    Reason.illegal_parameter: AlertDescription.illegal_parameter,
    Reason.handshake_failure: AlertDescription.handshake_failure,
    Reason.protocol_version: AlertDescription.protocol_version,
    Reason.insufficient_security: AlertDescription.insufficient_security,
    Reason.missing_extension: AlertDescription.missing_extension,
    Reason.unsupported_extension: AlertDescription.unsupported_extension,
    Reason.bad_certificate: AlertDescription.bad_certificate,
    Reason.unsupported_certificate: AlertDescription.unsupported_certificate,
    Reason.certificate_expired: AlertDescription.certificate_expired,
    Reason.certificate_revoked: AlertDescription.certificate_revoked,
    Reason.unknown_ca: AlertDescription.unknown_ca,
    Reason.certificate_unknown: AlertDescription.certificate_unknown,
    Reason.decrypt_error: AlertDescription.decrypt_error,
    Reason.no_application_protocol: AlertDescription.no_application_protocol,
    Reason.unrecognized_name: AlertDescription.unrecognized_name,
    Reason.certificate_required: AlertDescription.certificate_required,
    Reason.too_many_empty_records: AlertDescription.unexpected_message,
    Reason.internal_error: AlertDescription.internal_error,
    # The peer already closed with its alert: we answer with nothing.
    Reason.peer_alert: AlertDescription.close_notify,
    Reason.inappropriate_fallback: AlertDescription.illegal_parameter,
}


class PeerError(Exception):
    """Raised inside the engine when the peer broke the protocol; never escapes ``handle``."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Failure:
    """The typed outcome of a failed connection (``Step.failure``)."""

    reason: Reason
    detail: str
    alert: AlertDescription  # the alert sent (or, for peer_alert, received)
    sent_by_peer: bool = False

    def __str__(self) -> str:
        who = "peer sent" if self.sent_by_peer else "sent"
        return f"{self.reason.value} ({who} alert {self.alert.name}): {self.detail}"
