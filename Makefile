# Wendbaar — `make demo` sets up and runs the demo; `make test` sets up and runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint typecheck docs bench clean lock audit security

setup: $(STAMP)

# Exactly what was checked: every dependency pinned with its hashes in requirements.lock (`make lock`).
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: setup
	$(BIN)/wendbaar demo

test: setup
	bash scripts/test.sh

lint: setup
	$(BIN)/ruff check src tests bench

typecheck: setup
	$(BIN)/mypy

docs: setup
	$(BIN)/wendbaar settings_docs
	$(BIN)/wendbaar openapi

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# Re-resolve requirements.lock from pyproject.toml (needs the package index).
lock: setup
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--python-platform x86_64-manylinux_2_28 -o requirements.lock

# Known vulnerabilities in the locked dependencies. Needs network access to an advisory database
# (PyPI / OSV), so it is not part of `make test` or CI; run it where the network allows.
audit: setup
	$(BIN)/pip-audit --strict --require-hashes -r requirements.lock

# bandit over src/, every finding fixed or justified (also a test: tests/quality/test_bandit.py).
security: setup
	$(BIN)/pytest -p no:cacheprovider tests/quality/test_bandit.py tests/web/test_security.py
