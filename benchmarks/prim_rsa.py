"""RSA sign/verify and FFDHE shared secrets: puretls beside OpenSSL (via `cryptography`).

``python -m benchmarks.primitives rsa [--quick]``.  Operations per second, best of a few
short runs, for the Cython kernel (its best engine: AVX-512 IFMA where the CPU has it),
the kernel forced onto portable C, the pure-Python reference, and OpenSSL.  The machine
may be shared, so treat the numbers as rough; the ratio column compares the best kernel
engine with OpenSSL in the same run.
"""

from __future__ import annotations

from typing import Any

from benchmarks._timing import rate, table

MESSAGE = b"benchmark message " * 4
ENGINES = ("cython", "cython-portable", "python")


def _select(engine: str) -> Any:
    """Point nocrypto.rsa and nocrypto.dh at one bignum engine; None if unavailable."""
    from nocrypto import _backend, bignum, dh, rsa

    if engine == "python":
        bn: Any = bignum
    else:
        bn = _backend.kernel("nocrypto._bignum_cy")
        if bn is None:
            return None
        bn._use_vector(engine == "cython")
    rsa._bn = bn  # type: ignore[attr-defined]
    dh._bn = bn  # type: ignore[attr-defined]
    return bn


def _rsa_rates(
    bits: int, components: tuple[int, ...], engine: str, t: float
) -> tuple[float, float]:
    from nocrypto import rsa

    if _select(engine) is None:
        return float("nan"), float("nan")
    key = rsa.RSAPrivateKey(*components)
    pub = key.public_key()
    sig = key.sign_pkcs1v15(MESSAGE, "sha256")
    slow = 3 if engine == "python" else 1
    return (
        rate(lambda: key.sign_pkcs1v15(MESSAGE, "sha256"), t / slow, repeat=2),
        rate(lambda: pub.verify_pkcs1v15(sig, MESSAGE, "sha256"), t / slow, repeat=2),
    )


def _openssl_rsa(bits: int, t: float) -> tuple[float, float, tuple[int, ...]]:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = rsa.generate_private_key(65537, bits)
    pub = key.public_key()
    pad = padding.PKCS1v15()
    sig = key.sign(MESSAGE, pad, hashes.SHA256())
    nums = key.private_numbers()
    comps = (nums.public_numbers.n, nums.public_numbers.e, nums.d, nums.p, nums.q)
    return (
        rate(lambda: key.sign(MESSAGE, pad, hashes.SHA256()), t),
        rate(lambda: pub.verify(sig, MESSAGE, pad, hashes.SHA256()), t),
        comps,
    )


def _dh_rate(group: Any, peer_bytes: bytes, engine: str, t: float) -> float:
    from nocrypto import dh

    if _select(engine) is None:
        return float("nan")
    g = dh.Group(group.name, group.bits, group.x_offset, group.exponent_bits)
    x, _ = g.generate()
    return rate(lambda: g.shared_secret(x, peer_bytes), t, repeat=2)


def _openssl_dh(group: Any, t: float) -> tuple[float, bytes]:
    from cryptography.hazmat.primitives.asymmetric import dh

    params = dh.DHParameterNumbers(group.p, 2).parameters()
    mine = params.generate_private_key()
    peer_nums = params.generate_private_key().public_key().public_numbers()
    peer = peer_nums.public_key()
    return rate(lambda: mine.exchange(peer), t), peer_nums.y.to_bytes(group.bits // 8, "big")


def run(args: list[str]) -> None:
    from nocrypto import dh, rsa

    t = 0.1 if "--quick" in args else 0.3
    saved = (rsa._bn, dh._bn)  # type: ignore[attr-defined]
    rows: list[list[object]] = []

    def row(label: str, ours: dict[str, float], ref: float) -> None:
        rows.append([label, *(ours[e] for e in ENGINES), ref, ours["cython"] / ref])

    try:
        for bits in (2048, 3072, 4096):
            c_sign, c_verify, comps = _openssl_rsa(bits, t)
            got = {e: _rsa_rates(bits, comps, e, t) for e in ENGINES}
            row(f"RSA-{bits} sign", {e: r[0] for e, r in got.items()}, c_sign)
            row(f"RSA-{bits} verify", {e: r[1] for e, r in got.items()}, c_verify)
        for group in (dh.FFDHE2048, dh.FFDHE3072):
            c_rate, peer_bytes = _openssl_dh(group, t)
            row(
                f"{group.name} shared secret",
                {e: _dh_rate(group, peer_bytes, e, t) for e in ENGINES},
                c_rate,
            )
    finally:
        bn = _select("cython")
        if bn is not None:
            bn._use_vector(True)
        rsa._bn, dh._bn = saved  # type: ignore[attr-defined]
    print("[rsa] ops/s, higher is better (PKCS#1 v1.5 with SHA-256); shared machine, rough")
    print(
        table(
            ["operation", *(f"puretls-{e}" for e in ENGINES), "cryptography", "cython/crypto"],
            rows,
        )
    )
