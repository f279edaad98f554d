"""Reading vacancy files: encodings, HTML, JSON Lines, JSON-LD (also inside HTML), locations, huge fields."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixtures.vacancies.helpers import csv_row, write_csv
from wendbaar.radar.ingest.validate import MAX_DESCRIPTION
from wendbaar.radar.pipeline import ingesting
from wendbaar.radar.store import parquet


def stored(columns: str = "*") -> list[dict]:
    con = parquet.connect()
    cursor = con.execute(f"SELECT {columns} FROM vacancies ORDER BY source_id")  # noqa: S608
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings_are_detected_and_accents_survive(radar_env: Path, tmp_path: Path, encoding: str) -> None:
    path = write_csv(
        tmp_path / "v.csv", [csv_row(1, title="Café-medewerker", employer_name="Brasserie Ré")], encoding=encoding
    )
    run = ingesting.ingest_files(files=[path])
    assert run.accepted == 1
    [row] = stored()
    assert row["title"] == "Café-medewerker"
    assert row["employer_name"] == "Brasserie Ré"
    assert row["source_id"] == "v1"  # a BOM must not end up in the first column's name


def test_html_in_description_is_stripped_to_text(radar_env: Path, tmp_path: Path) -> None:
    html = (
        "<p>Wij zoeken een <b>lasser</b>.</p><ul><li>Lassen</li><li>Tekeningen lezen</li></ul>"
        "<script>x()</script>&amp; meer"
    )
    path = write_csv(tmp_path / "v.csv", [csv_row(1, description=html)])
    ingesting.ingest_files(files=[path])
    [row] = stored()
    assert "<" not in row["description"] and "x()" not in row["description"]
    assert "Wij zoeken een lasser." in row["description"]
    assert "Lassen\nTekeningen lezen" in row["description"]
    assert row["description"].endswith("& meer")


def test_empty_description_is_allowed(radar_env: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "v.csv", [csv_row(1, description="")])
    run = ingesting.ingest_files(files=[path])
    assert run.accepted == 1
    assert stored()[0]["description"] == ""


def test_huge_description_is_cut_at_a_word_and_flagged(radar_env: Path, tmp_path: Path) -> None:
    huge = "lassen " * 100_000  # 700,000 characters: more than the csv module's default field limit
    path = write_csv(tmp_path / "v.csv", [csv_row(1, description=huge), csv_row(2)])
    run = ingesting.ingest_files(files=[path])
    assert run.accepted == 2
    rows = stored("source_id, description, description_truncated")
    assert len(rows[0]["description"]) <= MAX_DESCRIPTION
    assert rows[0]["description"].endswith("lassen")
    assert rows[0]["description_truncated"] is True
    assert rows[1]["description_truncated"] is False


def test_municipality_names_resolve_with_variants_and_diacritics(radar_env: Path, tmp_path: Path) -> None:
    rows = [
        csv_row(1, municipality="Den Haag"),
        csv_row(2, municipality="SUDWEST-FRYSLAN"),
        csv_row(3, municipality="Den Bosch"),
        csv_row(4, municipality="gemeente Schiedam"),
        csv_row(5, municipality="GM0599"),
    ]
    ingesting.ingest_files(files=[write_csv(tmp_path / "v.csv", rows)])
    got = {r["source_id"]: (r["municipality_code"], r["region_code"]) for r in stored()}
    assert got == {
        "v1": ("GM0518", "AM21"),
        "v2": ("GM1900", "AM02"),
        "v3": ("GM0796", "AM27"),
        "v4": ("GM0606", "AM22"),
        "v5": ("GM0599", "AM22"),
    }


def test_postcode_without_table_is_a_clear_error_and_works_after_import(radar_env: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "v.csv", [csv_row(1, municipality="", postcode="3011 AB")])
    with pytest.raises(ingesting.IngestRefused) as refused:
        ingesting.ingest_files(files=[path])
    [error] = refused.value.errors
    assert (error.field, error.line) == ("postcode", 2)
    assert "no postcode table" in error.message
    table = tmp_path / "pc4.csv"
    table.write_text("pc4,municipality\n3011,Rotterdam\n2511,Den Haag\n", encoding="utf-8")
    assert ingesting.import_postcodes(path=table) == 2
    assert ingesting.import_postcodes(path=table) == 0  # re-importing changes nothing
    run = ingesting.ingest_files(files=[path])
    assert run.accepted == 1
    assert stored("postcode, municipality_code")[0] == {"postcode": "3011", "municipality_code": "GM0599"}


def test_jsonl_reads_documented_keys(radar_env: Path, tmp_path: Path) -> None:
    lines = [
        {"id": "a", "title": "Kok", "description": "Maaltijden bereiden.", "employer_name": "Eethuis",
         "municipality": "Delft", "date_posted": "2024-05-02T09:00:00Z", "hours_per_week": 32},
        {"id": "b", "title": "Schoonmaker", "municipality": "Vlaardingen", "date_posted": "02-05-2024"},
    ]  # fmt: skip
    path = tmp_path / "v.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    run = ingesting.ingest_files(files=[path], source="feed")
    assert (run.read, run.accepted) == (2, 2)
    rows = stored("source, source_id, posted_date, hours_per_week, region_code")
    assert [r["source"] for r in rows] == ["feed", "feed"]
    assert [str(r["posted_date"]) for r in rows] == ["2024-05-02", "2024-05-02"]
    assert rows[0]["hours_per_week"] == 32.0 and rows[0]["region_code"] == "AM21"


JOB_POSTING = {
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "identifier": {"@type": "PropertyValue", "name": "Acme", "value": "JP-77"},
    "title": "Elektricien",
    "description": "<p>Je legt <strong>elektrische bedrading</strong> aan.</p>",
    "datePosted": "2024-06-01",
    "validThrough": "2024-07-01T00:00",
    "hiringOrganization": {"@type": "Organization", "name": "Acme Installaties"},
    "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "Maassluis"}},
    "workHours": "38 uur per week",
}


def test_jsonld_file_with_graph(radar_env: Path, tmp_path: Path) -> None:
    second = {**JOB_POSTING, "identifier": "JP-78", "title": "Monteur"}
    path = tmp_path / "postings.jsonld"
    path.write_text(json.dumps({"@context": "https://schema.org", "@graph": [JOB_POSTING, second]}), encoding="utf-8")
    run = ingesting.ingest_files(files=[path], source="acme")
    assert run.accepted == 2
    rows = stored("source_id, title, description, employer_name, municipality_code, hours_per_week")
    assert rows[0] == {
        "source_id": "JP-77",
        "title": "Elektricien",
        "description": "Je legt elektrische bedrading aan.",
        "employer_name": "Acme Installaties",
        "municipality_code": "GM0556",
        "hours_per_week": 38.0,
    }


def test_jsonld_embedded_in_html_page(radar_env: Path, tmp_path: Path) -> None:
    page = (
        "<!doctype html><html><head><title>Vacature</title>\n"
        '<script type="application/ld+json">' + json.dumps(JOB_POSTING) + "</script>\n"
        "</head><body><h1>Elektricien</h1></body></html>"
    )
    path = tmp_path / "vacature.html"
    path.write_text(page, encoding="cp1252")
    run = ingesting.ingest_files(files=[path])
    assert run.accepted == 1
    assert stored("source_id")[0]["source_id"] == "JP-77"


def test_html_page_without_posting_is_refused(radar_env: Path, tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><body>Geen vacature</body></html>", encoding="utf-8")
    with pytest.raises(ingesting.IngestRefused) as refused:
        ingesting.ingest_files(files=[path])
    assert "JobPosting" in refused.value.errors[0].message
