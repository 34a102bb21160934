"""The NIST-curve arithmetic backends the EC tests run on: the pure-Python reference and
the Cython kernel (skipped, with the reason, when it is not built)."""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest

from nocrypto.nist import arith


def kernel() -> ModuleType | None:
    try:
        return importlib.import_module("nocrypto.nist._arith_cy")
    except ImportError:
        return None


BACKENDS = [
    pytest.param(arith, id="python"),
    pytest.param(
        kernel(),
        id="cython",
        marks=pytest.mark.skipif(kernel() is None, reason="nocrypto.nist._arith_cy is not built"),
    ),
]
