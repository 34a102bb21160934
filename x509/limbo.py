"""Run the x509-limbo test suite (https://x509-limbo.com) through ``x509.Verifier``.

Each testcase gives trusted and untrusted certificates, a peer certificate, a time,
an expected peer name and the expected verdict.  ``run`` produces the harness result
format ``{"version": 1, "harness": "puretls", "results": [{"id", "actual_result",
"context"}]}``; ``summarize`` compares it with the expectations.
"""

from __future__ import annotations

import datetime as _dt
import fnmatch
import functools
import gzip
import ipaddress
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from x509 import extensions as ext
from x509.certificate import Certificate, load_pem_certificates
from x509.errors import ParseError, ValidationError, X509Error
from x509.hostname import Email, matches_reference
from x509.verify import Verifier


def load(path: str | Path) -> list[dict[str, Any]]:
    """The testcases of a limbo JSON file (optionally gzip-compressed)."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        data = json.load(f)
    if not isinstance(data, dict) or "testcases" not in data:
        raise ValueError(f"{path} is not an x509-limbo file")
    return list(data["testcases"])


def select(
    cases: Iterable[dict[str, Any]], include: list[str] | None, exclude: list[str] | None
) -> list[dict[str, Any]]:
    out = []
    for case in cases:
        if include and not any(fnmatch.fnmatchcase(case["id"], g) for g in include):
            continue
        if exclude and any(fnmatch.fnmatchcase(case["id"], g) for g in exclude):
            continue
        out.append(case)
    return out


@functools.lru_cache(maxsize=4096)
def _parse(text: str) -> tuple[Certificate, ...]:
    # Certificates are immutable and the suite repeats the same roots thousands of
    # times (every BetterTLS case shares one): parse each PEM text once.
    return tuple(load_pem_certificates(text))


def _certs(pems: Iterable[str]) -> list[Certificate]:
    """Certificates that parse; one that does not can only be ignored as a candidate."""
    out: list[Certificate] = []
    for text in pems:
        try:
            out.extend(_parse(text))
        except X509Error:
            continue
    return out


def _peer_name(case: dict[str, Any]) -> Any:
    return _reference(case.get("expected_peer_name"))


def _reference(peer: dict[str, str] | None) -> Any:
    if not peer:
        return None
    kind, value = peer["kind"], peer["value"]
    if kind == "DNS":
        return value
    if kind == "IP":
        return ipaddress.ip_address(value)
    if kind == "RFC822":
        return Email(value)
    raise ValueError(f"unsupported peer name kind {kind}")


# x509-limbo feature flags puretls implements; a case needing another is SKIPPED.
# Not implemented: the Public Suffix List (pedantic-public-suffix-wildcard) and the
# CABF rules that would refuse real-world certificates (pedantic-webpki-eku: EKU
# required in leaves and forbidden in roots).
SUPPORTED_FEATURES = frozenset(
    {
        "has-crl",
        "name-constraint-dn",
        "max-chain-depth",
        "denial-of-service",
        "pedantic-serial-number",
        "pedantic-webpki-subscriber-key",
        "pedantic-rfc5280",
    }
)


def run_case(case: dict[str, Any]) -> tuple[str, str]:
    """("SUCCESS" | "FAILURE" | "SKIPPED", context) for one testcase."""
    from x509 import crl as crl_module

    missing = sorted(set(case.get("features") or ()) - SUPPORTED_FEATURES)
    if missing:
        return "SKIPPED", f"unsupported feature(s): {', '.join(missing)}"
    if case.get("signature_algorithms"):
        # a per-case allow-list of signature algorithms is not mapped (yet): refuse to
        # guess rather than risk accepting what the case forbids
        return "SKIPPED", "signature_algorithms restrictions are not supported"
    if case.get("validation_kind") not in ("SERVER", "CLIENT"):
        return "SKIPPED", f"unsupported validation kind {case.get('validation_kind')}"
    try:
        leaf = load_pem_certificates(case["peer_certificate"])[0]
    except (X509Error, IndexError) as exc:
        return "FAILURE", f"peer certificate does not parse: {exc}"
    roots = _certs(case.get("trusted_certs", []))
    intermediates = _certs(case.get("untrusted_intermediates", []))
    when = case.get("validation_time")
    time = _dt.datetime.fromisoformat(when) if when else None
    purposes = [ext.EKU_NAMES.get(e, e) for e in case.get("extended_key_usage") or []]
    if not purposes:
        purposes = [ext.SERVER_AUTH if case["validation_kind"] == "SERVER" else ext.CLIENT_AUTH]
    crls = []
    for text in case.get("crls") or []:
        try:
            crls.extend(crl_module.load_pem_crls(text))
        except X509Error as exc:
            return "FAILURE", f"CRL does not parse: {exc}"
    try:
        name = _peer_name(case)
        verifier = Verifier(
            roots,
            intermediates,
            time=time,
            max_depth=case.get("max_chain_depth"),
            extended_key_usage=purposes,
            key_usage=case.get("key_usage") or None,
            crls=crls,
        )
        path = verifier.verify(leaf, name)
        # every further expected name must be one the leaf is valid for as well
        for extra in case.get("expected_peer_names") or []:
            reference = _reference(extra)
            if reference is not None and not matches_reference(
                list(leaf.san.names) if leaf.san is not None else [], reference
            ):
                return "FAILURE", f"leaf is not valid for {reference}"
    except (ValidationError, ParseError) as exc:
        return "FAILURE", str(exc)
    except ValueError as exc:
        return "FAILURE", f"rejected: {exc}"
    return "SUCCESS", f"path of {len(path)} certificates"


def run(cases: Iterable[dict[str, Any]]) -> dict[str, Any]:
    results = []
    for case in cases:
        actual, context = run_case(case)
        results.append({"id": case["id"], "actual_result": actual, "context": context})
    return {"version": 1, "harness": "puretls", "results": results}


def summarize(cases: Iterable[dict[str, Any]], results: dict[str, Any]) -> dict[str, Any]:
    """Counts of pass / wrong-accept / wrong-reject / skipped, and the failing ids."""
    expected = {c["id"]: c["expected_result"] for c in cases}
    counts = {"pass": 0, "wrong_accept": 0, "wrong_reject": 0, "skipped": 0}
    wrong: dict[str, list[str]] = {"wrong_accept_ids": [], "wrong_reject_ids": []}
    for r in results["results"]:
        want, got = expected[r["id"]], r["actual_result"]
        if got == "SKIPPED":
            counts["skipped"] += 1
        elif got == want:
            counts["pass"] += 1
        elif got == "SUCCESS":
            counts["wrong_accept"] += 1
            wrong["wrong_accept_ids"].append(r["id"])
        else:
            counts["wrong_reject"] += 1
            wrong["wrong_reject_ids"].append(r["id"])
    return {**counts, "total": len(results["results"]), **wrong}
