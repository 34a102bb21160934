"""AEAD throughput: puretls (Cython hardware path, Cython portable path, pure Python)
beside ``cryptography`` (OpenSSL), seal and open, at TLS-typical record sizes.

``python -m benchmarks.primitives aead [--fast] [--cpu]``; ``--fast`` shortens every run;
``--cpu`` counts this process's CPU time instead of wall time, which keeps the ratios
meaningful on a machine shared with other work (both sides are measured the same way).
Numbers are MB/s (10^6 bytes per second); the ratio is cython-hw / cryptography.
The pure-Python column runs only a few iterations.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from benchmarks._timing import rate as wall_rate
from benchmarks._timing import table

SIZES = (64, 1350, 16384)


def _kernel(name: str) -> Any:
    try:
        return importlib.import_module(f"nocrypto.symmetric.{name}")
    except ImportError:
        return None


Maker = Callable[[], Any]


def _impls() -> list[tuple[str, dict[str, Maker], Maker]]:
    from cryptography.hazmat.primitives.ciphers import aead as oracle

    from nocrypto.symmetric import aes, ccm, chacha20poly1305, gcm

    gk, ck, mk = _kernel("_gcm_cy"), _kernel("_chacha20poly1305_cy"), _kernel("_ccm_cy")
    out: list[tuple[str, dict[str, Maker], Maker]] = []
    for bits in (128, 256):
        key = bytes(range(bits // 8))
        makers: dict[str, Maker] = {"python": partial(gcm.GCM, key)}
        if gk is not None:
            if gk.HARDWARE_AVAILABLE:
                makers["cython-hw"] = partial(gk.GCM, key)
            makers["cython-portable"] = partial(gk.GCM, key, portable=True)
        out.append((f"AES-{bits}-GCM", makers, partial(oracle.AESGCM, key)))
    key = bytes(range(32))
    makers = {"python": partial(chacha20poly1305.ChaCha20Poly1305, key)}
    if ck is not None:
        if ck.HARDWARE_AVAILABLE:
            makers["cython-hw"] = partial(ck.ChaCha20Poly1305, key)
        makers["cython-portable"] = partial(ck.ChaCha20Poly1305, key, portable=True)
    out.append(("ChaCha20-Poly1305", makers, partial(oracle.ChaCha20Poly1305, key)))
    key = bytes(range(16))
    makers = {"python": lambda: ccm.CCM(aes.AES(key), 16)}
    if mk is not None:
        if mk.HARDWARE_AVAILABLE:
            makers["cython-hw"] = partial(mk.CCM, key, 16)
        makers["cython-portable"] = partial(mk.CCM, key, 16, portable=True)
    out.append(("AES-128-CCM", makers, partial(oracle.AESCCM, key, 16)))
    return out


def _call(method: Callable[..., object], *args: object) -> Callable[[], object]:
    return lambda: method(*args)


def _cpu_rate(fn: Callable[[], object], min_time: float = 0.3, repeat: int = 3) -> float:
    """Like ``_timing.rate`` but over process CPU time."""
    fn()
    best = 0.0
    for _ in range(repeat):
        n, batch = 0, 1
        start = time.process_time()
        elapsed = 0.0
        while elapsed < min_time:
            for _ in range(batch):
                fn()
            n += batch
            batch *= 2
            elapsed = time.process_time() - start
        best = max(best, n / elapsed)
    return best


def run(args: list[str]) -> None:
    fast = "--fast" in args
    rate = _cpu_rate if "--cpu" in args else wall_rate
    t_fast, t_py = (0.05, 0.05) if fast else (0.2, 0.1)
    cols = ["cython-hw", "cython-portable", "python"]
    rows: list[list[object]] = []
    nonce = bytes(12)
    aad = bytes(13)  # a TLS 1.2-style record header
    for name, makers, make_oracle in _impls():
        objs = {c: makers[c]() for c in cols if c in makers}
        ref = make_oracle()
        for size in SIZES:
            pt = bytes(size)
            sealed = ref.encrypt(nonce, pt, aad)
            for op in ("seal", "open"):
                row: list[object] = [name, size, op]
                speeds: dict[str, float] = {}
                for c in cols:
                    o = objs.get(c)
                    if o is None:
                        row.append("-")
                        continue
                    fn = (
                        _call(o.seal, nonce, pt, aad)
                        if op == "seal"
                        else _call(o.open, nonce, sealed, aad)
                    )
                    slow = c == "python"
                    r = rate(fn, min_time=t_py if slow else t_fast, repeat=1 if slow else 3)
                    speeds[c] = r * size / 1e6
                    row.append(speeds[c])
                ofn = (
                    _call(ref.encrypt, nonce, pt, aad)
                    if op == "seal"
                    else _call(ref.decrypt, nonce, sealed, aad)
                )
                oracle_speed = rate(ofn, min_time=t_fast) * size / 1e6
                row.append(oracle_speed)
                hw = speeds.get("cython-hw")
                row.append(f"{hw / oracle_speed:.2f}x" if hw else "-")
                rows.append(row)
    clock = "CPU time" if "--cpu" in args else "wall time"
    print(
        f"[aead] MB/s ({clock}), seal = encrypt+tag, open = verify+decrypt; shared machine: noisy"
    )
    print(table(["algorithm", "bytes", "op", *cols, "cryptography", "hw/crypto"], rows))


if __name__ == "__main__":
    import sys

    run(sys.argv[1:])
