"""Hash and MAC throughput: puretls (Cython kernel, pure Python) beside hashlib/hmac.

``python -m benchmarks.primitives hash [--quick]``.  Each cell is the best of a few
timed runs on this machine right now; on a shared machine the numbers are noisy, so
read the ratio column (measured in the same run) rather than absolute MB/s.
"""

from __future__ import annotations

import hashlib
import hmac as std_hmac
import importlib
from typing import Any

import nocrypto
from benchmarks._timing import rate, table
from nocrypto.hashes import sha1_ref, sha2, sha3

# name -> (pure-Python class, kernel module, class name, hashlib name)
HASHES: dict[str, tuple[Any, str, str, str]] = {
    "sha1": (sha1_ref.SHA1, "nocrypto.hashes._sha1_cy", "SHA1", "sha1"),
    "sha256": (sha2.SHA256, "nocrypto.hashes._sha2_cy", "SHA256", "sha256"),
    "sha384": (sha2.SHA384, "nocrypto.hashes._sha2_cy", "SHA384", "sha384"),
    "sha512": (sha2.SHA512, "nocrypto.hashes._sha2_cy", "SHA512", "sha512"),
    "sha3_256": (sha3.SHA3_256, "nocrypto.hashes._sha3_cy", "SHA3_256", "sha3_256"),
    "sha3_512": (sha3.SHA3_512, "nocrypto.hashes._sha3_cy", "SHA3_512", "sha3_512"),
    "shake128": (sha3.SHAKE128, "nocrypto.hashes._sha3_cy", "SHAKE128", "shake_128"),
    "shake256": (sha3.SHAKE256, "nocrypto.hashes._sha3_cy", "SHAKE256", "shake_256"),
}
SIZES = (64, 1024, 16384)


def _kernel(mod_name: str, cls: str) -> Any:
    try:
        return getattr(importlib.import_module(mod_name), cls)
    except ImportError:
        return None


def _digest_fn(ctor: Any, data: bytes, xof: bool) -> Any:
    if xof:
        return lambda: ctor(data).digest(32)
    return lambda: ctor(data).digest()


def run(args: list[str]) -> None:
    quick = "--quick" in args
    fast_time = 0.05 if quick else 0.2
    slow_time = 0.02 if quick else 0.1
    rows: list[list[object]] = []
    paths = []
    for mod_name in ("nocrypto.hashes._sha1_cy", "nocrypto.hashes._sha2_cy"):
        try:
            paths.append(
                f"{mod_name.rsplit('.', 1)[1]}={importlib.import_module(mod_name).implementation}"
            )
        except ImportError:
            paths.append(f"{mod_name.rsplit('.', 1)[1]}=not built")
    print(f"[hash] MB/s; backend={nocrypto.backend}; kernels: {', '.join(paths)}")
    for name, (py_cls, mod_name, cls_name, hl_name) in HASHES.items():
        kernel = _kernel(mod_name, cls_name)
        xof = name.startswith("shake")
        for size in SIZES:
            data = bytes(size)
            mb = size / 1e6
            ref = (
                rate(_digest_fn(lambda d, n=hl_name: hashlib.new(n, d), data, xof), fast_time) * mb
            )
            cy = rate(_digest_fn(kernel, data, xof), fast_time) * mb if kernel else None
            # The pure-Python reference is slow: one short timed run.
            py = rate(_digest_fn(py_cls, data, xof), slow_time, repeat=1) * mb
            rows.append(
                [
                    name,
                    size,
                    cy if cy is not None else "-",
                    py,
                    ref,
                    f"{cy / ref:.2f}x" if cy is not None else "-",
                ]
            )
    print(
        table(
            ["hash", "bytes", "puretls-cython", "puretls-python", "hashlib", "cython/hashlib"],
            rows,
        )
    )
    # The TLS layer's MAC/KDF calls: small inputs, where per-call overhead dominates.
    from cryptography.hazmat.primitives import hashes as c_hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand
    from tlslite.mathtls import PRF_1_2

    key, msg = bytes(32), bytes(64)
    label_info = b"\x00\x20\x09tls13 key\x00"  # the HkdfLabel hkdf_expand_label builds
    macs: list[tuple[str, str, float, float]] = [
        (
            "hmac-sha256 64 B",
            "hmac.digest",
            rate(lambda: nocrypto.hmac(key, msg, "sha256"), fast_time),
            rate(lambda: std_hmac.digest(key, msg, "sha256"), fast_time),
        ),
        (
            "hkdf_expand_label 32 B",
            "cryptography HKDFExpand",
            rate(lambda: nocrypto.hkdf_expand_label(key, "key", b"", 32, "sha256"), fast_time),
            rate(lambda: HKDFExpand(c_hashes.SHA256(), 32, label_info).derive(key), fast_time),
        ),
        (
            "tls12_prf 48 B",
            "tlslite-ng PRF_1_2",
            rate(lambda: nocrypto.tls12_prf(key, b"master secret", msg, 48, "sha256"), fast_time),
            rate(
                lambda: PRF_1_2(bytearray(key), bytearray(b"master secret"), bytearray(msg), 48),
                fast_time,
            ),
        ),
    ]
    print()
    print(
        table(
            [
                "operation (active backend)",
                "reference",
                "puretls ops/s",
                "reference ops/s",
                "ratio",
            ],
            [[n, r, a, b, f"{a / b:.2f}x"] for n, r, a, b in macs],
        )
    )
