"""The pipeline's own queries on the store: what needs enriching, what a run wrote, how big it is.

Indicators (what the dashboards show) live in `radar/indicators/`; these queries keep the store
itself in order, so the pipeline holds no SQL of its own.
"""

from __future__ import annotations

from typing import Any

from wendbaar.radar.store import parquet


def vacancies_to_enrich(month: str, versions: tuple[str, str] | None) -> list[tuple[str, str, str]]:
    """Return (vacancy_id, title, description) of a month: all of them, or those not enriched with `versions`."""
    sql = "SELECT vacancy_id, title, coalesce(description, '') FROM vacancies WHERE month = ?"
    params: list[Any] = [month]
    if versions is not None:
        sql += " AND (engine_version IS DISTINCT FROM ? OR taxonomy_version IS DISTINCT FROM ?)"
        params += list(versions)
    return [tuple(row) for row in parquet.connect().execute(sql, params).fetchall()]  # type: ignore[misc]


def vacancies_of_run(run_uuid: str) -> list[tuple[str, list[str]]]:
    """Return the vacancy ids a run stored, per month."""
    sql = "SELECT month, list(vacancy_id) FROM vacancies WHERE run_id = ? GROUP BY month"
    return [(month, ids) for month, ids in parquet.connect().execute(sql, [run_uuid]).fetchall()]


def summary() -> dict[str, Any]:
    """Return counts of the store: vacancies, enriched, skills rows, months."""
    con = parquet.connect()
    total, enriched = con.execute("SELECT count(*), count(occupation_uri) FROM vacancies").fetchone() or (0, 0)
    skills = (con.execute("SELECT count(*) FROM vacancy_skills").fetchone() or (0,))[0]
    return {"vacancies": total, "enriched": enriched, "vacancy_skills": skills, "months": parquet.months()}
