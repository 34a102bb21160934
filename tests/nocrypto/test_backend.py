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


def test_a_partial_build_falls_back_whole_and_warns(tmp_path):
    # With one kernel missing, nocrypto must neither mix kernels with the reference nor
    # claim "cython": it warns, names the kernel, and reports the python backend.
    import shutil
    from pathlib import Path

    if nocrypto.backend != "cython":
        pytest.skip("kernels not built here: nothing to take away")
    src = Path(nocrypto.__file__).resolve().parent
    dst = tmp_path / "nocrypto"
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("*.c", "__pycache__"))
    victims = sorted(dst.glob("hashes/_sha2_cy*.so"))
    assert victims, "the SHA-2 kernel should be built when backend is cython"
    for so in victims:
        so.unlink()
    code = (
        "import warnings\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        "    import nocrypto\n"
        "from nocrypto import hashes\n"
        "print(nocrypto.backend, type(hashes.sha256()).__module__)\n"
        "print(' | '.join(str(x.message) for x in w))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "NOCRYPTO_BACKEND"}
    env["PYTHONPATH"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    first, warning = out.stdout.splitlines()[:2]
    backend, hash_module = first.split()
    assert backend == "python"
    assert "_cy" not in hash_module
    assert "nocrypto.hashes._sha2_cy" in warning
