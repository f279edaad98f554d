"""Locust users for Wendbaar: a realistic mix per role over every page that role may see (the plan from
plan.py), taxonomy search and suggestions, the API, static files, and coordinators' uploads.

Every request is named by its kind (`page:<url name>`, `api:<resource>`, `static`, `upload`), so the
report gives p50/p95/p99 per kind of page.
"""

from __future__ import annotations

import json
import os
import random
import re

import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment

PLAN = json.loads(open(os.environ["WENDBAAR_LOAD_PLAN"], encoding="utf-8").read())
SEARCHES = ["lassen", "vrachtwagen", "verpleeg", "kok", "programmeur", "heftruck", "timmer", "zorg"]
CSV = ("id,title,description,employer_name,kvk,municipality,postcode,date_posted,valid_through,hours_per_week,"
       "education_level,source,url\n")
PLANTED = os.environ.get("WENDBAAR_LOAD_PLANTED_URL")  # the gate's own test: a URL that must fail
TRACE = os.environ.get("WENDBAAR_LOAD_TRACE")  # one line per request (when it started, kind, ms): where tails come from


FAILURES = os.environ.get("WENDBAAR_LOAD_FAILURES")  # every failed request of the run, ramp-up included
# Seconds after the last user started at which the statistics restart (bench/load_test.py says why).
STATISTICS_AFTER = float(os.environ.get("WENDBAAR_LOAD_STATISTICS_AFTER", "5"))
_failed: dict[str, int] = {}


@events.request.add_listener
def _count_failure(name: str, exception: BaseException | None, **_: object) -> None:
    # The statistics restart after the ramp-up; failures are counted over the whole run.
    if exception is not None:
        _failed[name] = _failed.get(name, 0) + 1


@events.init.add_listener
def _restart_statistics_after_the_ramp_up(environment: Environment, **_: object) -> None:
    @events.spawning_complete.add_listener
    def _later(**_: object) -> None:
        gevent.spawn_later(STATISTICS_AFTER, environment.stats.reset_all)


@events.quitting.add_listener
def _write_failures(**_: object) -> None:
    if FAILURES:
        with open(FAILURES, "w", encoding="utf-8") as out:
            json.dump(_failed, out)


if TRACE:
    _trace = open(TRACE, "a", encoding="utf-8")  # noqa: SIM115 - open for the whole run

    @events.request.add_listener
    def _traced(request_type: str, name: str, response_time: float, start_time: float, **_: object) -> None:
        _trace.write(f"{start_time:.3f}\t{name}\t{response_time:.1f}\n")


class Visitor(HttpUser):
    """Someone without an account: the landing page, the taxonomy, the public API."""

    abstract = False
    weight = 3
    wait_time = between(0.5, 2.0)
    role = "anonymous"

    def on_start(self) -> None:
        self.client.verify = False  # loopback with a self-signed certificate
        session = PLAN["sessions"].get(self.role)
        if session:
            self.client.cookies.set("sessionid", session)
        self.pages = PLAN["pages"].get(self.role, [])

    @task(6)
    def page(self) -> None:
        if self.pages:
            name, url = random.choice(self.pages)
            self.client.get(url, name=f"page:{name}")

    @task(3)
    def search(self) -> None:
        self.client.get(f"/taxonomie/?q={random.choice(SEARCHES)}", name="page:skills:search?q")

    @task(3)
    def suggestions(self) -> None:
        self.client.get(f"/api/v1/suggestions?q={random.choice(SEARCHES)[:4]}", name="api:suggestions")

    @task(2)
    def api_list(self) -> None:
        self.client.get("/api/v1/occupations?pageSize=20", name="api:occupations")

    @task(1)
    def static(self) -> None:
        self.client.get("/static/web/wendbaar.css", name="static")

    @task(1)
    def planted(self) -> None:
        if PLANTED:
            self.client.get(PLANTED, name="planted")


class Learner(Visitor):
    weight = 3
    role = "learner"


class Employer(Visitor):
    weight = 2
    role = "employer"


class Coordinator(Visitor):
    weight = 2
    role = "coordinator"

    @task(2)
    def radar_api(self) -> None:
        self.client.get("/api/v1/radar/vacancy-counts?region=AM22", name="api:radar/vacancy-counts")
        self.client.get("/api/v1/radar-runs?pageSize=20", name="api:radar-runs")

    @task(1)
    def upload(self) -> None:
        form = self.client.get("/radar/inlezen/", name="page:radar:ingest")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        if token is None:
            return
        rows = "".join(
            f"load-{random.getrandbits(48)},Lasser,Wij zoeken een lasser die metalen last.,Demo BV,12345678,"
            f"Rotterdam,,2025-11-0{d},2025-12-01,40,mbo 3,load,https://example.org/{d}\n"
            for d in range(1, 4)
        )
        self.client.post(
            "/radar/inlezen/",
            data={"csrfmiddlewaretoken": token.group(1), "source": "load"},
            files={"files": ("vacatures.csv", CSV + rows, "text/csv")},
            headers={"Referer": self.host + "/radar/inlezen/"},
            name="upload",
        )


class Fund(Visitor):
    weight = 1
    role = "fund"


class Provider(Visitor):
    weight = 1
    role = "provider"


class Admin(Visitor):
    weight = 1
    role = "admin"
