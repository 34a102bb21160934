"""``puretls client HOST:PORT``: connect, show what was negotiated, relay stdin/stdout."""

from __future__ import annotations

import argparse
import os
import selectors
import sys
from pathlib import Path
from typing import Any

DEFAULT_CA_FILES = (
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/cert.pem",
)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="puretls client", description="connect to HOST:PORT over TLS")
    p.add_argument("target", metavar="HOST:PORT")
    p.add_argument("--ca", help="PEM file of trusted roots (default: the system bundle)")
    p.add_argument("--fingerprint", help="trust exactly the leaf with this SHA-256 (hex)")
    p.add_argument("--insecure", action="store_true", help="do not validate the certificate")
    p.add_argument("--cert", help="client certificate chain (PEM), offered if the server asks")
    p.add_argument("--key", help="private key (PEM) of --cert")
    p.add_argument("--alpn", action="append", default=[], help="offer this ALPN protocol")
    p.add_argument("--groups", help="comma-separated groups, in preference order")
    p.add_argument("--ciphers", help="comma-separated TLS 1.3 suites, in preference order")
    p.add_argument("--sni", help="server name to send and check (default: HOST)")
    p.add_argument("--tls1.3", dest="tls13", action="store_true", help="TLS 1.3 (the default)")
    p.add_argument("--tls1.2", dest="tls12", action="store_true", help="TLS 1.2 (not built yet)")
    p.add_argument("--key-update", action="store_true", help="send a KeyUpdate after connecting")
    p.add_argument("--reconnect", action="store_true", help="reconnect once, resuming the session")
    p.add_argument("--quiet", action="store_true", help="print nothing but the relayed data")
    return p


def _authenticator(args: argparse.Namespace) -> Any:
    import tls

    if args.insecure:
        return tls.authenticator.insecure_no_verification()
    if args.fingerprint:
        return tls.authenticator.fingerprint(args.fingerprint)
    import x509

    ca_file = args.ca or next((f for f in DEFAULT_CA_FILES if os.path.exists(f)), None)
    if ca_file is None:
        raise SystemExit("puretls client: no --ca given and no system CA bundle found")
    return tls.authenticator.chain_of_trust(x509.load_pem_certificates(Path(ca_file).read_bytes()))


def describe(info: dict[str, Any], out: Any = sys.stderr) -> None:
    """Print the negotiated parameters and the peer chain."""
    for label, key in (
        ("protocol", "version"),
        ("cipher suite", "cipher_suite"),
        ("key exchange", "group"),
        ("hello retry", "hello_retry"),
        ("peer signature", "peer_signature_scheme"),
        ("ALPN", "alpn_protocol"),
        ("server name", "server_name"),
    ):
        print(f"{label + ':':<16}{info[key]}", file=out)
    from tls import crypto

    for depth, der in enumerate(info["peer_certificates"]):
        line = f"sha256={crypto.digest('sha256', der).hex()}"
        try:
            import x509

            cert = x509.Certificate.from_der(der)
            line = f"{cert.subject.rfc4514_string()}  (issuer {cert.issuer.rfc4514_string()})"
        except Exception:
            pass
        print(f"certificate {depth}:  {line}", file=out)


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    import tls

    if args.tls12:
        print("puretls client: TLS 1.2 is not part of this build", file=sys.stderr)
        return 2
    host, _, port = args.target.rpartition(":")
    if not host or not port.isdigit():
        print("puretls client: expected HOST:PORT", file=sys.stderr)
        return 2
    host = host.strip("[]")
    kwargs: dict[str, Any] = {"alpn_protocols": args.alpn}
    if args.groups:
        groups = tuple(g.strip() for g in args.groups.split(","))
        kwargs["groups"] = groups
        kwargs["key_share_groups"] = groups[:1]
    if args.ciphers:
        kwargs["cipher_suites"] = tuple(c.strip() for c in args.ciphers.split(","))
    try:
        if args.cert:
            from tls.cli_server import load_credentials

            kwargs["certificates"] = [load_credentials(args.cert, args.key or args.cert)]
        config = tls.ClientConfig(authenticator=_authenticator(args), **kwargs)
        conn = tls.connect(host, int(port), config, server_name=args.sni or host, timeout=30)
    except (tls.ConfigError, tls.TLSError, OSError, ValueError) as exc:
        print(f"puretls client: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        describe(conn.info())
    if args.reconnect:
        conn = _reconnect(conn, host, int(port), config, args.sni or host, args.quiet)
    if args.key_update:
        conn.key_update(request_peer=True)
    conn.settimeout(None)
    return _relay(conn)


def _reconnect(conn: Any, host: str, port: int, config: Any, name: str, quiet: bool) -> Any:
    """Close, then connect again offering the session ticket the server sent."""
    import tls

    conn.settimeout(2)
    try:  # tickets arrive after the handshake: give the server a moment to send them
        while conn.session is None and conn.recv_ready() == b"":
            pass
    except (OSError, tls.TLSError):
        pass
    session = conn.session
    conn.close()
    again = tls.connect(host, port, config, server_name=name, timeout=30, session=session)
    if not quiet:
        print(f"reconnected:    resumed={again.info()['resumed']}", file=sys.stderr)
    return again


def _relay(conn: Any) -> int:
    import tls

    sel = selectors.DefaultSelector()
    sel.register(conn.fileno(), selectors.EVENT_READ, "net")
    sel.register(sys.stdin.fileno(), selectors.EVENT_READ, "stdin")
    out = sys.stdout.buffer
    try:
        while True:
            for key, _ in sel.select():
                if key.data == "stdin":
                    data = os.read(sys.stdin.fileno(), 16384)
                    if not data:
                        sel.unregister(sys.stdin.fileno())
                        conn.shutdown_write()
                        continue
                    conn.sendall(data)
                else:
                    data = conn.recv_ready()
                    if data is None:
                        return 0
                    out.write(data)
                    out.flush()
    except tls.TLSError as exc:
        print(f"puretls client: {exc}", file=sys.stderr)
        return 1
    finally:
        conn.close()
