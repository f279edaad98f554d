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
