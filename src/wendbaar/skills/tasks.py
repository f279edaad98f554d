"""Background work of the skills app, run by `wendbaar db_worker` (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from wendbaar.skills import services


@task()
def rebuild_engine() -> str:
    """Rebuild the saved engine after a taxonomy change; return its fingerprint ("current" if it was)."""
    engine = services.rebuild_engine()
    return engine.fingerprint if engine is not None else "current"


@task()
def build_semantic_engine() -> str:
    """Give the saved engine its semantic layer (queued after every lexical build when ENGINE_SEMANTIC is on);
    return the new fingerprint and model ("current" when the file already had it)."""
    engine = services.build_semantic_engine()
    return f"{engine.fingerprint} {engine.semantic_model}" if engine is not None else "current"
