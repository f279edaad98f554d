"""The database a benchmark runs against: created when it is a PostgreSQL database that does not exist yet,
then Django set up on it and migrated. Shared by the benchmarks that drive our services in-process."""

from __future__ import annotations

import os


def open_site(database_url: str) -> None:
    """Point Django at `database_url` (created if it is PostgreSQL and missing), set it up and migrate."""
    if database_url.startswith("postgres"):
        import psycopg

        base, name = database_url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["WENDBAAR_DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendbaar.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
