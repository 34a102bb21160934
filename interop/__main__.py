"""``python -m interop [--quick]``: print the interoperability matrix."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from interop import matrix


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m interop")
    parser.add_argument("--quick", action="store_true", help="one cell per group, not all")
    parser.add_argument("--failures-only", action="store_true")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    start = time.monotonic()
    totals: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        credentials = matrix.make_credentials(Path(tmp))
        print(f"{'peer':<36} {'suite':<30} {'group':<10} {'key':<8} outcome")
        for peer, suite, group, kind, outcome in matrix.cells(credentials, args.quick):
            totals[peer + (" ok" if outcome == "ok" else " FAILED")] += 1
            if outcome != "ok" or not args.failures_only:
                print(f"{peer:<36} {suite:<30} {group:<10} {kind:<8} {outcome}", flush=True)
    print()
    for peer in matrix.PEERS:
        ok, bad = totals[peer + " ok"], totals[peer + " FAILED"]
        print(f"{peer:<36} {ok:>4} ok  {bad:>4} failed")
    print(f"({time.monotonic() - start:.0f}s)")
    return 0 if not any(k.endswith("FAILED") for k in totals) else 1


if __name__ == "__main__":
    sys.exit(main())
