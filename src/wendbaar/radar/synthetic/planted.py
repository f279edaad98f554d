"""A synthetic radar store with planted trends, for tests and benchmarks (never product data).

Vacancy counts per month, region and occupation follow base × (1 + growth)^(years) × season, drawn
Poisson; skills are drawn per vacancy from the occupation's core skills plus one rising and one
declining skill whose probability moves linearly over the period. `truth` says what was planted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from wendbaar.radar.indicators.scope import add_months, month_range

ESCO_OCCUPATION = "http://data.europa.eu/esco/occupation/planted-"
ESCO_SKILL = "http://data.europa.eu/esco/skill/planted-"
# Quarterly seasonality (Q1..Q4): many vacancies in spring, few in summer.
SEASON = (1.25, 1.05, 0.7, 1.0)


@dataclass
class PlantedStore:
    """What `write_planted_store` wrote: counts and the planted truth."""

    vacancies: int = 0
    skill_rows: int = 0
    months: list[str] = field(default_factory=list)
    truth: dict = field(default_factory=dict)


def _occupations(count: int) -> list[dict]:
    """Return `count` occupations with 4-digit ISCO codes over several major groups and a planted growth."""
    growths = (0.6, -0.45, 0.0)  # growing, shrinking, stable, in turn
    result = []
    for i in range(count):
        major = 1 + i % 9
        code = f"{major}{(i // 9) % 10}{i % 7}{i % 10}"
        uri = f"{ESCO_OCCUPATION}{i:03d}"
        result.append({"isco": code, "uri": uri, "growth": growths[i % 3], "weight": 1 + (i % 4)})
    return result


def write_planted_store(
    root: Path,
    *,
    vacancies: int = 20_000,
    end: str = "2025-12",
    months: int = 36,
    regions: tuple[str, ...] = ("AM22", "AM18", "AM13"),
    occupations: int = 9,
    skills_per_occupation: int = 4,
    seasonal: bool = True,
    seed: int = 7,
) -> PlantedStore:
    """Write vacancies and vacancy_skills Parquet partitions under `root`; return the planted truth."""
    rng = np.random.default_rng(seed)
    all_months = month_range(add_months(end, -(months - 1)), end)
    occs = _occupations(occupations)
    region_weight = np.linspace(1.5, 0.5, len(regions))
    t_years = np.arange(months) / 12.0
    season = np.array([SEASON[(int(m[5:7]) - 1) // 3] if seasonal else 1.0 for m in all_months])
    growth = np.array([o["growth"] for o in occs])
    weight = np.array([o["weight"] for o in occs], dtype=float)
    # shape (months, regions, occupations)
    shape = season[:, None, None] * region_weight[None, :, None] * weight[None, None, :]
    shape = shape * np.power(1 + growth[None, None, :], t_years[:, None, None])
    expected = shape / shape.sum() * vacancies
    counts = rng.poisson(expected)
    skill_base = [[f"{ESCO_SKILL}{o}-{k}" for k in range(skills_per_occupation)] for o in range(len(occs))]
    rising, declining, shared = f"{ESCO_SKILL}rising", f"{ESCO_SKILL}declining", f"{ESCO_SKILL}shared"
    employers = np.array([f"Werkgever {i}" for i in range(50)])
    result = PlantedStore(months=all_months)
    next_id = 0
    for mi, month in enumerate(all_months):
        n_month = int(counts[mi].sum())
        if n_month == 0:
            continue
        region_idx = np.repeat(np.tile(np.arange(len(regions)), len(occs)), counts[mi].T.reshape(-1))
        occ_idx = np.repeat(np.repeat(np.arange(len(occs)), len(regions)), counts[mi].T.reshape(-1))
        ids = pc.cast(pa.array(np.arange(next_id, next_id + n_month)), pa.string())
        ids = pc.binary_join_element_wise("v", ids, "")
        next_id += n_month
        days = rng.integers(1, 29, n_month)
        posted = pc.cast(
            pa.array((np.datetime64(f"{month}-01") + days - 1).astype("datetime64[D]")), pa.date32()
        )
        region_arr = pa.array(np.array(regions)[region_idx]).dictionary_encode()
        isco_arr = pa.array(np.array([o["isco"] for o in occs])[occ_idx]).dictionary_encode()
        uri_arr = pa.array(np.array([o["uri"] for o in occs])[occ_idx]).dictionary_encode()
        vac = pa.table(
            {
                "vacancy_id": ids,
                "source": pa.array(["planted"] * n_month),
                "title": pa.array(np.array([f"Vacature {o['isco']}" for o in occs])[occ_idx]),
                "employer_name": pa.array(employers[rng.integers(0, len(employers), n_month)]),
                "region_code": region_arr.cast(pa.string()),
                "posted_date": posted,
                "occupation_uri": uri_arr.cast(pa.string()),
                "isco_code": isco_arr.cast(pa.string()),
                "is_synthetic": pa.array(np.ones(n_month, dtype=bool)),
            }
        )
        # Skills: each core skill with probability 0.5, the shared skill 0.3, rising 0.05→0.45, declining the reverse.
        progress = mi / max(1, months - 1)
        picks_v, picks_s = [], []
        core = rng.random((n_month, skills_per_occupation)) < 0.5
        rows, cols = np.nonzero(core)
        picks_v.append(rows)
        picks_s.append(np.array(skill_base)[occ_idx[rows], cols])
        for uri, p in ((shared, 0.3), (rising, 0.05 + 0.4 * progress), (declining, 0.45 - 0.4 * progress)):
            chosen = np.nonzero(rng.random(n_month) < p)[0]
            picks_v.append(chosen)
            picks_s.append(np.full(len(chosen), uri))
        v_idx = np.concatenate(picks_v)
        skills = pa.table(
            {
                "vacancy_id": ids.take(pa.array(v_idx)),
                "skill_uri": pa.array(np.concatenate(picks_s)),
                "score": pa.array(np.full(len(v_idx), 0.9, dtype=np.float32)),
                "region_code": vac["region_code"].take(pa.array(v_idx)),
                "occupation_uri": vac["occupation_uri"].take(pa.array(v_idx)),
                "isco_code": vac["isco_code"].take(pa.array(v_idx)),
                "posted_date": posted.take(pa.array(v_idx)),
            }
        )
        for name, table in (("vacancies", vac), ("vacancy_skills", skills)):
            directory = root / name / f"month={month}"
            directory.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, directory / "planted-0.parquet", compression="zstd", row_group_size=256_000)
        result.vacancies += n_month
        result.skill_rows += skills.num_rows
    result.truth = {
        "growing": [o["isco"] for o in occs if o["growth"] > 0],
        "shrinking": [o["isco"] for o in occs if o["growth"] < 0],
        "stable": [o["isco"] for o in occs if o["growth"] == 0],
        "occupations": occs,
        "rising_skills": [rising],
        "declining_skills": [declining],
        "stable_skills": [shared],
        "regions": list(regions),
        "seasonal": seasonal,
    }
    return result
