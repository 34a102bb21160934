"""``python -m benchmarks.x509``: chain validations per second, puretls beside
cryptography's Rust verifier, and the time for the whole x509-limbo dev set.

Two rows a chain.  "Parsed anew": every validation starts from DER, so path building,
every profile check and every signature verification run each time.  "Same objects":
the certificate objects are reused, and a puretls certificate remembers what depends on
its bytes alone (which issuer keys verified its signature, the outcome of each profile
rule); validity at the given time, names, usages, path constraints and policies are
still checked on every run.  cryptography verifies everything again in both rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from benchmarks._timing import rate, table

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


def _chain(kind: str):
    import x509

    start, end = NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=30)
    if kind == "ecdsa-p256":
        keys = [x509.generate_private_key("ec") for _ in range(3)]
    else:
        keys = [x509.generate_private_key("rsa", key_size=2048) for _ in range(3)]
    root = (
        x509.CertificateBuilder()
        .subject("CN=bench root")
        .public_key(keys[0])
        .validity(start, end)
        .ca(path_length=1)
        .sign(keys[0])
    )
    inter = (
        x509.CertificateBuilder()
        .subject("CN=bench intermediate")
        .public_key(keys[1])
        .validity(start, end)
        .ca(path_length=0)
        .issued_by(root)
        .sign(keys[0])
    )
    leaf = (
        x509.CertificateBuilder()
        .subject("CN=bench.example")
        .public_key(keys[2])
        .validity(start, end)
        .subject_alt_names(dns=["bench.example"])
        .extended_key_usage("serverAuth")
        .issued_by(inter)
        .sign(keys[1])
    )
    return root, inter, leaf


def chains(min_time: float) -> list[list[object]]:
    """Two rows a chain: certificates parsed anew for every validation (what a first
    contact costs: every signature checked), and the same certificate objects each time
    (a puretls certificate remembers which issuer keys verified it and its profile-rule
    outcomes, so then only the time-, name- and path-dependent checks run; cryptography
    verifies everything again)."""
    import x509

    rows: list[list[object]] = []
    for kind in ("ecdsa-p256", "rsa-2048"):
        root, inter, leaf = _chain(kind)
        ders = [c.to_der() for c in (root, inter, leaf)]

        def ours_fresh(ders=ders) -> None:
            r, i, lf = (x509.Certificate.from_der(d) for d in ders)
            x509.Verifier([r], [i], time=NOW).verify(lf, "bench.example")

        def ours_same(root=root, inter=inter, leaf=leaf) -> None:
            x509.Verifier([root], [inter], time=NOW).verify(leaf, "bench.example")

        ours = {"parsed anew": rate(ours_fresh, min_time=min_time)}
        ours["same objects"] = rate(ours_same, min_time=min_time)
        theirs = dict.fromkeys(ours, float("nan"))
        try:
            from cryptography import x509 as cx
            from cryptography.x509.verification import PolicyBuilder, Store

            def verify(c_root, c_inter, c_leaf) -> None:
                verifier = (
                    PolicyBuilder()
                    .store(Store([c_root]))
                    .time(NOW)
                    .build_server_verifier(cx.DNSName("bench.example"))
                )
                verifier.verify(c_leaf, [c_inter])

            def theirs_fresh(ders=ders) -> None:
                verify(*(cx.load_der_x509_certificate(d) for d in ders))

            loaded = [cx.load_der_x509_certificate(d) for d in ders]
            theirs["parsed anew"] = rate(theirs_fresh, min_time=min_time)
            theirs["same objects"] = rate(lambda c=loaded: verify(*c), min_time=min_time)
        except ImportError:
            pass
        for how, value in ours.items():
            rows.append(
                [f"verify 3-cert chain {kind}, {how}", value, theirs[how], value / theirs[how]]
            )
    return rows


def limbo_time(path: Path) -> list[object] | None:
    if not path.is_file():
        return None
    from x509 import limbo

    cases = limbo.load(path)
    start = time.perf_counter()
    results = limbo.run(cases)
    elapsed = time.perf_counter() - start
    summary = limbo.summarize(cases, results)
    return [len(cases), elapsed, len(cases) / elapsed, summary["pass"]]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.x509")
    p.add_argument("--quick", action="store_true", help="shorter runs (noisier)")
    p.add_argument(
        "--limbo",
        type=Path,
        default=Path(__file__).resolve().parent.parent.parent
        / "shared/vectors/limbo/limbo-dev.json.gz",
    )
    p.add_argument("--no-limbo", action="store_true")
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    import nocrypto

    print(f"nocrypto backend: {nocrypto.backend}")
    rows = chains(0.1 if args.quick else 0.3)
    print(table(["operation", "puretls /s", "cryptography /s", "ratio"], rows))
    if not args.no_limbo:
        row = limbo_time(args.limbo)
        if row is None:
            print(f"\nx509-limbo: {args.limbo} not found, skipped")
        else:
            print()
            print(table(["x509-limbo dev set", "seconds", "cases/s", "pass"], [row]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
