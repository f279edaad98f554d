"""Quarterly demand forecasts with exponential smoothing (statsmodels ETS) and a MASE backtest.

Method by history length (quarters of data):
- ≥ 8 (two years, the fewest that identify four seasonal states): additive-error ETS with damped
  additive trend and additive seasonality (period 4);
- 6–7: ETS with damped trend, no seasonality;
- 2–5: naive (last value), with an interval widening as the square root of the horizon;
- fewer: no forecast.
The model is fixed rather than picked per series: on 8–16 quarters AICc rejects the season even in
plainly seasonal data and the trend in noisy growing series, and both lost to this model in the
backtests on the synthesizer's data (docs/radar-indicators.md, "Forecasts").
Forecasts are fitted on log(1 + count), so intervals stay positive and growth is multiplicative.
A forecast is marked unreliable (never hidden) when the history is short, it does no better in the
backtest than seasonal-naive (repeating last year's quarter; `losing`), or the 95% interval is wider
than the forecast itself.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

SEASON = 4
HORIZON = 4
MIN_SEASONAL = 2 * SEASON
MIN_TREND = 6
MIN_NAIVE = 2
# An interval wider than this multiple of the point forecast says "we do not know".
WIDE_INTERVAL_RATIO = 1.0
ALPHA = 0.05


@dataclass(frozen=True)
class Forecast:
    method: str  # "ets-seasonal", "ets-trend", "naive" or "none"
    mean: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]


@dataclass(frozen=True)
class Backtest:
    holdout: int
    mase: float | None  # of the method on the last `holdout` quarters
    mase_seasonal_naive: float | None  # of the seasonal-naive baseline on the same quarters


@dataclass(frozen=True)
class Assessment:
    forecast: Forecast
    backtest: Backtest
    reasons: tuple[str, ...] = field(default=())

    @property
    def reliable(self) -> bool:
        return not self.reasons


def _ets(log_values: np.ndarray, *, seasonal: bool, horizon: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import pandas as pd
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    model = ETSModel(
        pd.Series(log_values),  # get_prediction needs an index
        error="add",
        trend="add",
        damped_trend=True,
        seasonal="add" if seasonal else None,
        seasonal_periods=SEASON if seasonal else None,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short or flat series
        fit = model.fit(disp=False, maxiter=200)
        prediction = fit.get_prediction(start=len(log_values), end=len(log_values) + horizon - 1)
        frame = prediction.summary_frame(alpha=ALPHA)
    return frame["mean"].to_numpy(), frame["pi_lower"].to_numpy(), frame["pi_upper"].to_numpy()


def method_for(length: int) -> str:
    """Return the method used for a history of `length` quarters."""
    if length >= MIN_SEASONAL:
        return "ets-seasonal"
    if length >= MIN_TREND:
        return "ets-trend"
    if length >= MIN_NAIVE:
        return "naive"
    return "none"


def forecast(values: Sequence[float] | np.ndarray, *, horizon: int = HORIZON) -> Forecast:
    """Return point forecasts and 95% prediction intervals for the next `horizon` quarters."""
    y = np.asarray(values, dtype=float)
    method = method_for(len(y))
    if method == "none":
        return Forecast(method, (), (), ())
    log_y = np.log1p(y)
    if method == "naive":
        steps = np.arange(1, horizon + 1)
        sigma = np.std(np.diff(log_y), ddof=0) if len(y) > 2 else abs(log_y[-1] - log_y[0])
        sigma = max(float(sigma), 0.1)  # never claim certainty from two or three points
        mean = np.full(horizon, log_y[-1])
        lower, upper = mean - 1.96 * sigma * np.sqrt(steps), mean + 1.96 * sigma * np.sqrt(steps)
    else:
        mean, lower, upper = _ets(log_y, seasonal=method == "ets-seasonal", horizon=horizon)
    back = np.expm1
    return Forecast(
        method,
        tuple(float(max(0.0, v)) for v in back(mean)),
        tuple(float(max(0.0, v)) for v in back(lower)),
        tuple(float(max(0.0, v)) for v in back(upper)),
    )


def seasonal_naive(values: np.ndarray, horizon: int) -> np.ndarray:
    """Return the seasonal-naive forecast: each future quarter equals the same quarter a year before."""
    last_season = values[-SEASON:]
    return np.array([last_season[i % SEASON] for i in range(horizon)], dtype=float)


def mase_scale(train: np.ndarray) -> float | None:
    """Return the in-sample mean absolute error of seasonal-naive, MASE's denominator (Hyndman & Koehler 2006)."""
    if len(train) <= SEASON:
        return None
    scale = float(np.mean(np.abs(train[SEASON:] - train[:-SEASON])))
    return scale if scale > 0 else None


def backtest(values: Sequence[float] | np.ndarray, *, holdout: int = HORIZON) -> Backtest:
    """Forecast the last `holdout` quarters from the rest; return MASE of the method and of seasonal-naive."""
    y = np.asarray(values, dtype=float)
    if len(y) < holdout + SEASON + MIN_NAIVE:
        return Backtest(holdout, None, None)
    train, test = y[:-holdout], y[-holdout:]
    scale = mase_scale(train)
    if scale is None:
        return Backtest(holdout, None, None)
    predicted = np.asarray(forecast(train, horizon=holdout).mean)
    baseline = seasonal_naive(train, holdout)
    return Backtest(
        holdout,
        float(np.mean(np.abs(test - predicted)) / scale),
        float(np.mean(np.abs(test - baseline)) / scale),
    )


def losing(check: Backtest) -> bool:
    """Whether the method did no better in its backtest than the seasonal-naive forecast (last year's quarter).

    That, not MASE >= 1, is what makes a forecast not worth more than last year's figures: MASE is scaled
    by seasonal-naive's error within the history, so on a series that turned, both may score above 1.
    """
    if check.mase is None or check.mase_seasonal_naive is None:
        return False
    return check.mase >= check.mase_seasonal_naive


def assess(values: Sequence[float] | np.ndarray, *, horizon: int = HORIZON) -> Assessment:
    """Return the forecast, its backtest and the reasons (if any) it should not be trusted.

    Memoised on the values themselves (the fits are deterministic): the radar's pages are recomputed
    whenever the store changes (every landed upload), but an upload seldom changes the complete quarters
    a forecast is fitted on, and the two ETS fits cost most of a cold dashboard (about a second of CPU).
    """
    return _assess(tuple(float(v) for v in np.asarray(values, dtype=float).ravel()), horizon)


@functools.lru_cache(maxsize=1024)
def _assess(values: tuple[float, ...], horizon: int) -> Assessment:
    y = np.asarray(values, dtype=float)
    result = forecast(y, horizon=horizon)
    check = backtest(y, holdout=horizon)
    reasons: list[str] = []
    if result.method in ("none", "naive"):
        reasons.append("short_history")
    if check.mase is None:
        reasons.append("no_backtest")
    elif losing(check):
        reasons.append("loses_to_naive")
    if result.mean:
        widths = [(hi - lo) / max(m, 1.0) for m, lo, hi in zip(result.mean, result.lower, result.upper, strict=True)]
        if max(widths) > WIDE_INTERVAL_RATIO:
            reasons.append("wide_interval")
    return Assessment(result, check, tuple(reasons))
