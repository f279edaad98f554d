"""Object-level access across the product: nobody reaches another region's, organisation's or person's data.

The probes come from OWNED in every tests/<app>/sample_urls.py (see object_access.py); the planted-leak
test proves the gate fails when a check is missing.
"""

from __future__ import annotations

import pytest

from tests.web.object_access import leaks, make_outsiders, owned_factories
from wendbaar.radar.models import Run
from wendbaar.radar.pipeline import runs
from wendbaar.web.demo import DemoWorld


def test_every_app_with_owned_objects_registers_probes() -> None:
    names = {factory.__module__ for factory in owned_factories()}
    assert {"tests.radar.sample_urls", "tests.regions.sample_urls", "tests.skills.sample_urls",
            "tests.enrolment.sample_urls"} <= names  # fmt: skip


@pytest.mark.django_db
def test_no_outsider_reaches_someone_elses_objects(demo_world: DemoWorld) -> None:
    outsiders = make_outsiders(demo_world)
    probes = [probe for factory in owned_factories() for probe in factory(demo_world, outsiders)]
    assert len(probes) >= 10
    found = leaks(probes, outsiders)
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_the_gate_finds_a_planted_leak(demo_world: DemoWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    # Plant the leak the gate was written for: every coordinator sees every region's runs.
    monkeypatch.setattr(runs, "runs_visible_to", lambda user: Run.objects.all())
    outsiders = make_outsiders(demo_world)
    from tests.radar.sample_urls import OWNED

    found = leaks(OWNED[0](demo_world, outsiders), outsiders)
    assert any("other-coordinator" in leak and "rejects file" in leak for leak in found), found
    assert any("radar-runs list" in leak for leak in found), found


@pytest.mark.django_db
def test_the_own_region_coordinator_still_reaches_its_runs(demo_world: DemoWorld) -> None:
    from django.test import Client

    from tests.radar.sample_urls import _run_with_rejects

    uuid = _run_with_rejects(demo_world)["uuid"]
    client = Client()
    client.force_login(demo_world.users["coordinator"])
    assert client.get(f"/api/v1/radar-runs/{uuid}").status_code == 200
    assert client.get(f"/radar/runs/{uuid}/afgekeurd.csv").status_code == 200
    assert str(uuid) in client.get("/api/v1/radar-runs").content.decode()
