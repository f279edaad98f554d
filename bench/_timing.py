"""Summaries of measured times that the benchmarks share."""

from __future__ import annotations

import statistics


def percentiles(times: list[float], count: str = "n") -> dict[str, float]:
    """p50, p95 and max of `times` (ms), rounded, and how many there were (under the key `count`)."""
    times = sorted(times)
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
        "max_ms": round(times[-1], 2),
        count: len(times),
    }
