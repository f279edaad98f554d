"""Background work of the skills app, run by `wendbaar db_worker` (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from wendbaar.skills import services


@task()
def rebuild_engine() -> str:
    """Rebuild the saved engine after a taxonomy change; return its fingerprint ("current" if it was)."""
    engine = services.rebuild_engine()
    return engine.fingerprint if engine is not None else "current"
