"""PEM (RFC 7468) text encoding of DER objects.

Parsing follows the RFC's *lax* grammar: explanatory text may surround the blocks,
whitespace of any kind may appear inside the base64 text, and several blocks may
follow one another.  The label of ``-----END`` must equal the one of ``-----BEGIN``.
RFC 1421 headers (``Proc-Type``, ``DEK-Info``, used by OpenSSL's legacy encrypted keys)
are returned to the caller, who decides whether it understands them.  Encoding
follows the *strict* grammar: 64-character lines, ``\\n`` line ends.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field

from x509.errors import ParseError

# RFC 7468 §3: label = [ labelchar *( ["-" / SP] labelchar ) ], labelchar = %x21-2C / %x2E-7E
_BEGIN = re.compile(rb"-----BEGIN ([\x21-\x2c\x2e-\x7e](?:[- ]?[\x21-\x2c\x2e-\x7e])*|)-----")
_HEADER = re.compile(rb"^([A-Za-z0-9-]+):[ \t]*(.*)$")
_WS = re.compile(rb"[ \t\r\n\v\f]+")


@dataclass(frozen=True, slots=True)
class PemBlock:
    """One ``-----BEGIN label-----`` … ``-----END label-----`` block."""

    label: str
    der: bytes
    headers: dict[str, str] = field(default_factory=dict)


def _as_bytes(data: bytes | bytearray | memoryview | str) -> bytes:
    if isinstance(data, str):
        try:
            return data.encode("ascii")
        except UnicodeEncodeError as exc:
            raise ParseError("PEM text must be ASCII") from exc
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    raise TypeError(f"expected bytes or str, got {type(data).__name__}")


def decode_all(data: bytes | bytearray | memoryview | str) -> list[PemBlock]:
    """Every PEM block in ``data``, in order.  Text outside the blocks is ignored."""
    text = _as_bytes(data)
    blocks: list[PemBlock] = []
    pos = 0
    while True:
        m = _BEGIN.search(text, pos)
        if m is None:
            return blocks
        label = m.group(1)
        end_marker = b"-----END " + label + b"-----"
        end = text.find(end_marker, m.end())
        if end < 0:
            raise ParseError(f"PEM block {label.decode()!r} has no matching END line")
        body = text[m.end() : end]
        headers: dict[str, str] = {}
        lines = body.strip(b" \t\r\n").split(b"\n")
        # RFC 1421 headers come first and end with an empty line.
        if lines and _HEADER.match(lines[0].rstrip(b"\r")):
            i = 0
            while i < len(lines) and lines[i].strip():
                hm = _HEADER.match(lines[i].rstrip(b"\r"))
                if hm is None:
                    raise ParseError("malformed PEM header line")
                headers[hm.group(1).decode()] = hm.group(2).decode("ascii", "replace").strip()
                i += 1
            body = b"\n".join(lines[i:])
        compact = _WS.sub(b"", body)
        if compact.rstrip(b"=").find(b"=") >= 0:
            raise ParseError("PEM padding '=' in the middle of the base64 text")
        try:
            der = base64.b64decode(compact, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ParseError(f"PEM block {label.decode()!r}: invalid base64 ({exc})") from exc
        blocks.append(PemBlock(label.decode("ascii"), der, headers))
        pos = end + len(end_marker)


def decode(data: bytes | bytearray | memoryview | str, labels: tuple[str, ...]) -> list[bytes]:
    """The DER of every block whose label is in ``labels``; raises ParseError if none."""
    found = [b.der for b in decode_all(data) if b.label in labels]
    if not found:
        raise ParseError(f"no PEM block labelled {' or '.join(labels)}")
    return found


def encode(label: str, der: bytes | bytearray | memoryview) -> bytes:
    """A strict RFC 7468 PEM block, 64 base64 characters per line."""
    b64 = base64.b64encode(bytes(der))
    lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
    head = f"-----BEGIN {label}-----\n".encode()
    tail = f"-----END {label}-----\n".encode()
    return head + b"".join(line + b"\n" for line in lines) + tail


def looks_like_pem(data: bytes | bytearray | memoryview | str) -> bool:
    """Whether ``data`` contains at least one BEGIN line (else it is probably DER)."""
    try:
        return _BEGIN.search(_as_bytes(data)) is not None
    except ParseError:
        return False
