"""The radar's memoised pages (dashboard, occupation, skill, report) and the store's version are
forgotten when the data change: a run that lands in the store, a month that appears, an ESCO or
regional label (the taxonomy version). Without this, a cached page would show yesterday's figures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wendbaar.radar.dashboards import pages, report
from wendbaar.radar.store import cache, parquet, reading
from wendbaar.radar.synthetic.planted import write_planted_store
from wendbaar.skills import services as skills
from wendbaar.skills.models import Concept, Kind

END = "2025-12"
GROUP = "4033"


@pytest.fixture
def store(tmp_path: Path, settings) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "store"
    write_planted_store(root, vacancies=4_000, end=END, months=24, seed=3)
    settings.STORE_DIR = root
    settings.VAR_DIR = tmp_path / "var"  # the pages shared between processes live under it
    pages._geometry_cache.clear()
    cache.clear()
    return root


def _land_a_run(root: Path, name: str = "run-2") -> None:
    """A new run lands: a second store's files of the last month are published into this one."""
    other = root.parent / f"other-{name}"
    write_planted_store(other, vacancies=4_000, end=END, months=1, seed=11)
    for table in ("vacancies", "vacancy_skills"):
        for path in parquet.partition_files(table, month=END, root=other):
            shutil.copy(path, parquet.partition_dir(table, END, root=root) / f"{name}-{path.name}")


def test_the_store_version_changes_when_a_file_is_added_rewritten_or_removed(store: Path) -> None:
    before = reading.store_version()
    assert before == reading.store_version()
    _land_a_run(store)
    added = reading.store_version()
    assert added != before
    landed = next(parquet.partition_files("vacancies", month=END, root=store))
    landed.write_bytes(landed.read_bytes() + b"\0")  # rewritten in place: its size changes
    assert reading.store_version() not in (before, added)
    for path in parquet.partition_files("vacancies", month=END, root=store):
        if path.name.startswith("run-2-"):
            path.unlink()
    assert reading.store_version() != added


def test_months_available_follows_the_files(store: Path) -> None:
    assert reading.months_available() == ("2024-01", END)
    later = parquet.partition_dir("vacancies", "2026-01", root=store)
    later.mkdir(parents=True)
    assert reading.months_available() == ("2024-01", END)  # an empty partition has no vacancies
    shutil.copy(next(parquet.partition_files("vacancies", month=END, root=store)), later / "x.parquet")
    assert reading.months_available() == ("2024-01", "2026-01")


@pytest.mark.django_db
def test_memoised_pages_are_computed_once_per_store_version(store: Path) -> None:
    geometry: tuple[str, ...] = ()
    board, _figures, _o, _s = pages.dashboard_page("AM22", "2", END, "vacancies", "nl", geometry)
    occupation, _ = pages.occupation_page("AM22", GROUP, END, "nl")
    skill, _ = pages.skill_page("AM22", "http://data.europa.eu/esco/skill/planted-rising", END, "nl")
    parts = report.report_parts("AM22", END, "2", "nl")
    # Asked again: the same objects, not computed anew.
    assert pages.dashboard_page("AM22", "2", END, "vacancies", "nl", geometry)[0] is board
    assert pages.occupation_page("AM22", GROUP, END, "nl")[0] is occupation
    assert pages.skill_page("AM22", "http://data.europa.eu/esco/skill/planted-rising", END, "nl")[0] is skill
    assert report.report_parts("AM22", END, "2", "nl") is parts
    assert pages.occupation_page("AM22", GROUP, END, "en")[0] is not occupation  # another language: its own

    _land_a_run(store)
    new_board = pages.dashboard_page("AM22", "2", END, "vacancies", "nl", geometry)[0]
    new_occupation = pages.occupation_page("AM22", GROUP, END, "nl")[0]
    assert new_board is not board and new_board.vacancies > board.vacancies
    assert new_occupation.monthly[-1][1] > occupation.monthly[-1][1]
    assert report.report_parts("AM22", END, "2", "nl")["board"].vacancies == new_board.vacancies
    assert pages.skill_page("AM22", "http://data.europa.eu/esco/skill/planted-rising", END, "nl")[0] is not skill


def test_a_page_of_the_vacancy_list_is_read_once_per_store_version_and_a_download_every_time(store: Path) -> None:
    from wendbaar.radar.dashboards import services
    from wendbaar.radar.indicators.scope import Scope

    scope = Scope.of(region="AM22", isco=GROUP)
    total, rows = services.vacancies(scope=scope, first="2025-10", last=END, limit=50)
    assert rows and total >= len(rows)
    assert services.vacancies(scope=scope, first="2025-10", last=END, limit=50)[1] is rows  # memoised
    assert services.vacancies(scope=scope, first="2025-10", last=END, offset=50, limit=50)[1] is not rows
    download = services.vacancies(scope=scope, first="2025-10", last=END, limit=10_000)
    assert download[1][:50] == rows and len(download[1]) == total
    assert services.vacancies(scope=scope, first="2025-10", last=END, limit=10_000)[1] is not download[1]

    _land_a_run(store)
    new_total, new_rows = services.vacancies(scope=scope, first="2025-10", last=END, limit=50)
    assert new_total > total and new_rows is not rows


@pytest.mark.django_db
def test_memoised_pages_are_computed_anew_when_the_taxonomy_changes(store: Path) -> None:
    """Labels come from the database: a coordinator's label or an ESCO import bumps the taxonomy version."""
    concept = Concept.objects.create(uri="http://data.europa.eu/esco/isco/C4033", kind=Kind.ISCO_GROUP, code=GROUP)
    occupation, _ = pages.occupation_page("AM22", GROUP, END, "nl")
    parts = report.report_parts("AM22", END, "2", "nl")
    assert pages.occupation_page("AM22", GROUP, END, "nl")[0] is occupation
    skills.add_regional_label(concept=concept, text="Boekhoudkundig medewerkers", language="nl")
    assert pages.occupation_page("AM22", GROUP, END, "nl")[0] is not occupation
    assert report.report_parts("AM22", END, "2", "nl") is not parts


@pytest.mark.django_db
def test_the_skill_collections_are_read_again_when_the_taxonomy_changes() -> None:
    from wendbaar.radar.indicators import lookups
    from wendbaar.skills.models import Collection

    # The memo is per process and keyed on the taxonomy version, which starts again at the same value in every
    # test's rolled-back database: an earlier test in this worker may have left its (empty) collections.
    lookups._collections.clear()
    digital = Collection.objects.create(key="digital", name="Digital")
    first = Concept.objects.create(uri="http://data.europa.eu/esco/skill/c-1", kind=Kind.SKILL)
    digital.members.add(first)
    assert lookups.skill_collections() == {"digital": frozenset({first.uri})}
    second = Concept.objects.create(uri="http://data.europa.eu/esco/skill/c-2", kind=Kind.SKILL)
    digital.members.add(second)
    skills.add_regional_label(concept=second, text="Digitaal werken", language="nl")  # bumps the taxonomy version
    assert lookups.skill_collections() == {"digital": frozenset({first.uri, second.uri})}


@pytest.mark.django_db
def test_a_page_computed_by_one_process_is_read_by_the_others_until_the_store_changes(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every gunicorn worker used to compute every page itself; now the first one shares it (files)."""
    from wendbaar.radar.dashboards import services

    computed: list[str] = []
    real = services.region_dashboard

    def counted(**kwargs: object) -> services.RegionDashboard:
        computed.append(str(kwargs["region"]))
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "region_dashboard", counted)
    first = pages.dashboard_page("AM22", "2", END, "vacancies", "nl", ())[0]
    assert computed == ["AM22"]
    cache.clear()  # another process: nothing in its memory
    other = pages.dashboard_page("AM22", "2", END, "vacancies", "nl", ())[0]
    assert computed == ["AM22"] and other is not first and other == first
    assert pages.dashboard_page("AM22", "2", END, "vacancies", "en", ())[0] is not None  # its own language
    assert computed == ["AM22", "AM22"]

    _land_a_run(store)
    cache.clear()
    landed = pages.dashboard_page("AM22", "2", END, "vacancies", "nl", ())[0]
    assert len(computed) == 3 and landed.vacancies > first.vacancies
    versions = {d for d in cache.shared_dir().iterdir() if d.is_dir()}
    assert len(versions) == 2  # the version before stays, for stale answers (test_stale_while_revalidating.py)
    _land_a_run(store, name="run-3")
    pages.dashboard_page("AM22", "2", END, "vacancies", "nl", ())
    now = {d for d in cache.shared_dir().iterdir() if d.is_dir()}
    assert len(now) == 2 and len(now & versions) == 1  # the oldest version's files are gone


def test_a_label_in_another_language_keeps_its_language_when_shared() -> None:
    import pickle

    from wendbaar.radar.indicators.lookups import ForeignLabel

    label = pickle.loads(pickle.dumps(ForeignLabel("Digital skills", "en")))  # noqa: S301 - our own bytes
    assert isinstance(label, ForeignLabel) and label == "Digital skills" and label.lang == "en"
    assert 'lang="en"' in label.__html__()


def test_inside_one_version_the_store_is_read_once_and_the_next_read_sees_a_landed_run(store: Path) -> None:
    before = reading.store_version()
    with reading.one_version():
        held = reading.store_version()
        _land_a_run(store)
        assert reading.store_version() is held  # one version throughout the block
    assert held == before
    assert reading.store_version() != before  # after the block the landed run is seen


def test_a_get_request_reads_the_store_version_once_and_the_next_request_sees_the_change(store: Path) -> None:
    from django.http import HttpResponse
    from django.test import RequestFactory

    from wendbaar.radar.store.per_request import StoreVersionPerRequest

    seen: list[tuple] = []

    def view(request: object) -> HttpResponse:
        seen.append(reading.store_version())
        if len(seen) == 1:
            _land_a_run(store)
        seen.append(reading.store_version())
        return HttpResponse()

    middleware = StoreVersionPerRequest(view)
    middleware(RequestFactory().get("/radar/"))
    assert seen[0] == seen[1]  # the run that landed during the request is not half seen
    middleware(RequestFactory().get("/radar/"))
    assert seen[2] != seen[0]  # the next request sees it
    seen.clear()
    middleware(RequestFactory().post("/radar/inlezen/"))  # may write (a run lands during it): read afresh
    assert seen[0] != seen[1] == reading.store_version()
