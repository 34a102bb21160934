"""``puretls bench [primitives|asn1|x509|tls] ...``"""

from __future__ import annotations

import importlib
import sys

SUITES = ("primitives", "asn1", "x509", "tls")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in SUITES:
        print(f"usage: puretls bench {{{'|'.join(SUITES)}}} [args]", file=sys.stderr)
        return 2
    try:
        mod = importlib.import_module(f"benchmarks.{argv[0]}")
    except ModuleNotFoundError:
        print(f"benchmark suite {argv[0]!r} is not built yet", file=sys.stderr)
        return 2
    return int(mod.main(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main())
