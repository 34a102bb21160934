"""The whole x509-limbo dev set through ``x509.Verifier``: no regression allowed.

Recorded on the dev set (6 893 cases): 6 887 pass, 0 wrong acceptances, 0 wrong
rejections, 6 skipped (features puretls does not implement: the Public Suffix List
and the CABF EKU pedantries).

The CN cases (CABF BR 7.1.4.3) pull two ways: ``webpki::cn::not-in-san`` and
``webpki::cn::punycode-not-in-san`` want a leaf refused because its CN names a host
missing from its SAN, while about 270 other cases (BetterTLS, rfc5280::nc,
webpki::san) want leaves whose CN is an unrelated host, an ancestor of a SAN name or
a name a SAN wildcard covers accepted.  ``x509.profile`` refuses the CN shapes that
cannot be such a leftover, the second two included: a host that is a sibling of a SAN
dNSName (same parent domain) but is not in the SAN.
"""

from __future__ import annotations

from x509 import limbo

RECORDED_PASS = 6887
KNOWN_WRONG_ACCEPTS: set[str] = set()


def test_limbo_dev_set(limbo_path) -> None:
    cases = limbo.load(limbo_path)
    results = limbo.run(cases)
    summary = limbo.summarize(cases, results)
    new_accepts = set(summary["wrong_accept_ids"]) - KNOWN_WRONG_ACCEPTS
    assert not new_accepts, f"wrongly accepted: {sorted(new_accepts)}"
    assert summary["pass"] >= RECORDED_PASS, summary["wrong_reject_ids"][:20]
    assert summary["wrong_reject"] == 0, summary["wrong_reject_ids"][:20]


def test_result_format_is_limbo_harness_format(limbo_path) -> None:
    cases = limbo.select(limbo.load(limbo_path), ["rfc5280::validity::*"], None)
    results = limbo.run(cases)
    assert results["version"] == 1 and results["harness"] == "puretls"
    assert {r["id"] for r in results["results"]} == {c["id"] for c in cases}
    for r in results["results"]:
        assert r["actual_result"] in ("SUCCESS", "FAILURE", "SKIPPED")
        assert isinstance(r["context"], str)
