"""``python -m x509 verify|show ...``: the same tools as ``puretls verify`` / ``puretls show``."""

from __future__ import annotations

import sys

from x509.cli import show_main, verify_main


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("verify", "show"):
        print("usage: python -m x509 {verify|show} ...", file=sys.stderr)
        return 2
    return verify_main(argv[1:]) if argv[0] == "verify" else show_main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
