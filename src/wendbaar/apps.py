from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WendbaarConfig(AppConfig):
    """The project itself, as an app, so project-wide commands (settings docs, OpenAPI) have a home."""

    name = "wendbaar"
    verbose_name = "Wendbaar"

    def ready(self) -> None:
        # No sender: Django sends post_migrate only for apps with a models module, which this one lacks.
        post_migrate.connect(_create_cache_table, dispatch_uid="wendbaar-cache-table")


def _create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """The shared cache (rate limits) lives in the database: make its table wherever `migrate` runs."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)  # a no-op once the table exists
