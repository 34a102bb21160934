"""NIST PKITS (the certificates and CRLs in cryptography_vectors) under the "rfc5280"
profile with SHA-1 allowed (PKITS dates from 2010): every test whose file name says
Valid/Invalid, with all PKITS CRLs given and hard-fail revocation.

Recorded: 188 of 203 pass and nothing invalid is accepted.  The 15 valid paths
refused need what puretls does not implement: DSA keys (2), indirect CRLs /
cRLIssuer (7), delta CRLs that remove an entry (1), and CRLs signed by a rolled-over
key whose own certificate needs a further CRL-signer search (4).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import x509

RECORDED_PASS = 188
WHEN = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def _load():
    import cryptography_vectors

    base = Path(cryptography_vectors.__file__).parent / "x509" / "PKITS_data"
    certs = {
        p.stem: x509.Certificate.from_der(p.read_bytes()) for p in (base / "certs").glob("*.crt")
    }
    crls = [x509.CRL.from_der(p.read_bytes()) for p in (base / "crls").glob("*.crl")]
    return certs, crls


def test_pkits() -> None:
    certs, crls = _load()
    root = certs["TrustAnchorRootCertificate"]
    pool = [c for n, c in certs.items() if not n.endswith("EE") and c is not root]
    passed, wrong_accepts = 0, []
    for name, cert in sorted(certs.items()):
        if not name.endswith("EE") or not name.startswith(("Valid", "Invalid")):
            continue
        verifier = x509.Verifier(
            [root],
            pool,
            time=WHEN,
            profile="rfc5280",
            allow_sha1=True,
            extended_key_usage=[],
            crls=crls,
        )
        try:
            verifier.verify(cert)
            ok = True
        except x509.ValidationError:
            ok = False
        if ok == name.startswith("Valid"):
            passed += 1
        elif ok:
            wrong_accepts.append(name)
    assert wrong_accepts == []
    assert passed >= RECORDED_PASS


def test_revoked_end_entity_is_refused_and_soft_mode_differs() -> None:
    certs, crls = _load()
    root = certs["TrustAnchorRootCertificate"]
    pool = [c for n, c in certs.items() if not n.endswith("EE")]
    common = dict(time=WHEN, profile="rfc5280", allow_sha1=True, extended_key_usage=[])
    v = x509.Verifier([root], pool, crls=crls, **common)
    try:
        v.verify(certs["InvalidRevokedEETest3EE"])
        raise AssertionError("revoked certificate accepted")
    except x509.ValidationError as exc:
        assert exc.reason == x509.Reason.REVOKED
    # a CA that published no CRL: unknown status fails hard, passes soft
    missing = certs["InvalidMissingCRLTest1EE"]
    try:
        v.verify(missing)
        raise AssertionError("unknown revocation status accepted in hard mode")
    except x509.ValidationError as exc:
        assert exc.reason == x509.Reason.REVOCATION_UNKNOWN
    soft = x509.Verifier([root], pool, crls=crls, revocation="soft", **common)
    assert len(soft.verify(missing)) == 3
