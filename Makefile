# helloITA Brand Hub — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
export DJANGO_SETTINGS_MODULE ?= brandhub.settings.dev

.PHONY: help install install-test setup run test test-unit test-e2e lint format bench messages compose-config clean

help:
	@echo "make run    set up (venv, migrate, translations, static, demo data) and run web + worker + beat on :$(PORT)"
	@echo "make test   install test dependencies and run the whole suite (lint, unit, browser)"
	@echo "make bench  run the benchmarks under tests/bench and print their figures"

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py rebuild_api_documents
	$(PY) manage.py compile_translations
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py prepare_fonts
	$(PY) manage.py seed_demo

run: setup
	$(PY) manage.py runall --port $(PORT)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: lint test-unit test-e2e

# Tests run in TEST_WORKERS processes (pytest-xdist; each with its own test database, var folder and Redis number).
TEST_WORKERS ?= 2

test-unit: install-test
	$(PY) manage.py compile_translations --verbosity 0
	DJANGO_SETTINGS_MODULE=brandhub.settings.test $(VENV)/bin/pytest tests --ignore=tests/e2e --ignore=tests/bench -p no:playwright -n $(TEST_WORKERS)

# Browser tests need Chromium. Without it they are skipped LOUDLY on a developer machine; in CI they must run.
test-e2e: install-test
	@if [ -x "$(CHROMIUM)" ]; then \
		DJANGO_SETTINGS_MODULE=brandhub.settings.test DJANGO_ALLOW_ASYNC_UNSAFE=true \
			$(VENV)/bin/pytest tests/e2e -n $(TEST_WORKERS); \
	elif [ "$${CI:-}" = "true" ]; then \
		echo "!!! CI: Chromium not found at $(CHROMIUM): browser tests cannot run." >&2; exit 1; \
	else \
		echo ""; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!!! Chromium not found at $(CHROMIUM): the BROWSER TESTS DID NOT RUN.              "; \
		echo "!!! Install it (apt-get install -y chromium) or set CHROMIUM=/path/to/chromium.   "; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo ""; \
	fi

# The API benchmark loads gunicorn with wrk; with REDIS_URL (production-like) the API's fast path is on.
# The QR redirect benchmark (tests/bench/tracking.py) needs PostgreSQL + Redis (DATABASE_URL, REDIS_URL; n/a
# without them); BENCH_QUICK=1 shortens it (15 s instead of 60 s at 1,000 scans/s). The Double 11 midnight
# (tests/bench/double11.py: 10,000 items due at once, 2 Celery workers, a redis-server of its own; ~10 min) needs
# them too; BENCH_QUICK=1 makes it 2,000 items, DOUBLE11_SKIP=1 leaves it out. The results data set (results_data.py:
# ~3 million facts, COPY) and the partner push (results_push.py: 100 × 10,000 facts over HTTP) need PostgreSQL.
bench: install-test
	@command -v wrk >/dev/null || (apt-get install -y -qq wrk >/dev/null 2>&1) || echo "!!! wrk missing: apt-get install -y wrk"
	DJANGO_SETTINGS_MODULE=brandhub.settings.test $(PY) -m tests.bench

messages: install-test
	$(PY) manage.py makemessages --locale it --locale zh_Hans --ignore '.venv/*' --ignore 'var/*' --no-obsolete

compose-config:
	docker compose config --quiet

clean:
	rm -rf var/static var/test-media
