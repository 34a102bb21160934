"""X25519, X448, Ed25519, Ed448, ML-KEM: puretls (Cython kernel, pure Python) beside OpenSSL.

Called at the end of ``python -m benchmarks.primitives ec [--quick]``; runs on its own as
``python -m benchmarks.prim_ec_edwards [--quick]``.  Operations per second, best of three
short runs on a shared machine: treat the numbers as rough.

What is timed: puretls takes raw bytes (``x25519.x25519(scalar, peer)``,
``ed25519.sign(seed, msg)``), so its figures include decoding the key and, for signing,
re-deriving the public key from the seed.  cryptography (OpenSSL) is timed twice: the
like-for-like call from raw bytes (``X25519PrivateKey.from_private_bytes(k).exchange(...)``)
and the operation alone on key objects built beforehand; ``cy/ossl`` uses the first,
``cy/objs`` the second (the stricter comparison).  ML-KEM rows have no raw-bytes
form in cryptography (its private keys load only from seeds), so both cryptography
columns hold the key-object figure there.  "encaps+decaps" reuses one key pair (the
matrix A is then cached); "keygen+encaps+decaps" is a whole fresh key exchange.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

from benchmarks._timing import rate, table

MESSAGE = b"benchmark message " * 4
SEED32 = bytes(range(1, 33))
SEED57 = bytes(range(1, 58))


def _load(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _ours(kernels: dict[str, ModuleType | None], min_time: float) -> dict[str, float]:
    """Rates of the public modules with their ``_impl`` pointed at the given backends."""
    from nocrypto import ed448, ed25519, mlkem, x448, x25519

    rates: dict[str, float] = {}
    saved = {m: m._impl for m in (x25519, x448, ed25519, ed448, mlkem)}
    saved_fixed = {m: m._fixed_base for m in (x25519, x448)}
    try:
        if kernels["montgomery"] is None or kernels["ed25519"] is None or kernels["ed448"] is None:
            return {}
        x25519._impl = x448._impl = kernels["montgomery"]
        # key generation uses the Edwards kernels' fixed-base tables, or the ladder
        reference = kernels["ed25519"].__name__.endswith("_ref")
        setattr(x25519, "_fixed_base", None if reference else kernels["ed25519"])  # noqa: B010
        setattr(x448, "_fixed_base", None if reference else kernels["ed448"])  # noqa: B010
        ed25519._impl = kernels["ed25519"]
        ed448._impl = kernels["ed448"]
        mlkem_impl = kernels.get("mlkem")
        if mlkem_impl is not None:
            setattr(mlkem, "_impl", mlkem_impl)  # noqa: B010
        mlkem._matrix.cache_clear()
        mlkem._h_ek.cache_clear()
        peer25519 = x25519.public_key(SEED32[::-1])
        peer448 = x448.public_key(SEED57[:56][::-1])
        pub25519, sig25519 = ed25519.public_key(SEED32), ed25519.sign(SEED32, MESSAGE)
        pub448, sig448 = ed448.public_key(SEED57), ed448.sign(SEED57, MESSAGE)
        ops: dict[str, Callable[[], object]] = {
            "X25519 keygen": lambda: x25519.public_key(SEED32),
            "X25519 shared secret": lambda: x25519.x25519(SEED32, peer25519),
            "X448 keygen": lambda: x448.public_key(SEED57[:56]),
            "X448 shared secret": lambda: x448.x448(SEED57[:56], peer448),
            "Ed25519 sign": lambda: ed25519.sign(SEED32, MESSAGE),
            "Ed25519 verify": lambda: ed25519.verify(pub25519, sig25519, MESSAGE),
            "Ed448 sign": lambda: ed448.sign(SEED57, MESSAGE),
            "Ed448 verify": lambda: ed448.verify(pub448, sig448, MESSAGE),
        }
        for params in (mlkem.ML_KEM_768, mlkem.ML_KEM_1024):
            ops.update(_mlkem_ops(params))
        for name, fn in ops.items():
            rates[name] = rate(fn, min_time)
    finally:
        mlkem._matrix.cache_clear()
        mlkem._h_ek.cache_clear()
        for m, fixed in saved_fixed.items():
            setattr(m, "_fixed_base", fixed)  # noqa: B010
        for m, impl in saved.items():
            setattr(m, "_impl", impl)  # noqa: B010 (a module attribute mypy cannot see)
    return rates


def _mlkem_ops(params: object) -> dict[str, Callable[[], object]]:
    from nocrypto import mlkem

    assert isinstance(params, mlkem.MLKEM)
    ek, dk = params.keygen()

    def exchange() -> object:
        _, ct = params.encaps(ek)
        return params.decaps(dk, ct)

    def fresh() -> object:
        ek2, dk2 = params.keygen()
        _, ct = params.encaps(ek2)
        return params.decaps(dk2, ct)

    return {
        f"{params.name} keygen": params.keygen,
        f"{params.name} encaps+decaps": exchange,
        f"{params.name} keygen+encaps+decaps": fresh,
    }


def _openssl(min_time: float) -> tuple[dict[str, float], dict[str, float]]:
    """(rates from raw bytes, rates on prebuilt key objects)."""
    try:
        from cryptography.hazmat.primitives.asymmetric import ed448, ed25519, x448, x25519
    except ImportError:
        return {}, {}
    x_priv, x_pub = x25519.X25519PrivateKey, x25519.X25519PublicKey
    x4_priv, x4_pub = x448.X448PrivateKey, x448.X448PublicKey
    e_priv, e_pub = ed25519.Ed25519PrivateKey, ed25519.Ed25519PublicKey
    e4_priv, e4_pub = ed448.Ed448PrivateKey, ed448.Ed448PublicKey
    xk = x_priv.from_private_bytes(SEED32)
    xp = x_priv.from_private_bytes(SEED32[::-1]).public_key()
    xp_raw = xp.public_bytes_raw()
    x4k = x4_priv.from_private_bytes(SEED57[:56])
    x4p = x4_priv.from_private_bytes(SEED57[:56][::-1]).public_key()
    x4p_raw = x4p.public_bytes_raw()
    ek = e_priv.from_private_bytes(SEED32)
    ep, es = ek.public_key(), ek.sign(MESSAGE)
    ep_raw = ep.public_bytes_raw()
    e4k = e4_priv.from_private_bytes(SEED57)
    e4p, e4s = e4k.public_key(), e4k.sign(MESSAGE)
    e4p_raw = e4p.public_bytes_raw()
    from_bytes: dict[str, Callable[[], object]] = {
        "X25519 keygen": lambda: x_priv.from_private_bytes(SEED32).public_key().public_bytes_raw(),
        "X25519 shared secret": lambda: x_priv.from_private_bytes(SEED32).exchange(
            x_pub.from_public_bytes(xp_raw)
        ),
        "X448 keygen": lambda: (
            x4_priv.from_private_bytes(SEED57[:56]).public_key().public_bytes_raw()
        ),
        "X448 shared secret": lambda: x4_priv.from_private_bytes(SEED57[:56]).exchange(
            x4_pub.from_public_bytes(x4p_raw)
        ),
        "Ed25519 sign": lambda: e_priv.from_private_bytes(SEED32).sign(MESSAGE),
        "Ed25519 verify": lambda: e_pub.from_public_bytes(ep_raw).verify(es, MESSAGE),
        "Ed448 sign": lambda: e4_priv.from_private_bytes(SEED57).sign(MESSAGE),
        "Ed448 verify": lambda: e4_pub.from_public_bytes(e4p_raw).verify(e4s, MESSAGE),
    }
    objects: dict[str, Callable[[], object]] = {
        "X25519 keygen": lambda: x_priv.generate().public_key(),
        "X25519 shared secret": lambda: xk.exchange(xp),
        "X448 keygen": lambda: x4_priv.generate().public_key(),
        "X448 shared secret": lambda: x4k.exchange(x4p),
        "Ed25519 sign": lambda: ek.sign(MESSAGE),
        "Ed25519 verify": lambda: ep.verify(es, MESSAGE),
        "Ed448 sign": lambda: e4k.sign(MESSAGE),
        "Ed448 verify": lambda: e4p.verify(e4s, MESSAGE),
    }
    kem_ops = _openssl_mlkem()
    from_bytes.update(kem_ops)
    objects.update(kem_ops)
    return (
        {name: rate(fn, min_time) for name, fn in from_bytes.items()},
        {name: rate(fn, min_time) for name, fn in objects.items()},
    )


def _openssl_mlkem() -> dict[str, Callable[[], object]]:
    try:
        from cryptography.hazmat.primitives.asymmetric import mlkem
    except ImportError:
        return {}
    ops: dict[str, Callable[[], object]] = {}
    classes: tuple[tuple[str, Any], ...] = (
        ("ML-KEM-768", mlkem.MLKEM768PrivateKey),
        ("ML-KEM-1024", mlkem.MLKEM1024PrivateKey),
    )
    for name, cls in classes:
        key = cls.generate()
        pub = key.public_key()

        def exchange(key: Any = key, pub: Any = pub) -> object:
            return key.decapsulate(pub.encapsulate()[1])

        def fresh(cls: Any = cls) -> object:
            k = cls.generate()
            return k.decapsulate(k.public_key().encapsulate()[1])

        ops[f"{name} keygen"] = cls.generate
        ops[f"{name} encaps+decaps"] = exchange
        ops[f"{name} keygen+encaps+decaps"] = fresh
    return ops


def run(args: list[str]) -> None:
    from nocrypto import mlkem_pke
    from nocrypto.edwards import ed448_ref, ed25519_ref, montgomery

    quick = "--quick" in args
    min_time = 0.1 if quick else 0.3
    kernels = {
        "montgomery": _load("nocrypto.edwards._montgomery_cy"),
        "ed25519": _load("nocrypto.edwards._ed25519_cy"),
        "ed448": _load("nocrypto.edwards._ed448_cy"),
        "mlkem": _load("nocrypto._mlkem_pke_cy"),
    }
    fast = _ours(kernels, min_time)
    slow = _ours(
        {"montgomery": montgomery, "ed25519": ed25519_ref, "ed448": ed448_ref, "mlkem": mlkem_pke},
        0.05,
    )
    ossl, objs = _openssl(min_time)
    rows: list[list[object]] = []
    nan = float("nan")

    def ratio(a: float, b: float) -> str:
        return "-" if a != a or b != b else f"{a / b:.2f}x"

    for name in slow:
        f, s, o, ob = fast.get(name, nan), slow[name], ossl.get(name, nan), objs.get(name, nan)
        rows.append([name, f, s, o, ratio(f, o), ob, ratio(f, ob), ratio(s, o)])
    print("\nEdwards/Montgomery curves and ML-KEM (ops/s; OpenSSL via cryptography)")
    headers = [
        "operation",
        "puretls-cython",
        "puretls-python",
        "cryptography",
        "cy/ossl",
        "crypt. key objs",
        "cy/objs",
        "py/ossl",
    ]
    print(table(headers, rows))
    if not fast:
        print("(Cython kernels not built: only the pure-Python reference was timed)")


if __name__ == "__main__":
    run(sys.argv[1:])
