"""x509: certificates, keys, CSRs, CRLs, a builder, and RFC 5280 / web-PKI path validation.

    import x509
    roots = x509.load_trust_store()                     # the system bundle, or a path
    chain = x509.load_pem_certificates(open("chain.pem", "rb").read())
    path = x509.Verifier(roots, chain[1:]).verify(chain[0], "example.com")

    key = x509.generate_private_key("ec", curve="secp256r1")
    cert = (x509.CertificateBuilder()
            .subject("CN=example.com").issuer("CN=example.com")
            .public_key(key.public_key()).ca(True)
            .sign(key))
    key.to_pem(password=b"secret")                      # PKCS#8, PBES2-encrypted
    x509.load_pem_private_key(pem_bytes, password=b"secret")

Modules: ``certificate`` (the model), ``keys`` / ``keyformats`` (sign, verify, PEM/DER),
``builder``, ``csr``, ``crl`` (parse, build, revocation), ``verify`` (path building),
``profile`` (web-PKI and RFC 5280 rules), ``constraints`` (name constraints),
``hostname`` (RFC 9525 matching), ``policy`` (RFC 5280 policy tree), ``limbo`` (the
x509-limbo harness), ``cli`` (``puretls verify`` / ``puretls show``).  ASN.1 comes
from the shared grammars in ``x509.grammar``; nothing here walks TLV bytes by hand.

Errors: ``x509.ParseError`` (malformed input), ``x509.ValidationError`` (``.reason``,
``.index``), ``x509.UnsupportedAlgorithm``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from x509.errors import ParseError, Reason, UnsupportedAlgorithm, ValidationError, X509Error
from x509.extensions import Extension
from x509.hostname import Email, IPAddressValue
from x509.keys import PrivateKey, PublicKey, generate_private_key
from x509.name import Name, NameAttribute

if TYPE_CHECKING:
    from x509.builder import CertificateBuilder
    from x509.certificate import Certificate
    from x509.crl import CRL
    from x509.csr import CSR
    from x509.verify import Verifier

# Heavier modules load on first use, so ``import x509`` stays cheap.
_LAZY = {
    "Certificate": "x509.certificate",
    "load_pem_certificates": "x509.certificate",
    "load_der_certificate": "x509.certificate",
    "load_trust_store": "x509.certificate",
    "load_pem": "x509.loading",
    "CertificateBuilder": "x509.builder",
    "Verifier": "x509.verify",
    "verify_chain": "x509.verify",
    "load_pem_private_key": "x509.keyformats",
    "load_der_private_key": "x509.keyformats",
    "load_pem_public_key": "x509.keyformats",
    "load_der_public_key": "x509.keyformats",
    "CRL": "x509.crl",
    "load_pem_crls": "x509.crl",
    "CSR": "x509.csr",
    "CSRBuilder": "x509.csr",
    "CRLBuilder": "x509.crl",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'x509' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "CRL",
    "CSR",
    "Certificate",
    "CertificateBuilder",
    "Email",
    "Extension",
    "IPAddressValue",
    "Name",
    "NameAttribute",
    "ParseError",
    "PrivateKey",
    "PublicKey",
    "Reason",
    "UnsupportedAlgorithm",
    "ValidationError",
    "Verifier",
    "X509Error",
    "generate_private_key",
    *_LAZY,
]
