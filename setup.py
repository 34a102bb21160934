"""Build the Cython kernels; fall back to the pure-Python backend when that is impossible.

Every ``*.pyx`` file under the four packages becomes an extension module of the same
dotted name.  A kernel that fails to compile (no compiler, no Cython, an unsupported
architecture) is skipped with a warning: the package still installs and
``nocrypto.backend`` reports ``"python"`` for what is missing.
"""

import os
import platform
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).parent
PACKAGES = ("nocrypto", "asn1", "x509", "tls")


def _extensions() -> list[Extension]:
    if os.environ.get("NOCRYPTO_BACKEND", "").lower() == "python":
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:
        print("warning: Cython is not installed; using the pure-Python backend", file=sys.stderr)
        return []
    flags = ["-O3", "-fno-strict-aliasing", "-fwrapv"]
    if platform.machine().lower() in ("x86_64", "amd64"):
        # Baseline x86-64 only: AES-NI, PCLMULQDQ, AVX2, SHA-NI paths carry their own
        # per-function target attributes and are chosen at run time by CPUID.
        flags.append("-mtune=generic")
    exts = []
    for package in PACKAGES:
        for pyx in sorted((ROOT / package).rglob("*.pyx")):
            rel = pyx.relative_to(ROOT)
            name = ".".join(rel.with_suffix("").parts)
            exts.append(
                Extension(
                    name,
                    [str(rel)],
                    include_dirs=[str(pyx.parent)],
                    extra_compile_args=flags,
                )
            )
    if not exts:
        return []
    try:
        return cythonize(
            exts,
            language_level=3,
            compiler_directives={"boundscheck": False, "wraparound": False, "cdivision": True},
            quiet=True,
        )
    except Exception as exc:  # a broken .pyx must not make the install fail
        print(
            f"warning: Cython translation failed ({exc}); using the pure-Python backend",
            file=sys.stderr,
        )
        return []


class OptionalBuildExt(build_ext):
    """Compile each kernel on its own; a failure only loses that kernel."""

    def finalize_options(self) -> None:
        super().finalize_options()
        # Kernels are independent: compile them on every core (CI has two).
        if not self.parallel:
            self.parallel = os.cpu_count() or 1

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:
            print(
                f"warning: no C compiler usable ({exc}); using the pure-Python backend",
                file=sys.stderr,
            )

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:
            print(
                f"warning: kernel {ext.name} not built ({exc}); its pure-Python twin is used",
                file=sys.stderr,
            )


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
