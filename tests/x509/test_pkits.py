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


P1, P2, P3 = (f"2.16.840.1.101.3.2.1.48.{i}" for i in (1, 2, 3))  # NIST-test-policy-1..3
EXPLICIT = {"require_explicit_policy": True}
# PKITS 4.8 / 4.12 tests run with the initial inputs of RFC 5280 §6.1.1 they specify
POLICY_CASES = [
    ("ValidCertificatePathTest1EE", {}, True),
    ("ValidCertificatePathTest1EE", EXPLICIT, True),
    ("ValidCertificatePathTest1EE", {"policies": [P1], **EXPLICIT}, True),
    ("ValidCertificatePathTest1EE", {"policies": [P2], **EXPLICIT}, False),
    ("ValidCertificatePathTest1EE", {"policies": [P1, P2], **EXPLICIT}, True),
    ("AllCertificatesNoPoliciesTest2EE", {}, True),
    ("AllCertificatesNoPoliciesTest2EE", EXPLICIT, False),
    ("DifferentPoliciesTest3EE", {}, True),
    ("DifferentPoliciesTest3EE", EXPLICIT, False),
    ("OverlappingPoliciesTest6EE", {"policies": [P1]}, True),
    ("OverlappingPoliciesTest6EE", {"policies": [P2], **EXPLICIT}, False),
    ("AllCertificatesSamePoliciesTest10EE", {"policies": [P2]}, True),
    ("AllCertificatesanyPolicyTest11EE", {"policies": [P1]}, True),
    ("AllCertificatesSamePoliciesTest13EE", {"policies": [P3]}, True),
    ("AnyPolicyTest14EE", {"policies": [P1]}, True),
    ("AnyPolicyTest14EE", {"policies": [P2]}, False),
    ("inhibitAnyPolicyTest3EE", {}, True),
    ("inhibitAnyPolicyTest3EE", {"inhibit_any_policy": True}, False),
]


def test_policy_inputs() -> None:
    certs, _ = _load()
    root = certs["TrustAnchorRootCertificate"]
    pool = [c for n, c in certs.items() if not n.endswith("EE")]
    for name, inputs, valid in POLICY_CASES:
        v = x509.Verifier(
            [root],
            pool,
            time=WHEN,
            profile="rfc5280",
            allow_sha1=True,
            extended_key_usage=[],
            **inputs,
        )
        try:
            v.verify(certs[name])
            ok = True
        except x509.ValidationError as exc:
            ok = False
            assert exc.reason == x509.Reason.POLICY, (name, inputs, exc)
        assert ok == valid, (name, inputs)
