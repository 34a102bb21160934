"""``puretls verify`` and ``puretls show``.

verify: exit status 0 when the chain is valid, 1 when it is not, 2 for usage errors
and unreadable input.  With ``--limbo`` it runs an x509-limbo file instead and exits
1 if any case was wrongly accepted.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import ipaddress
import json
import sys
import time as _time
from pathlib import Path
from typing import Any

from x509 import pem
from x509.certificate import Certificate, load_pem_certificates
from x509.errors import ValidationError, X509Error


def _read_certs(path: str) -> list[Certificate]:
    data = Path(path).read_bytes()
    if pem.looks_like_pem(data):
        certs = load_pem_certificates(data)
    else:
        certs = [Certificate.from_der(data)]
    if not certs:
        raise X509Error(f"{path}: no certificate found")
    return certs


def _verify_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="puretls verify", description="validate a certificate chain")
    p.add_argument("chain", nargs="?", help="PEM file: the leaf first, then intermediates")
    p.add_argument("--roots", help="trusted certificates (default: the system bundle)")
    p.add_argument("--untrusted", action="append", default=[], help="more intermediates")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--host", help="DNS name the leaf must be valid for")
    who.add_argument("--ip", help="IP address the leaf must be valid for")
    p.add_argument("--time", help="validation time, ISO 8601 (default: now)")
    p.add_argument("--purpose", choices=("server", "client"), default="server")
    p.add_argument("--profile", choices=("webpki", "rfc5280"), default="webpki")
    p.add_argument("--max-depth", type=int)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--limbo", metavar="FILE", help="run an x509-limbo testcase file")
    p.add_argument("--output", help="with --limbo: write the harness results here")
    p.add_argument("--include", action="append", help="with --limbo: only ids matching GLOB")
    p.add_argument("--exclude", action="append", help="with --limbo: skip ids matching GLOB")
    return p


def _parse_time(text: str | None) -> _dt.datetime | None:
    if text is None:
        return None
    when = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.UTC)
    return when


def verify_main(argv: list[str]) -> int:
    parser = _verify_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    if args.limbo:
        return _limbo_main(args)
    if not args.chain:
        parser.print_usage(sys.stderr)
        print("puretls verify: a CHAIN file (or --limbo FILE) is required", file=sys.stderr)
        return 2
    try:
        chain = _read_certs(args.chain)
        extra = [c for path in args.untrusted for c in _read_certs(path)]
        from x509.certificate import load_trust_store

        roots = load_trust_store(args.roots)
        if not roots:
            print("puretls verify: no usable trust anchors", file=sys.stderr)
            return 2
        when = _parse_time(args.time)
        name: Any = args.host
        if args.ip:
            name = ipaddress.ip_address(args.ip)
    except (OSError, X509Error, ValueError) as exc:
        print(f"puretls verify: {exc}", file=sys.stderr)
        return 2
    from x509.verify import Verifier

    verifier = Verifier(
        roots,
        chain[1:] + extra,
        time=when,
        max_depth=args.max_depth,
        profile=args.profile,
        extended_key_usage=[args.purpose],
    )
    try:
        path = verifier.verify(chain[0], name)
    except ValidationError as exc:
        if args.json:
            print(
                json.dumps(
                    {
                        "valid": False,
                        "reason": exc.reason,
                        "message": exc.message,
                        "index": exc.index,
                    }
                )
            )
        else:
            where = f" (certificate {exc.index})" if exc.index is not None else ""
            print(f"INVALID: {exc.reason}: {exc.message}{where}")
        return 1
    if args.json:
        print(json.dumps({"valid": True, "path": [_cert_summary(c) for c in path]}, indent=2))
    else:
        print("OK")
        for i, c in enumerate(path):
            print(f"  {i}: {c.subject.rfc4514_string()}")
    return 0


def _limbo_main(args: argparse.Namespace) -> int:
    from x509 import limbo

    try:
        cases = limbo.select(limbo.load(args.limbo), args.include, args.exclude)
    except (OSError, ValueError) as exc:
        print(f"puretls verify: {exc}", file=sys.stderr)
        return 2
    start = _time.perf_counter()
    results = limbo.run(cases)
    elapsed = _time.perf_counter() - start
    summary = limbo.summarize(cases, results)
    if args.output:
        Path(args.output).write_text(json.dumps(results, indent=1), encoding="utf-8")
    if args.json:
        print(json.dumps({**summary, "seconds": round(elapsed, 2)}, indent=2))
    else:
        print(
            f"{summary['total']} cases in {elapsed:.1f}s: pass {summary['pass']}, "
            f"wrong-accept {summary['wrong_accept']}, wrong-reject {summary['wrong_reject']}, "
            f"skipped {summary['skipped']}"
        )
        for kind in ("wrong_accept", "wrong_reject"):
            for case_id in summary[kind + "_ids"]:
                print(f"  {kind.replace('_', '-')}: {case_id}")
    return 1 if summary["wrong_accept"] else 0


# -- show ------------------------------------------------------------------------


def _cert_summary(c: Certificate) -> dict[str, Any]:
    out: dict[str, Any] = {
        "subject": c.subject.rfc4514_string(),
        "issuer": c.issuer.rfc4514_string(),
        "serial_number": f"{c.serial_number:x}",
        "version": c.version,
        "not_valid_before": c.not_valid_before.isoformat(),
        "not_valid_after": c.not_valid_after.isoformat(),
        "signature_algorithm": c.signature_algorithm,
        "sha256_fingerprint": c.fingerprint("sha256").hex(),
    }
    try:
        k = c.public_key()
        out["public_key"] = {"algorithm": k.algorithm, "curve": k.curve, "key_size": k.key_size}
    except (X509Error, ValueError) as exc:
        out["public_key"] = {"error": str(exc)}
    out["extensions"] = [
        {"name": e.name, "oid": e.oid, "critical": e.critical, "value": _plain(e.value)}
        for e in c.extensions
    ]
    return out


def _plain(v: Any) -> Any:
    """A JSON-friendly rendering of an extension value."""
    import dataclasses

    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return {f.name: _plain(getattr(v, f.name)) for f in dataclasses.fields(v)}
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, tuple | list):
        return [_plain(x) for x in v]
    if isinstance(v, frozenset | set):
        return sorted(_plain(x) for x in v)
    if isinstance(v, str | int | float | bool) or v is None:
        return v
    if hasattr(v, "rfc4514_string"):
        return v.rfc4514_string()
    return str(v)


def show_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="puretls show", description="print certificates and keys")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    try:
        data = Path(args.file).read_bytes()
        items = _load_any(data)
    except (OSError, X509Error, ValueError) as exc:
        print(f"puretls show: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(items, indent=2))
        return 0
    for item in items:
        kind = item.pop("type")
        print(f"{kind}:")
        _print_tree(item, "  ")
    return 0


def _print_tree(item: Any, indent: str) -> None:
    if isinstance(item, dict):
        for k, v in item.items():
            if isinstance(v, dict | list) and v:
                print(f"{indent}{k}:")
                _print_tree(v, indent + "  ")
            else:
                print(f"{indent}{k}: {v}")
    elif isinstance(item, list):
        for v in item:
            if isinstance(v, dict):
                _print_tree(v, indent + "- ")
            else:
                print(f"{indent}- {v}")


def _load_any(data: bytes) -> list[dict[str, Any]]:
    from x509 import keyformats

    blocks = (
        [(b.label, b.der) for b in pem.decode_all(data)]
        if pem.looks_like_pem(data)
        else [("CERTIFICATE", data)]
    )
    items: list[dict[str, Any]] = []
    for label, der in blocks:
        if label in ("CERTIFICATE", "X509 CERTIFICATE"):
            items.append({"type": "certificate", **_cert_summary(Certificate.from_der(der))})
        elif label.endswith("PRIVATE KEY"):
            key = keyformats.load_pem_private_key(pem.encode(label, der))
            items.append(
                {
                    "type": "private key",
                    "algorithm": key.algorithm,
                    "curve": key.curve,
                    "key_size": key.key_size,
                }
            )
        elif label == "PUBLIC KEY":
            pub = keyformats.load_der_public_key(der)
            items.append(
                {
                    "type": "public key",
                    "algorithm": pub.algorithm,
                    "curve": pub.curve,
                    "key_size": pub.key_size,
                }
            )
        elif label in ("X509 CRL", "CERTIFICATE REQUEST"):
            items.append(_other_summary(label, der))
        else:
            items.append({"type": label.lower(), "bytes": len(der)})
    return items


def _other_summary(label: str, der: bytes) -> dict[str, Any]:
    if label == "X509 CRL":
        from x509.crl import CRL

        crl = CRL.from_der(der)
        return {
            "type": "crl",
            "issuer": crl.issuer.rfc4514_string(),
            "this_update": crl.this_update.isoformat(),
            "next_update": crl.next_update.isoformat() if crl.next_update else None,
            "revoked": [f"{r.serial_number:x}" for r in crl.revoked],
        }
    from x509.csr import CSR

    csr = CSR.from_der(der)
    return {
        "type": "certificate request",
        "subject": csr.subject.rfc4514_string(),
        "signature_valid": csr.verify_signature(),
    }
