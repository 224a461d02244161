# Stemhulp: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/postgres)
STAMP := $(VENV)/.installed
# Interface translations: compiled from the .po files with Babel (no GNU gettext needed).
MESSAGES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

.PHONY: run test test-fast test-sqlite test-postgres lint format migrations-check demo install clean messages page-weight bench-stats

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

messages: $(MESSAGES)

locale/%.mo: locale/%.po $(STAMP)
	$(BIN)/python scripts/compile_messages.py

demo: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py loaddata fixtures/demo.json
	$(BIN)/python manage.py load_seed_demo

run: demo messages
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install test-sqlite test-postgres

# Without the browser tests (tests/browser), which `make test` runs.
test-fast: install messages
	$(BIN)/pytest -x -m "not browser"

test-sqlite: install messages
	env -u DATABASE_URL $(BIN)/pytest -rs

# The browser tests run once, on SQLite: they exercise the pages, not the database.
test-postgres: install messages
	@if $(BIN)/python scripts/db_available.py "$(PG_URL)"; then \
		echo "== PostgreSQL at $(PG_URL) =="; \
		DATABASE_URL="$(PG_URL)" $(BIN)/pytest --create-db -m "not browser"; \
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

page-weight: install messages
	$(BIN)/python scripts/page_weight.py

# Result statistics at national scale: 1,000,000 simulated completions on DATABASE_URL (or a
# temporary SQLite file); prints insert rate, aggregate time, export time and peak memory.
bench-stats: install
	$(BIN)/python scripts/bench_stats.py --count $(or $(COUNT),1000000)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache test-artifacts
	rm -f $(MESSAGES)

.PHONY: bench-serve bench-launch

# Stemhulp against a bare Django view under the same gunicorn set-up: req/s and ratios in one run
# (scripts/bench_serve.py; DURATION seconds per URL, CONNECTIONS, WEB_CONCURRENCY).
bench-serve: install messages
	$(BIN)/python scripts/bench_serve.py

# Launch day: voters doing the whole quiz on PostgreSQL, two app processes sharing Redis
# (scripts/loadtest.py; VOTERS, CONCURRENCY, DURATION, WEB_CONCURRENCY, DATABASE_URL, REDIS_URL).
bench-launch: install messages
	$(BIN)/python scripts/loadtest.py
