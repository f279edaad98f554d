"""Write the load test's plan: every routed page per role (from the URL resolver, like the role matrix
and the accessibility crawl, so new apps' pages are loaded the day they are routed) and a logged-in
session per role. Runs with the server's environment: `python bench/load/plan.py OUT.json`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main(out: Path) -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendbaar.settings")

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from tests.web.role_matrix import ROLES, Sample, endpoints, expected_allowed, sample_factories

    from wendbaar.web.demo import DemoWorld, create_organisations, create_users, set_up_demo

    # The demo's own steps (idempotent) give back the world the sample factories expect.
    world: DemoWorld = set_up_demo(shared_data=Path("/nonexistent"), steps=[create_organisations, create_users])[0]
    from django.conf import settings
    from django.urls import reverse

    # The sample factories import tests/conftest.py, which points the paths at a test directory: the
    # server's own paths (its signing keys above all) are put back.
    own = {name: getattr(settings, name) for name in ("VAR_DIR", "STORE_DIR", "ENGINE_PATH", "CREDENTIAL_KEYS_DIR")}
    factories = sample_factories()
    for name, value in own.items():
        setattr(settings, name, value)
    pages: dict[str, list[list[str]]] = {role: [] for role in ROLES}
    for endpoint in endpoints():
        if endpoint.is_api:
            continue
        sample = Sample({})
        if endpoint.params:
            if endpoint.name not in factories:
                continue
            try:
                made = factories[endpoint.name](world)
            except Exception as exc:  # noqa: BLE001 - a sample the demo's data cannot give is left out, said aloud
                # (the full demo has its own demand for the sample employer, pooled without a gap)
                print(f"load plan: no sample for {endpoint.name} ({type(exc).__name__}: {exc}); page left out",
                      file=sys.stderr)  # fmt: skip
                continue
            sample = made if isinstance(made, Sample) else Sample(made)
        url = reverse(endpoint.name, kwargs=sample.kwargs) if endpoint.name else "/" + endpoint.route
        for role in ROLES:
            if expected_allowed(endpoint.view_class, role) and role not in sample.out_of_scope:
                pages[role].append([endpoint.id, url])
    sessions = {}
    for role, user in world.users.items():
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions[role] = store.session_key
    out.write_text(json.dumps({"pages": pages, "sessions": sessions}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
