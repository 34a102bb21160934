"""Choose between the Cython kernels and the pure-Python reference.

The choice is made once, at import.  ``NOCRYPTO_BACKEND=python`` forces the reference
everywhere; otherwise a primitive uses its kernel when the kernel's extension module
was built and imports cleanly.

Convention for the primitives: the readable reference lives in ``foo.py`` and its
kernel in ``_foo_cy.pyx`` beside it, offering the same functions.  Tests import both
directly so that one test file checks both backends in one process.
"""

from __future__ import annotations

import importlib
import os
import re
from types import ModuleType

FORCED_PYTHON = os.environ.get("NOCRYPTO_BACKEND", "").strip().lower() == "python"


def kernel(module_name: str) -> ModuleType | None:
    """The compiled kernel ``module_name``, or ``None`` when the reference must be used."""
    if FORCED_PYTHON:
        return None
    try:
        return importlib.import_module(module_name)
    except ImportError:
        return None


def _cpuinfo_flags() -> frozenset[str]:
    """Feature names from /proc/cpuinfo, for when the CPUID kernel is not built."""
    rename = {"aes": "aesni", "sha_ni": "sha_ni", "pclmulqdq": "pclmulqdq"}
    wanted = {
        "sse2",
        "ssse3",
        "sse4_1",
        "aes",
        "pclmulqdq",
        "avx",
        "avx2",
        "bmi1",
        "bmi2",
        "adx",
        "sha_ni",
        "avx512f",
        "avx512bw",
        "vaes",
        "vpclmulqdq",
    }
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            text = f.read()
    except OSError:
        return frozenset()
    m = re.search(r"^flags\s*:\s*(.*)$", text, re.MULTILINE)
    if not m:
        return frozenset()
    return frozenset(rename.get(x, x) for x in m.group(1).split() if x in wanted)


def _detect() -> tuple[str, frozenset[str]]:
    cpu = kernel("nocrypto._cpu")
    if cpu is None:
        return "python", _cpuinfo_flags()
    return "cython", cpu.probe()


backend, cpu_features = _detect()
