"""X25519, X448, Ed25519, Ed448, ML-KEM: puretls (Cython kernel, pure Python) beside OpenSSL.

Called at the end of ``python -m benchmarks.primitives ec [--quick]``; runs on its own as
``python -m benchmarks.prim_ec_edwards [--quick]``.  Operations per second on a shared
machine: treat the numbers as rough.  So that a change of load does not favour one
column, the columns of a row are timed in turn for three rounds and each keeps its best.

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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from benchmarks._timing import rate, table

MESSAGE = b"benchmark message " * 4
SEED32 = bytes(range(1, 33))
SEED57 = bytes(range(1, 58))
NAN = float("nan")


def _load(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


_DH_NAMES = ("_dh", "public_key", "exchange", "generate")


def _swap_dh(module: Any, function_name: str, ladder: Any, fixed_base: Any) -> dict[str, Any]:
    """Rebind an X25519/X448 module's functions to a MontgomeryDH on the given backend.

    The public functions are bound methods of one ``MontgomeryDH`` built at import, so
    swapping ``_impl`` alone would leave them on the import-time backend.
    """
    from nocrypto.edwards._util import MontgomeryDH

    saved = {n: getattr(module, n) for n in (*_DH_NAMES, function_name)}
    dh = MontgomeryDH(module._dh.name, module.BASE_POINT, ladder, fixed_base)
    for n in _DH_NAMES[1:]:
        setattr(module, n, getattr(dh, n))
    setattr(module, "_dh", dh)  # noqa: B010
    setattr(module, function_name, dh.function)
    return saved


@contextmanager
def _backend(kernels: dict[str, Any]) -> Iterator[None]:
    """The public modules running on the given backends (restored afterwards)."""
    from nocrypto import ed448, ed25519, mlkem, x448, x25519

    saved = {m: m._impl for m in (ed25519, ed448, mlkem)}
    reference = kernels["ed25519"].__name__.endswith("_ref")
    montgomery = kernels["montgomery"]
    # key generation uses the Edwards kernels' fixed-base tables, or the ladder
    saved_dh = {
        x25519: _swap_dh(
            x25519,
            "x25519",
            montgomery.x25519,
            None if reference else kernels["ed25519"].x25519_base,
        ),
        x448: _swap_dh(
            x448, "x448", montgomery.x448, None if reference else kernels["ed448"].x448_base
        ),
    }
    try:
        for m, impl in (
            (ed25519, kernels["ed25519"]),
            (ed448, kernels["ed448"]),
            (mlkem, kernels["mlkem"]),
        ):
            setattr(m, "_impl", impl)  # noqa: B010
        mlkem._matrix.cache_clear()
        mlkem._h_ek.cache_clear()
        yield
    finally:
        mlkem._matrix.cache_clear()
        mlkem._h_ek.cache_clear()
        for module, names in saved_dh.items():
            for n, v in names.items():
                setattr(module, n, v)
        for m, impl in saved.items():
            setattr(m, "_impl", impl)  # noqa: B010


def _our_ops() -> dict[str, Callable[[], object]]:
    """puretls through its public API, on whatever backend is configured at call time."""
    from nocrypto import ed448, ed25519, mlkem, x448, x25519

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
        ek, dk = params.keygen(bytes(32), bytes(range(32)))

        def exchange(params: Any = params, ek: bytes = ek, dk: bytes = dk) -> object:
            _, ct = params.encaps(ek)
            return params.decaps(dk, ct)

        def fresh(params: Any = params) -> object:
            ek2, dk2 = params.keygen()
            _, ct = params.encaps(ek2)
            return params.decaps(dk2, ct)

        ops[f"{params.name} keygen"] = params.keygen
        ops[f"{params.name} encaps+decaps"] = exchange
        ops[f"{params.name} keygen+encaps+decaps"] = fresh
    return ops


def _openssl() -> tuple[dict[str, Callable[[], object]], dict[str, Callable[[], object]]]:
    """cryptography's calls: (from raw bytes, on prebuilt key objects)."""
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
    return from_bytes, objects


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


def _ratio(a: float, b: float) -> str:
    return "-" if a != a or b != b else f"{a / b:.2f}x"


def run(args: list[str]) -> None:
    from nocrypto import mlkem_pke
    from nocrypto.edwards import ed448_ref, ed25519_ref, montgomery

    min_time = 0.05 if "--quick" in args else 0.15
    fast: dict[str, Any] = {
        "montgomery": _load("nocrypto.edwards._montgomery_cy"),
        "ed25519": _load("nocrypto.edwards._ed25519_cy"),
        "ed448": _load("nocrypto.edwards._ed448_cy"),
        "mlkem": _load("nocrypto._mlkem_pke_cy"),
    }
    slow: dict[str, Any] = {
        "montgomery": montgomery,
        "ed25519": ed25519_ref,
        "ed448": ed448_ref,
        "mlkem": mlkem_pke,
    }
    have_fast = all(v is not None for v in fast.values())
    with _backend(fast if have_fast else slow):
        ops = _our_ops()
    ossl, objs = _openssl()
    rows: list[list[object]] = []
    for name, fn in ops.items():
        best = {"fast": 0.0, "ossl": 0.0, "objs": 0.0}
        with _backend(slow):  # the reference once: it is far from the others anyway
            slow_rate = rate(fn, min_time / 3, repeat=1)
        for _ in range(3):
            if have_fast:
                with _backend(fast):
                    best["fast"] = max(best["fast"], rate(fn, min_time, repeat=1))
            for col, calls in (("ossl", ossl), ("objs", objs)):
                if name in calls:
                    best[col] = max(best[col], rate(calls[name], min_time, repeat=1))
        f = best["fast"] if have_fast else NAN
        o = best["ossl"] if name in ossl else NAN
        ob = best["objs"] if name in objs else NAN
        rows.append([name, f, slow_rate, o, _ratio(f, o), ob, _ratio(f, ob), _ratio(slow_rate, o)])
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
    if not have_fast:
        print("(Cython kernels not built: only the pure-Python reference was timed)")


if __name__ == "__main__":
    run(sys.argv[1:])
