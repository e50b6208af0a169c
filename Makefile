# Every target creates .venv and installs what it needs by itself.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench docs lint clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/activities validate
	$(BIN)/activities plan --out .activities/demo-plan.json
	$(BIN)/activities apply .activities/demo-plan.json
	$(BIN)/activities plan --detailed-exitcode

# One test process per core (pytest-xdist), at most 4; each file's tests stay in one process,
# so a module's emulator or hooks environment is set up once. docs/development.md has figures.
PYTEST_PARALLEL ?= -n auto --maxprocesses 4 --dist loadfile

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_PARALLEL)
	$(BIN)/ruff check framework tests bench .github/scripts
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/run.py

docs: $(STAMP)
	$(BIN)/python -m framework.reference docs/reference
	$(BIN)/python -m framework.validators framework/core_schemas.py

lint: $(STAMP)
	$(BIN)/ruff check framework tests bench .github/scripts
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .activities .pytest_cache .mypy_cache .ruff_cache
