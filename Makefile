# ZEL — two commands: `make run` (serve the demo) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1:8000

.PHONY: run test install install-run serve lint bench loadtest messages clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Serving needs only requirements.txt; the tests and tools (requirements-dev.txt) only for `make test`.
$(VENV)/.installed-run: requirements.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

install-run: $(VENV)/.installed-run
install: $(VENV)/.installed

# The demo: demo mode (one-click demo logins, French error pages with DEBUG off) and a Celery worker
# on a file-based broker started with the server (manage.py rundemo), unless CELERY_BROKER_URL is set.
DEMO_ENV = ZEL_DEMO_MODE=$${ZEL_DEMO_MODE:-true} CELERY_BROKER_URL=$${CELERY_BROKER_URL:-filesystem://}

run: install-run
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compilemessages --ignore=.venv -v0 || true
	$(PY) manage.py seed_demo
	@echo "ZEL : http://$(HOST)/"
	$(DEMO_ENV) $(PY) manage.py rundemo $(HOST)

test: install
	$(PY) manage.py compilemessages --ignore=.venv -v0 || true
	$(PY) -m pytest $(PYTEST_ARGS)

# Style, the architecture contracts (import-linter) and the types of the pure modules (mypy).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

# Benchmarks on PostgreSQL (BENCH_DATABASE_URL; BENCH_SCALE=1M adds a million households).
bench: install
	$(PY) -m bench $(BENCH_ARGS)

# Locust, headless, 50 users for 60 s against gunicorn on 127.0.0.1 (the bench database).
loadtest: install
	$(PY) -m bench.loadtest $(LOADTEST_ARGS)

messages: install
	$(PY) manage.py makemessages -l fr -l en --ignore=.venv --ignore=var

clean:
	rm -rf $(VENV) db.sqlite3 var
