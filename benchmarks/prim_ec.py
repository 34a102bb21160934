"""NIST-curve ECDH and ECDSA: puretls (Cython kernel, pure Python) beside OpenSSL.

``python -m benchmarks.primitives ec [--quick]``.  Operations per second, best of
three short runs; the machine is shared, so treat the numbers as rough.  ECDH is
``exchange`` alone (both sides' key objects built beforehand); sign includes the
hash and the RFC 6979 nonce.  Ends with the Edwards/Montgomery curves and ML-KEM
from ``benchmarks.prim_ec_edwards`` when that module exists.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from benchmarks._timing import rate, table

MESSAGE = b"benchmark message " * 4
CURVES = (("P256", "sha256"), ("P384", "sha384"), ("P521", "sha512"))


def _ours(curve_attr: str, hash_name: str, arith) -> dict[str, Callable[[], object]]:
    from nocrypto import ec

    curve = getattr(ec, curve_attr).with_arith(arith)
    key = curve.private_key(0x1234567890ABCDEF1234567890ABCDEF % curve.params.n)
    peer = curve.private_key(0xFEDCBA0987654321FEDCBA0987654321).public_key()
    sig = key.sign(MESSAGE, hash_name)
    pub = key.public_key()
    encoded = pub.public_bytes()
    n = curve.params.n
    d = 3
    return {
        "ecdh": lambda: key.exchange(peer),
        "keygen": lambda: curve.private_key(d % n).public_key(),
        "sign": lambda: key.sign(MESSAGE, hash_name),
        # A key seen once (decoded, then one verification) and a key that keeps
        # verifying (puretls gives it its own comb table after ec.TABLE_AFTER uses).
        "verify, new key": lambda: curve.public_key(encoded).verify(sig, MESSAGE, hash_name),
        "verify, same key": lambda: pub.verify(sig, MESSAGE, hash_name),
    }


def _openssl(curve_attr: str, hash_name: str) -> dict[str, Callable[[], object]] | None:
    try:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec as cec
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    except ImportError:
        return None
    ccurve = {"P256": cec.SECP256R1(), "P384": cec.SECP384R1(), "P521": cec.SECP521R1()}
    chash = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}
    c, h = ccurve[curve_attr], cec.ECDSA(chash[hash_name])
    key = cec.generate_private_key(c)
    peer = cec.generate_private_key(c).public_key()
    pub = key.public_key()
    encoded = pub.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    sig = key.sign(MESSAGE, h)
    return {
        "ecdh": lambda: key.exchange(cec.ECDH(), peer),
        "keygen": lambda: cec.generate_private_key(c).public_key(),
        "sign": lambda: key.sign(MESSAGE, h),
        "verify, new key": lambda: cec.EllipticCurvePublicKey.from_encoded_point(c, encoded).verify(
            sig, MESSAGE, h
        ),
        "verify, same key": lambda: pub.verify(sig, MESSAGE, h),
    }


def run(args: list[str]) -> None:
    from nocrypto._backend import kernel
    from nocrypto.nist import arith

    quick = "--quick" in args
    min_time = 0.1 if quick else 0.3
    cy = kernel("nocrypto.nist._arith_cy")
    rows: list[list[object]] = []
    for curve_attr, hash_name in CURVES:
        candidates = {
            "openssl": _openssl(curve_attr, hash_name),
            "cython": _ours(curve_attr, hash_name, cy) if cy else None,
            "python": _ours(curve_attr, hash_name, arith),
        }
        for op in ("ecdh", "keygen", "sign", "verify, new key", "verify, same key"):
            # Alternate the contenders and keep each one's best round, so a burst of
            # load from other processes on the shared machine hits them alike.
            best = {name: float("nan") for name in candidates}
            for _ in range(3):
                for name, fns in candidates.items():
                    if fns is None:
                        continue
                    t = min_time / 3 if name == "python" else min_time
                    r = rate(fns[op], t, repeat=1)
                    best[name] = r if best[name] != best[name] else max(best[name], r)
            ratio = best["cython"] / best["openssl"]
            rows.append(
                [
                    f"{curve_attr} {op}"
                    + (f" ({hash_name})" if op != "ecdh" and op != "keygen" else ""),
                    best["cython"],
                    best["python"],
                    best["openssl"],
                    f"{ratio:.2f}x" if ratio == ratio else "-",
                ]
            )
    print("[ec] NIST curves, operations/s (shared 2-core machine: rough numbers)")
    print(
        table(
            ["operation", "puretls-cython", "puretls-python", "cryptography", "cython/openssl"],
            rows,
        )
    )
    try:
        edwards = importlib.import_module("benchmarks.prim_ec_edwards")
    except ModuleNotFoundError:
        print("[ec] benchmarks.prim_ec_edwards not present yet")
        return
    edwards.run(args)
