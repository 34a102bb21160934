"""Shared by the ctgrind tests: build a C driver and run it under Valgrind's memcheck."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def build(tmp: Path, name: str, source: str, include: Path, optimise: str = "-O2") -> Path:
    """Compile ``source`` with ``include`` on the header path; skip without the tools."""
    gcc, valgrind = shutil.which("gcc"), shutil.which("valgrind")
    if not gcc or not valgrind or not Path("/usr/include/valgrind/memcheck.h").exists():
        pytest.skip("gcc, valgrind and valgrind/memcheck.h are needed for the ctgrind check")
    src = tmp / f"{name}.c"
    src.write_text(source)
    exe = tmp / name
    subprocess.run(
        [gcc, optimise, "-g", f"-I{include}", "-o", str(exe), str(src)],
        check=True,
        capture_output=True,
        text=True,
    )
    return exe


def memcheck(driver: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["valgrind", "--tool=memcheck", str(driver), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def cpu_has_adx() -> bool:
    """Whether the real CPU (not valgrind's, whose CPUID hides ADX) has BMI2 and ADX: the
    drivers are then told to switch their MULX/ADX code on themselves."""
    try:
        from nocrypto import _cpu
    except ImportError:
        return False
    features = _cpu.probe()
    return "bmi2" in features and "adx" in features
