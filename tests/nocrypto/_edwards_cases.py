"""Checks shared by the X25519/X448 and Ed25519/Ed448 test files, parametrised by the curve.

Each test file keeps its own tests (and the RFC values that belong to its curve); what is
the same on both curves lives here: the backend plumbing, the Wycheproof and oracle
loops, and the misuse checks.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization

import nocrypto
from nocrypto.edwards import montgomery

VECTORS = Path(str(importlib.import_module("cryptography_vectors").__file__)).parent / "asymmetric"
MONTGOMERY_KERNEL = "nocrypto.edwards._montgomery_cy"


def load_kernel(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _wycheproof(wycheproof_dir: Path, name: str) -> list[dict[str, Any]]:
    data = json.loads((wycheproof_dir / name).read_text())
    return [t for g in data["testGroups"] for t in g["tests"]]


# --- X25519 / X448 -------------------------------------------------------------------


@dataclass(frozen=True)
class Montgomery:
    module: ModuleType  # nocrypto.x25519 or nocrypto.x448
    name: str  # "x25519": the function's name in the module and in the kernels
    length: int  # of scalars, u-coordinates and shared secrets
    fixed_base_kernel: str  # the Edwards kernel offering ``<name>_base``
    oracle: ModuleType  # cryptography's module for the curve
    wycheproof_has_wrong_lengths: bool  # "invalid" raw cases are wrong-length public keys

    def raw(self, impl: Any) -> Any:
        """The raw RFC 7748 function of ``impl`` (a backend or the public module)."""
        return getattr(impl, self.name)

    @property
    def oracle_private(self) -> Any:
        return getattr(self.oracle, f"X{self.name[1:]}PrivateKey")

    @property
    def oracle_public(self) -> Any:
        return getattr(self.oracle, f"X{self.name[1:]}PublicKey")


def montgomery_backend(which: str) -> ModuleType:
    """The ``which`` backend of the ladder; skips when the kernel is not built."""
    if which == "python":
        return montgomery
    mod = load_kernel(MONTGOMERY_KERNEL)
    if mod is None:
        pytest.skip(f"kernel {MONTGOMERY_KERNEL} is not built")
    return mod


def rfc7748_vectors(curve: Montgomery) -> list[tuple[bytes, bytes, bytes]]:
    text = (VECTORS / curve.name.upper() / "rfc7748.txt").read_text()
    out, cur = [], {}
    for line in text.splitlines():
        if " = " in line and not line.startswith("COUNT"):
            k, v = line.split(" = ")
            cur[k.strip()] = bytes.fromhex(v.strip())
            if k.strip() == "OUTPUT_U":
                out.append((cur["INPUT_SCALAR"], cur["INPUT_U"], cur["OUTPUT_U"]))
                cur = {}
    return out


def check_diffie_hellman(
    curve: Montgomery, alice: bytes, bob: bytes, alice_pub: str, bob_pub: str, shared: str
) -> None:
    """RFC 7748 section 6: both public keys, and the shared secret from either side."""
    mod = curve.module
    a_pub, b_pub = mod.public_key(alice), mod.public_key(bob)
    assert a_pub.hex() == alice_pub
    assert b_pub.hex() == bob_pub
    assert mod.exchange(alice, b_pub).hex() == shared
    assert mod.exchange(bytearray(bob), memoryview(a_pub)).hex() == shared


# Policy for Wycheproof "acceptable" cases (twist points, low-order points, non-canonical
# u): the raw function computes the RFC 7748 function for every full-length u, exactly as
# the RFC recommends, so it must return the listed shared value; exchange() must
# additionally refuse exactly those whose shared secret is all zero (RFC 7748 section 6.1).
def check_wycheproof_raw(curve: Montgomery, impl: Any, wycheproof_dir: Path) -> None:
    for t in _wycheproof(wycheproof_dir, f"{curve.name}_test.json"):
        k, u = bytes.fromhex(t["private"]), bytes.fromhex(t["public"])
        if curve.wycheproof_has_wrong_lengths and t["result"] == "invalid":
            assert len(u) != curve.length, t["tcId"]
            with pytest.raises(ValueError):
                curve.raw(curve.module)(k, u)
            continue
        assert t["result"] in ("valid", "acceptable"), t["tcId"]
        assert curve.raw(impl)(k, u).hex() == t["shared"], t["tcId"]


def _sample(curve: Montgomery, tests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # The public module's own backend: all vectors on the kernel, every 4th on the reference.
    return tests if curve.module._impl is not montgomery else tests[::4]


def check_wycheproof_exchange(curve: Montgomery, wycheproof_dir: Path) -> None:
    for t in _sample(curve, _wycheproof(wycheproof_dir, f"{curve.name}_test.json")):
        k, u = bytes.fromhex(t["private"]), bytes.fromhex(t["public"])
        if curve.wycheproof_has_wrong_lengths and t["result"] == "invalid":
            with pytest.raises(nocrypto.InvalidKeyError):
                curve.module.exchange(k, u)
        elif "ZeroSharedSecret" in t["flags"]:
            with pytest.raises(nocrypto.InvalidKeyError):
                curve.module.exchange(k, u)
        else:
            assert curve.module.exchange(k, u).hex() == t["shared"], t["tcId"]


def check_wycheproof_asn(curve: Montgomery, wycheproof_dir: Path) -> None:
    # The DER wrappers are unwrapped with cryptography here; puretls only sees raw keys.
    # "invalid" cases are keys of another group or a malformed PKCS#8: they must not
    # survive as a full-length key pair of this curve.
    raw = curve.raw(curve.module)
    for t in _sample(curve, _wycheproof(wycheproof_dir, f"{curve.name}_asn_test.json")):
        try:
            priv = serialization.load_der_private_key(bytes.fromhex(t["private"]), None)
            pub = serialization.load_der_public_key(bytes.fromhex(t["public"]))
            raw_priv = priv.private_bytes_raw()  # type: ignore[union-attr]
            raw_pub = pub.public_bytes_raw()  # type: ignore[union-attr]
        except (ValueError, TypeError, AttributeError, UnsupportedAlgorithm):
            assert t["result"] == "invalid", t["tcId"]
            continue
        if len(raw_priv) != curve.length or len(raw_pub) != curve.length:
            assert t["result"] == "invalid", t["tcId"]
            with pytest.raises(ValueError):
                raw(raw_priv, raw_pub)
            continue
        assert t["result"] != "invalid", t["tcId"]
        assert raw(raw_priv, raw_pub).hex() == t["shared"], t["tcId"]


def check_oracle(curve: Montgomery, k: bytes, peer: bytes) -> None:
    """Shared secret and public key against cryptography, on every backend."""
    kernel = load_kernel(MONTGOMERY_KERNEL)
    ours = [curve.raw(montgomery)(k, peer)]
    if kernel is not None:
        ours.append(curve.raw(kernel)(k, peer))
    theirs = curve.oracle_private.from_private_bytes(k)
    try:
        expected = theirs.exchange(curve.oracle_public.from_public_bytes(peer))
    except ValueError:  # cryptography refuses an all-zero result; the raw function gives zeros
        expected = bytes(curve.length)
    assert all(o == expected for o in ours)
    pub = theirs.public_key().public_bytes_raw()
    base_point = curve.module.BASE_POINT
    assert curve.raw(montgomery)(k, base_point) == pub
    assert curve.module.public_key(k) == pub
    if kernel is not None:
        assert curve.raw(kernel)(k, base_point) == pub
    fixed_base = load_kernel(curve.fixed_base_kernel)
    if fixed_base is not None:  # key generation through the Edwards fixed-base table
        assert getattr(fixed_base, f"{curve.name}_base")(k) == pub


def check_generate(curve: Montgomery) -> None:
    mod = curve.module
    a, a_pub = mod.generate()
    b, b_pub = mod.generate()
    assert a != b and len(a_pub) == curve.length
    assert mod.exchange(a, b_pub) == mod.exchange(b, a_pub)


def check_misuse(curve: Montgomery) -> None:
    mod, n = curve.module, curve.length
    with pytest.raises(ValueError):
        mod.public_key(bytes(n - 1))
    with pytest.raises(ValueError):
        curve.raw(mod)(bytes(n), bytes(n + 1))
    with pytest.raises(TypeError):
        mod.public_key("00" * n)
    with pytest.raises(nocrypto.InvalidKeyError):
        mod.exchange(bytes(n), bytes(n - 1))
    assert mod.is_all_zero(bytes(n)) and not mod.is_all_zero(b"\0" * (n - 1) + b"\1")


# --- Ed25519 / Ed448 -----------------------------------------------------------------


@dataclass(frozen=True)
class Edwards:
    module: ModuleType  # nocrypto.ed25519 or nocrypto.ed448
    reference: ModuleType  # nocrypto.edwards.ed25519_ref or ed448_ref
    kernel_name: str
    oracle_private: Any  # cryptography's Ed25519PrivateKey / Ed448PrivateKey
    oracle_public: Any
    length: int  # of seeds, public keys and scalars; signatures are twice as long
    order: int  # L of RFC 8032

    def kernel(self) -> ModuleType | None:
        return load_kernel(self.kernel_name)

    def impls(self) -> list[ModuleType]:
        """The reference, and the kernel when it is built."""
        kernel = self.kernel()
        return [self.reference] + ([kernel] if kernel else [])

    def use(self, monkeypatch: pytest.MonkeyPatch, which: str) -> ModuleType:
        """The public module running on the ``which`` backend."""
        mod = self.reference if which == "python" else self.kernel()
        if mod is None:
            pytest.skip(f"kernel {self.kernel_name} is not built")
        monkeypatch.setattr(self.module, "_impl", mod)
        return self.module

    @contextmanager
    def running_on(self, impl: ModuleType) -> Iterator[ModuleType]:
        """The public module with ``impl`` as its backend, for the ``with`` block."""
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(self.module, "_impl", impl)
            yield self.module


def rfc8032_vectors(text: str, first: str, last: str) -> list[dict[str, bytes]]:
    """The test blocks of RFC 8032 between the headings ``first`` and ``last``."""
    start = text.index(first + "\n")  # the heading itself, not its table-of-contents line
    body = text[start : text.index(last, start)]
    out = []
    for block in body.split("-----")[1:]:
        fields: dict[str, str] = {}
        key = None
        for raw in block.splitlines():
            line = raw.strip()
            if line.endswith(":") or line.startswith("MESSAGE ("):
                key = line.split(" (")[0].rstrip(":")
                fields[key] = ""
            elif key and re.fullmatch(r"[0-9a-f]+", line):
                fields[key] += line
        if "SIGNATURE" in fields:
            out.append({k: bytes.fromhex(v) for k, v in fields.items() if k != "ALGORITHM"})
    return out


# Wycheproof lists no "acceptable" Ed25519 or Ed448 cases; valid must verify, invalid must not.
def check_wycheproof_signatures(backend: ModuleType, path: Path) -> None:
    data = json.loads(path.read_text())
    count = 0
    for group in data["testGroups"]:
        pub = bytes.fromhex(group["publicKey"]["pk"])
        for t in group["tests"]:
            ok = backend.verify(pub, bytes.fromhex(t["sig"]), bytes.fromhex(t["msg"]))
            assert ok == (t["result"] == "valid"), (t["tcId"], t["comment"])
            count += 1
    assert count == data["numberOfTests"]


def check_oracle_signature(curve: Edwards, seed: bytes, msg: bytes) -> None:
    """Public key and signature equal cryptography's on every backend, and it accepts ours."""
    theirs = curve.oracle_private.from_private_bytes(seed)
    pub = theirs.public_key().public_bytes_raw()
    expected = theirs.sign(msg)
    for impl in curve.impls():
        with curve.running_on(impl) as mod:
            assert mod.public_key(seed) == pub
            assert mod.sign(seed, msg) == expected
            assert mod.verify(pub, expected, msg)
    # raises if cryptography disagrees
    theirs.public_key().verify(curve.module.sign(seed, msg), msg)


def check_flipped_bit_refused(curve: Edwards, seed: bytes, msg: bytes, flip: int) -> None:
    sig = bytearray(curve.oracle_private.from_private_bytes(seed).sign(msg))
    sig[flip // 8] ^= 1 << (flip % 8)
    pub = curve.module.public_key(seed)
    for impl in curve.impls():
        with curve.running_on(impl) as mod:
            assert not mod.verify(pub, bytes(sig), msg)


def check_generate_sign_verify(curve: Edwards) -> None:
    mod = curve.module
    seed, pub = mod.generate()
    sig = mod.sign(bytearray(seed), memoryview(b"message"))
    assert mod.verify(memoryview(pub), bytearray(sig), b"message")
    curve.oracle_public.from_public_bytes(pub).verify(sig, b"message")


def check_malformed_verify_inputs(curve: Edwards) -> tuple[bytes, bytes]:
    """Wrong lengths and a bad point are bad input from a peer: False, never an exception.

    Returns the public key and signature of message b"m" it used."""
    mod, n = curve.module, curve.length
    seed = bytes(range(n))
    pub, sig = mod.public_key(seed), mod.sign(seed, b"m")
    assert not mod.verify(pub[: n - 1], sig, b"m")
    assert not mod.verify(pub, sig + b"\0", b"m")
    assert not mod.verify(pub, sig[: 2 * n - 1], b"m")
    assert not mod.verify(b"\xff" * n, sig, b"m")
    return pub, sig


def check_scalar_arithmetic(curve: Edwards, h: bytes, a: int, r: int) -> None:
    n, order = curve.length, curve.order
    hn = int.from_bytes(h, "little")
    for impl in curve.impls():
        assert impl.sc_reduce(h) == (hn % order).to_bytes(n, "little")
        got = impl.sc_muladd(h, a.to_bytes(n, "little"), r.to_bytes(n, "little"))
        assert got == ((hn * a + r) % order).to_bytes(n, "little")


def check_multiples_of_the_order(curve: Edwards) -> list[bytes]:
    """[L]B and [0]B are the identity, [L + 1]B is B; returns each backend's encoding of B."""
    n, order = curve.length, curve.order
    identity = b"\x01" + bytes(n - 1)  # (0, 1)
    bases = []
    for impl in curve.impls():
        base = impl.scalarmult_base((1).to_bytes(n, "little"))
        assert impl.scalarmult_base(order.to_bytes(n, "little")) == identity
        assert impl.scalarmult_base((order + 1).to_bytes(n, "little")) == base
        assert impl.scalarmult_base(bytes(n)) == identity
        bases.append(base)
    return bases
