"""Every routed page, as every role that may see it, in Chromium: axe WCAG 2.2 AA, no CSP violation,
CSRF on every POST form, a keyboard walk (focus visible, no trap, no positive tabindex), and the
Dutch readability per page (reported in test-results/crawl-<shard>.json).

One browser and one login per role; pages come from the URL resolver with the apps' sample
factories, so a new page is crawled as soon as it is routed.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import (  # noqa: F401 - fixtures used by name
    RESULTS,
    axe_violations,
    browser,
    browser_world,
    log_in,
)
from tests.quality.crawl import Visit, forms_without_csrf, keyboard_walk, readability_of, visits
from tests.web.role_matrix import ANONYMOUS
from wendbaar.web.demo import DemoWorld

pytestmark = pytest.mark.browser

# Per page, the Dutch text must read at least this easily (Flesch-Douma). Lower than the catalogue's
# bound because pages also show names (ESCO occupations, organisations) that no writer can shorten.
MIN_PAGE_FLESCH_DOUMA = 40.0
MIN_PAGE_WORDS = 40  # fewer words (a form, a table of names) give no meaningful score
# Pages whose text is mostly someone else's: ESCO's official concept descriptions and labels (EU text).
READABILITY_EXEMPT = {"skills:occupation": "ESCO descriptions", "skills:skill": "ESCO descriptions"}
# The short form (CI) runs axe once per page structure: a role whose page has the same markup (main
# content and menu) as one already checked reuses that result. WENDBAAR_CRAWL_FULL=1 runs axe and the
# keyboard walk on every page as every role (the long form).
FULL = os.environ.get("WENDBAAR_CRAWL_FULL") == "1"
_STRUCTURE = """() => {
  const shape = (root) => root ? Array.from(root.querySelectorAll('*')).map(el =>
      el.tagName + Array.from(el.attributes).map(a => a.name).sort().join(',')).join(';') : '';
  return shape(document.querySelector('main')) + '|' + shape(document.querySelector('header, nav'));
}"""


def _context(browser: Browser, live_server: Any, role: str) -> Page:  # noqa: F811
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    if role != ANONYMOUS:
        log_in(page, live_server.url, role)
    return page


def _csp_listener(sink: list[str]) -> Any:
    def listen(message: Any) -> None:
        if "Content Security Policy" in message.text:
            sink.append(message.text)

    return listen


def check_page(
    page: Page, url: str, csp_errors: list[str], checked: set[str] | None = None, walk_keyboard: bool = True
) -> tuple[list[str], dict[str, Any]]:
    """Visit `url`; return its problems and its report (readability, keyboard).

    `checked` holds the page structures axe has seen (short form); None checks every page.
    """
    csp_errors.clear()
    started = time.perf_counter()
    try:
        response = page.goto(url)
    except PlaywrightError as exc:
        if "Download is starting" not in str(exc):
            raise
        download = page.request.get(url)  # a file (CSV, PDF): its status is all there is to check
        seconds = round(time.perf_counter() - started, 2)
        return ([] if download.ok else [f"answered {download.status}"]), {"kind": "download", "seconds": seconds}
    problems: list[str] = []
    if response is None or response.status >= 400:
        return [f"answered {response.status if response else 'nothing'}"], {}
    if "text/html" not in (response.headers.get("content-type") or ""):
        return [], {"kind": response.headers.get("content-type"), "seconds": round(time.perf_counter() - started, 2)}
    structure = hashlib.sha1(page.evaluate(_STRUCTURE).encode(), usedforsecurity=False).hexdigest()
    details: dict[str, Any] = {"axe": False, "load_s": round(time.perf_counter() - started, 2)}
    if checked is None or structure not in checked:
        axe_started = time.perf_counter()
        count, report = axe_violations(page)
        details["axe"] = True
        details["axe_s"] = round(time.perf_counter() - axe_started, 2)
        if count:
            problems.append(f"{count} axe violations:\n{report}")
        if checked is not None:
            checked.add(structure)
    if csp_errors:
        problems.append(f"CSP violations: {csp_errors[:3]}")
    if forms_without_csrf(page):
        problems.append("a POST form without CSRF token")
    if walk_keyboard:
        walk_started = time.perf_counter()
        walk = keyboard_walk(page)
        details["keyboard_s"] = round(time.perf_counter() - walk_started, 2)
        if walk.reached < walk.reachable:
            problems.append(f"keyboard reached {walk.reached} of {walk.reachable} stops (a trap or hidden stops)")
        if walk.invisible_focus:
            problems.append(f"focus not visible on {walk.invisible_focus[:3]}")
        if walk.positive_tabindex:
            problems.append("a positive tabindex changes the reading order")
        details["keyboard"] = walk.__dict__
    details["seconds"] = round(time.perf_counter() - started, 2)
    return problems, details


# The crawl is cut into shards of pages (every role of a page in the same shard, so its keyboard walk
# and readability are still measured once): `make test` runs the browser tests on two xdist workers,
# and one crawl of several minutes would leave the other worker idle. The shards are balanced by an
# estimate of each page's cost (below), not by chance: with a hash of the name, one shard had twice
# another's visits (201 against 100).
SHARDS = 4
# Measured (test-results/crawl-<shard>.json, 7 December 2026): an HTML visit costs ~0.75 s (load 0.2 s,
# axe 0.5 s: the menu differs per role, so most visits run axe), a file ~0.2 s; the first visit of a
# page adds its keyboard walk and readability, ~0.5 s: about one visit more (PAGE_COST units). Pages
# differ more than that (hub forms 1.5 s a visit): the shards came out at 76-106 s of visits, and the
# one-at-a-time scheduling (tests/conftest.py) evens out the rest.
PAGE_COST = 1.0


def visit_cost(visit: Visit) -> float:
    return PAGE_COST + len(visit.roles)


def shard_of_pages(pages: list[Visit], shards: int = SHARDS) -> dict[str, int]:
    """Each page's shard: the dearest pages first, each to the shard with the least cost so far."""
    loads = [0.0] * shards
    assigned: dict[str, int] = {}
    for visit in sorted(pages, key=lambda v: (-visit_cost(v), v.name)):
        shard = min(range(shards), key=lambda k: (loads[k], k))
        assigned[visit.name] = shard
        loads[shard] += visit_cost(visit)
    return assigned


@pytest.mark.slow  # started first (tests/conftest.py), so the four shards run side by side
@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_page_as_every_role(browser: Browser, live_server: Any, browser_world: DemoWorld, shard: int) -> None:  # noqa: F811
    every_page, missing = visits(browser_world)
    assert not missing, f"add a sample URL in tests/<app>/sample_urls.py for: {missing}"
    assigned = shard_of_pages(every_page)
    pages = [visit for visit in every_page if assigned[visit.name] == shard]
    failures: list[str] = []
    report: dict[str, Any] = {}
    roles = sorted({role for visit in pages for role in visit.roles})
    checked: set[str] | None = None if FULL else set()
    for role in roles:
        page = _context(browser, live_server, role)
        csp_errors: list[str] = []
        page.on("console", _csp_listener(csp_errors))
        for visit in [v for v in pages if role in v.roles]:
            entry = report.setdefault(
                visit.name, {"url": visit.url, "cost": visit_cost(visit), "roles": [], "axe": 0, "seconds": []}
            )
            walk = FULL or "keyboard" not in entry
            problems, details = check_page(page, live_server.url + visit.url, csp_errors, checked, walk)
            failures.extend(f"{visit.name} as {role}: {p}" for p in problems)
            entry["roles"].append(role)
            entry["axe"] += int(details.get("axe", False))
            entry["seconds"].append(details.get("seconds"))
            for phase in ("load_s", "axe_s", "keyboard_s"):
                if phase in details:
                    entry.setdefault(phase, []).append(details[phase])
            if "keyboard" in details and "readability" not in entry:
                entry["keyboard"] = details["keyboard"]
                scoring = time.perf_counter()
                entry["readability"] = scored = readability_of(page)
                entry["readability_s"] = round(time.perf_counter() - scoring, 2)
                low = scored["words"] >= MIN_PAGE_WORDS and scored["flesch_douma"] < MIN_PAGE_FLESCH_DOUMA
                if low and visit.name not in READABILITY_EXEMPT:
                    failures.append(f"{visit.name}: Flesch-Douma {scored['flesch_douma']} < {MIN_PAGE_FLESCH_DOUMA}")
        page.context.close()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"crawl-{shard}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    assert len(every_page) >= 10 and len(report) >= len(every_page) // (2 * SHARDS)  # no shard empty
    assert not failures, "\n".join(failures)


def test_the_shards_share_the_pages_by_cost() -> None:
    pages = [Visit(f"page-{n}", f"/{n}/", ["r"] * (1 + n % 7)) for n in range(60)]
    assigned = shard_of_pages(pages)
    assert set(assigned) == {visit.name for visit in pages} and set(assigned.values()) == set(range(SHARDS))
    loads = [sum(visit_cost(v) for v in pages if assigned[v.name] == shard) for shard in range(SHARDS)]
    assert max(loads) - min(loads) <= max(visit_cost(v) for v in pages)  # no shard a page dearer than another


def test_the_crawl_fails_on_an_injected_violation(browser: Browser, live_server: Any, browser_world: DemoWorld) -> None:  # noqa: F811
    page = _context(browser, live_server, ANONYMOUS)
    csp_errors: list[str] = []
    page.on("console", _csp_listener(csp_errors))
    assert check_page(page, live_server.url + "/", csp_errors)[0] == []
    # An image without alt text, an unlabeled field, an inline script: axe and the CSP must catch them.
    # The CSP report comes through the console a moment later: wait for it (15 s at most), not a fixed time.
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(
            """() => { const m = document.querySelector('main');
                       m.insertAdjacentHTML('beforeend', '<img src="/static/none.png"><input type="text">');
                       const s = document.createElement('script'); s.textContent = 'window.x = 1';
                       m.appendChild(s); }"""
        )
    count, _report = axe_violations(page)
    assert count >= 2
    assert any("script" in error for error in csp_errors), csp_errors
    page.context.close()
