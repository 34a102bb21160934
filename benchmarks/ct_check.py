"""Timing-leak check for the symmetric kernels (run by hand, not in CI).

A dudect-style test (Reparaz, Balasch, Verbauwhede, 2017): each target is timed many
times on two classes of secret input, a fixed value and fresh random values, in random
order, and Welch's t statistic compares the two timing distributions.  |t| above ~4.5
means the timing depends on the secret; below it, no leak was detected at this sample
size (which is evidence, not proof).  A second t is computed after dropping the slowest
10% of each class, as dudect does, to reduce the effect of interrupts.

    python -m benchmarks.ct_check [--samples N] [--targets aes,ghash,...]

Python call overhead is large next to the work measured, so inputs are made long enough
(1 KiB and more) for a per-byte leak to show above it.  A loaded machine adds noise,
which lowers |t| for real leaks too; run it on a quiet machine for strong evidence.
"""

from __future__ import annotations

import argparse
import importlib
import math
import random
import time
from collections.abc import Callable

from benchmarks._timing import table

Target = tuple[str, Callable[[bytes], object], Callable[[random.Random], bytes], bytes]


def welch_t(a: list[int], b: list[int]) -> float:
    def stats(x: list[int]) -> tuple[float, float]:
        m = sum(x) / len(x)
        return m, sum((v - m) ** 2 for v in x) / (len(x) - 1)

    ma, va = stats(a)
    mb, vb = stats(b)
    den = math.sqrt(va / len(a) + vb / len(b))
    return (ma - mb) / den if den else 0.0


def crop(x: list[int], keep: float = 0.9) -> list[int]:
    return sorted(x)[: max(2, int(len(x) * keep))]


def measure(
    fn: Callable[[bytes], object],
    fixed: bytes,
    gen: Callable[[random.Random], bytes],
    n: int,
    rng: random.Random,
) -> tuple[list[int], list[int]]:
    # Both classes get a fresh object in the same allocation order, so that where the
    # input sits in memory (and in the cache) does not differ between them.
    order = [rng.getrandbits(1) for _ in range(2 * n)]
    inputs = [bytes(bytearray(fixed if cls == 0 else gen(rng))) for cls in order]
    times: tuple[list[int], list[int]] = ([], [])
    clock = time.perf_counter_ns
    for cls, x in zip(order, inputs, strict=True):
        t0 = clock()
        fn(x)
        times[cls].append(clock() - t0)
    return times


def _guard(fn: Callable[[bytes], object]) -> Callable[[bytes], object]:
    def call(x: bytes) -> object:
        try:
            return fn(x)
        except Exception as exc:  # an AuthenticationError is the expected outcome
            return exc

    return call


def targets() -> list[Target]:
    aes = importlib.import_module("nocrypto.symmetric._aes_cy")
    gcm = importlib.import_module("nocrypto.symmetric._gcm_cy")
    cc = importlib.import_module("nocrypto.symmetric._chacha20poly1305_cy")
    out: list[Target] = []
    key = bytes(range(16))
    nonce = bytes(12)
    # The fixed class is one arbitrary value, as dudect suggests, not all zeros: zero
    # data can change power draw and thus clock speed ("Hertzbleed"), which is real but
    # not what this check is about.
    pick = random.Random(7)
    fixed_1k = pick.randbytes(1024)
    for label, portable in (("hw", False), ("portable", True)):
        if not portable and not aes.HARDWARE_AVAILABLE:
            continue
        a = aes.AES(key, portable=portable)
        out.append(
            (
                f"AES-128 {label}: 1 KiB plaintext",
                a.ecb_encrypt,
                lambda r: r.randbytes(1024),
                fixed_1k,
            )
        )
        out.append(
            (
                f"AES-128 {label}: key schedule + 1 block",
                lambda k, p=portable: aes.AES(k, portable=p).encrypt_block(bytes(16)),
                lambda r: r.randbytes(16),
                fixed_1k[:16],
            )
        )
        g = gcm.GCM(key, portable=portable)
        out.append(
            (
                f"GHASH {label}: 1 KiB data",
                lambda d, g=g: g.seal(nonce, b"", d),
                lambda r: r.randbytes(1024),
                fixed_1k,
            )
        )
        out.append(
            (
                f"GHASH {label}: hash key H (new key)",
                lambda k, p=portable: gcm.GCM(k, portable=p).seal(nonce, b"", bytes(256)),
                lambda r: r.randbytes(16),
                fixed_1k[:16],
            )
        )
        sealed = g.seal(nonce, bytes(1024))
        good_tag = sealed[-16:]
        out.append(
            (
                f"GCM tag compare {label}: wrong byte 0 vs random wrong tag",
                _guard(lambda t, g=g, body=sealed[:-16]: g.open(nonce, body + t)),
                lambda r, first=good_tag[0]: bytes([first]) + r.randbytes(15),
                bytes([good_tag[0] ^ 1]) + good_tag[1:],
            )
        )
    for label, portable in (("simd", False), ("portable", True)):
        if not portable and not cc.HARDWARE_AVAILABLE:
            continue
        out.append(
            (
                f"Poly1305 {label}: one-time key",
                lambda k, p=portable: cc.poly1305_mac(k, bytes(1024), portable=p),
                lambda r: r.randbytes(32),
                fixed_1k[:32],
            )
        )
        out.append(
            (
                f"Poly1305 {label}: 1 KiB message",
                lambda m, p=portable: cc.poly1305_mac(key * 2, m, portable=p),
                lambda r: r.randbytes(1024),
                fixed_1k,
            )
        )
        c = cc.ChaCha20Poly1305(key * 2, portable=portable)
        sealed_cc = c.seal(nonce, bytes(1024))
        good = sealed_cc[-16:]
        out.append(
            (
                f"ChaCha20-Poly1305 tag compare {label}",
                _guard(lambda t, c=c, body=sealed_cc[:-16]: c.open(nonce, body + t)),
                lambda r, first=good[0]: bytes([first]) + r.randbytes(15),
                bytes([good[0] ^ 1]) + good[1:],
            )
        )
    # Positive control: bytes equality stops at the first difference, so an input equal
    # to the reference (the fixed class) takes longer than a random one.  This row must
    # say LEAK, or the harness cannot see anything on this machine.
    reference = bytes(bytearray(fixed_1k * 16))
    out.append(
        (
            "control: bytes == (early exit), must LEAK",
            lambda x, ref=reference: x == ref,
            lambda r: r.randbytes(16384),
            reference,
        )
    )
    # Negative control: the input is ignored, so any |t| here is bias of the harness or
    # noise of the machine at this sample size, not a leak.
    out.append(
        (
            "control: key schedule, input ignored, must be ok",
            lambda _x, k=fixed_1k[:16]: aes.AES(k).encrypt_block(bytes(16)),
            lambda r: r.randbytes(16),
            fixed_1k[:16],
        )
    )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--samples", type=int, default=20000, help="measurements per class")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    rows: list[list[object]] = []
    for name, fn, gen, fixed in targets():
        for _ in range(200):  # warm up caches and the branch predictor
            fn(fixed)
        a, b = measure(fn, fixed, gen, args.samples, rng)
        t_all = welch_t(a, b)
        t_crop = welch_t(crop(a), crop(b))
        verdict = "LEAK?" if max(abs(t_all), abs(t_crop)) > 4.5 else "ok"
        med = sorted(a)[len(a) // 2]
        rows.append(
            [name, len(a) + len(b), f"{med / 1000:.1f}", f"{t_all:+.2f}", f"{t_crop:+.2f}", verdict]
        )
    print(f"dudect-style Welch t-test, fixed vs random secret, {args.samples} samples per class")
    print(table(["target", "n", "median us", "t", "t (cropped)", "|t|<4.5"], rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
