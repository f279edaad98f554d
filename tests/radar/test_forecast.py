"""Forecasts: ETS beats seasonal-naive on seasonal generated data, short histories are flagged, not hidden."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wendbaar.radar.dashboards import services
from wendbaar.radar.indicators import forecast
from wendbaar.radar.synthetic.planted import write_planted_store

SEASON = np.array([1.25, 1.05, 0.7, 1.0])


def seasonal_series(seed: int, growth: float, quarters: int = 16, level: float = 400) -> np.ndarray:
    rng = np.random.default_rng(seed)
    q = np.arange(quarters)
    return rng.poisson(level * (1 + growth) ** (q / 4) * SEASON[q % 4]).astype(float)


def test_backtest_beats_seasonal_naive_on_seasonal_data_with_trend() -> None:
    results = [forecast.backtest(seasonal_series(seed, growth)) for seed in range(4) for growth in (0.3, -0.3)]
    mase = np.mean([r.mase for r in results])
    naive = np.mean([r.mase_seasonal_naive for r in results])
    print(f"MASE ETS {mase:.3f} vs seasonal-naive {naive:.3f}")  # the figure the issue asks to report
    assert mase < naive
    assert sum(r.mase < r.mase_seasonal_naive for r in results) >= 6


def test_seasonal_forecast_has_intervals_around_the_mean_and_follows_the_season() -> None:
    result = forecast.forecast(seasonal_series(1, 0.1))
    assert result.method == "ets-seasonal" and len(result.mean) == 4
    assert all(lo <= m <= hi for lo, m, hi in zip(result.lower, result.mean, result.upper, strict=True))
    # Q1 (next quarter after 16) is high season, Q3 the low one.
    assert result.mean[0] > result.mean[2] * 1.3


@pytest.mark.parametrize(
    ("length", "method"), [(0, "none"), (1, "none"), (3, "naive"), (6, "ets-trend"), (9, "ets-seasonal")]
)
def test_method_falls_back_with_the_length_of_history(length: int, method: str) -> None:
    assert forecast.forecast(seasonal_series(2, 0.0, quarters=length)).method == method


def test_short_history_is_flagged_unreliable_not_hidden() -> None:
    assessment = forecast.assess([120, 130, 125])
    assert assessment.forecast.mean and not assessment.reliable
    assert "short_history" in assessment.reasons and "no_backtest" in assessment.reasons


def test_noise_without_pattern_is_flagged() -> None:
    rng = np.random.default_rng(5)
    assessment = forecast.assess(rng.integers(1, 40, 16).astype(float))
    assert not assessment.reliable
    assert {"mase_at_least_1", "wide_interval"} & set(assessment.reasons)


def test_assessment_is_memoised_on_the_values_and_follows_a_changed_value() -> None:
    """The memo is keyed on the values: the same history gives the same answer without a new fit, and a
    history with one quarter changed (a landed upload) gets its own fit, equal to an unmemoised one."""
    values = seasonal_series(3, 0.2)
    first = forecast.assess(values)
    assert forecast.assess(list(values)) is first  # same values (list or array): no new fit
    changed = values.copy()
    changed[-1] += 250
    again = forecast.assess(changed)
    assert again is not first and again.forecast.mean != first.forecast.mean
    fresh = forecast._assess.__wrapped__(tuple(float(v) for v in changed), forecast.HORIZON)
    assert again == fresh
    shorter = forecast.assess(values, horizon=2)
    assert shorter is not first and len(shorter.forecast.mean) == 2


def test_mase_scale_is_the_in_sample_seasonal_naive_error() -> None:
    train = np.array([1, 2, 3, 4, 2, 3, 4, 5], dtype=float)
    assert forecast.mase_scale(train) == pytest.approx(1.0)
    assert forecast.mase_scale(np.ones(8)) is None  # a flat series has no scale


def test_region_forecast_from_the_store(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.STORE_DIR = tmp_path
    write_planted_store(tmp_path, vacancies=30_000, months=36, end="2025-12", seed=4)
    fc = services.forecast_group(region="AM22", group="4", end="2025-12")
    assert fc is not None
    assert fc.quarters == ("2026Q1", "2026Q2", "2026Q3", "2026Q4")
    assert [q for q, _v in fc.history][-1] == "2025Q4" and len(fc.history) == 12
    assert fc.assessment.forecast.method == "ets-seasonal"
    assert fc.assessment.backtest.mase is not None
