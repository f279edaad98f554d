"""Right after a run lands, a reading request answers a radar figure that is not yet computed for the
new store version with the one it had before, and a background thread computes the new one; a figure
is never more than RADAR_STALE_SECONDS behind the store (radar/store/cache.py)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from wendbaar.radar.indicators import occupations
from wendbaar.radar.indicators.scope import Scope
from wendbaar.radar.store import cache, parquet
from wendbaar.radar.store.per_request import StoreVersionPerRequest
from wendbaar.radar.synthetic.planted import write_planted_store

END = "2025-12"
NATIONAL = Scope.of()


@pytest.fixture
def store(tmp_path: Path, settings) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "store"
    write_planted_store(root, vacancies=2_000, end=END, months=24, regions=("AM22",), seed=5)
    an_hour_ago = time.time() - 3600  # the runs landed in a test may then be dated seconds ago
    for path in root.rglob("*.parquet"):
        os.utime(path, (an_hour_ago, an_hour_ago))
    settings.STORE_DIR = root
    settings.VAR_DIR = tmp_path / "var"
    settings.RADAR_STALE_SECONDS = 30
    cache.clear()
    return root


def _land_a_run(root: Path, *, seconds_ago: float = 0) -> None:
    other = root.parent / f"other-{time.monotonic_ns()}"
    write_planted_store(other, vacancies=1_000, end=END, months=1, regions=("AM22",), seed=13)
    landed = time.time() - seconds_ago
    for table in ("vacancies", "vacancy_skills"):
        for path in parquet.partition_files(table, month=END, root=other):
            target = parquet.partition_dir(table, END, root=root) / f"{other.name}-{path.name}"
            shutil.copy(path, target)
            os.utime(target, (landed, landed))


def _total() -> int:
    return sum(g.vacancies for g in occupations.growth(NATIONAL, "esco", END))


def _background_done() -> None:
    if cache._refresher is not None:
        cache._refresher.submit(lambda: None).result(timeout=60)  # one thread: queued after the refresh


def test_a_reading_request_gets_the_previous_figures_while_the_new_ones_are_computed(store: Path) -> None:
    before = _total()
    _land_a_run(store, seconds_ago=12)  # more than a third of the 30-second window ago
    with cache.may_serve_stale():
        assert _total() == before  # answered at once, from before the run
    _background_done()
    with cache.may_serve_stale():
        assert _total() > before  # computed meanwhile, without a request waiting for it


def test_a_process_that_never_had_the_figure_gets_the_one_another_process_shared_before_the_run(store: Path) -> None:
    before = _total()  # computed, and shared, by another server process
    cache.clear()  # this process (a gunicorn worker just started) has no figure of its own
    _land_a_run(store, seconds_ago=12)
    with cache.may_serve_stale():
        assert _total() == before  # the shared figure of the version before, not a recompute in the request
    _background_done()
    with cache.may_serve_stale():
        assert _total() > before
    # Only the directory of the version before the current one stays beside it.
    _land_a_run(store, seconds_ago=0)
    assert _total() > before
    assert len([d for d in cache.shared_dir().iterdir() if d.is_dir()]) == 2


def test_runs_that_just_landed_are_not_computed_at_once_but_after_a_third_of_the_window(store: Path) -> None:
    before = _total()
    _land_a_run(store, seconds_ago=1)  # runs landing every few seconds: not a recompute after each
    with cache.may_serve_stale():
        assert _total() == before
    _background_done()
    with cache.may_serve_stale():
        assert _total() == before  # nothing computed meanwhile
    _land_a_run(store, seconds_ago=11)  # older than the first one: it is the first run this result misses
    with cache.may_serve_stale():
        assert _total() == before
    _background_done()
    with cache.may_serve_stale():
        assert _total() > before


def test_what_may_write_or_runs_outside_a_request_always_gets_the_current_figures(store: Path) -> None:
    before = _total()
    _land_a_run(store)
    assert _total() > before  # a POST, a command, the worker: no stale figures


def test_figures_are_never_further_behind_than_the_window(store: Path, settings) -> None:  # type: ignore[no-untyped-def]
    before = _total()
    _land_a_run(store, seconds_ago=31)  # landed longer ago than RADAR_STALE_SECONDS
    with cache.may_serve_stale():
        assert _total() > before
    settings.RADAR_STALE_SECONDS = 0
    now = _total()
    _land_a_run(store)
    with cache.may_serve_stale():
        assert _total() > now  # switched off


def test_removing_files_is_not_a_landed_run_and_is_seen_at_once(store: Path) -> None:
    _land_a_run(store)
    with_run = _total()
    for table in ("vacancies", "vacancy_skills"):
        for path in parquet.partition_files(table, month=END, root=store):
            if path.name.startswith("other-"):
                path.unlink()
    with cache.may_serve_stale():
        assert _total() < with_run


def test_only_get_and_head_requests_may_be_answered_with_the_previous_figures(store: Path) -> None:
    totals: list[int] = []

    def view(request: object) -> HttpResponse:
        totals.append(_total())
        return HttpResponse()

    middleware = StoreVersionPerRequest(view)
    middleware(RequestFactory().get("/radar/"))
    _land_a_run(store, seconds_ago=20)
    middleware(RequestFactory().post("/radar/inlezen/"))
    assert totals[1] > totals[0]
    _land_a_run(store, seconds_ago=15)
    middleware(RequestFactory().get("/radar/"))
    assert totals[2] == totals[1]
    _background_done()
    middleware(RequestFactory().get("/radar/"))
    assert totals[3] > totals[2]
