#!/usr/bin/env bash
# The whole test suite: lint, types, tests on SQLite and on PostgreSQL, browser tests in Chromium.
# Fails when any step fails. CI runs this through `make test` (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export PYTHONDONTWRITEBYTECODE=1

step() { printf '\n== %s\n' "$*"; }

step "ruff"
$BIN/ruff check src tests bench

step "mypy"
$BIN/mypy

step "tests on SQLite"
$BIN/pytest -n 2 -m "not browser" -p no:cacheprovider

step "tests on PostgreSQL"
PG_URL="${WENDBAAR_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
if $BIN/python -c "import psycopg, sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$PG_URL" 2>/dev/null; then
  # Only the tests that use the database: the others just ran on SQLite (tests/conftest.py).
  WENDBAAR_DATABASE_URL="$PG_URL" WENDBAAR_TEST_DATABASE_TESTS_ONLY=1 $BIN/pytest -n 2 -m "not browser" -p no:cacheprovider
elif [ "${WENDBAAR_REQUIRE_POSTGRES:-0}" = "1" ]; then
  echo "PostgreSQL at $PG_URL is not reachable and WENDBAAR_REQUIRE_POSTGRES=1" >&2
  exit 1
else
  echo "SKIPPED: no PostgreSQL reachable at $PG_URL (set WENDBAAR_TEST_POSTGRES_URL; CI sets WENDBAAR_REQUIRE_POSTGRES=1)"
fi

step "browser tests in Chromium"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
if command -v chromium >/dev/null 2>&1; then
  $BIN/pytest -n 2 -m browser -p no:cacheprovider
elif [ "${CI:-}" = "true" ]; then
  echo "chromium is missing and could not be installed" >&2
  exit 1
else
  echo "SKIPPED: Debian's chromium is not installed (sudo apt-get install chromium) — CI always runs these"
fi
