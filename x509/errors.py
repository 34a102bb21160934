"""The exceptions x509 raises.

``ParseError`` is for bytes that are not a well-formed object (PEM, DER, a key);
``ValidationError`` is for a well-formed chain that must not be trusted, with a
machine-readable ``reason`` and the ``index`` of the certificate at fault in the
candidate path (0 = the leaf), or ``None`` when no single certificate is to blame.
"""

from __future__ import annotations


class X509Error(Exception):
    """Base class of every x509 error."""


class ParseError(X509Error, ValueError):
    """Malformed or unsupported encoding.  ``path`` names the ASN.1 element when known."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(f"{message} (at {path})" if path else message)
        self.path = path


class UnsupportedAlgorithm(X509Error, ValueError):
    """A well-formed key or signature whose algorithm puretls does not implement."""


class ValidationError(X509Error):
    """A chain that must not be trusted.

    ``reason`` is one of the ``Reason`` constants below (stable, machine-readable);
    ``message`` explains it to a person.
    """

    def __init__(self, reason: str, message: str, index: int | None = None) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message
        self.index = index


class Reason:
    """The machine-readable ``ValidationError.reason`` codes."""

    NO_PATH = "no_path"  # no chain to a trust anchor could be built
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    BAD_SIGNATURE = "bad_signature"
    NAME_MISMATCH = "name_mismatch"  # leaf does not match the expected host/IP/email
    NOT_A_CA = "not_a_ca"  # basicConstraints cA missing on an issuer
    PATH_LENGTH = "path_length"  # pathLenConstraint or max_depth exceeded
    KEY_USAGE = "key_usage"
    EXTENDED_KEY_USAGE = "extended_key_usage"
    UNKNOWN_CRITICAL_EXTENSION = "unknown_critical_extension"
    NAME_CONSTRAINTS = "name_constraints"
    POLICY = "policy"
    REVOKED = "revoked"
    CRL_INVALID = "crl_invalid"  # a CRL for the issuer failed its own checks
    REVOCATION_UNKNOWN = "revocation_unknown"  # CRLs were given, none covers the certificate
    WEAK_KEY = "weak_key"  # RSA < 2048, small curves, explicit curves, DSA
    WEAK_SIGNATURE = "weak_signature"  # SHA-1 and friends
    UNSUPPORTED_ALGORITHM = "unsupported_algorithm"
    PROFILE = "profile"  # a web-PKI/RFC 5280 encoding rule the certificate breaks
    WORK_BUDGET = "work_budget"  # path building gave up (denial-of-service guard)
