"""Settings are declared once, documented from the declarations, and production mode is guarded."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from wendbaar import conf


def _import_settings(**env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WENDBAAR_")}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import wendbaar.settings"], env=environ, capture_output=True, text=True, check=False
    )


def test_settings_docs_match_the_declarations() -> None:
    call_command("settings_docs", "--check")


def test_every_declared_setting_is_read_from_its_environment_variable() -> None:
    for setting in conf.DECLARED:
        assert setting.env.startswith("WENDBAAR_")
        assert setting.help, f"{setting.name} has no help text"
        setting.read({})  # every default parses


def test_a_bad_value_names_the_variable() -> None:
    with pytest.raises(ValueError, match="WENDBAAR_DEBUG"):
        conf.BY_NAME["DEBUG"].read({"WENDBAAR_DEBUG": "maybe"})


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _import_settings(WENDBAAR_PRODUCTION="true", WENDBAAR_DEBUG="false")
    assert result.returncode != 0
    assert "WENDBAAR_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_with_debug_on() -> None:
    result = _import_settings(WENDBAAR_PRODUCTION="true", WENDBAAR_DEBUG="true", WENDBAAR_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "WENDBAAR_DEBUG" in result.stderr


def test_production_starts_with_a_secret_key_and_debug_off() -> None:
    result = _import_settings(WENDBAAR_PRODUCTION="true", WENDBAAR_DEBUG="false", WENDBAAR_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr


def test_relative_sqlite_paths_live_under_the_project_root() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from wendbaar import settings; print(settings.DATABASES['default']['NAME'])"],
        env={**{k: v for k, v in os.environ.items() if not k.startswith("WENDBAAR_")}},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == str(conf.PROJECT_ROOT / "var" / "wendbaar.sqlite3")


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-specific; this run uses " + connection.vendor)
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == int(conf.get("SQLITE_BUSY_TIMEOUT") * 1000)


def test_debug_pages_are_off_unless_asked_for() -> None:
    # A first try (`make demo`) must show the product's own error pages, never a stack trace.
    assert conf.BY_NAME["DEBUG"].read({}) is False
    assert conf.BY_NAME["DEBUG"].read({"WENDBAAR_DEBUG": "true"}) is True
