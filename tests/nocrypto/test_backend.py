"""The backend switch and the CPU probe."""

import os
import subprocess
import sys

import pytest

import nocrypto
from nocrypto import _backend


def test_backend_is_named():
    assert nocrypto.backend in ("cython", "python")


@pytest.mark.skipif(
    not os.environ.get("PURETLS_REQUIRE_CYTHON"),
    reason="PURETLS_REQUIRE_CYTHON unset: a pure-Python install is allowed here",
)
def test_kernels_were_built_when_required():
    # CI sets PURETLS_REQUIRE_CYTHON so a broken kernel build cannot hide behind the fallback.
    assert nocrypto.backend == "cython"


def test_environment_forces_python_backend():
    out = subprocess.run(
        [sys.executable, "-c", "import nocrypto; print(nocrypto.backend)"],
        env={**os.environ, "NOCRYPTO_BACKEND": "python"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "python"


def test_cpu_features_agree_with_the_kernel_probe():
    assert isinstance(nocrypto.cpu_features, frozenset)
    if nocrypto.backend == "cython":
        # The CPUID probe must not report what /proc/cpuinfo (the kernel's view) denies.
        listed = _backend._cpuinfo_flags()
        if listed:
            assert nocrypto.cpu_features <= listed | {"sse2"}


@pytest.mark.skipif(
    not os.environ.get("PURETLS_REQUIRE_CYTHON"),
    reason="PURETLS_REQUIRE_CYTHON unset: a pure-Python install is allowed here",
)
def test_every_kernel_imports_when_required():
    # Each public module falls back to its pure-Python twin silently when its kernel is
    # missing; in CI every .pyx in the tree must have produced an importable module.
    import importlib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    missing = []
    for package in ("nocrypto", "asn1", "x509", "tls"):
        for pyx in sorted((root / package).rglob("*.pyx")):
            name = ".".join(pyx.relative_to(root).with_suffix("").parts)
            try:
                importlib.import_module(name)
            except ImportError as exc:
                missing.append(f"{name}: {exc}")
    assert not missing, "kernels not built: " + "; ".join(missing)
