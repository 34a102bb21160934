"""``python -m benchmarks.tls``: TLS 1.3 handshakes/s and bulk MB/s, puretls beside
Python ssl (OpenSSL) and tlslite-ng, each talking to itself over a loopback socket pair.
The server (handshakes, over loopback TCP) and the receiver (bulk, over a socket pair)
run in a forked child process for every stack, so neither end waits on the other's
interpreter lock: Python ssl releases the GIL in OpenSSL, the pure stacks cannot.

Numbers are noisy on a shared machine: each figure is the best of a few short runs.
"""

from __future__ import annotations

import argparse
import datetime
import os
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Python's ssl cannot choose TLS 1.3 cipher suites, and OpenSSL prefers AES-256-GCM; an
# OpenSSL configuration read when ssl loads OpenSSL makes it use AES-128-GCM like the
# other stacks.  It works only if nothing imported ssl before this module (main() checks
# what was negotiated and says so).
_OPENSSL_CONF = Path(tempfile.gettempdir()) / "puretls-bench-openssl.cnf"
if "ssl" not in sys.modules and "OPENSSL_CONF" not in os.environ:
    _OPENSSL_CONF.write_text(
        "openssl_conf = bench_conf\n[bench_conf]\nssl_conf = bench_ssl\n"
        "[bench_ssl]\nsystem_default = bench_default\n"
        "[bench_default]\nCiphersuites = TLS_AES_128_GCM_SHA256\n"
    )
    os.environ["OPENSSL_CONF"] = str(_OPENSSL_CONF)

import ssl  # noqa: E402 (after the configuration above)

from benchmarks._timing import table  # noqa: E402

MB = 1 << 20


# ---- credentials (made with cryptography: benchmarks may use the oracles) ---------------


def _credentials(kind: str, directory: Path) -> tuple[Path, Path, Path]:
    """(root CA cert, server chain, server key) files; the root signs the server cert."""
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import NameOID

    def new_key() -> Any:
        if kind == "p256":
            return ec.generate_private_key(ec.SECP256R1())
        return rsa.generate_private_key(65537, 2048)

    def name(cn: str) -> Any:
        return cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, cn)])

    now = datetime.datetime.now(datetime.UTC)

    def builder(subject: str, issuer: str, public: Any) -> Any:
        return (
            cx509.CertificateBuilder()
            .subject_name(name(subject))
            .issuer_name(name(issuer))
            .public_key(public)
            .serial_number(cx509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
        )

    ca_key, key = new_key(), new_key()
    ca = (
        builder("bench root", "bench root", ca_key.public_key())
        .add_extension(cx509.BasicConstraints(ca=True, path_length=None), True)
        .add_extension(cx509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf = (
        builder("localhost", "bench root", key.public_key())
        .add_extension(cx509.SubjectAlternativeName([cx509.DNSName("localhost")]), False)
        .add_extension(
            cx509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .add_extension(cx509.ExtendedKeyUsage([cx509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    root_path = directory / f"{kind}-root.crt"
    cert_path, key_path = directory / f"{kind}.crt", directory / f"{kind}.key"
    root_path.write_bytes(ca.public_bytes(pem))
    cert_path.write_bytes(leaf.public_bytes(pem))
    key_path.write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return root_path, cert_path, key_path


# ---- one connected pair per implementation -----------------------------------------


class Puretls:
    name = "puretls"

    def __init__(self, root: Path, cert: Path, key: Path) -> None:
        import tls
        import x509

        chain = x509.load_pem_certificates(cert.read_bytes())
        # No session tickets, for every stack alike (ssl: num_tickets = 0): a full
        # handshake is what is measured, not ticket issuing.
        self.server_config = tls.ServerConfig(
            certificates=[(chain, x509.load_pem_private_key(key.read_bytes()))],
            session_tickets=0,
        )
        roots = x509.load_pem_certificates(root.read_bytes())
        self.client_config = tls.ClientConfig(
            authenticator=tls.authenticator.chain_of_trust(roots),
            cipher_suites=("TLS_AES_128_GCM_SHA256",),
        )

    def server(self, sock: socket.socket) -> Any:
        import tls

        return tls.wrap_server(sock, self.server_config)

    def client(self, sock: socket.socket) -> Any:
        import tls

        return tls.wrap_client(sock, self.client_config, "localhost")


class PythonSsl:
    name = "ssl (OpenSSL)"

    def __init__(self, root: Path, cert: Path, key: Path) -> None:
        self.server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.server_ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        self.server_ctx.load_cert_chain(cert, key)
        self.server_ctx.num_tickets = 0
        self.client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        self.client_ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        self.client_ctx.load_verify_locations(root)

    def server(self, sock: socket.socket) -> Any:
        return self.server_ctx.wrap_socket(sock, server_side=True)

    def client(self, sock: socket.socket) -> Any:
        return self.client_ctx.wrap_socket(sock, server_hostname="localhost")


class Tlslite:
    name = "tlslite-ng"

    def __init__(self, root: Path, cert: Path, key: Path) -> None:
        from tlslite import api

        self.api = api
        self.chain = api.X509CertChain()
        self.chain.parsePemList(cert.read_text())
        self.key = api.parsePEMKey(key.read_text(), private=True)
        self.settings = api.HandshakeSettings()
        self.settings.minVersion = self.settings.maxVersion = (3, 4)
        self.settings.cipherNames = ["aes128gcm"]
        self.settings.ticket_count = 0

    def server(self, sock: socket.socket) -> Any:
        conn = self.api.TLSConnection(sock)
        conn.handshakeServer(certChain=self.chain, privateKey=self.key, settings=self.settings)
        return conn

    def client(self, sock: socket.socket) -> Any:
        conn = self.api.TLSConnection(sock)
        conn.handshakeClientCert(settings=self.settings, serverName="localhost")
        return conn


def _close(pair: tuple[Any, ...]) -> None:
    for conn in pair:
        try:
            conn.close()
        except Exception:
            pass


def _serve_handshakes(impl: Any, listener: socket.socket) -> None:
    """The child process of ``handshakes_per_second``: one handshake per connection."""
    while True:
        conn, _ = listener.accept()
        try:
            _close((impl.server(conn),))
        except Exception:
            conn.close()


def handshakes_per_second(impl: Any, seconds: float) -> float:
    """Full handshakes over loopback TCP, the server in a forked child process (its own
    interpreter, as a real server would be) for every implementation alike."""
    import multiprocessing

    listener = socket.create_server(("127.0.0.1", 0))
    address = listener.getsockname()
    child = multiprocessing.get_context("fork").Process(
        target=_serve_handshakes, args=(impl, listener), daemon=True
    )
    child.start()
    listener.close()

    def one() -> None:
        _close((impl.client(socket.create_connection(address)),))

    try:
        one()  # warm up
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            one()
            n += 1
        return n / (time.perf_counter() - start)
    finally:
        child.terminate()
        child.join(10)


def _recv(conn: Any) -> bytes:
    return conn.recv(65536) if hasattr(conn, "recv") else conn.read()  # type: ignore[no-any-return]


def _drain_in_child(impl: Any, sock: socket.socket, total: int, report: Any) -> None:
    server = impl.server(sock)
    got = 0
    while got < total:
        data = _recv(server)
        if not data:
            break
        got += len(data)
    report.send(got)
    _close((server,))


def bulk_mb_per_second(impl: Any, megabytes: int) -> float:
    """The receiver runs in a forked child process: each end has its own interpreter
    (and GIL) as two real peers would, for every implementation alike."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    a, b = socket.socketpair()
    report, child_report = context.Pipe(duplex=False)
    child = context.Process(
        target=_drain_in_child, args=(impl, b, megabytes * MB, child_report), daemon=True
    )
    child.start()
    b.close()
    client = impl.client(a)
    chunk = bytes(16384)
    total = megabytes * MB
    send = client.sendall if hasattr(client, "sendall") else client.write
    start = time.perf_counter()
    for _ in range(total // len(chunk)):
        send(chunk)
    received = report.recv()
    elapsed = time.perf_counter() - start
    child.join(30)
    _close((client,))
    return received / MB / elapsed  # type: ignore[no-any-return]


def negotiated_suite(impl: Any) -> str:
    """The cipher suite one connected pair of ``impl`` agrees on."""
    import threading

    a, b = socket.socketpair()
    server: list[Any] = []
    thread = threading.Thread(target=lambda: server.append(impl.server(b)))
    thread.start()
    client = impl.client(a)
    thread.join(30)
    try:
        if hasattr(client, "cipher"):  # ssl
            return str(client.cipher()[0])
        if hasattr(client, "getCipherName"):  # tlslite-ng
            return str(client.getCipherName())
        from tls import engine

        return str(engine.info(client.state)["cipher_suite"])
    finally:
        _close((client, *server))


def _engine_handshake(impl: Any, now: float, clock: list[float], profile: Any = None) -> None:
    """One in-memory handshake; clock[0] and clock[1] collect client and server time."""
    from tls import engine

    def timed(side: int, fn: Any, *args: Any) -> Any:
        if profile is not None:
            profile[side].enable()
        start = time.perf_counter()
        try:
            return fn(*args)
        finally:
            clock[side] += time.perf_counter() - start
            if profile is not None:
                profile[side].disable()

    client, to_server = timed(0, engine.client, impl.client_config, "localhost", now)
    server = timed(1, engine.server, impl.server_config)
    to_client = b""
    while to_server or to_client:
        if to_server:
            step = timed(1, engine.handle, server, to_server, now)
            server, to_client, to_server = step.state, step.send, b""
        if to_client:
            step = timed(0, engine.handle, client, to_client, now)
            client, to_server, to_client = step.state, step.send, b""
    if not (engine.is_established(client) and engine.is_established(server)):
        raise RuntimeError("the in-memory handshake failed")


def profile_handshakes(kind: str, directory: Path, rounds: int = 200) -> None:
    """Engine time per handshake for each side (best batch of ten), then cProfile's
    heaviest functions for each: where puretls's handshake time goes."""
    import cProfile
    import io
    import pstats

    impl = Puretls(*_credentials(kind, directory))
    now = time.time()
    for _ in range(20):  # warm: imports, the server key's verification table
        _engine_handshake(impl, now, [0.0, 0.0])
    best = [float("inf"), float("inf")]
    for _ in range(2 * rounds // 10):
        clock = [0.0, 0.0]
        for _ in range(10):
            _engine_handshake(impl, now, clock)
        best = [min(best[i], clock[i] / 10) for i in (0, 1)]
    print(
        f"[{kind}] engine time per handshake: client {best[0] * 1e6:.0f} us, "
        f"server {best[1] * 1e6:.0f} us (best batch of 10)"
    )
    profiles = [cProfile.Profile(), cProfile.Profile()]
    for _ in range(rounds):
        _engine_handshake(impl, now, [0.0, 0.0], profiles)
    for side, name in enumerate(("client", "server")):
        text = io.StringIO()
        stats = pstats.Stats(profiles[side], stream=text)
        stats.sort_stats("tottime").print_stats(15)
        print(
            f"[{kind}] {name}: the 15 functions with the most time of their own, {rounds} handshakes"
        )
        body = text.getvalue()
        print(body[body.index("ncalls") :].rstrip() + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tls")
    parser.add_argument("--seconds", type=float, default=1.0, help="time per handshake run")
    parser.add_argument("--megabytes", type=int, default=128, help="bulk transfer size")
    parser.add_argument("--skip-tlslite", action="store_true")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="instead: where puretls's handshake time goes (engine only, in memory, cProfile)",
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    import nocrypto

    print(f"nocrypto backend: {nocrypto.backend}; loopback socket pairs")
    print("servers run in forked child processes (their own GIL), for every stack")
    print("(2 shared cores: expect noise of tens of percent)")
    print(
        "puretls remembers, per certificate, what depends on its bytes alone: a successful\n"
        "signature check (a pure function of the issuer key, the signed bytes and the\n"
        "signature) and the outcome of each profile rule; validity, names, usages and path\n"
        "constraints are checked on every handshake.  So its repeat handshakes with one\n"
        "server verify the CertificateVerify signature only, and a server key that keeps\n"
        "verifying gets a table of its multiples (P-256: 95 -> 42 us); ssl does neither\n"
    )
    if args.profile:
        with tempfile.TemporaryDirectory() as tmp:
            for kind in ("p256", "rsa"):
                profile_handshakes(kind, Path(tmp))
        return 0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        files = _credentials("p256", Path(tmp))
        stacks: list[Any] = [Puretls(*files), PythonSsl(*files)]
        if not args.skip_tlslite:
            stacks.append(Tlslite(*files))
        suites = ", ".join(f"{i.name} {negotiated_suite(i)}" for i in stacks)
        print(f"cipher suites negotiated: {suites}\n")
        for kind, label in (("p256", "x25519 + ECDSA P-256"), ("rsa", "x25519 + RSA-2048")):
            files = _credentials(kind, Path(tmp))
            impls: list[Any] = [Puretls(*files), PythonSsl(*files)]
            if not args.skip_tlslite:
                impls.append(Tlslite(*files))
            # Best of three rounds, the stacks taking turns (see the bulk rounds below).
            rates = dict.fromkeys((i.name for i in impls), 0.0)
            for _ in range(3):
                for i in impls:
                    rates[i.name] = max(rates[i.name], handshakes_per_second(i, args.seconds))
            reference = rates["ssl (OpenSSL)"]
            for name, rate in rates.items():
                rows.append([f"handshakes/s, {label}", name, rate, rate / reference])
        files = _credentials("p256", Path(tmp))
        impls = [Puretls(*files), PythonSsl(*files)]
        if not args.skip_tlslite:
            impls.append(Tlslite(*files))
        sizes = {"tlslite-ng": max(1, args.megabytes // 128)}  # 0.5 MB/s: keep it short
        # Best of five rounds, the stacks taking turns within each round, so a burst of
        # load from the machine's other tenants does not land on one stack only.
        bulk = dict.fromkeys((i.name for i in impls), 0.0)
        for _ in range(5):
            for i in impls:
                rate = bulk_mb_per_second(i, sizes.get(i.name, args.megabytes))
                bulk[i.name] = max(bulk[i.name], rate)
        for name, rate in bulk.items():
            rows.append(
                ["MB/s, AES-128-GCM, 16 KiB writes", name, rate, rate / bulk["ssl (OpenSSL)"]]
            )
    print(table(["benchmark", "implementation", "rate", "ratio to ssl"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
