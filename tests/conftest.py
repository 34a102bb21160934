"""Shared test set-up: hypothesis profiles and the location of the outside vectors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent

# "ci" keeps the whole suite well under the CI budget on 2 cores; "dev" is the
# default for people at a keyboard; "thorough" is for a long run by hand.
settings.register_profile(
    "ci", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def shared_dir() -> Path | None:
    """``../shared`` beside the checkout (or $PURETLS_SHARED), if present."""
    env = os.environ.get("PURETLS_SHARED")
    candidates = [Path(env)] if env else []
    candidates.append(ROOT.parent / "shared")
    for c in candidates:
        if (c / "vectors").is_dir():
            return c
    return None


@pytest.fixture(scope="session")
def wycheproof_dir() -> Path:
    base = shared_dir()
    if base is None or not (base / "vectors" / "wycheproof").is_dir():
        pytest.skip("../shared/vectors/wycheproof is absent: Wycheproof vectors not checked")
    return base / "vectors" / "wycheproof"


@pytest.fixture(scope="session")
def limbo_path() -> Path:
    base = shared_dir()
    path = base / "vectors" / "limbo" / "limbo-dev.json.gz" if base else None
    if path is None or not path.is_file():
        pytest.skip("../shared/vectors/limbo/limbo-dev.json.gz is absent: limbo not checked")
    return path


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    base = shared_dir()
    if base is None or not (base / "reference").is_dir():
        pytest.skip("../shared/reference is absent: RFC traces not checked")
    return base / "reference"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI, a missing kernel or missing outside vectors fail instead of skipping.

    Tests skip the Cython parameter with a reason containing "not built" when the
    extension is missing; on a developer machine that is fine, in CI it would hide a
    broken build behind the pure-Python fallback.
    """
    outcome = yield
    report = outcome.get_result()
    if not report.skipped:
        return
    reason = str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else ""
    if os.environ.get("PURETLS_REQUIRE_CYTHON") and "not built" in reason:
        report.outcome = "failed"
        report.longrepr = f"PURETLS_REQUIRE_CYTHON is set but a kernel is missing: {reason}"
    elif os.environ.get("PURETLS_REQUIRE_VECTORS") and "is absent" in reason:
        # CI lays ../shared beside the clone; a green run without the outside vectors
        # (Wycheproof, x509-limbo, RFC 8448) would check far less than it claims.
        report.outcome = "failed"
        report.longrepr = (
            f"PURETLS_REQUIRE_VECTORS is set but outside vectors are missing: {reason}"
        )
