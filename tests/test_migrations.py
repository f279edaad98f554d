"""Migrations are complete and reversible."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db
def test_models_and_migrations_agree() -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_migrations_run_backwards_and_forwards() -> None:
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    ours = [node for node in leaves if node[0] in {"regions", "skills", "radar"}]
    targets = [(app, None) for app, _ in ours]
    executor.migrate(targets)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(leaves)
    from wendbaar.regions.models import Region

    assert Region.objects.count() == 35
