"""The spanningsindicator: UWV's classes at their boundaries, job-seeker imports (CSV, CBS OData shape), ratios."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from wendbaar.radar.dashboards import services
from wendbaar.radar.indicators import tension
from wendbaar.radar.indicators.tension import FiguresError, TensionClass, classify
from wendbaar.radar.synthetic.planted import write_planted_store

CBS = FIXTURES / "cbs"


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (0.0, TensionClass.ZEER_RUIM),
        (0.1499, TensionClass.ZEER_RUIM),
        (0.15, TensionClass.RUIM),
        (0.3999, TensionClass.RUIM),
        (0.40, TensionClass.GEMIDDELD),
        (0.6699, TensionClass.GEMIDDELD),
        (0.67, TensionClass.KRAP),
        (1.4999, TensionClass.KRAP),
        (1.50, TensionClass.ZEER_KRAP),
        (12.0, TensionClass.ZEER_KRAP),
    ],
)
def test_uwv_classes_are_closed_at_their_lower_bound(ratio: float, expected: TensionClass) -> None:
    assert classify(ratio) is expected


def test_negative_ratio_is_refused() -> None:
    with pytest.raises(ValueError):
        classify(-0.1)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_import_then_reimport_changes_nothing(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.STORE_DIR = tmp_path / "store"
    csv_file = _write(
        tmp_path / "ww.csv", "region_code,period,occupation_group,job_seekers\nAM22,2025Q1,,4000\nAM22,2025q1,4,900\n"
    )
    assert services.import_jobseekers_csv(path=csv_file) == {"added": 2, "changed": 0, "unchanged": 0}
    mtime = tension.figures_path(settings.STORE_DIR).stat().st_mtime_ns
    assert services.import_jobseekers_csv(path=csv_file) == {"added": 0, "changed": 0, "unchanged": 2}
    assert tension.figures_path(settings.STORE_DIR).stat().st_mtime_ns == mtime
    changed = _write(tmp_path / "ww2.csv", "region_code,period,occupation_group,job_seekers\nAM22,2025Q1,4,950\n")
    assert services.import_jobseekers_csv(path=changed) == {"added": 0, "changed": 1, "unchanged": 0}
    figures = {(f.period, f.occupation_group): f.job_seekers for f in tension.read_figures(settings.STORE_DIR)}
    assert figures == {("2025Q1", ""): 4000, ("2025Q1", "4"): 950}
    assert [entry["source"] for entry in tension.read_import_log(settings.STORE_DIR)] == [
        "csv:ww.csv",
        "csv:ww.csv",
        "csv:ww2.csv",
    ]


def test_bad_csv_is_refused_whole_with_every_error_named(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.STORE_DIR = tmp_path / "store"
    bad = _write(
        tmp_path / "bad.csv",
        "region_code,period,occupation_group,job_seekers\nAM22,2025Q1,4,900\nRijnmond,2025Q1,4,900\n"
        "AM22,2025-03,4,900\nAM22,2025Q2,12345,1\nAM22,2025Q3,4,-3\nAM22,2025Q1,4,901\n",
    )
    with pytest.raises(FiguresError) as caught:
        services.import_jobseekers_csv(path=bad)
    text = str(caught.value)
    assert "bad.csv, line 3, field region_code" in text
    assert "bad.csv, line 4, field period" in text
    assert "bad.csv, line 5, field occupation_group" in text
    assert "bad.csv, line 6, field job_seekers" in text
    assert "line 7: the same region, period and group as line 2" in text
    assert not tension.figures_path(settings.STORE_DIR).exists()  # all or nothing


def test_csv_without_the_documented_columns_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FiguresError, match="missing column"):
        tension.parse_csv(["regio,periode\n", "AM22,2025Q1\n"], source="x.csv")


def test_cbs_odata_rows_map_to_quarterly_figures_of_regions(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.STORE_DIR = tmp_path
    rows = json.loads((CBS / "ww_korter_dan_6_maanden.json").read_text())
    summary = services.import_jobseekers_cbs(table="80000ned", rows=rows)
    figures = tension.read_figures(tmp_path)
    # 2 labour-market regions x 2 quarters x 3 groups; the year, the country and the province are skipped.
    assert summary["added"] == len(figures) == 12
    assert {f.region_code for f in figures} == {"AM22", "AM18"}
    assert {f.period for f in figures} == {"2025Q1", "2025Q2"}
    assert {f.occupation_group for f in figures} == {"", "4", "7"}  # T001 is "all occupations"
    source_row = next(
        r for r in rows if r["RegioS"].strip() == "AM22" and r["Perioden"] == "2025KW02" and r["Beroep"] == "7"
    )
    figure = next(f for f in figures if (f.region_code, f.period, f.occupation_group) == ("AM22", "2025Q2", "7"))
    assert figure.job_seekers == source_row["WWUitkeringenKorterDan6Maanden_1"]


def test_bad_cbs_rows_are_reported_by_row_and_key() -> None:
    rows = json.loads((CBS / "ww_bad.json").read_text())
    with pytest.raises(FiguresError) as caught:
        tension.parse_cbs_rows(rows, table="80000ned")
    errors = caught.value.errors
    assert any("row 1, field job_seekers" in e for e in errors)
    assert any("row 2, field occupation_group" in e for e in errors)
    assert any("row 3: missing key(s) Beroep" in e for e in errors)
    assert any("row 4, field job_seekers" in e for e in errors)


def test_cbs_table_with_other_keys_needs_a_mapping() -> None:
    rows = [{"RegioS": "AM22", "Perioden": "2025KW01", "Totaal_1": 10}]
    with pytest.raises(FiguresError, match="missing key"):
        tension.parse_cbs_rows(rows, table="t")
    mapping = tension.CbsMapping(occupation_group=None, job_seekers="Totaal_1", scale=1000)
    assert tension.parse_cbs_rows(rows, table="t", mapping=mapping)[0].job_seekers == 10_000


def test_tension_divides_the_quarters_vacancies_by_job_seekers(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.STORE_DIR = tmp_path
    write_planted_store(tmp_path, vacancies=20_000, months=24, seed=3)
    figures = [tension.JobSeekerFigure("AM22", "2025Q2", "", 1000), tension.JobSeekerFigure("AM22", "2025Q2", "4", 10)]
    tension.merge_figures(tmp_path, figures, source="test")
    rows = {r.occupation_group: r for r in services.tension(region="AM22")}
    from wendbaar.radar.store.reading import shared_connection

    expected_all = (
        shared_connection()
        .execute("SELECT count(*) FROM vacancies WHERE region_code = 'AM22' AND month BETWEEN '2025-04' AND '2025-06'")
        .fetchone()[0]
    )
    assert rows[""].vacancies == expected_all
    assert rows[""].ratio == pytest.approx(expected_all / 1000)
    assert rows[""].tension_class == classify(expected_all / 1000).value
    assert rows["4"].vacancies < expected_all and rows["4"].tension_class == classify(rows["4"].vacancies / 10).value
    assert services.tension(region="AM18") == []
