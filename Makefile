# Two commands: `make demo` (set up, solve the bundled demo ward) and `make test` (set up, run the tests).
# `make lint`: ruff (lint + format check) on models, api, scenarios and solver, mypy on models and solver (all of
# them, solver/search and solver/run.py included; CI runs it after the tests).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test lint bench clean

$(BIN)/turnus: pyproject.toml
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

setup: $(BIN)/turnus

demo: setup
	$(BIN)/turnus demo

# --dist loadgroup: tests marked xdist_group("ray") (tests/batch) share one worker, so one local Ray is started
test: setup
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup

LINTED := models api scenarios solver

lint: setup
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy models solver

bench: setup
	$(BIN)/python -m benchmarks.hotpath
	$(BIN)/python -m benchmarks.scaling --out benchmarks/SCALING.md

clean:
	rm -rf $(VENV) .pytest_cache
