"""The exceptions nocrypto raises.  Every failure a caller can cause is one of these."""


class NocryptoError(Exception):
    """Base class of every nocrypto error."""


class AuthenticationError(NocryptoError):
    """An AEAD tag or a MAC did not verify.  No plaintext is released."""


class InvalidKeyError(NocryptoError, ValueError):
    """A key, a public value or a peer share is malformed or outside its group."""
