"""Timing helpers shared by the benchmarks.  Numbers are printed, never asserted."""

from __future__ import annotations

import time
from collections.abc import Callable


def rate(fn: Callable[[], object], min_time: float = 0.3, repeat: int = 3) -> float:
    """Best-of-``repeat`` calls per second of ``fn``, each run lasting at least ``min_time``."""
    fn()  # warm up (imports, key schedules, caches)
    best = 0.0
    for _ in range(repeat):
        n = 0
        start = time.perf_counter()
        elapsed = 0.0
        batch = 1
        while elapsed < min_time:
            for _ in range(batch):
                fn()
            n += batch
            batch *= 2
            elapsed = time.perf_counter() - start
        best = max(best, n / elapsed)
    return best


def table(headers: list[str], rows: list[list[object]]) -> str:
    """A plain fixed-width table."""
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = [
        "  ".join(
            c.rjust(w) if j else c.ljust(w) for j, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(v: object) -> str:
    if isinstance(v, float):
        if v >= 100:
            return f"{v:,.0f}"
        if v >= 1:
            return f"{v:.2f}"
        return f"{v:.3f}"
    return str(v)
