"""``x509.load_pem``: every object in a PEM file, whatever its kind."""

from __future__ import annotations

from typing import Any

from x509 import pem
from x509.errors import ParseError

CERTIFICATE_LABELS = ("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE")


def load_pem(
    data: bytes | bytearray | memoryview | str, password: bytes | None = None
) -> list[Any]:
    """Certificates, private and public keys, CRLs and CSRs, in file order.

    Raises ParseError for a block that does not parse or whose label is unknown;
    ``password`` decrypts ``ENCRYPTED PRIVATE KEY`` blocks.
    """
    from x509.certificate import Certificate
    from x509.crl import CRL
    from x509.csr import CSR
    from x509.keyformats import load_der_public_key, load_pem_private_key

    out: list[Any] = []
    for block in pem.decode_all(data):
        label = block.label
        if label in CERTIFICATE_LABELS:
            out.append(Certificate.from_der(block.der))
        elif label.endswith("PRIVATE KEY"):
            # re-wrap so the key loader sees the label (and any RFC 1421 headers)
            headers = "".join(f"{k}: {v}\n" for k, v in block.headers.items())
            body = pem.encode(label, block.der)
            if headers:
                first, rest = body.split(b"\n", 1)
                body = first + b"\n" + headers.encode() + b"\n" + rest
            out.append(load_pem_private_key(body, password))
        elif label == "PUBLIC KEY":
            out.append(load_der_public_key(block.der))
        elif label == "X509 CRL":
            out.append(CRL.from_der(block.der))
        elif label in ("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"):
            out.append(CSR.from_der(block.der))
        else:
            raise ParseError(f"unsupported PEM block {label!r}")
    return out
