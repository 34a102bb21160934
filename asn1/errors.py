"""The exceptions asn1 raises."""

from __future__ import annotations


class Asn1Error(Exception):
    """Base class of every asn1 error."""


class GrammarError(Asn1Error, TypeError):
    """A grammar was declared in a way ASN.1 does not allow (e.g. IMPLICIT on a CHOICE)."""


class EncodeError(Asn1Error, ValueError):
    """A value does not fit its grammar, so it has no encoding."""


class DecodeError(Asn1Error, ValueError):
    """Input bytes are not a valid encoding of the grammar.

    ``offset`` is the byte offset (from the start of the input) where the problem was
    found; ``path`` the grammar path to the element, e.g.
    ``Certificate.tbsCertificate.extensions[3].extnValue``.
    """

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        # filled innermost-first while the exception travels up the decoder
        self._rpath: list[str] = []

    @property
    def path(self) -> str:
        out = ""
        for part in reversed(self._rpath):
            if part.startswith("["):
                out += part
            elif out:
                out += "." + part
            else:
                out = part
        return out

    def __str__(self) -> str:
        where = self.path
        return f"{self.message} (at {where or '<top>'}, offset {self.offset})"

    def __reduce__(self):  # keep pickling (e.g. pytest-xdist) working
        return (_rebuild, (self.message, self.offset, list(self._rpath)))


def _rebuild(message: str, offset: int, rpath: list[str]) -> DecodeError:
    e = DecodeError(message, offset)
    e._rpath = rpath
    return e
