"""Vacancy files as people have them (issue 23): a Dutch Excel export, a tab or UTF-16 file, a header
that matches nothing, a picture renamed .csv; errors in the reader's language; counts that add up."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from tests.fixtures.vacancies import helpers
from tests.fixtures.vacancies.helpers import csv_row, write_csv
from tests.radar.test_pipeline_access import API, csv_upload, user_with
from wendbaar.radar.models import Run
from wendbaar.radar.pipeline import ingesting
from wendbaar.regions.constants import Role

fixture_engine_path = helpers.fixture_engine_path
radar_env = helpers.radar_env

# What Excel writes on a Dutch machine ("CSV (gescheiden door lijstscheidingsteken)"): semicolons,
# Windows-1252, Dutch headers and dates, a decimal comma.
EXCEL_NL = (
    "Vacaturenummer;Functie;Omschrijving;Werkgever;KvK;Plaats;Postcode;Datum;Geldig tot;Uren;"
    "Opleidingsniveau;Bron;URL\r\n"
    "A1;Lasser;Wij zoeken een lasser. Je gaat metalen lassen;Café De Haven BV;12345678;Rotterdam;;"
    "01-03-2024;01-04-2024;32,5;mbo 3;eigen site;https://example.org/a1\r\n"
    "A2;Verpleegkundige;Zorg in de wijk;Zorggroep;;Schiedam;;2-3-2024;;36;hbo;;\r\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


def test_a_dutch_excel_export_is_read_as_it_is(radar_env: Path, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(EXCEL_NL.encode("cp1252"))
    run = ingesting.ingest_files(files=[path])
    assert (run.status, run.read, run.accepted, run.rejected) == (Run.Status.SUCCEEDED, 2, 2, 0)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_tab_separated_and_utf16_files_are_read(radar_env: Path, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(EXCEL_NL.replace(";", "\t").encode(encoding))
    assert ingesting.ingest_files(files=[path]).accepted == 2


def test_a_header_that_matches_nothing_gives_one_message_listing_the_columns(radar_env: Path, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Naam,Adres,Telefoon\nJan,Dorpsstraat 1,010-1234567\nPiet,Kade 2,010-7654321\n", encoding="utf-8")
    with pytest.raises(ingesting.IngestRefused) as refused:
        ingesting.ingest_files(files=[path])
    (error,) = refused.value.errors
    with translation.override("nl"):
        text = error.text()
    assert "titel / functie" in text and "datum / geplaatst" in text and "date_posted" in text


def test_a_header_without_a_date_column_says_so_once(radar_env: Path, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("titel;plaats\nLasser;Rotterdam\nKok;Delft\n", encoding="utf-8")
    with pytest.raises(ingesting.IngestRefused) as refused:
        ingesting.ingest_files(files=[path])
    (error,) = refused.value.errors
    assert "date_posted" in error.text() and error.line == 0


def test_a_binary_file_is_not_a_csv_file_once(radar_env: Path, tmp_path: Path) -> None:
    path = tmp_path / "foto.csv"
    path.write_bytes(PNG)
    with pytest.raises(ingesting.IngestRefused) as refused:
        ingesting.ingest_files(files=[path], skip_invalid=True)
    (error,) = refused.value.errors
    with translation.override("nl"):
        assert "dit is geen csv-bestand" in error.text().lower()
    with translation.override("en"):
        assert "not a csv file" in error.text().lower()


def test_a_refused_run_counts_add_up_everywhere(
    radar_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    rows = [csv_row(1), csv_row(2, title=""), csv_row(3, kvk="12ab"), csv_row(4), csv_row(5, municipality="Atlantis")]
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(CommandError) as refused:
        call_command("radar", "ingest", str(path))
    assert "in 3 row(s)" in str(refused.value)
    assert "read 5, accepted 0, duplicates 0, rejected 5" in str(refused.value)
    run = Run.objects.get()
    assert run.read == run.accepted + run.duplicates + run.rejected == 5

    client = user_with("superuser", "admin")  # a run from the command line has no uploader: the admins'
    body = client.get(f"{API}/{run.uuid}").json()
    assert body["read"] == body["accepted"] + body["duplicates"] + body["rejected"]
    page = client.get(reverse("radar:run", kwargs={"uuid": run.uuid})).content.decode()
    assert "3 rijen met fouten" in page


def test_upload_errors_follow_the_page_and_the_request_language(radar_env: Path) -> None:
    client = user_with(Role.COORDINATOR, "coordinator")
    client.post(reverse("radar:ingest"), {"files": [csv_upload([csv_row(1, kvk="12ab", municipality="Atlantis")])]})
    run = Run.objects.get()
    url = reverse("radar:run", kwargs={"uuid": run.uuid})
    dutch = client.get(url).content.decode()
    assert "precies 8 cijfers" in dutch and "onbekende gemeente" in dutch.lower()
    assert "exactly 8 digits" not in dutch and "unknown municipality" not in dutch
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "exactly 8 digits" in english and "precies 8 cijfers" not in english
    api_nl = client.get(f"{API}/{run.uuid}", HTTP_ACCEPT_LANGUAGE="nl").json()
    assert any("precies 8 cijfers" in error["message"] for error in api_nl["errors"])
    api_en = client.get(f"{API}/{run.uuid}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert any("exactly 8 digits" in error["message"] for error in api_en["errors"])
