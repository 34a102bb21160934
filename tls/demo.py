"""``puretls demo``: exercise the stack on built-in data and report what happened.

Builds a small PKI with ``x509.CertificateBuilder`` (a root CA and a server
certificate), then runs a puretls client against a puretls server in this
process over a socket pair, validating the chain to the root and the name.
"""

from __future__ import annotations

import argparse
import socket
import threading
import time
from typing import Any

import nocrypto


def _pki(algorithm: str, curve: str | None) -> tuple[object, object, object]:
    import x509

    ca_key = x509.generate_private_key(algorithm, curve=curve)
    ca = (
        x509.CertificateBuilder()
        .subject("CN=puretls demo root")
        .public_key(ca_key.public_key())
        .ca(True)
        .sign(ca_key)
    )
    server_key = x509.generate_private_key(algorithm, curve=curve)
    leaf = (
        x509.CertificateBuilder()
        .subject("CN=demo.puretls.test")
        .issued_by(ca)
        .public_key(server_key.public_key())
        .subject_alt_names(dns=["demo.puretls.test"])
        .extended_key_usage("serverAuth")
        .sign(ca_key)
    )
    return ca, leaf, server_key


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="puretls demo")
    parser.add_argument("--key", choices=["ec", "ed25519", "rsa"], default="ec")
    parser.add_argument("--group", default="x25519")
    args = parser.parse_args(argv)
    print(f"nocrypto backend: {nocrypto.backend}")
    print(f"cpu features:     {', '.join(sorted(nocrypto.cpu_features)) or '(none detected)'}")

    import tls

    start = time.perf_counter()
    ca, leaf, server_key = _pki(args.key, "secp256r1" if args.key == "ec" else None)
    print(
        f"built a root CA and a server certificate ({args.key}) in "
        f"{time.perf_counter() - start:.2f}s"
    )
    server_config = tls.ServerConfig(certificates=[([leaf], server_key)], alpn_protocols=["h2"])
    client_config = tls.ClientConfig(
        authenticator=tls.authenticator.chain_of_trust([ca]),
        alpn_protocols=["h2", "http/1.1"],
        key_share_groups=(args.group,),
    )

    def connect(session: Any = None) -> tuple[float, dict, bytes, Any]:
        """One connection over a socket pair, the server in a thread."""
        client_sock, server_sock = socket.socketpair()
        errors: list[BaseException] = []

        def serve() -> None:
            try:
                with tls.wrap_server(server_sock, server_config) as s:
                    s.sendall(s.recv().upper())
            except BaseException as exc:
                errors.append(exc)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        start = time.perf_counter()
        with tls.wrap_client(client_sock, client_config, "demo.puretls.test", session) as s:
            elapsed = time.perf_counter() - start
            s.sendall(b"hello from the puretls client")
            answer = s.recv()
            info, ticket = s.info(), s.session
        thread.join(10)
        if errors:
            raise errors[0]
        return elapsed, info, answer, ticket

    try:
        elapsed, info, answer, session = connect()
        again, info2, _, _ = connect(session)
    except (tls.TLSError, OSError) as exc:
        print(f"failed: {exc}")
        return 1
    print(f"handshake:        {elapsed * 1000:.1f} ms")
    print(f"version:          {info['version']}")
    print(f"cipher suite:     {info['cipher_suite']}")
    print(f"key exchange:     {info['group']}")
    print(f"server signature: {info['peer_signature_scheme']}")
    print(f"ALPN:             {info['alpn_protocol']}")
    print(f"server name:      {info['server_name']} (chain validated to the demo root)")
    print(f"echo:             {answer.decode()}")
    print(f"resumed:          {info2['resumed']} (second connection, {again * 1000:.1f} ms)")
    return 0 if info2["resumed"] else 1
