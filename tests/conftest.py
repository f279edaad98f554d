"""Shared test fixtures: the shared data sets (skip where absent, fail in CI) and role users."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test.signals import setting_changed

from wendbaar import conf

# Tests never touch the developer's var/ (engine file, radar store, run files): every test process
# gets its own. pytest-django has loaded the settings by now, so they are changed in place (and in
# the environment, for subprocesses). Tests that need a clean store still use tmp_path.
_TEST_VAR = Path(tempfile.mkdtemp(prefix="wendbaar-tests-"))
for _name, _path in (
    ("VAR_DIR", _TEST_VAR),
    ("STORE_DIR", _TEST_VAR / "radar"),
    ("ENGINE_PATH", _TEST_VAR / "engine.bin"),
    ("CREDENTIAL_KEYS_DIR", _TEST_VAR / "keys"),
):
    os.environ[f"WENDBAAR_{_name}"] = str(_path)
    setattr(django_settings, _name, _path)

# Background tasks run at once, inside the call that queues them; the worker tests switch to the
# database backend themselves. Resetting through the signal drops backends made before this point.
os.environ["WENDBAAR_TASKS_BACKEND"] = "immediate"
django_settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
setting_changed.send(sender=None, setting="TASKS", value=django_settings.TASKS, enter=True)

# The engine's semantic layer embeds every label (seconds even on the fixture taxonomy): tests build
# it only where they say so (tests/skills/semantic_taxonomy.py switches it on with a tiny taxonomy).
os.environ["WENDBAAR_ENGINE_SEMANTIC"] = "false"
django_settings.ENGINE_SEMANTIC = False

# The worker computes the radar's dashboards after every landed run (seconds with their charts), and a
# page may show the previous version's figures for a few seconds after a run lands: tests land runs
# inside the request and look at once, so both happen only where a test says so
# (tests/radar/test_warm_after_landing.py, tests/radar/test_stale_while_revalidating.py).
os.environ["WENDBAAR_RADAR_WARM_AFTER_LANDING"] = "false"
django_settings.RADAR_WARM_AFTER_LANDING = False
os.environ["WENDBAAR_RADAR_STALE_SECONDS"] = "0"
django_settings.RADAR_STALE_SECONDS = 0

SHARED_DATA = conf.project_path(conf.get("SHARED_DATA"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]


def require_shared_data(*parts: str) -> Path:
    """Return a path under the shared data; skip if absent, fail if CI demands the data."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        message = f"shared data not found: {path}"
        if os.environ.get("WENDBAAR_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(message + " (WENDBAAR_REQUIRE_SHARED_DATA=1)")
        pytest.skip(message)
    return path


@pytest.fixture
def shared_data() -> Path:
    return require_shared_data()


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def _migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # One migration per test session: xdist's workers share the session's directory (the parent of
    # their own), and the first to need the file makes it while the others wait on the lock.
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    path = root / "migrated-template.sqlite3"
    with open(root / "migrated-template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            partial = root / "migrated-template.partial.sqlite3"  # renamed when whole: never half a file
            partial.unlink(missing_ok=True)
            env = {**os.environ, "WENDBAAR_DATABASE_URL": f"sqlite:///{partial}", "PYTHONPATH": str(ROOT)}
            command = [sys.executable, "-m", "wendbaar.cli", "migrate", "--verbosity", "0"]
            subprocess.run(command, env=env, cwd=ROOT, check=True, timeout=600)  # noqa: S603
            partial.replace(path)
    return path


@pytest.fixture
def migrated_sqlite(tmp_path: Path, _migrated_sqlite_template: Path) -> Path:
    """A database file of its own as `wendbaar migrate` leaves a fresh one, for a test's subprocesses.

    Migrating a fresh database costs about 17 CPU seconds; the tests that start a server or a worker on
    a file of their own (and the load gate's site) share one migration per test session and each get a copy.
    """
    target = tmp_path / "migrated.sqlite3"
    shutil.copyfile(_migrated_sqlite_template, target)
    return target


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    """Hash test passwords cheaply; real hashing costs half a second per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def regions_as_migrated(request: pytest.FixtureRequest) -> None:
    """A transactional test starts from what `wendbaar migrate` gives, the 35 regions included.

    The regions come from a data migration, and the flush after each transactional test empties every
    table: without this, a transactional test that needs a region failed only when another one had run
    before it in the same worker.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = bool({"transactional_db", "live_server"} & set(request.fixturenames)) or (
        marker is not None and bool(marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    )
    if not transactional:
        return
    request.getfixturevalue("_django_db_helper")
    from wendbaar.regions.services import ensure_regions

    ensure_regions()


# The second pass of `make test` (PostgreSQL; scripts/test.sh sets WENDBAAR_TEST_DATABASE_TESTS_ONLY=1)
# runs what can differ between databases: the tests that use the database, and those marked
# `every_database` that depend on it another way (the OpenAPI document reads the columns' types).
# The rest ran on SQLite a minute before, with the same code and the same result.
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_setup", "live_server", "django_db_reset_sequences",
     "django_db_serialized_rollback"}
)  # fmt: skip


def uses_the_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(fixtures & DATABASE_FIXTURES) or any(
        item.get_closest_marker(name) is not None for name in ("django_db", "every_database")
    )


def _django_group(item: pytest.Item) -> int:
    """pytest-django's order: 0 database tests, 1 transactional ones, 2 the rest (as Django orders)."""
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    transactional = bool(fixtures & {"transactional_db", "live_server", "django_db_reset_sequences"}) or (
        marker is not None
        and bool(marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences") or marker.args[:1] == (True,))
    )
    if transactional:
        return 1
    return 0 if marker is not None or "db" in fixtures else 2


def _heaviest_first(items: list[pytest.Item]) -> None:
    """Start the slow tests first, so that two xdist workers share them instead of one ending alone.

    Slow tests at the end (the load gate, the migrations walk) used to leave one worker running them for
    minutes while the other idled. Slow tests without a database go to the very front (they cannot disturb
    the database tests' order); the others go to the front of their pytest-django group, which keeps
    Django's database-tests-first order. The tests are then handed out one at a time (below).
    """

    def rank(item: pytest.Item) -> tuple[int, int]:
        slow = item.get_closest_marker("slow") is not None
        if slow and not uses_the_database(item):
            return (0, 0)
        return (1 + _django_group(item), 0 if slow else 1)

    items.sort(key=rank)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """xdist's `load` scheduling, but handing out one test at a time, first to each worker in turn.

    Plain `load` gives each worker a first batch of consecutive tests (a quarter of its share: 192 of
    the SQLite pass, 5 of the browser pass) and then more batches: the slow tests at the front all went to
    the first worker, one after the other (all four shards of the accessibility crawl did), while the other
    ran the quick ones. One at a time, each worker takes the next test when it is free: the slow ones
    are shared. Each worker still has the next test in hand (pytest needs it to end the fixtures).
    """
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScheduling

    class OneAtATime(LoadScheduling):
        def __init__(self, config: pytest.Config, log: Any = None) -> None:
            super().__init__(config, log)
            self.maxschedchunk = 1  # after the first deal: one test per finished test
            self._deal: list[tuple[Any, int]] | None = None

        def schedule(self) -> None:
            # The first deal is held back and then given out like cards: test 0 to the first worker,
            # test 1 to the second, test 2 to the first again... (xdist itself would give 0 and 1 to the first).
            self._deal = [] if self.collection is None else None
            try:
                super().schedule()
            finally:
                deal, self._deal = self._deal, None
            if not deal:
                return
            for turn in range(max(count for _, count in deal)):
                for node, count in deal:
                    if turn < count:
                        self._send_tests(node, 1)
            if not self.pending:  # everything dealt (a handful of tests): as xdist does then, end the workers
                for node in self.nodes:
                    node.shutdown()

        def _send_tests(self, node: Any, num: int) -> None:
            if self._deal is not None:
                self._deal.append((node, num))
                return
            super()._send_tests(node, num)

    return OneAtATime(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("WENDBAAR_TEST_DATABASE_TESTS_ONLY") == "1":
        kept = [item for item in items if uses_the_database(item)]
        if len(kept) < len(items):
            config.hook.pytest_deselected(items=[item for item in items if not uses_the_database(item)])
            items[:] = kept
    _heaviest_first(items)
