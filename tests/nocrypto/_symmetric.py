"""Shared helpers for the AES / GCM / CCM / ChaCha20-Poly1305 tests.

Each primitive runs on up to three backends: the pure-Python reference, the Cython
kernel on its hardware path (AES-NI / PCLMULQDQ / SIMD), and the same kernel forced
onto its portable constant-time path.  A backend that is not built, or whose CPU
features are missing, is skipped with the reason.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from pathlib import Path

import cryptography_vectors
import pytest

import nocrypto

VECTORS = Path(cryptography_vectors.__file__).parent


def load_kernel(name: str):
    try:
        return importlib.import_module(f"nocrypto.symmetric.{name}")
    except ImportError as exc:
        pytest.skip(f"kernel nocrypto.symmetric.{name} is not built ({exc})")


WIDE_FEATURES = ("vaes", "vpclmulqdq", "avx512f", "avx512bw")


def backend_params(hw_features: tuple[str, ...], wide: bool = False) -> list:
    """pytest params: python, cython-hw (needs ``hw_features``), cython-portable, and with
    ``wide`` also cython-hw-narrow (``wide=False``: AES-NI on 128-bit registers instead of
    VAES, AVX2 instead of AVX-512 for ChaCha20)."""
    missing = [f for f in hw_features if f not in nocrypto.cpu_features]
    hw_marks = [pytest.mark.skipif(bool(missing), reason=f"CPU lacks {missing}")]
    params = [
        pytest.param("python", id="python"),
        pytest.param("hw", id="cython-hw", marks=hw_marks),
        pytest.param("portable", id="cython-portable"),
    ]
    if wide:
        params.append(pytest.param("hw128", id="cython-hw-narrow", marks=hw_marks))
    return params


def wycheproof(path: Path) -> Iterator[tuple[dict, dict]]:
    data = json.loads(path.read_text())
    for group in data["testGroups"]:
        for test in group["tests"]:
            yield group, test


def nist_records(relpath: str) -> Iterator[dict[str, str]]:
    """Records of a NIST .rsp file; bracketed and bare header values carry over."""
    state: dict[str, str] = {}
    record: dict[str, str] | None = None
    with open(VECTORS / relpath) as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith("#"):
                if record is not None:
                    yield {**state, **record}
                    record = None
                continue
            if line.startswith("[") and line.endswith("]"):
                inner = line[1:-1]
                if "=" in inner:
                    for part in inner.split(","):
                        k, v = part.split("=", 1)
                        state[k.strip()] = v.strip()
                else:
                    state["section"] = inner
                continue
            if line == "FAIL":
                if record is not None:
                    record["FAIL"] = "1"
                continue
            if "=" not in line:
                continue
            k, v = (s.strip() for s in line.split("=", 1))
            if k.lower() == "count":
                if record is not None:
                    yield {**state, **record}
                record = {}
            if record is None:
                state[k] = v
            else:
                record[k] = v
    if record is not None:
        yield {**state, **record}


def flip_bit(b: bytes, i: int) -> bytes:
    out = bytearray(b)
    out[i // 8] ^= 1 << (i % 8)
    return bytes(out)
