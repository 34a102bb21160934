"""``puretls demo``: exercise the stack on built-in data and report what happened."""

from __future__ import annotations

import argparse

import nocrypto


def main(argv: list[str]) -> int:
    argparse.ArgumentParser(prog="puretls demo").parse_args(argv)
    print(f"nocrypto backend: {nocrypto.backend}")
    print(f"cpu features:     {', '.join(sorted(nocrypto.cpu_features)) or '(none detected)'}")
    return 0
