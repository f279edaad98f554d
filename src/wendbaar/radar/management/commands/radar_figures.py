"""`wendbaar radar_figures`: import job-seeker figures for the tension indicator, and test the forecasts.

    wendbaar radar_figures import-csv figures.csv
    wendbaar radar_figures import-cbs <table id> [--region-key RegioS --period-key Perioden
                                      --group-key Beroep --value-key WWUitkeringenKorterDan6Maanden_1]
    wendbaar radar_figures backtest [--region AM22] [--level 1]

Only `import-cbs` goes online (CBS StatLine through the cbsodata client), and only when you run it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wendbaar.radar.dashboards import services
from wendbaar.radar.indicators import occupations
from wendbaar.radar.indicators.scope import Scope
from wendbaar.radar.indicators.tension import CbsMapping, FiguresError


class Command(BaseCommand):
    help = "Import job-seeker figures (CSV or CBS StatLine) for the tension indicator; backtest the forecasts."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        csv_parser = sub.add_parser("import-csv", help="columns: region_code, period, occupation_group, job_seekers")
        csv_parser.add_argument("path", type=Path)
        cbs = sub.add_parser("import-cbs", help="download a CBS StatLine table now and import it")
        cbs.add_argument("table")
        cbs.add_argument("--region-key", default=CbsMapping.region)
        cbs.add_argument("--period-key", default=CbsMapping.period)
        cbs.add_argument("--group-key", default=CbsMapping.occupation_group, help="empty: the table has no groups")
        cbs.add_argument("--value-key", default=CbsMapping.job_seekers)
        cbs.add_argument("--scale", type=int, default=1, help="multiply values (1000 for tables in thousands)")
        cbs.add_argument("--rows-json", type=Path, help="read the rows from this JSON file instead of downloading")
        back = sub.add_parser("backtest", help="report MASE of the forecast and of seasonal-naive per group")
        back.add_argument("--region", default="NL")
        back.add_argument("--level", default="1", choices=["0", "1", "2", "3", "4"])

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "import-csv":
                if not options["path"].exists():
                    raise CommandError(f"{options['path']}: file not found")
                summary = services.import_jobseekers_csv(path=options["path"])
            elif action == "import-cbs":
                mapping = CbsMapping(
                    region=options["region_key"],
                    period=options["period_key"],
                    occupation_group=options["group_key"] or None,
                    job_seekers=options["value_key"],
                    scale=options["scale"],
                )
                rows = json.loads(options["rows_json"].read_text(encoding="utf-8")) if options["rows_json"] else None
                summary = services.import_jobseekers_cbs(table=options["table"], mapping=mapping, rows=rows)
            else:
                self._backtest(options["region"], options["level"])
                return
        except FiguresError as exc:
            raise CommandError("\n".join(exc.errors)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"added {summary['added']}, changed {summary['changed']}, unchanged {summary['unchanged']}"
            )
        )

    def _backtest(self, region: str, level: str) -> None:
        last = services.end_month(None)
        if last is None:
            raise CommandError("the store has no vacancies")
        groups = (
            [""]
            if level == "0"
            else [g.group for g in occupations.growth(Scope.of(region=region), level, last) if g.status != "too_few"]
        )
        self.stdout.write(f"{'group':<8}{'method':<14}{'MASE':>8}{'s-naive':>10}  reliable")
        for group in groups:
            fc = services.forecast_group(region=region, group=group, end=last)
            if fc is None:
                continue
            a = fc.assessment
            scores = (a.backtest.mase, a.backtest.mase_seasonal_naive)
            mase, naive = (("–" if v is None else f"{v:.3f}") for v in scores)
            self.stdout.write(
                f"{group or 'all':<8}{a.forecast.method:<14}{mase:>8}{naive:>10}"
                f"  {'yes' if a.reliable else 'no: ' + ', '.join(a.reasons)}"
            )
