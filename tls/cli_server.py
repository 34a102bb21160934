"""``puretls server --cert FILE --key FILE``: serve TLS 1.3, as ``--www`` or ``--echo``."""

from __future__ import annotations

import argparse
import html
import socket
import sys
import threading
from pathlib import Path
from typing import Any


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="puretls server", description="serve TLS 1.3")
    p.add_argument("--cert", required=True, help="PEM certificate chain, leaf first")
    p.add_argument("--key", required=True, help="PEM private key")
    p.add_argument("--port", type=int, default=4433)
    p.add_argument("--host", default="127.0.0.1")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--www", action="store_true", help="answer GET with a status page")
    mode.add_argument("--echo", action="store_true", help="echo what the client sends (default)")
    p.add_argument("--alpn", action="append", default=[], help="accept this ALPN protocol")
    p.add_argument("--groups", help="comma-separated groups, in preference order")
    p.add_argument("--count", type=int, default=0, help="stop after this many connections")
    p.add_argument(
        "--verify-client", metavar="CAFILE", help="require client certificates from CAFILE"
    )
    p.add_argument("--no-tickets", action="store_true", help="send no session tickets")
    return p


def status_page(info: dict[str, Any]) -> bytes:
    """An HTTP/1.0 response with an HTML page of the session facts, one ``name: value``
    per line in a <pre> block, in the spirit of ``openssl s_server -www``; every value
    is escaped (the SNI name, for one, is whatever the client sent)."""
    chain = info.get("peer_certificates") or ()
    lines = [f"{k}: {v}" for k, v in info.items() if k != "peer_certificates"]
    lines.append(f"peer_certificates: {len(chain)}")
    body = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>puretls server</title>'
        "</head>\n<body>\n<h1>puretls server</h1>\n<pre>\n"
        + "\n".join(html.escape(line) for line in lines)
        + "\n</pre>\n</body></html>\n"
    ).encode()
    head = (
        "HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    return head + body


def _serve(conn: socket.socket, config: Any, www: bool) -> None:
    import tls

    try:
        with tls.wrap_server(conn, config) as s:
            if www:
                request = b""
                while b"\r\n\r\n" not in request and b"\n\n" not in request:
                    chunk = s.recv()
                    if not chunk:
                        return
                    request += chunk
                s.sendall(status_page(s.info()))
                return
            while data := s.recv():
                s.sendall(data)
    except (tls.TLSError, OSError) as exc:
        print(f"puretls server: connection failed: {exc}", file=sys.stderr)


def load_credentials(cert_file: str, key_file: str) -> tuple[list[Any], Any]:
    import x509

    chain = x509.load_pem_certificates(Path(cert_file).read_bytes())
    key = x509.load_pem_private_key(Path(key_file).read_bytes())
    return chain, key


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    import tls

    try:
        chain, key = load_credentials(args.cert, args.key)
        kwargs: dict[str, Any] = {"alpn_protocols": args.alpn}
        if args.groups:
            kwargs["groups"] = tuple(g.strip() for g in args.groups.split(","))
        if args.verify_client:
            import x509

            roots = x509.load_pem_certificates(Path(args.verify_client).read_bytes())
            kwargs["client_authenticator"] = tls.authenticator.chain_of_trust(
                roots, purpose="client"
            )
            kwargs["require_client_certificate"] = True
        if args.no_tickets:
            kwargs["session_tickets"] = 0
        config = tls.ServerConfig(certificates=[(chain, key)], **kwargs)
    except Exception as exc:
        print(f"puretls server: {exc}", file=sys.stderr)
        return 1
    listener = socket.create_server((args.host, args.port), reuse_port=False)
    print(f"puretls server: listening on {args.host}:{listener.getsockname()[1]}", flush=True)
    threads: list[threading.Thread] = []
    with listener:
        try:
            while not args.count or len(threads) < args.count:
                conn, _ = listener.accept()
                conn.settimeout(60)
                thread = threading.Thread(target=_serve, args=(conn, config, args.www), daemon=True)
                thread.start()
                threads.append(thread)
        except KeyboardInterrupt:
            return 0
    for thread in threads:
        thread.join(60)
    return 0
