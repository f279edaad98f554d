"""After a run lands, the background worker computes the new store version's common figures and
dashboards, and the web processes read them from the shared files instead of computing them in the
first visitor's request (radar/dashboards/warm.py, radar/store/cache.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wendbaar.radar.dashboards import pages, services, warm
from wendbaar.radar.indicators import occupations, skills
from wendbaar.radar.indicators.scope import Scope
from wendbaar.radar.models import Run
from wendbaar.radar.store import cache, parquet, reading
from wendbaar.radar.synthetic.planted import write_planted_store

END = "2025-12"


@pytest.fixture
def store(tmp_path: Path, settings) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "store"
    write_planted_store(root, vacancies=2_000, end=END, months=24, regions=("AM22", "AM18"), seed=5)
    settings.STORE_DIR = root
    settings.VAR_DIR = tmp_path / "var"
    settings.RADAR_WARM_AFTER_LANDING = True
    pages._geometry_cache.clear()
    cache.clear()
    return root


def _land_a_run(root: Path, name: str = "run-2") -> None:
    other = root.parent / f"other-{name}"
    write_planted_store(other, vacancies=1_000, end=END, months=1, regions=("AM22", "AM18"), seed=13)
    for table in ("vacancies", "vacancy_skills"):
        for path in parquet.partition_files(table, month=END, root=other):
            shutil.copy(path, parquet.partition_dir(table, END, root=root) / f"{name}-{path.name}")


def _regions() -> list[str | None]:
    return [None, *sorted(code for code, _n, _b in occupations.region_year_counts(END))]


def _no_store_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """A web process after the warm-up: reading the store or computing a dashboard is a failure."""

    def refused(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("computed in the web process, not read from the worker's files")

    for module in (occupations, skills):
        monkeypatch.setattr(module, "shared_connection", refused)
        monkeypatch.setattr(module, "query", refused)
    monkeypatch.setattr(services, "region_dashboard", refused)


@pytest.mark.django_db
def test_what_the_worker_warms_is_read_by_a_web_process_without_touching_the_store(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = warm.warm_after_landing()
    regions = _regions()
    assert done == {"scopes": len(regions), "dashboards": 2 * len(regions)} and len(regions) > 1
    expected = {
        region: (
            occupations.growth(Scope.of(region=region), "esco", END),
            skills.skill_shares(Scope.of(region=region), END),
        )
        for region in regions
    }
    assert any(growth for growth, _shares in expected.values())

    cache.clear()  # a web process: nothing in its memory, only the shared files
    _no_store_reads(monkeypatch)
    for region, (growth, shares) in expected.items():
        assert occupations.growth(Scope.of(region=region), "esco", END) == growth
        assert skills.skill_shares(Scope.of(region=region), END) == shares
    assert warm.warm_dashboards() == 2 * len(regions)  # every dashboard read, none computed


@pytest.mark.django_db
def test_a_landed_run_is_a_new_version_that_the_worker_warms_again(store: Path) -> None:
    warm.warm_indicators()
    before = occupations.growth(Scope.of(), "esco", END)
    _land_a_run(store)
    warm.warm_indicators()
    version_dirs = [d for d in cache.shared_dir().iterdir() if d.is_dir()]
    assert len(version_dirs) == 2  # the version before stays beside the new one, for stale answers
    cache.clear()
    after = occupations.growth(Scope.of(), "esco", END)
    assert sum(g.vacancies for g in after) > sum(g.vacancies for g in before)


@pytest.mark.django_db
def test_the_worker_leaves_the_warming_to_the_last_of_a_burst_of_uploads(store: Path) -> None:
    Run.objects.create(status=Run.Status.QUEUED, file_names=["vacatures.csv"])
    assert warm.warm_after_landing() == {"scopes": 0, "dashboards": 0}
    assert not cache.shared_dir().exists()


@pytest.mark.django_db
def test_warming_can_be_switched_off(store: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RADAR_WARM_AFTER_LANDING = False
    assert warm.warm_after_landing() == {"scopes": 0, "dashboards": 0}


def test_a_request_still_on_the_old_version_neither_brings_it_back_nor_removes_the_new_one(store: Path) -> None:
    import threading

    def another_process_serves_the_landed_run() -> Path:
        # A thread holds no version: it reads the store as it is now.
        other = threading.Thread(target=occupations.growth, args=(Scope.of(), "esco", END))
        other.start()
        other.join()
        return cache.shared_dir() / cache._digest(reading.fresh_store_version())

    with reading.one_version():
        old = occupations.growth(Scope.of(), "esco", END)  # this request holds the old version
        old_dir = cache.shared_dir() / cache._digest(reading.store_version())
        assert old_dir.is_dir()
        _land_a_run(store)
        between = another_process_serves_the_landed_run()
        _land_a_run(store, name="run-3")
        new_dir = another_process_serves_the_landed_run()
        assert new_dir.is_dir() and between.is_dir() and not old_dir.exists()  # the one before the new stays
        cache.clear()
        assert occupations.growth(Scope.of(region="AM22"), "esco", END) is not None  # computed, old version
    assert {d for d in cache.shared_dir().iterdir() if d.is_dir()} == {between, new_dir}
    cache.clear()
    assert occupations.growth(Scope.of(), "esco", END) != old
