"""Backup and restore of everything Wendbaar keeps: the database, the radar's Parquet store and run
files, and the skills engine file — consistent with each other, taken while the site runs.

Consistency: the copy is made under the store's writer lock (the lock every radar run takes to
publish), so no run can publish files or finish its database rows between the database snapshot
and the store copy. The database snapshot itself is transactionally consistent: SQLite's online
backup API, or pg_dump (one repeatable-read snapshot) for PostgreSQL. Web requests keep being
served meanwhile; only radar publishing waits.

A backup directory holds `database.sqlite3` or `database.pgdump`, `store/`, `engine.bin` (when
there is one) and `manifest.json` with row counts and checksums per table and a SHA-256 per file,
so `restore` can prove it restored exactly what was saved.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore could not be made; the message says why, for the operator."""


@dataclass(frozen=True)
class Report:
    directory: Path
    tables: int
    rows: int
    files: int

    def __str__(self) -> str:
        return f"{self.directory}: {self.tables} tables, {self.rows} rows, {self.files} files"


# --------------------------------------------------------------------------- fingerprints
def table_fingerprints(cursor: Any = None, tables: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Return {table: {"rows": n, "sha256": …}} of every table, rows read in full-row order.

    `cursor` defaults to Django's connection; the backup passes one on its snapshot instead, so the
    manifest describes exactly what was saved even while the site goes on writing.
    """
    if cursor is None:
        with connection.cursor() as django_cursor:
            return table_fingerprints(django_cursor, sorted(connection.introspection.table_names(django_cursor)))
    result = {}
    for table in tables or []:
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT * FROM {quoted} LIMIT 0")  # noqa: S608 - names from the catalogue
        order = ", ".join(str(i + 1) for i in range(len(cursor.description)))
        cursor.execute(f"SELECT * FROM {quoted} ORDER BY {order}")  # noqa: S608 - names from the catalogue
        digest = hashlib.sha256()
        rows = 0
        for row in cursor.fetchall():
            digest.update(repr(row).encode())
            rows += 1
        result[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return result


def file_fingerprints(root: Path, *, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Return {relative path: sha256} of every file under `root` (the writer lock file and the
    top-level folders in `skip` left out)."""
    found = {}
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name != ".lock"):
            relative = path.relative_to(root)
            if relative.parts[0] not in skip:
                found[str(relative)] = _sha256(path)
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------- backup
def backup(*, directory: Path) -> Report:
    """Write a consistent backup to `directory` (which must be empty or new); return what it holds."""
    from wendbaar.radar.pipeline.runs import store_lock

    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty; give a new directory for the backup.")
    directory.mkdir(parents=True, exist_ok=True)
    store = Path(settings.STORE_DIR)
    engine = Path(settings.ENGINE_PATH)
    with store_lock():
        database_file, tables = _dump_database(directory)
        shutil.copytree(store, directory / "store", ignore=shutil.ignore_patterns(".lock")) if store.is_dir() else (
            directory / "store"
        ).mkdir()
        if engine.is_file():
            shutil.copy2(engine, directory / "engine.bin")
    store_files = file_fingerprints(directory / "store")
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "database": database_file,
        "tables": tables,
        "store": store_files,
        "engine": _sha256(directory / "engine.bin") if (directory / "engine.bin").is_file() else None,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return Report(directory, len(tables), sum(t["rows"] for t in tables.values()), len(store_files))


def _dump_database(directory: Path) -> tuple[str, dict[str, dict[str, Any]]]:
    """Save a snapshot of the database; return its file name and the fingerprints of that snapshot."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        path = directory / "database.sqlite3"
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)  # the online backup API: a consistent copy while others write
        finally:
            target.close()
        # Read the copy with Django's type converters, as the restored database will be read.
        snapshot = sqlite3.connect(path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
        try:
            raw = snapshot.cursor()
            raw.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            return path.name, table_fingerprints(raw, sorted(row[0] for row in raw.fetchall()))
        finally:
            snapshot.close()
    if connection.vendor == "postgresql":
        # pg_dump and the fingerprints read one exported snapshot: the same state, to the row.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]  # type: ignore[index]
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot_id}",
                  f"--file={directory / 'database.pgdump'}", _pg_dbname()])  # fmt: skip
            tables = table_fingerprints(cursor, sorted(connection.introspection.table_names(cursor)))
        return "database.pgdump", tables
    raise BackupError(f"no backup for the {connection.vendor} database")


# --------------------------------------------------------------------------- restore
def restore(*, directory: Path) -> Report:
    """Replace the database, the store and the engine file with the backup in `directory`, then verify."""
    from wendbaar.radar.pipeline.runs import store_lock

    directory = Path(directory)
    manifest = _read_manifest(directory)
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"the backup is of a {manifest['vendor']} database; this site uses {connection.vendor}.")
    _verify_files(directory, manifest)  # a damaged backup is refused before anything is replaced
    store = Path(settings.STORE_DIR)
    engine = Path(settings.ENGINE_PATH)
    with store_lock():
        _load_database(directory / manifest["database"])
        _replace_tree(directory / "store", store)
        if manifest["engine"]:
            engine.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(directory / "engine.bin", engine.with_suffix(".restoring"))
            os.replace(engine.with_suffix(".restoring"), engine)
        elif engine.exists():
            engine.unlink()
    tables = table_fingerprints()
    wrong = [name for name, print_ in manifest["tables"].items() if tables.get(name) != print_]
    if wrong:
        raise BackupError(f"restored, but these tables differ from the backup: {', '.join(wrong)}")
    if file_fingerprints(store) != manifest["store"]:
        raise BackupError("restored, but the store differs from the backup")
    _forget_caches()
    return Report(directory, len(tables), sum(t["rows"] for t in tables.values()), len(manifest["store"]))


def _read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory} holds no {MANIFEST}: not a Wendbaar backup.")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: backup format {manifest.get('format')} is not supported (expected {FORMAT}).")
    return manifest


def _verify_files(directory: Path, manifest: dict[str, Any]) -> None:
    if not (directory / manifest["database"]).is_file():
        raise BackupError(f"{directory / manifest['database']} is missing.")
    if file_fingerprints(directory / "store") != manifest["store"]:
        raise BackupError(f"{directory / 'store'} does not match {MANIFEST}: the backup is damaged or incomplete.")
    if manifest["engine"] and _sha256(directory / "engine.bin") != manifest["engine"]:
        raise BackupError(f"{directory / 'engine.bin'} does not match {MANIFEST}.")


def _load_database(path: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)  # page by page into the live database, one transaction
        finally:
            source.close()
        return
    connection.close()  # pg_restore drops and recreates the tables: hold no locks on them
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          f"--dbname={_pg_dbname()}", str(path)])  # fmt: skip


def _replace_tree(source: Path, target: Path) -> None:
    """Put a copy of `source` where `target` is, keeping the old tree until the copy is complete."""
    staging = target.with_name(target.name + ".restoring")
    old = target.with_name(target.name + ".before-restore")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging)
    lock = target / ".lock"
    if target.exists():
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
    os.replace(staging, target)
    if (old / ".lock").exists() and not lock.exists():
        shutil.copy2(old / ".lock", lock)
    shutil.rmtree(old, ignore_errors=True)


def _forget_caches() -> None:
    from wendbaar.skills import services as skills

    skills.forget_taxonomy_version()


def _pg_dbname() -> str:
    """A libpq connection string for the current database (password through PGPASSWORD, not argv)."""
    s = connection.settings_dict
    parts = {"dbname": s["NAME"], "host": s.get("HOST") or "", "port": str(s.get("PORT") or ""),
             "user": s.get("USER") or ""}  # fmt: skip
    return " ".join(f"{key}={value}" for key, value in parts.items() if value)


def _run(command: list[str]) -> None:
    env = dict(os.environ)
    if connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, env=env)  # noqa: S603 - fixed argv
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client)") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} failed: {exc.stderr.strip()[:500]}") from exc
