"""The ``puretls`` command: one entry point, each subcommand in the package that owns it."""

from __future__ import annotations

import argparse
import importlib
import sys

# subcommand -> (module, function, one-line help).  Each function takes the remaining
# argv and returns an exit status.
SUBCOMMANDS: dict[str, tuple[str, str, str]] = {
    "demo": ("tls.demo", "main", "run the stack on built-in data and show what happened"),
    "client": ("tls.cli_client", "main", "connect to HOST:PORT over TLS"),
    "server": ("tls.cli_server", "main", "serve TLS (--www or --echo)"),
    "verify": ("x509.cli", "verify_main", "validate a certificate chain, or an x509-limbo file"),
    "show": ("x509.cli", "show_main", "print certificates, CSRs, CRLs and keys"),
    "bench": ("benchmarks.__main__", "main", "side-by-side benchmarks"),
    "interop": ("interop.__main__", "main", "interoperability matrix against real peers"),
}


def _load(name: str):
    module_name, func_name, _ = SUBCOMMANDS[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None
        raise
    return getattr(module, func_name, None)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        prog="puretls",
        description="puretls: a TLS stack in Python",
        epilog="\n".join(f"  {k:<8} {v[2]}" for k, v in SUBCOMMANDS.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", choices=sorted(SUBCOMMANDS), metavar="COMMAND")
    if not argv or argv[0] in ("-h", "--help"):
        parser.print_help()
        return 0 if argv else 2
    args = parser.parse_args(argv[:1])
    func = _load(args.command)
    if func is None:
        print(f"puretls: '{args.command}' is not part of this build yet", file=sys.stderr)
        return 2
    return int(func(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main())
