# Two commands on a fresh machine: `make report` and `make test`.
# Both build .venv first (torch pinned to the CPU wheel *before* anything that
# depends on it, so pip never pulls the multi-GB CUDA build).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: venv report test lint eval bench clean-venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

report: venv
	$(BIN)/factcheck check seeds/ --out reports/seeds --no-cache

# The tests run after the lint: CI (.ci/run) calls `make test` and fails on either.
test: venv lint
	$(BIN)/python -m pytest -q

# ruff (lint and format check) and mypy, configured in pyproject.toml.
lint: venv
	$(BIN)/ruff check factcheck tests
	$(BIN)/ruff format --check factcheck tests
	$(BIN)/mypy

eval: venv
	$(BIN)/factcheck eval

bench: venv
	$(BIN)/factcheck bench

clean-venv:
	rm -rf $(VENV)
