"""Sample URL kwargs for the role matrix (see tests/web/role_matrix.py): the radar's pages."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from wendbaar.radar.models import Run
from wendbaar.web.demo import DemoWorld


def _run_with_rejects(world: DemoWorld) -> dict[str, Any]:
    # A finished skip-invalid run whose rejects file exists, so both run pages have something to show.
    rejects = Path(tempfile.mkdtemp()) / "rejects.csv"
    rejects.write_text("line,field,reason\n2,title,missing\n", encoding="utf-8")
    run = Run.objects.create(
        status=Run.Status.SUCCEEDED,
        file_names=["sample.csv"],
        skip_invalid=True,
        read=2,
        accepted=1,
        rejected=1,
        rejects_file=str(rejects),
        # As the worker stores a row error: source text and values, translated on the page.
        errors=[{"file": "sample.csv", "line": 2, "field": "title", "message": "is required"},
                {"file": "sample.csv", "line": 2, "field": "municipality", "message": "unknown municipality %(value)s",
                 "params": {"value": "'Atlantis'"}}],
        created_by=world.users["coordinator"],  # the region's run: its coordinator (and admins) may see it
    )  # fmt: skip
    return {"uuid": run.uuid}


SAMPLE_URLS = {
    "radar:dashboard": lambda world: {"region": "AM22"},
    "radar:occupation": lambda world: {"region": "AM22", "group": "4"},
    "radar:skill": lambda world: {"region": "AM22"},
    "radar:report": lambda world: {"region": "AM22"},
    "radar:report-pdf": lambda world: {"region": "AM22"},
    "radar:run": _run_with_rejects,
    "radar:run-rejects": _run_with_rejects,
}


def _owned_runs(world: DemoWorld, outsiders: Any) -> list[Any]:
    """An AM22 run with raw rejected rows: another region's coordinator (and every non-coordinator) is refused."""
    from tests.web.object_access import Probe

    kwargs = _run_with_rejects(world)
    run = Run.objects.get(uuid=kwargs["uuid"])
    Path(run.rejects_file).write_text("line,field,reason,raw\n2,title,missing,GEHEIM-RUW-RIJ\n", encoding="utf-8")
    Run.objects.filter(pk=run.pk).update(status=Run.Status.FAILED)
    everyone = ("other-coordinator", "learner", "employer", "provider", "fund")
    uuid = str(run.uuid)

    def not_retried() -> bool:
        return Run.objects.get(pk=run.pk).attempts == 1

    return [
        Probe("radar-runs list", "GET", "/api/v1/radar-runs", everyone, secret=uuid, listing=True),
        Probe("radar-runs detail", "GET", f"/api/v1/radar-runs/{uuid}", everyone, secret="sample.csv"),
        Probe("radar-runs retry", "POST", f"/api/v1/radar-runs/{uuid}/retry", everyone, unchanged=not_retried),
        Probe("run page", "GET", f"/radar/runs/{uuid}/", everyone, secret="sample.csv"),
        Probe("run page retry", "POST", f"/radar/runs/{uuid}/", everyone, unchanged=not_retried),
        Probe("rejects file", "GET", f"/radar/runs/{uuid}/afgekeurd.csv", everyone, secret="GEHEIM-RUW-RIJ"),
        Probe("upload page's run list", "GET", "/radar/inlezen/", ("other-coordinator",), secret=uuid, listing=True),
    ]


OWNED = [_owned_runs]
