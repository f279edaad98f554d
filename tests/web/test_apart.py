"""Work that holds the GIL for long runs in helper processes (web/apart.py): charts and PDFs."""

from __future__ import annotations

import gc
import os
import threading
import time

import pytest
from django.test import override_settings

from wendbaar.radar.dashboards import charts, drawing
from wendbaar.web import apart

SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "data": {"values": [{"maand": i, "vacatures": (i * 37) % 101} for i in range(400)]},
    "mark": "line",
    "encoding": {"x": {"field": "maand", "type": "quantitative"}, "y": {"field": "vacatures", "type": "quantitative"}},
}


def _fresh_spec(tag: str) -> dict:
    # render_svg memoises per spec: a title of its own makes each call draw.
    return {**SPEC, "title": f"{tag} {time.perf_counter_ns()}"}


def test_a_chart_drawn_in_the_helper_is_the_chart_drawn_here() -> None:
    spec = _fresh_spec("gelijk")
    with override_settings(CHART_PROCESSES=1):
        apart_svg = charts.render_svg(spec, labelled_by="fig-a", locale="nl-NL")
    charts._svgs.clear()
    with override_settings(CHART_PROCESSES=0):
        here_svg = charts.render_svg(spec, labelled_by="fig-a", locale="nl-NL")
    assert apart_svg == here_svg and apart_svg.startswith('<svg role="img" aria-labelledby="fig-a"')
    # It really is another process.
    assert apart.executor(drawing.POOL, 1).submit(os.getpid).result() != os.getpid()


def _longest_pause_while(work: object) -> float:
    """The longest time a ticking thread of this process could not run while `work()` ran (seconds)."""
    gaps: list[float] = []
    done = threading.Event()

    def tick() -> None:
        last = time.perf_counter()
        while not done.is_set():
            time.sleep(0.002)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticker = threading.Thread(target=tick)
    ticker.start()
    try:
        work()  # type: ignore[operator]
    finally:
        done.set()
        ticker.join()
    return max(gaps)


def test_drawing_apart_leaves_the_other_threads_running() -> None:
    apart.start(drawing.POOL, 1, drawing.ready)
    big = {**SPEC, "data": {"values": [{"maand": i, "vacatures": (i * 37) % 101} for i in range(20_000)]}}

    def draw(processes: int) -> None:
        with override_settings(CHART_PROCESSES=processes):
            charts.render_svg({**big, "title": f"{processes} {time.perf_counter_ns()}"}, labelled_by="f")

    here = _longest_pause_while(lambda: draw(0))
    helper = _longest_pause_while(lambda: draw(1))
    # vl-convert keeps the GIL for the whole drawing: here the ticker stops for it; with the helper it does not.
    assert here > 0.05, here
    assert helper < here / 2, (helper, here)


def test_a_dead_helper_is_replaced_by_drawing_here() -> None:
    pool = apart.executor(drawing.POOL, 1)
    pid = pool.submit(os.getpid).result()
    os.kill(pid, 9)
    time.sleep(0.2)
    with override_settings(CHART_PROCESSES=1):
        svg = charts.render_svg(_fresh_spec("dood"), labelled_by="fig-b")
    assert "<svg" in svg  # drawn here; the next call starts a new helper
    assert apart.executor(drawing.POOL, 1).submit(os.getpid).result() not in (pid, os.getpid())


@pytest.mark.django_db
def test_warming_leaves_what_start_up_made_out_of_later_collections() -> None:
    from wendbaar.radar.dashboards import warm

    try:
        with override_settings(PDF_PROCESSES=0, CHART_PROCESSES=0):
            warm.warm()
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
