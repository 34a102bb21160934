"""``python -m benchmarks.asn1``: full X.509 certificate decode, puretls beside asn1crypto
and pyasn1.

The certificate is generated here with `cryptography` (RSA-2048, SANs, AKI/SKI, EKU, KU,
AIA, CRL DP, policies: ~1.5 KiB).  "Full decode" means every field and extension value
extracted, nothing lazy: puretls ``asn1.der.decode(x509.grammar.Certificate, der)``,
asn1crypto ``Certificate.load(der).native``, pyasn1 ``decode(der, rfc5280.Certificate())``
(pyasn1 then leaves extension values as OCTET STRINGs; that only flatters it).
"""

from __future__ import annotations

import argparse
import datetime
import sys

from benchmarks._timing import rate, table


def make_certificate() -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    issuer = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Trust Services"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Web PKI Operations"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Example TLS Issuing CA R3"),
        ]
    )
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Berlin"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, "Berlin"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example GmbH"),
            x509.NameAttribute(NameOID.COMMON_NAME, "www.example.com"),
        ]
    )
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)  # noqa: UP017
    ca_pub = ca_key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(0x1234567890ABCDEF1234567890ABCDEF)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=90))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName(n)
                    for n in (
                        "www.example.com",
                        "example.com",
                        "api.example.com",
                        "static.example.com",
                        "mail.example.com",
                        "login.example.com",
                        "cdn.example.net",
                        "shop.example.org",
                    )
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, True, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_pub), critical=False)
        .add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.OCSP,
                        x509.UniformResourceIdentifier("http://ocsp.example.com"),
                    ),
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.CA_ISSUERS,
                        x509.UniformResourceIdentifier("http://ca.example.com/r3.der"),
                    ),
                ]
            ),
            critical=False,
        )
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier("http://crl.example.com/r3.crl")],
                        None,
                        None,
                        None,
                    )
                ]
            ),
            critical=False,
        )
        .add_extension(
            x509.CertificatePolicies(
                [
                    x509.PolicyInformation(x509.ObjectIdentifier("2.23.140.1.2.1"), None),
                    x509.PolicyInformation(
                        x509.ObjectIdentifier("1.3.6.1.4.1.44947.1.1.1"),
                        ["http://cps.example.com"],
                    ),
                ]
            ),
            critical=False,
        )
    )
    cert = builder.sign(ca_key, hashes.SHA256())
    return cert.public_bytes(serialization.Encoding.DER)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.asn1")
    ap.add_argument("--time", type=float, default=0.3, help="seconds per measurement")
    args = ap.parse_args(argv)

    import asn1
    from x509 import grammar

    der = make_certificate()
    g = grammar.Certificate
    ours = rate(lambda: asn1.der.decode(g, der), args.time)
    rows: list[list[object]] = [["puretls asn1 (strict DER)", ours, "1.00x"]]
    try:
        from asn1crypto import x509 as a1x

        ref = rate(lambda: a1x.Certificate.load(der).native, args.time)
        rows.append(["asn1crypto .native", ref, f"{ours / ref:.2f}x"])
    except ImportError:
        rows.append(["asn1crypto", "not installed", "-"])
    try:
        from pyasn1.codec.der import decoder as pdec
        from pyasn1_modules import rfc5280

        ref = rate(lambda: pdec.decode(der, asn1Spec=rfc5280.Certificate()), args.time)
        rows.append(["pyasn1 rfc5280", ref, f"{ours / ref:.2f}x"])
    except ImportError:
        rows.append(["pyasn1", "not installed", "-"])
    print(f"full X.509 certificate decode ({len(der)} bytes); ratio = puretls / other")
    print(table(["decoder", "certs/s", "puretls speed-up"], rows))

    # encoding: every element rebuilt from values (raw views dropped, so nothing is copied)
    value = _without_raw(asn1.der.decode(g, der))
    assert asn1.der.encode(g, value) == der
    ours = rate(lambda: asn1.der.encode(g, value), args.time)
    rows = [["puretls asn1 (DER)", ours, "1.00x"]]
    try:
        from asn1crypto import x509 as a1x

        parsed = a1x.Certificate.load(der)
        _ = parsed.native  # parse everything, then re-serialise every child
        ref = rate(lambda: parsed.dump(force=True), args.time)
        rows.append(["asn1crypto dump(force=True)", ref, f"{ours / ref:.2f}x"])
    except ImportError:
        pass
    try:
        from pyasn1.codec.der import decoder as pdec
        from pyasn1.codec.der import encoder as penc
        from pyasn1_modules import rfc5280

        obj, _ = pdec.decode(der, asn1Spec=rfc5280.Certificate())
        ref = rate(lambda: penc.encode(obj), args.time)
        rows.append(["pyasn1 rfc5280", ref, f"{ours / ref:.2f}x"])
    except ImportError:
        pass
    print()
    print("full X.509 certificate DER encode from decoded values")
    print(table(["encoder", "certs/s", "puretls speed-up"], rows))
    return 0


def _without_raw(v: object) -> object:
    """The decoded value with every ``raw()`` pair's bytes dropped (forcing re-encoding)."""
    if isinstance(v, dict):
        return {k: _without_raw(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_without_raw(x) for x in v]
    if isinstance(v, tuple):
        if len(v) == 2 and isinstance(v[1], bytes) and not isinstance(v[0], str):
            return (_without_raw(v[0]), None)
        return tuple(_without_raw(x) for x in v)
    return v


if __name__ == "__main__":
    sys.exit(main())
