"""Bad input: refused whole with every error listed, or set aside with --skip-invalid; nothing unaccounted.
Repeated postings are counted once, also across runs."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.fixtures.vacancies.helpers import csv_row, write_csv
from wendbaar.radar.models import Run
from wendbaar.radar.pipeline import ingesting
from wendbaar.radar.store import parquet

BAD_ROWS = [
    csv_row(1),
    csv_row(2, title=""),  # line 3
    csv_row(3, date_posted="gisteren", kvk="123"),  # line 4: two errors
    csv_row(4),
    csv_row(5, municipality="Atlantis"),  # line 6
    csv_row(6, hours_per_week="120", url="ftp://x"),  # line 7: two errors
    csv_row(7, valid_through="2024-01-01"),  # line 8: before date_posted
]
EXPECTED_ERRORS = {
    (3, "title"),
    (4, "date_posted"),
    (4, "kvk"),
    (6, "municipality"),
    (7, "hours_per_week"),
    (7, "url"),
    (8, "valid_through"),
}


def stored_count() -> int:
    return parquet.connect().execute("SELECT count(*) FROM vacancies").fetchone()[0]


def test_invalid_rows_refuse_the_whole_file_with_every_error(radar_env: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", BAD_ROWS)
    with pytest.raises(ingesting.IngestRefused) as refused:
        ingesting.ingest_files(files=[path])
    got = {(e.line, e.field) for e in refused.value.errors}
    assert got == EXPECTED_ERRORS
    assert all(e.file == "bad.csv" and e.message for e in refused.value.errors)
    assert stored_count() == 0
    run = refused.value.run
    assert (run.status, run.read, run.rejected) == (Run.Status.REFUSED, 7, 7)  # nothing stored: every row refused
    assert len(run.errors) == len(EXPECTED_ERRORS)


def test_skip_invalid_stores_good_rows_and_writes_every_bad_row(radar_env: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", BAD_ROWS)
    run = ingesting.ingest_files(files=[path], skip_invalid=True)
    assert (run.read, run.accepted, run.duplicates, run.rejected) == (7, 2, 0, 5)
    assert run.read == run.accepted + run.duplicates + run.rejected
    assert stored_count() == 2
    rejects = Path(run.rejects_file)
    assert rejects.parent.name == str(run.uuid)
    with open(rejects, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(int(r["line"]) for r in rows) == [3, 4, 6, 7, 8]
    by_line = {int(r["line"]): r for r in rows}
    assert "date_posted" in by_line[4]["reasons"] and "kvk" in by_line[4]["reasons"]
    assert '"Atlantis"' in by_line[6]["record"]


def test_broken_json_lines_are_named_by_line(radar_env: Path, tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    good = '{"id": "1", "title": "Kok", "municipality": "Delft", "date_posted": "2024-01-01"}'
    path.write_text(f"{good}\n{{not json\n[1, 2]\n", encoding="utf-8")
    with pytest.raises(ingesting.IngestRefused) as refused:
        ingesting.ingest_files(files=[path])
    assert [(e.line, e.field) for e in refused.value.errors] == [(2, "(json)"), (3, "(json)")]
    run = ingesting.ingest_files(files=[path], skip_invalid=True)
    assert (run.read, run.accepted, run.rejected) == (3, 1, 2)


def test_wrong_column_count_and_unknown_file_type(radar_env: Path, tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("id,title,municipality,date_posted\n1,Kok,Delft\n", encoding="utf-8")
    with pytest.raises(ingesting.IngestRefused) as refused:
        ingesting.ingest_files(files=[path])
    assert refused.value.errors[0].line == 2 and "columns" in refused.value.errors[0].message
    other = tmp_path / "vacatures.xlsx"
    other.write_bytes(b"PK")
    with pytest.raises(ingesting.IngestRefused) as refused:
        ingesting.ingest_files(files=[other], skip_invalid=True)  # a file-level problem refuses even then
    assert "unknown file type" in refused.value.errors[0].message


def test_reingesting_the_same_file_adds_nothing(radar_env: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "v.csv", [csv_row(n) for n in range(1, 6)])
    first = ingesting.ingest_files(files=[path])
    second = ingesting.ingest_files(files=[path])
    assert (first.accepted, first.duplicates) == (5, 0)
    assert (second.read, second.accepted, second.duplicates) == (5, 0, 5)
    assert stored_count() == 5


def test_rows_without_id_are_still_recognised_on_reingest(radar_env: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "v.csv", [csv_row(1, id=""), csv_row(2, id="", title="Kok")])
    ingesting.ingest_files(files=[path])
    again = ingesting.ingest_files(files=[path])
    assert (again.accepted, again.duplicates) == (0, 2)


def test_near_identical_repost_within_60_days_counts_once(radar_env: Path, tmp_path: Path) -> None:
    text = "Wij zoeken een ervaren lasser voor onze werkplaats in Rotterdam. " * 5
    base = {"employer_name": "Staal BV", "title": "Lasser", "description": text}
    rows = [
        csv_row(1, **base, date_posted="2024-03-01"),
        # Reposted under a new id, a typo fixed and a line added: the same vacancy.
        csv_row(
            2,
            **{**base, "description": text.replace("ervaren", "ervaaren") + "Solliciteer nu."},
            date_posted="2024-04-10",
            valid_through="",
        ),
        # Same text but 90 days later: a new vacancy.
        csv_row(3, **base, date_posted="2024-06-01", valid_through="2024-07-01"),
        # Same employer and title, different work: a new vacancy.
        csv_row(4, **{**base, "description": "Plaatwerk en montage van trappen, ander werk dan lassen."}),
        # Same text in another region: a new vacancy.
        csv_row(5, **base, municipality="Delft"),
    ]
    run = ingesting.ingest_files(files=[write_csv(tmp_path / "v.csv", rows)])
    assert (run.accepted, run.duplicates) == (4, 1)
    ids = {r[0] for r in parquet.connect().execute("SELECT source_id FROM vacancies").fetchall()}
    assert ids == {"v1", "v3", "v4", "v5"}
    # Across runs too: a repost of v1 from another source, in a later file.
    later = write_csv(
        tmp_path / "later.csv", [csv_row(9, **base, source="other", date_posted="2024-04-20", valid_through="")]
    )
    assert ingesting.ingest_files(files=[later]).duplicates == 1


def test_command_reports_errors_and_exits_nonzero(
    radar_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = write_csv(tmp_path / "bad.csv", BAD_ROWS)
    with pytest.raises(CommandError, match="nothing was stored"):
        call_command("radar", "ingest", str(path))
    err = capsys.readouterr().err
    assert "bad.csv:4: date_posted:" in err and "bad.csv:8: valid_through:" in err
    call_command("radar", "ingest", str(path), "--skip-invalid")
    out = capsys.readouterr().out
    assert "read 7, accepted 2, duplicates 0, rejected 5" in out


def test_a_run_that_breaks_is_recorded_failed_not_left_running(radar_env: Path, tmp_path: Path) -> None:
    # A file that vanishes between the command's check and the read: the run must not say "running" for ever.
    good = write_csv(tmp_path / "good.csv", [csv_row(1)])
    with pytest.raises(FileNotFoundError):
        ingesting.ingest_files(files=[good, tmp_path / "gone.csv"])
    run = Run.objects.latest("id")
    assert run.status == Run.Status.FAILED
    assert "FileNotFoundError" in run.failure and run.finished_at is not None
    assert stored_count() == 0
