# Relance: the two commands are `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
RELANCE := $(BIN)/relance
PYTEST := $(BIN)/pytest
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432
PG_TEST_DB ?= relance_test_$(shell echo $$PPID)
PORT ?= 8000
SITE_URL ?= http://127.0.0.1:$(PORT)
DEMO_ENV := DATABASE_URL=sqlite:///$(CURDIR)/var/relance.sqlite3 SITE_URL=$(SITE_URL)

.PHONY: install demo serve serve-prod test lint test-postgres test-api test-browser test-integration bench messages clean help

help:
	@echo "make demo           install, migrate, load the demo company, serve on http://127.0.0.1:8000 (PORT=8010: another port)"
	@echo "make serve-prod     the production stack (gunicorn, Celery worker and beat) on http://127.0.0.1:8000"
	@echo "make test           ruff, then the whole test suite on SQLite"
	@echo "make test-postgres  the suite on the local PostgreSQL (throwaway database)"
	@echo "make test-api       schemathesis against the live API on the local PostgreSQL"
	@echo "make test-browser   browser tests in Chromium (/usr/bin/chromium)"
	@echo "make test-integration  Celery workers on Redis + PostgreSQL, one killed mid-run"
	@echo "make bench          benchmarks (imports at 100k and 1M items, pages, load under gunicorn)"
	@echo "make install        only the virtualenv and the installed package"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

demo: install
	$(DEMO_ENV) $(RELANCE) migrate --no-input -v 0
	$(DEMO_ENV) $(RELANCE) setup
	$(DEMO_ENV) $(RELANCE) demo --if-empty
	$(DEMO_ENV) $(RELANCE) runserver 127.0.0.1:$(PORT)

# The production stack on this machine (docs/deploy.md): DEBUG off, gunicorn, whitenoise with
# hashed static files, a Celery worker and beat on Redis (SERVE_BROKER_URL= to go without).
# Local only: no TLS here, so no HTTPS redirect and cookies sent over plain HTTP.
SERVE_DATABASE_URL ?= sqlite:///$(CURDIR)/var/relance.sqlite3
SERVE_BROKER_URL ?= redis://127.0.0.1:6379/0
SERVE_CACHE_URL ?= $(if $(SERVE_BROKER_URL),redis://127.0.0.1:6379/1,)
SERVE_ENV := DATABASE_URL=$(SERVE_DATABASE_URL) DEBUG=false ALLOWED_HOSTS=127.0.0.1,localhost \
	SECURE_SSL_REDIRECT=false SECURE_COOKIES=false STATIC_MANIFEST=true \
	CELERY_BROKER_URL=$(SERVE_BROKER_URL) CACHE_URL=$(SERVE_CACHE_URL) SECRET_KEY=$$(cat var/secret_key) SITE_URL=$(SITE_URL)

serve-prod: install
	@test -s var/secret_key || (mkdir -p var && umask 077 && \
		$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key)
	$(SERVE_ENV) $(RELANCE) migrate --no-input -v 0
	$(SERVE_ENV) $(RELANCE) setup
	$(SERVE_ENV) $(RELANCE) collectstatic --no-input -v 0
	$(SERVE_ENV) $(RELANCE) serve --bind 127.0.0.1:$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(RELANCE) makemigrations --check --dry-run -v 0

test: install lint
	$(PYTEST) -n 2 -q

test-postgres: $(STAMP)
	DATABASE_URL=$(PG_URL)/$(PG_TEST_DB) $(PYTEST) -n 2 -q

test-api: $(STAMP)
	DATABASE_URL=$(PG_URL)/$(PG_TEST_DB) $(PYTEST) -q -m api_fuzz -p no:xdist tests/api

test-browser: install
	$(PYTEST) -q -m browser -p no:xdist

test-integration: $(STAMP)
	$(PYTEST) -q -m integration -p no:xdist tests/integration

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# Every catalogue under src/relance/locale is refreshed and compiled; a new language starts
# with `makemessages -l CODE` once (then translate it: tests fail on empty or fuzzy entries).
LOCALES = $(notdir $(wildcard src/relance/locale/*))
messages: $(STAMP)
	cd src/relance && ../../$(RELANCE) makemessages $(addprefix -l ,$(LOCALES)) --no-obsolete -i "demo/*" && ../../$(RELANCE) compilemessages $(addprefix -l ,$(LOCALES))

clean:
	rm -rf $(VENV) var build *.egg-info
