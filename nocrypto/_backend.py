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
import importlib.machinery
import os
import re
import warnings
from pathlib import Path
from types import ModuleType

FORCED_PYTHON = os.environ.get("NOCRYPTO_BACKEND", "").strip().lower() == "python"
_PACKAGE_DIR = Path(__file__).resolve().parent


def _missing_kernels() -> tuple[str, ...]:
    """Kernels whose ``.pyx`` ships with the package but whose extension was not built.

    Checked on the file system, without importing anything, so that it can run while
    ``nocrypto`` itself is being imported.
    """
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    missing = []
    for pyx in sorted(_PACKAGE_DIR.rglob("*.pyx")):
        if not any(pyx.with_name(pyx.stem + suffix).exists() for suffix in suffixes):
            rel = pyx.relative_to(_PACKAGE_DIR.parent).with_suffix("")
            missing.append(".".join(rel.parts))
    return tuple(missing)


missing_kernels: tuple[str, ...] = () if FORCED_PYTHON else _missing_kernels()
# A partial build is not mixed with the reference: either every primitive runs on its
# kernel, or every one runs on the pure-Python twin, so that ``backend`` tells the truth.
_USE_KERNELS = not FORCED_PYTHON and not missing_kernels
if missing_kernels:
    warnings.warn(
        "nocrypto: kernels not built (" + ", ".join(missing_kernels) + "); using the "
        "pure-Python reference, which is slower and not constant-time",
        RuntimeWarning,
        stacklevel=2,
    )


def kernel(module_name: str) -> ModuleType | None:
    """The compiled kernel ``module_name``, or ``None`` when the reference must be used."""
    if not _USE_KERNELS:
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
