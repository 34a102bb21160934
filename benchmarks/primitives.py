"""``python -m benchmarks.primitives [hash|aead|rsa|ec ...]``: primitives beside OpenSSL.

Each family lives in its own module (``benchmarks/prim_<family>.py``) exposing
``run(args) -> None``; with no argument every family that exists is run.
"""

from __future__ import annotations

import importlib
import sys

FAMILIES = ("hash", "aead", "rsa", "ec")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    wanted = [a for a in argv if not a.startswith("-")] or list(FAMILIES)
    rest = [a for a in argv if a.startswith("-")]
    for fam in wanted:
        if fam not in FAMILIES:
            print(f"unknown family {fam!r}; choose from {', '.join(FAMILIES)}", file=sys.stderr)
            return 2
        try:
            mod = importlib.import_module(f"benchmarks.prim_{fam}")
        except ModuleNotFoundError:
            print(f"[{fam}] not built yet")
            continue
        mod.run(rest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
