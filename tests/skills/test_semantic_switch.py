"""The lexical engine serves at once; the worker builds the semantic layer; every process switches to it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from tests.skills.semantic_taxonomy import (
    NURSE,
    create_tiny_taxonomy,
)
from tests.skills.test_engine_rebuild_task import DATABASE_BACKEND, run_worker
from wendbaar.skills import reading, search, services


@pytest.mark.django_db(transaction=True)
def test_lexical_serves_at_once_then_the_worker_switches_it_to_meaning(
    semantic_site: Path, settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = DATABASE_BACKEND  # type: ignore[attr-defined]
    monkeypatch.setattr(services, "ENGINE_FILE_CHECK", 0.0)
    create_tiny_taxonomy()
    engine = services.get_engine()  # no engine at all: the lexical one is built here, at once
    assert not engine.has_semantic and reading.current_layer() == reading.LEXICAL
    queued = DBTaskResult.objects.filter(task_path="wendbaar.skills.tasks.build_semantic_engine")
    assert queued.count() == 1 and queued.get().status == "READY"
    services.get_engine()
    assert queued.count() == 1  # asked once per taxonomy version, not once per search

    run_worker()
    assert queued.get().status == "SUCCESSFUL"
    assert services.engine_file_has_semantic(semantic_site)
    assert reading.current_layer() == reading.SEMANTIC
    hits, layer = search.search_with_layer("ziekenverzorger", kind="occupation")
    assert layer == reading.SEMANTIC and hits[0].uri == NURSE


@pytest.mark.django_db
def test_a_process_notices_the_engine_file_another_process_saved(
    semantic_site: Path, monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    settings.ENGINE_SEMANTIC = False  # type: ignore[attr-defined]  # this process builds nothing itself
    create_tiny_taxonomy()
    lexical = services.get_engine()
    assert not lexical.has_semantic
    # What the worker's process does: build with the layer and replace the file (not our cache).
    built = services.build_engine(semantic=True)
    services._save_engine(built, semantic_site, services.taxonomy_version())
    settings.ENGINE_SEMANTIC = True  # type: ignore[attr-defined]
    monkeypatch.setattr(services, "ENGINE_FILE_CHECK", 0.0)  # else within 2 s
    served = services.get_engine()
    assert served is not lexical and served.has_semantic
    assert services.get_engine() is served  # loaded once: the file did not change again


@pytest.mark.django_db
def test_a_current_semantic_file_is_not_rebuilt(semantic_site: Path) -> None:
    create_tiny_taxonomy()
    services.get_engine()  # immediate tasks: lexical, then the layer
    assert services.engine_file_has_semantic(semantic_site)
    before = semantic_site.stat().st_mtime_ns
    assert services.build_semantic_engine() is None
    assert semantic_site.stat().st_mtime_ns == before
