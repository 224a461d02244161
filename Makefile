# Stemhulp: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/postgres)
STAMP := $(VENV)/.installed

.PHONY: run test test-fast test-sqlite test-postgres lint format migrations-check demo install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py loaddata fixtures/demo.json
	$(BIN)/python manage.py load_seed_demo

run: demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install test-sqlite test-postgres

test-fast: install
	$(BIN)/pytest -x

test-sqlite: install
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: install
	@if $(BIN)/python scripts/db_available.py "$(PG_URL)"; then \
		echo "== PostgreSQL at $(PG_URL) =="; \
		DATABASE_URL="$(PG_URL)" $(BIN)/pytest --create-db; \
	elif [ -n "$$CI" ]; then \
		echo "PostgreSQL is required in CI but does not answer at $(PG_URL)"; exit 1; \
	else \
		echo "== SKIPPED PostgreSQL: no server answers at $(PG_URL) (set DATABASE_URL) =="; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
