"""Warm the process's caches when it starts, so no visitor waits for them.

The first dashboard of a process computes its indicators and renders its charts (seconds on a national
store), and the first skills suggestion loads the engine and the label index. A web process calls
`warm_in_background()` once at start-up (wsgi.py, asgi.py): a daemon thread does that work before the
first visitor asks, for the national dashboard and every region with vacancies, in Dutch and English.
It also starts the helper processes that render PDFs and draw charts (web/apart.py).
One process at a time warms the dashboards: they are shared between processes (store/cache.py), so
the first computes them and the others only read them.

Every landed run makes a new store version, and every memo starts empty again. `warm_after_landing()`
(called by the background worker once a run has landed) computes the version's common figures there,
in a process of its own, instead of in the request of the first visitor after the run: a recomputed
dashboard held a web worker's threads for up to a second.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import translation

log = logging.getLogger(__name__)
LANGUAGES = ("nl", "en")


def _last_month_and_regions() -> tuple[str, list[str]] | None:
    """The store's last month and the regions with vacancies then (sorted); None for an empty store."""
    from wendbaar.radar.indicators import occupations

    available = occupations.months_available()
    if available is None:
        return None
    end = available[1]
    return end, sorted(code for code, _now, _before in occupations.region_year_counts(end))


def warm_dashboards(*, languages: tuple[str, ...] = LANGUAGES, stop: Callable[[], bool] | None = None) -> int:
    """Compute the default dashboard of the country and of each region with vacancies; return how many
    (fewer when `stop()` said so between two of them)."""
    from wendbaar.radar.dashboards import pages
    from wendbaar.radar.indicators.scope import NATIONAL

    latest = _last_month_and_regions()
    if latest is None:
        return 0
    end, codes = latest
    regions = [NATIONAL, *codes]
    geometry_codes = tuple(sorted(pages.region_geometries()))
    done = 0
    for language in languages:
        with translation.override(language):
            for region in regions:
                if stop is not None and stop():
                    return done
                # The same arguments as DashboardView, so its first request is a cache hit.
                pages.dashboard_page(
                    region, pages.DEFAULT_LEVEL, end, "vacancies", translation.get_language(), geometry_codes
                )
                done += 1
    return done


def warm_indicators() -> int:
    """Compute what other apps read from the radar for every region with vacancies and the country:
    occupation growth (loopbaan-APK paths and outlooks), skill shares (a provider's rising gaps,
    employers' demand, the check-up's gap order) and tension; return how many scopes."""
    from wendbaar.radar.dashboards import services
    from wendbaar.radar.indicators import occupations, skills
    from wendbaar.radar.indicators.scope import Scope

    latest = _last_month_and_regions()
    if latest is None:
        return 0
    end, regions = latest
    for region in [None, *regions]:
        scope = Scope.of(region=region)
        occupations.growth(scope, "esco", end)
        skills.skill_shares(scope, end)
        if region is not None:
            services.latest_tension(region=region)
    return len(regions) + 1


def warm_after_landing() -> dict[str, int]:
    """Compute the new store version's common figures and dashboards (store/cache.py shares them with
    the web processes); return how many of each. Skipped while another upload waits in the queue: its
    landing makes yet another version, and the last one of a burst warms."""
    from wendbaar.radar.models import Run

    def queued() -> bool:
        return Run.objects.filter(status=Run.Status.QUEUED).exists()

    if not settings.RADAR_WARM_AFTER_LANDING or queued():
        return {"scopes": 0, "dashboards": 0}
    scopes = warm_indicators()
    # A dashboard costs about a second with its charts: an upload that arrives meanwhile goes first.
    return {"scopes": scopes, "dashboards": warm_dashboards(stop=queued) if scopes else 0}


def warm_search() -> bool:
    """Load the skills engine and the suggestions' label index (only when the engine file exists)."""
    from wendbaar.skills import search, services

    if not Path(settings.ENGINE_PATH).exists():
        return False  # a fresh installation: building the engine is the worker's job, not start-up's
    services.get_engine()
    search.prefix_index()
    return True


def warm_apps() -> list[str]:
    """Run the start-up warm-up of every Wendbaar app that has one (an AppConfig method `warm`, as
    careers has for its mobility index); return their labels. The radar does not import those apps."""
    from django.apps import apps

    warmed = []
    for config in apps.get_app_configs():
        hook = getattr(config, "warm", None)
        if config.name.startswith("wendbaar.") and callable(hook):
            hook()
            warmed.append(config.label)
    return warmed


def warm() -> None:
    try:
        search = warm_search()
        from wendbaar.radar.dashboards import drawing
        from wendbaar.web import apart
        from wendbaar.web.pdf import renderer

        # Served PDFs waited up to seconds for their helper process to start and import WeasyPrint.
        renderer.start(processes=settings.PDF_PROCESSES)
        apart.start(drawing.POOL, settings.CHART_PROCESSES, drawing.ready)
        with _one_process_at_a_time():
            # The first process computes the dashboards and shares them (store/cache.py); the others
            # wait here, then only read them, instead of all computing the same pages at once.
            dashboards = warm_dashboards()
        apps_warmed = warm_apps()
        log.info(
            "caches warmed: %s dashboards, search %s, apps %s",
            dashboards, "ready" if search else "skipped", ", ".join(apps_warmed) or "none",
        )  # fmt: skip
        _freeze_the_heap()
    except Exception:  # noqa: BLE001 - warming is a courtesy: a failure here must not stop the process
        log.exception("warming the caches failed; the first requests will fill them instead")
    finally:
        connections.close_all()


def _freeze_the_heap() -> None:
    """Leave what start-up made (Django, the taxonomy, the engine, the warmed pages) out of every later
    garbage collection. A full collection walks every object the process holds and holds the GIL while it
    does: in a served process that was 60–670 ms, some twelve times in 150 seconds, and every thread
    of the process waited (the 150-second PostgreSQL load run of 7 December, docs/quality-gates.md).
    Those objects live as long as the process; the collector never had anything to find among them."""
    gc.collect()
    gc.freeze()


@contextlib.contextmanager
def _one_process_at_a_time() -> Iterator[None]:
    from wendbaar.radar.store.cache import shared_dir

    shared_dir().mkdir(parents=True, exist_ok=True)
    with open(shared_dir() / "warm.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if the process dies
        yield


def warm_in_background() -> threading.Thread:
    """Start warming in a daemon thread (the process serves requests meanwhile)."""
    thread = threading.Thread(target=warm, name="wendbaar-warm-caches", daemon=True)
    thread.start()
    return thread
