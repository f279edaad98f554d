"""Forecast backtest on the synthetic demo data: MASE of the forecast and of seasonal-naive per ISCO group.

    .venv/bin/python bench/radar_forecast.py [--big 20000] [--levels 1,2] [--work DIR]

1. Sets up the demo exactly as `wendbaar demo --no-serve` does (taxonomy, engine, the demo's synthetic
   vacancies for AM22 over `demo_period()`), in a throw-away directory, and times it.
2. Synthesizes a bigger set with the same generator, period and seed into a second store, and
   ingests and enriches it.
3. On both stores, backtests the forecast of every ISCO group of each level that the dashboard would
   list (the groups `wendbaar radar_figures backtest` reports): the last four quarters are forecast
   from the quarters before them, MASE is scaled by the in-sample seasonal-naive error.
Writes bench/results/radar_forecast.json and prints a summary table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from _engine_data import shared_data, table, write_result  # noqa: E402


def setup_django(work: Path) -> None:
    os.environ["WENDBAAR_VAR_DIR"] = str(work)
    os.environ["WENDBAAR_DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["WENDBAAR_STORE_DIR"] = str(work / "radar")
    os.environ["WENDBAAR_ENGINE_PATH"] = str(work / "engine.bin")
    os.environ["WENDBAAR_SHARED_DATA"] = str(shared_data())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendbaar.settings")
    import django

    django.setup()


def backtests(region: str, level: str) -> dict[str, Any]:
    """Return per-group backtests and their summary for the region's current store."""
    from wendbaar.radar.dashboards import services
    from wendbaar.radar.indicators import occupations
    from wendbaar.radar.indicators.scope import Scope

    last = services.end_month(None)
    assert last is not None, "the store has no vacancies"
    if level == "0":  # all occupations: the forecast on the region dashboard
        listed = [""]
    else:
        growth = occupations.growth(Scope.of(region=region), level, last)
        listed = sorted(g.group for g in growth if g.status != "too_few")
    groups = []
    for group in listed:
        fc = services.forecast_group(region=region, group=group, end=last)
        if fc is None or fc.assessment.backtest.mase is None:
            continue
        a = fc.assessment
        groups.append(
            {
                "group": group or "all",
                "vacancies": sum(v for _q, v in fc.history),
                "quarters": len(fc.history),
                "method": a.forecast.method,
                "mase": round(a.backtest.mase, 3),
                "mase_seasonal_naive": round(a.backtest.mase_seasonal_naive or 0.0, 3),
                "reliable": a.reliable,
                "reasons": list(a.reasons),
            }
        )
    mase = [g["mase"] for g in groups]
    naive = [g["mase_seasonal_naive"] for g in groups]
    return {
        "level": level,
        "end": last,
        "groups": len(groups),
        "groups_forecast_wins": sum(m < n for m, n in zip(mase, naive, strict=True)),
        "mean_mase": round(statistics.fmean(mase), 3) if mase else None,
        "mean_mase_seasonal_naive": round(statistics.fmean(naive), 3) if naive else None,
        "median_mase": round(statistics.median(mase), 3) if mase else None,
        "median_mase_seasonal_naive": round(statistics.median(naive), 3) if naive else None,
        "per_group": groups,
    }


def measure(label: str, levels: list[str], region: str) -> dict[str, Any]:
    from wendbaar.radar.indicators import cache

    cache.clear()
    return {"dataset": label, "levels": [backtests(region, level) for level in levels]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", type=int, default=20_000, help="vacancies in the bigger synthesized set")
    parser.add_argument("--levels", default="0,1,2", help="ISCO levels to backtest (0 = all occupations)")
    parser.add_argument("--work", type=Path, default=None, help="keep the demo here (default: a temporary dir)")
    args = parser.parse_args()
    levels = args.levels.split(",")
    with tempfile.TemporaryDirectory(prefix="wendbaar-bench-forecast-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        setup_django(work)
        from django.conf import settings
        from django.core.management import call_command

        from wendbaar.web import demo_data
        from wendbaar.web.demo import DEMO_REGION

        start = time.perf_counter()
        call_command("demo", no_serve=True, stdout=io.StringIO())
        demo_seconds = time.perf_counter() - start
        first, months = demo_data.demo_period(dt.date.today())
        demo = measure(f"demo ({demo_data.DEMO_VACANCIES} vacancies)", levels, DEMO_REGION)

        settings.STORE_DIR = work / "radar-big"
        out = work / f"vacancies-{DEMO_REGION}-{args.big}.csv"
        start = time.perf_counter()
        quiet = io.StringIO()
        if not out.exists():
            call_command("radar", "synthesize", region=DEMO_REGION, start=first, months=months, count=args.big,
                         out=out, seed=demo_data.DEMO_SEED, stdout=quiet)  # fmt: skip
        call_command("radar", "ingest", str(out), enrich=True, stdout=quiet)
        big_seconds = time.perf_counter() - start
        big = measure(f"synthesized ({args.big} vacancies)", levels, DEMO_REGION)

    result = {
        "region": DEMO_REGION,
        "period": {"first": first, "months": months},
        "seed": demo_data.DEMO_SEED,
        "holdout_quarters": 4,
        "demo_setup_s": round(demo_seconds, 1),
        "big_synthesize_ingest_enrich_s": round(big_seconds, 1),
        "datasets": [demo, big],
    }
    path = write_result("radar_forecast", result)
    keys = ("level", "groups", "groups_forecast_wins", "mean_mase", "mean_mase_seasonal_naive", "median_mase",
            "median_mase_seasonal_naive")  # fmt: skip
    rows = [[d["dataset"], *(lv[k] for k in keys)] for d in (demo, big) for lv in d["levels"]]
    header = ["dataset", "ISCO level", "groups", "ETS wins", "mean MASE", "mean s-naive", "median", "median s-naive"]
    print(table(rows, header))
    print(f"demo setup {demo_seconds:.0f}s; bigger set {big_seconds:.0f}s; wrote {path}")


if __name__ == "__main__":
    main()
