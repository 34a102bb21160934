"""The full interoperability matrix: puretls against openssl, gnutls, Python ssl and
tlslite-ng, as client and as server, over suites x groups x certificate keys."""

from __future__ import annotations

import hashlib
import itertools
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interop import peers

SUITES = (
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_AES_128_CCM_SHA256",
)
GROUPS = tuple(peers.OPENSSL_GROUPS)
KEYS = {
    "rsa2048": ["-newkey", "rsa:2048"],
    "rsa-pss": ["-newkey", "rsa-pss", "-pkeyopt", "rsa_keygen_bits:2048"],
    "p256": ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
    "p384": ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"],
    "ed25519": ["-newkey", "ed25519"],
    "ed448": ["-newkey", "ed448"],
}
GNUTLS_GROUPS = {
    "x25519": "GROUP-X25519",
    "secp256r1": "GROUP-SECP256R1",
    "secp384r1": "GROUP-SECP384R1",
    "secp521r1": "GROUP-SECP521R1",
    "x448": "GROUP-X448",
    "ffdhe2048": "GROUP-FFDHE2048",
    "ffdhe3072": "GROUP-FFDHE3072",
    "ffdhe4096": "GROUP-FFDHE4096",
}


@dataclass(frozen=True)
class Files:
    cert: Path
    key: Path


def make_credentials(directory: Path) -> dict[str, Files]:
    """Self-signed server certificates for every key type, made by the openssl binary."""
    out = {}
    for kind, args in KEYS.items():
        cert, key = directory / f"{kind}.crt", directory / f"{kind}.key"
        subprocess.run(
            [
                peers.OPENSSL,
                "req",
                "-x509",
                *args,
                "-nodes",
                "-keyout",
                str(key),
                "-out",
                str(cert),
                "-subj",
                "/CN=localhost",
                "-days",
                "30",
                "-addext",
                "subjectAltName=DNS:localhost",
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        out[kind] = Files(cert, key)
    return out


def _puretls_client_config(files: Files, **kw: Any) -> Any:
    import tls
    import x509

    der = x509.load_pem_certificates(files.cert.read_bytes())[0].to_der()
    pin = hashlib.sha256(der).hexdigest()
    return tls.ClientConfig(authenticator=tls.authenticator.fingerprint(pin), **kw)


def _puretls_server_config(files: Files, **kw: Any) -> Any:
    import tls
    import x509

    chain = x509.load_pem_certificates(files.cert.read_bytes())
    key = x509.load_pem_private_key(files.key.read_bytes())
    return tls.ServerConfig(certificates=[(chain, key)], **kw)


def _puretls_client_round_trip(handler: Callable[[socket.socket], None], config: Any) -> Any:
    """A puretls client against ``handler`` served once: (the answer to b"matrix", or None
    if the server thread hung; the server thread)."""
    import tls

    with peers.listener() as lst:
        thread = peers.serve_once(lst, handler)
        with tls.connect(
            "127.0.0.1", lst.getsockname()[1], config, "localhost", timeout=peers.TIMEOUT
        ) as s:
            s.sendall(b"matrix")
            answer = s.recv()
        thread.join(peers.TIMEOUT)
    return (None if thread.is_alive() else answer), thread


def _echo_once(config: Any) -> Callable[[socket.socket], None]:
    return lambda conn: peers.echo_line_upper(conn, config)


# ---- one cell each ---------------------------------------------------------------


def client_vs_openssl(files: Files, suite: str, group: str) -> str:
    import tls

    args = ["-ciphersuites", suite, "-groups", peers.OPENSSL_GROUPS[group]]
    with peers.openssl_server(files.cert, files.key, *args) as (port, _):
        config = _puretls_client_config(files, cipher_suites=(suite,), key_share_groups=(group,))
        with tls.connect("127.0.0.1", port, config, "localhost", timeout=peers.TIMEOUT) as s:
            s.sendall(b"matrix\n")
            if s.recv() != b"xirtam\n":
                return "wrong echo"
            got = (s.info()["cipher_suite"], s.info()["group"])
            return "ok" if got == (suite, group) else f"negotiated {got}"


def server_vs_openssl(files: Files, suite: str, group: str) -> str:
    config = _puretls_server_config(files, cipher_suites=SUITES)
    with peers.listener() as lst:
        thread = peers.serve_once(lst, _echo_once(config))
        result = peers.openssl_client(
            lst.getsockname()[1],
            b"matrix\n",
            "-ciphersuites",
            suite,
            "-groups",
            peers.OPENSSL_GROUPS[group],
            "-CAfile",
            str(files.cert),
        )
        thread.join(peers.TIMEOUT)
        if thread.is_alive():
            return "server thread hung"
    out = result.stdout.decode(errors="replace")
    if thread.errors:  # type: ignore[attr-defined]
        return f"server: {thread.errors[0]}"  # type: ignore[attr-defined]
    if "MATRIX" not in out or f"Cipher is {suite}" not in out:
        return "no echo"
    return "ok" if "Verify return code: 0" in out else "verify failed"


def client_vs_gnutls(files: Files, suite: str, group: str) -> str:
    import tls

    priority = f"NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+{GNUTLS_GROUPS[group]}"

    def command(port: int) -> list[str]:
        return [
            "gnutls-serv",
            "--echo",
            "-p",
            str(port),
            "--x509certfile",
            str(files.cert),
            "--x509keyfile",
            str(files.key),
            "--priority",
            priority,
        ]

    with peers.server_on_free_port(command) as (port, _):
        config = _puretls_client_config(files, cipher_suites=(suite,), key_share_groups=(group,))
        with tls.connect("127.0.0.1", port, config, "localhost", timeout=peers.TIMEOUT) as s:
            s.sendall(b"matrix\n")
            return "ok" if s.recv() == b"matrix\n" else "wrong echo"


def server_vs_gnutls(files: Files, suite: str, group: str) -> str:
    config = _puretls_server_config(files, cipher_suites=SUITES)
    gnutls_suite = {
        "TLS_AES_128_GCM_SHA256": "AES-128-GCM",
        "TLS_AES_256_GCM_SHA384": "AES-256-GCM",
        "TLS_CHACHA20_POLY1305_SHA256": "CHACHA20-POLY1305",
        "TLS_AES_128_CCM_SHA256": "AES-128-CCM",
    }[suite]
    priority = (
        f"NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+{gnutls_suite}"
        f":-GROUP-ALL:+{GNUTLS_GROUPS[group]}"
    )
    with peers.listener() as lst:
        thread = peers.serve_once(lst, _echo_once(config))
        result = subprocess.run(
            [
                "gnutls-cli",
                "-p",
                str(lst.getsockname()[1]),
                "127.0.0.1",
                "--sni-hostname",
                "localhost",
                "--x509cafile",
                str(files.cert),
                "--priority",
                priority,
                "--verify-hostname",
                "localhost",
            ],
            input=b"matrix\n",
            capture_output=True,
            timeout=peers.TIMEOUT,
        )
        thread.join(peers.TIMEOUT)
        if thread.is_alive():
            return "server thread hung"
    if thread.errors:  # type: ignore[attr-defined]
        return f"server: {thread.errors[0]}"  # type: ignore[attr-defined]
    return "ok" if b"MATRIX" in result.stdout else "no echo"


def _wait_listening(port: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), 0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError("peer did not start")


def client_vs_python_ssl(files: Files, suite: str, group: str) -> str:
    """Python's ssl server (OpenSSL; its own suite and group choice)."""

    ctx = peers.ssl_server_context(files.cert, files.key)

    def handler(conn: socket.socket) -> None:
        with ctx.wrap_socket(conn, server_side=True) as s:
            s.sendall(s.recv(100).upper())

    config = _puretls_client_config(files, cipher_suites=(suite,))
    answer, _ = _puretls_client_round_trip(handler, config)
    if answer is None:
        return "server thread hung"
    return "ok" if answer == b"MATRIX" else "wrong echo"


def server_vs_python_ssl(files: Files, suite: str, group: str) -> str:
    config = _puretls_server_config(files, cipher_suites=(suite,))
    with peers.listener() as lst:
        thread = peers.serve_once(lst, _echo_once(config))
        ctx = peers.ssl_client_context(files.cert)
        with socket.create_connection(lst.getsockname(), peers.TIMEOUT) as raw:
            with ctx.wrap_socket(raw, server_hostname="localhost") as s:
                s.sendall(b"matrix\n")
                answer = s.recv(100)
                cipher = s.cipher()
                got = cipher[0] if cipher else None
        thread.join(peers.TIMEOUT)
        if thread.is_alive():
            return "server thread hung"
    if answer != b"MATRIX\n":
        return "wrong echo"
    return "ok" if got == suite else f"negotiated {got}"


_TLSLITE_SUITES = {
    "TLS_AES_128_GCM_SHA256": "aes128gcm",
    "TLS_AES_256_GCM_SHA384": "aes256gcm",
    "TLS_CHACHA20_POLY1305_SHA256": "chacha20-poly1305",
    "TLS_AES_128_CCM_SHA256": "aes128ccm",
}
_TLSLITE_GROUPS = {
    "x25519": "x25519",
    "secp256r1": "secp256r1",
    "secp384r1": "secp384r1",
    "secp521r1": "secp521r1",
    "x448": "x448",
    "ffdhe2048": "ffdhe2048",
    "ffdhe3072": "ffdhe3072",
    "ffdhe4096": "ffdhe4096",
    "X25519MLKEM768": "x25519mlkem768",
    "SecP256r1MLKEM768": "secp256r1mlkem768",
    "SecP384r1MLKEM1024": "secp384r1mlkem1024",
}
HYBRID_GROUPS = ("X25519MLKEM768", "SecP256r1MLKEM768", "SecP384r1MLKEM1024")


def _tlslite_settings(suite: str, group: str) -> Any:
    from tlslite import api

    settings = api.HandshakeSettings()
    settings.minVersion = settings.maxVersion = (3, 4)
    settings.cipherNames = [_TLSLITE_SUITES[suite]]
    settings.keyShares = [_TLSLITE_GROUPS[group]]
    groups = [_TLSLITE_GROUPS[group]]
    settings.eccCurves = [g for g in groups if not g.startswith("ffdhe")] + ["x25519"]
    settings.dhGroups = [g for g in groups if g.startswith("ffdhe")] or ["ffdhe2048"]
    return settings


def client_vs_tlslite(files: Files, suite: str, group: str) -> str:
    from tlslite import api

    chain = api.X509CertChain()
    chain.parsePemList(files.cert.read_text())
    key = api.parsePEMKey(files.key.read_text(), private=True)

    def handler(conn: socket.socket) -> None:
        c = api.TLSConnection(conn)
        c.handshakeServer(certChain=chain, privateKey=key, settings=_tlslite_settings(suite, group))
        c.write(c.read().upper())
        c.close()

    config = _puretls_client_config(
        files, cipher_suites=(suite,), groups=(group,), key_share_groups=(group,)
    )
    answer, thread = _puretls_client_round_trip(handler, config)
    if answer is None:
        return "server thread hung"
    if thread.errors:  # type: ignore[attr-defined]
        return f"tlslite: {thread.errors[0]}"  # type: ignore[attr-defined]
    return "ok" if answer == b"MATRIX" else "wrong echo"


def server_vs_tlslite(files: Files, suite: str, group: str) -> str:
    from tlslite import api

    config = _puretls_server_config(files, cipher_suites=SUITES, groups=(group,))
    with peers.listener() as lst:
        thread = peers.serve_once(lst, _echo_once(config))
        with socket.create_connection(lst.getsockname(), peers.TIMEOUT) as raw:
            c = api.TLSConnection(raw)
            c.handshakeClientCert(settings=_tlslite_settings(suite, group), serverName="localhost")
            c.write(b"matrix\n")
            answer = c.read()
            c.close()
        thread.join(peers.TIMEOUT)
        if thread.is_alive():
            return "server thread hung"
    if thread.errors:  # type: ignore[attr-defined]
        return f"server: {thread.errors[0]}"  # type: ignore[attr-defined]
    return "ok" if answer == b"MATRIX\n" else "wrong echo"


PEERS: dict[str, Callable[[Files, str, str], str]] = {
    "puretls client -> openssl s_server": client_vs_openssl,
    "openssl s_client -> puretls server": server_vs_openssl,
    "puretls client -> gnutls-serv": client_vs_gnutls,
    "gnutls-cli -> puretls server": server_vs_gnutls,
    "puretls client -> Python ssl": client_vs_python_ssl,
    "Python ssl -> puretls server": server_vs_python_ssl,
    "puretls client -> tlslite-ng": client_vs_tlslite,
    "tlslite-ng -> puretls server": server_vs_tlslite,
}
# Peers that do not take every parameter: their cells use fewer combinations.
NARROW = {
    "puretls client -> Python ssl": ("suites", "keys"),
    "Python ssl -> puretls server": ("suites", "keys"),
}


def _kyber_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("kyber_py") is not None


def cells(
    credentials: dict[str, Files], quick: bool = False
) -> Iterator[tuple[str, str, str, str, str]]:
    for peer, fn in PEERS.items():
        combos: Any = itertools.product(SUITES, GROUPS, credentials)
        if quick:
            combos = zip(itertools.cycle(SUITES), GROUPS, itertools.cycle(credentials))
        if peer in NARROW:  # Python ssl: the default suites (no CCM), its own group choice
            combos = itertools.product(SUITES[:3], ("x25519",), credentials)
        if "tlslite" in peer and _kyber_available():  # tlslite-ng speaks the hybrids too
            extra = itertools.product(SUITES[:1], HYBRID_GROUPS, credentials)
            combos = itertools.chain(combos, extra)
        for suite, group, kind in combos:
            try:
                outcome = fn(credentials[kind], suite, group)
            except Exception as exc:
                outcome = f"{type(exc).__name__}: {exc}"[:100]
            yield peer, suite, group, kind, outcome
