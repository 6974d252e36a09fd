# ZEL — two commands: `make run` (serve the demo) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1:8000

.PHONY: run test install serve lint bench loadtest messages clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compilemessages --ignore=.venv -v0 || true
	$(PY) manage.py seed_demo
	@echo "ZEL : http://$(HOST)/"
	$(PY) manage.py runserver $(HOST)

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
