"""The pure ingest rules, without a database: encodings, HTML to text, JSON-LD JobPostings, validation, dedup."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from pathlib import Path

import pytest

from wendbaar.radar.ingest.decode import detect_encoding
from wendbaar.radar.ingest.dedup import Deduplicator
from wendbaar.radar.ingest.jobposting import postings_in, record_from_posting
from wendbaar.radar.ingest.locations import Locator
from wendbaar.radar.ingest.prepare import vacancy_table
from wendbaar.radar.ingest.records import RawRecord
from wendbaar.radar.ingest.text import comparable, fold, html_to_text
from wendbaar.radar.ingest.validate import Context, validate
from wendbaar.radar.store import parquet

CTX = Context(locator=Locator([("GM0599", "Rotterdam", "AM22"), ("GM0363", "Amsterdam", "AM18")], {}),
              default_source="file")  # fmt: skip


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Vacature: café-medewerker €12".encode(), "utf-8-sig"),
        ("\ufeffmet BOM: één".encode(), "utf-8-sig"),
        ("Vacature: café-medewerker €12".encode("cp1252"), "cp1252"),
        (b"undefined in cp1252: \x81", "latin-1"),
        (b"", "utf-8-sig"),
    ],
)
def test_encoding_is_utf8_else_windows_1252_else_latin1(data: bytes, expected: str) -> None:
    stream = io.BytesIO(data)
    assert detect_encoding(stream) == expected
    assert stream.tell() == 0  # the reader starts from the beginning again


def test_html_becomes_readable_text() -> None:
    html = (
        "<h2>Wat ga je doen?</h2><p>Je <b>last</b>&nbsp;metalen &amp; leest tekeningen.</p>"
        "<ul><li>40 uur</li><li>mbo&nbsp;3</li></ul><script>alert(1)</script><style>p{}</style>"
    )
    assert html_to_text(html) == "Wat ga je doen?\nJe last\xa0metalen & leest tekeningen.\n40 uur\nmbo\xa03"
    assert html_to_text("plain   text\t with  spaces") == "plain text with spaces"
    assert html_to_text("a &lt;b&gt; c") == "a <b> c"  # entities in plain text are decoded, not taken as tags


def test_folding_for_comparison() -> None:
    assert fold("  Café  Ürün ’s-Hertogenbosch ") == "cafe urun 's-hertogenbosch"
    assert comparable("Lassen, (MIG/MAG) én solderen!") == "lassen mig mag en solderen"


def test_jsonld_jobpostings_are_found_in_graphs_and_lists() -> None:
    posting = {
        "@type": "JobPosting",
        "identifier": {"@type": "PropertyValue", "value": "J-1"},
        "title": "Lasser",
        "description": "<p>Lassen</p>",
        "hiringOrganization": {"@type": "Organization", "name": "Staal BV",
                               "identifier": {"@type": "PropertyValue", "propertyID": "KvK", "value": "12345678"}},
        "jobLocation": {"@type": "Place", "address": {"addressLocality": "Rotterdam", "postalCode": "3011 AA"}},
        "datePosted": "2025-03-01",
        "workHours": "40",
    }  # fmt: skip
    document = {"@context": "https://schema.org", "@graph": [{"@type": "Organization"}, posting, [posting]]}
    found = list(postings_in(document))
    assert len(found) == 2
    record = record_from_posting(found[0])
    assert record["title"] == "Lasser" and record["employer_name"] == "Staal BV"
    assert record["municipality"] == "Rotterdam" and record["postcode"] == "3011 AA"
    assert record["date_posted"] == "2025-03-01" and record["hours_per_week"] == "40"


def _record(line: int, **values: str) -> RawRecord:
    base = {"id": f"v{line}", "title": "Lasser", "description": "Wij zoeken een lasser die MIG/MAG last.",
            "employer_name": "Staal BV", "municipality": "Rotterdam", "date_posted": "2025-03-01",
            "source": "test"}  # fmt: skip
    return RawRecord("v.csv", line, {**base, **values})


def test_validation_names_file_line_and_field() -> None:
    vacancy, errors = validate(_record(2), CTX)
    assert errors == [] and vacancy is not None and vacancy["region_code"] == "AM22"
    vacancy, errors = validate(_record(3, title="", municipality="Atlantis", date_posted="1 maart"), CTX)
    assert vacancy is None
    assert {(e.file, e.line) for e in errors} == {("v.csv", 3)}
    assert {e.field for e in errors} >= {"title", "municipality", "date_posted"}


def _table(records: list[RawRecord]) -> object:
    rows = []
    for record in records:
        vacancy, errors = validate(record, CTX)
        assert not errors, errors
        rows.append({**vacancy, "vacancy_id": str(uuid.uuid4())})  # type: ignore[dict-item]
    return vacancy_table(rows, "run", dt.datetime(2025, 3, 2, tzinfo=dt.UTC))


def test_dedup_drops_repeats_by_id_by_text_and_near_identical_text(tmp_path: Path) -> None:
    first = _record(2)
    same_id = _record(3, description="Een heel andere tekst.", id="v2")
    same_text_other_id = _record(4, id="v4", date_posted="2025-03-20")
    near = _record(5, id="v5", description="Wij zoeken een lasser die MIG/MAG last!!")
    later = _record(6, id="v6", date_posted="2025-09-01")  # the same text half a year on: a new vacancy
    other = _record(7, id="v7", title="Kok", description="Wij zoeken een kok.")
    table = _table([first, same_id, same_text_other_id, near, later, other])
    dedup = Deduplicator(parquet.connect(tmp_path))  # an empty store
    dedup.load([table])  # type: ignore[list-item]
    assert dedup.fresh_rows(table) == [0, 4, 5]  # type: ignore[arg-type]
    assert dedup.fresh_rows(table) == []  # type: ignore[arg-type]  # and it remembers what it let through
