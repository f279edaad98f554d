# Wendbaar — `make demo` sets up and runs the demo; `make test` sets up and runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint typecheck docs bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
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
