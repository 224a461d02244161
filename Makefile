# Stemhulp: `make run` serves the demo, `make test` runs the whole suite, `make serve` is production.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/postgres)
# Installs use the exact versions of the lock files: requirements.lock is what running needs
# (`run`, `serve`), requirements-dev.lock adds what the tests need. `make lock` remakes both.
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
# Interface translations: compiled from the .po files with Babel (no GNU gettext needed).
MESSAGES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

.PHONY: run serve lock install-run test test-fast test-sqlite test-postgres lint format migrations-check demo install clean messages page-weight bench-stats

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(RUN_STAMP)

# requirements.lock is resolved within requirements-dev.lock, so this also installs the runtime set.
$(STAMP): requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP) $(RUN_STAMP)

install-run: $(RUN_STAMP)

install: $(STAMP)

# Resolves pyproject.toml for Python 3.11+ on any platform, keeping the pinned versions that
# still fit (`make lock UPGRADE=1` takes the newest allowed). Needs PyPI; installs uv for it.
LOCK := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --quiet \
	--annotation-style line --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet "uv>=0.9,<1"
	$(LOCK) --extra dev -o requirements-dev.lock
	$(LOCK) --constraint requirements-dev.lock -o requirements.lock

messages: $(MESSAGES)

locale/%.mo: locale/%.po $(RUN_STAMP)
	$(BIN)/python scripts/compile_messages.py

demo: install-run
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py loaddata fixtures/demo.json
	$(BIN)/python manage.py index_manifestos
	$(BIN)/python manage.py load_seed_demo
	$(BIN)/python manage.py load_ballot_demo
	$(BIN)/python manage.py freeze_published

# The demo is served by gunicorn, the server of `make serve` (runserver never serves production;
# for development with automatic reloading use `.venv/bin/python manage.py runserver`). DEBUG is
# on, so WhiteNoise serves the static files from their source folders. One process with threads:
# its memory cache is the only cache, so an edit in the admin shows on the next request.
run: demo messages
	DEBUG=true $(BIN)/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) \
		--workers 1 --threads 4

# Production: DEBUG off, everything else from the environment (README, "Running in production").
# It does not migrate: with several app nodes, `manage.py migrate` is one step of a deploy, run
# once before the new code serves; until then this refuses to start.
serve:
	@if [ -z "$$SECRET_KEY$$SECRET_KEY_FILE" ] || [ -z "$$ALLOWED_HOSTS" ]; then \
		echo "make serve: set SECRET_KEY (or SECRET_KEY_FILE) and ALLOWED_HOSTS in the environment"; \
		exit 1; \
	fi
	@$(MAKE) --no-print-directory install-run messages
	DEBUG=false $(BIN)/python manage.py check --deploy
	@DEBUG=false $(BIN)/python manage.py migrate --check >/dev/null || { \
		echo "make serve: the database does not answer or has unapplied migrations (run $(BIN)/python manage.py migrate)"; \
		exit 1; \
	}
	DEBUG=false $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	DEBUG=false exec $(BIN)/gunicorn --config gunicorn.conf.py

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
# temporary SQLite file); prints insert rate, aggregate and release time, public read and admin
# page times, export rates (CSV, JSON, XLSX, Parquet) and peak memory.
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
