"""Benchmark: import the full shared ESCO data (English v1.1.1 + relations, Dutch v1.2.0, crosswalk) on SQLite.

Run: .venv/bin/python bench/skills_import.py   → bench/results/skills_import.json
Target (issue 3): under 90 s and under 1.5 GB peak memory.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="wendbaar-bench-"))
    os.environ["WENDBAAR_DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["WENDBAAR_ENGINE_PATH"] = str(workdir / "engine.bin")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendbaar.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from wendbaar.skills import services

    call_command("migrate", verbosity=0)
    esco = Path(settings.SHARED_DATA) / "esco"
    paths = [esco / "v1.1.1", esco / "v1.2.0-nl", esco / "nl-skill-labels"]
    started = time.perf_counter()
    record = services.import_taxonomy(paths=paths, allow_unknown_concepts=True)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    again = services.import_taxonomy(paths=paths, allow_unknown_concepts=True)
    reimport = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "benchmark": "skills_import",
        "database": "sqlite",
        "import_seconds": round(seconds, 2),
        "reimport_seconds": round(reimport, 2),
        "reimport_changed": again.changed,
        "peak_mb": round(peak_mb, 1),
        "target_seconds": 90,
        "target_peak_mb": 1536,
        "added": record.report.get("added"),
        "relations": record.report.get("relations"),
    }
    out = ROOT / "bench" / "results" / "skills_import.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"{'measure':<20}{'value':>12}{'target':>12}")
    print(f"{'import s':<20}{seconds:>12.1f}{90:>12}")
    print(f"{'re-import s':<20}{reimport:>12.1f}{'-':>12}")
    print(f"{'peak MB':<20}{peak_mb:>12.0f}{1536:>12}")
    sys.exit(0 if seconds < 90 and peak_mb < 1536 else 1)


if __name__ == "__main__":
    main()
