"""Vacancy counts and growth per occupation group: year on year, and the 12-month trend with its uncertainty."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from wendbaar.radar.indicators.scope import Scope, add_months, group_expression, month_range, quarter_of
from wendbaar.radar.store.cache import store_cached
from wendbaar.radar.store.reading import months_available, query, shared_connection

# Groups with fewer vacancies than this in the last 12 months get no growth verdict: too noisy to call.
MIN_VACANCIES_FOR_TREND = 30
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Count:
    period: str
    group: str
    vacancies: int


@dataclass(frozen=True)
class Growth:
    """Growth of one occupation group over the 12 months ending at `end`."""

    group: str
    vacancies: int  # last 12 months
    vacancies_previous: int  # the 12 months before
    yoy: float | None  # relative change year on year; None without a previous year
    trend: float  # annualised growth from a log-linear fit on the last 24 monthly counts (seasonally adjusted)
    trend_low: float
    trend_high: float
    status: str  # "growing", "shrinking", "stable" or "too_few"


def latest_month() -> str | None:
    """Return the last month with vacancies in the store."""
    available = months_available()
    return available[1] if available else None


@store_cached
def monthly_counts(scope: Scope, level: str, first: str, last: str) -> list[Count]:
    """Return vacancy counts per month and occupation group (months without vacancies are absent).

    A scope with a skill counts only the vacancies asking that skill.
    """
    frame = _monthly_frame(scope, level, first, last)
    months, groups, ns = (frame[name].tolist() for name in ("month", "grp", "n"))
    return [Count(str(m), str(g), int(n)) for m, g, n in zip(months, groups, ns, strict=True)]


def _monthly_frame(scope: Scope, level: str, first: str, last: str) -> Any:
    # With a skill in scope, count the vacancies asking it (one row per vacancy and skill in vacancy_skills).
    table = "vacancy_skills" if scope.skill_uri else "vacancies"
    where, params = scope.where(skills_table=bool(scope.skill_uri))
    return query(
        f"SELECT month, {group_expression(level)} AS grp, count(*) AS n FROM {table} "
        f"WHERE month BETWEEN ? AND ? AND {group_expression(level)} IS NOT NULL{where} GROUP BY ALL ORDER BY 1, 2",
        [first, last, *params],
    )


@store_cached
def monthly_matrix(scope: Scope, level: str, first: str, last: str) -> tuple[list[str], np.ndarray]:
    """Return the groups with vacancies (sorted) and their counts as a groups × months matrix over
    `month_range(first, last)`: what `monthly_counts` says, without a `Count` per cell. Growth needs only
    the matrix, and making ~50,000 frozen dataclasses cost a growth recomputed after an upload ~12 ms
    (the loopbaan-APK paths page after an upload: 75 -> 62 CPU ms)."""
    frame = _monthly_frame(scope, level, first, last)
    months = np.array(month_range(first, last))
    groups, rows = np.unique(frame["grp"].astype(str).to_numpy(), return_inverse=True)
    columns = np.searchsorted(months, frame["month"].astype(str).to_numpy())  # 'YYYY-MM' sorts by time
    matrix = np.zeros((len(groups), len(months)))
    np.add.at(matrix, (rows, columns), frame["n"].to_numpy(dtype=float))
    return groups.tolist(), matrix


@store_cached
def total_monthly_counts(scope: Scope, first: str, last: str) -> list[Count]:
    """Return vacancy counts per month for the whole scope, with zero for empty months."""
    where, params = scope.where()
    frame = query(
        f"SELECT month, count(*) AS n FROM vacancies WHERE month BETWEEN ? AND ?{where} GROUP BY ALL",
        [first, last, *params],
    )
    found = {str(m): int(n) for m, n in frame.itertuples(index=False)}
    return [Count(month, "", found.get(month, 0)) for month in month_range(first, last)]


def to_quarters(counts: list[Count]) -> list[Count]:
    """Sum monthly counts into quarters per group."""
    totals: dict[tuple[str, str], int] = {}
    for count in counts:
        key = (quarter_of(count.period), count.group)
        totals[key] = totals.get(key, 0) + count.vacancies
    return [Count(q, g, n) for (q, g), n in sorted(totals.items())]


def log_linear_trend(matrix: np.ndarray, months: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fit log(count + 0.5) = a + b·t + quarter effect per row; return annual growth and its confidence bounds.

    The quarter effects take out seasonality, which would otherwise widen the interval (a dip every
    summer) or bias a 12-month slope; they need more than one year of data, hence the 24-month window.
    """
    n = len(months)
    t = np.arange(n, dtype=float) - (n - 1) / 2
    quarter = np.array([(int(m[5:7]) - 1) // 3 for m in months])
    dummies = [(quarter == q).astype(float) for q in (1, 2, 3) if (quarter == q).any()]
    design = np.column_stack([np.ones(n), t, *dummies])
    y = np.log(matrix + 0.5).T  # (months, groups)
    # The least-squares solution through the pseudo-inverse of the small design matrix (the same minimum-norm
    # solution as np.linalg.lstsq): one SVD of months × 5 for every group at once. lstsq on thousands of
    # columns cost 80 ms of CPU; this is under 1 ms, and growth is recomputed after every landed upload.
    coef = np.linalg.pinv(design) @ y
    residual = y - design @ coef
    dof = n - design.shape[1]
    variance = (residual**2).sum(axis=0) / dof
    xtx_inv = np.linalg.inv(design.T @ design)
    stderr = np.sqrt(variance * xtx_inv[1, 1])
    slope = coef[1]
    margin = stats.t.ppf(0.5 + CONFIDENCE / 2, dof) * stderr
    return np.expm1(12 * slope), np.expm1(12 * (slope - margin)), np.expm1(12 * (slope + margin))


@store_cached
def growth(scope: Scope, level: str, end: str) -> list[Growth]:
    """Return growth per occupation group for the 12 months ending at `end`, fastest growing first."""
    first = add_months(end, -23)
    months = month_range(first, end)
    groups, matrix = monthly_matrix(scope, level, first, end)
    if not groups:
        return []
    current, previous = matrix[:, 12:], matrix[:, :12]
    # Plain floats and row sums in one go (a numpy sum per group and year cost more than the fit).
    annual, low, high = (values.tolist() for values in log_linear_trend(matrix, months))
    nows, befores = current.sum(axis=1).astype(int).tolist(), previous.sum(axis=1).astype(int).tolist()
    result = []
    for i, group in enumerate(groups):
        now, before = nows[i], befores[i]
        if now < MIN_VACANCIES_FOR_TREND:
            status = "too_few"
        elif low[i] > 0:
            status = "growing"
        elif high[i] < 0:
            status = "shrinking"
        else:
            status = "stable"
        yoy = (now / before - 1) if before else None
        result.append(Growth(group, now, before, yoy, annual[i], low[i], high[i], status))
    # Groups with the same counts have the same trend up to rounding noise of the fit: rounded, they rank by group.
    result.sort(key=lambda g: (-round(g.trend, 9), g.group))
    return result


@store_cached
def vacancies_in(region: str, first: str, last: str, isco_prefix: str = "") -> int:
    """Return the vacancies of a region in the months `first`..`last` whose ISCO code starts with the prefix."""
    frame = query(
        "SELECT count(*) AS n FROM vacancies WHERE month BETWEEN ? AND ? AND region_code = ? "
        "AND starts_with(isco_code, ?)",
        [first, last, region, isco_prefix],
    )
    return int(frame["n"].iloc[0]) if len(frame) else 0


@store_cached
def region_year_counts(end: str) -> list[tuple[str, int, int]]:
    """Return (region, vacancies in the 12 months ending at `end`, vacancies in the 12 months before) per region."""
    split = add_months(end, -12)
    frame = query(
        "SELECT region_code, count(*) FILTER (WHERE month > ?) AS now, count(*) FILTER (WHERE month <= ?) AS before "
        "FROM vacancies WHERE month BETWEEN ? AND ? AND region_code IS NOT NULL GROUP BY 1",
        [split, split, add_months(end, -23), end],
    )
    return [(str(code), int(now), int(before)) for code, now, before in frame.itertuples(index=False)]


@dataclass(frozen=True)
class VacancyRow:
    vacancy_id: str
    title: str
    employer_name: str
    region_code: str
    posted_date: str
    isco_code: str
    occupation_uri: str


@store_cached
def vacancy_page(scope: Scope, first: str, last: str, offset: int, limit: int) -> tuple[int, list[VacancyRow]]:
    """`vacancy_list` for one page of the list, memoised per store version.

    Why: each server thread has its own DuckDB connection, reopened when a run lands; the first count
    and sort over the vacancies after that took 100–370 ms, the slowest radar page of the 50-user load
    run. A page read once is now read by every process from the shared cache.
    """
    return vacancy_list(scope=scope, first=first, last=last, offset=offset, limit=limit)


def vacancy_list(
    *, scope: Scope, first: str, last: str, offset: int = 0, limit: int = 50
) -> tuple[int, list[VacancyRow]]:
    """Return the number of vacancies in scope and one page of them, newest first (read from the store)."""
    where, params = scope.where()
    if scope.skill_uri:
        where += (
            " AND vacancy_id IN (SELECT vacancy_id FROM vacancy_skills WHERE month BETWEEN ? AND ? AND skill_uri = ?)"
        )
        params = [*params, first, last, scope.skill_uri]
    con = shared_connection()
    total_row = con.execute(
        f"SELECT count(*) FROM vacancies WHERE month BETWEEN ? AND ?{where}", [first, last, *params]
    ).fetchone()
    rows = con.execute(
        "SELECT vacancy_id, title, employer_name, region_code, CAST(posted_date AS VARCHAR), isco_code, occupation_uri "
        f"FROM vacancies WHERE month BETWEEN ? AND ?{where} ORDER BY posted_date DESC, vacancy_id LIMIT ? OFFSET ?",
        [first, last, *params, limit, offset],
    ).fetchall()
    return (int(total_row[0]) if total_row else 0), [VacancyRow(*(str(v or "") for v in row)) for row in rows]
