# La Fabrique des Transitions — developer commands.
#
#   make run     set up, migrate, seed the demo data and serve on http://127.0.0.1:$(PORT)
#   make test    the whole test suite, in parallel (PYTEST_ARGS="-k charter -x" passes options to pytest,
#                TEST_WORKERS=0 runs it in one process)
#
# Without DATABASE_URL, `fabrique.devdb` starts an embedded PostgreSQL (data in .pgdata/) for the
# duration of the command and stops it afterwards.

PORT ?= 8000
PYTEST_ARGS ?=
# pytest-xdist processes: one per CPU, at most 8 (each takes two of Redis's 16 databases, tests/environment.py).
# `--dist worksteal`: a process that runs out of tests takes half of another's queue. With `load`, the browser
# tests (sorted last, a few seconds each) queued up on one process while the other sat idle for 4 minutes.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ "$$n" -gt 8 ] && n=8; echo $$n)
VENV := .venv
PYTHON := $(VENV)/bin/python
PIP := $(PYTHON) -m pip
DEVDB := $(PYTHON) -m fabrique.devdb --
# Written once the requirements are installed; rebuilt when requirements.txt changes.
INSTALLED := $(VENV)/.requirements-installed
# The official reference data (npm package @etalab/decoupage-administratif, pinned in package.json): written
# once installed; rebuilt when package.json changes or the package went missing.
NPM_INSTALLED := node_modules/.package-json-installed
REFERENCE_PACKAGE := node_modules/@etalab/decoupage-administratif/data/communes.json

.DEFAULT_GOAL := help
.PHONY: help install run test lint worker beat requirements messages FORCE

help:
	@echo "make run           serve the platform with demo data on http://127.0.0.1:$(PORT) (PORT=...)"
	@echo "make test          run the whole test suite in parallel (PYTEST_ARGS=..., TEST_WORKERS=...)"
	@echo "make lint          ruff check"
	@echo "make messages      update and compile the English translation (locale/en, needs gettext)"
	@echo "make worker        Celery worker (needs REDIS_URL or CELERY_BROKER_URL)"
	@echo "make beat          Celery beat (periodic tasks)"
	@echo "make install       create $(VENV), install requirements.txt and the npm reference data"
	@echo "make requirements  recompile requirements.txt and requirements.prod.txt from pyproject.toml"

$(PYTHON):
	python3.11 -m venv $(VENV)

$(INSTALLED): requirements.txt | $(PYTHON)
	$(PIP) install --disable-pip-version-check -q -r requirements.txt
	@touch $@

$(NPM_INSTALLED): package.json $(if $(wildcard $(REFERENCE_PACKAGE)),,FORCE)
	npm install --no-audit --no-fund --no-package-lock
	@touch $@

FORCE:

install: $(INSTALLED) $(NPM_INSTALLED)

run: export DEBUG = 1
run: $(INSTALLED) $(NPM_INSTALLED)
	$(DEVDB) sh -c '\
		$(PYTHON) manage.py migrate --noinput && \
		$(PYTHON) manage.py seed_demo && \
		echo && echo "==> La Fabrique des Transitions : http://127.0.0.1:$(PORT)/" && echo && \
		exec $(PYTHON) manage.py runserver 127.0.0.1:$(PORT)'

test: $(INSTALLED) $(NPM_INSTALLED)
	$(DEVDB) $(PYTHON) -m pytest -n $(TEST_WORKERS) --dist worksteal --durations=20 $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .

# Extracts the marked strings into locale/en/LC_MESSAGES/django.po, then compiles django.mo (both are
# committed). Translate any new or `#, fuzzy` entry of the .po and run it again: tests/test_i18n.py fails
# while a msgid lacks its English msgstr or the .mo is stale. Neither command touches the database.
messages: export DEBUG = 1
messages: export DATABASE_URL ?= postgres://unused@127.0.0.1:5432/unused
messages: $(INSTALLED)
	$(PYTHON) manage.py makemessages -l en --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench
	$(PYTHON) manage.py compilemessages -l en --ignore=.venv

worker: $(INSTALLED)
	$(DEVDB) $(VENV)/bin/celery -A fabrique worker -l info

beat: $(INSTALLED)
	$(DEVDB) $(VENV)/bin/celery -A fabrique beat -l info

# Pins every dependency of pyproject.toml: requirements.txt with the dev extra (make install, CI), then
# requirements.prod.txt without it (the image, Dockerfile), constrained by the first so that both files pin
# the same versions. The --no-emit-* flags keep any machine-specific package index or mirror out of the
# committed files.
PIP_COMPILE_FLAGS := --quiet --strip-extras --no-emit-index-url --no-emit-trusted-host --no-emit-find-links
requirements: | $(PYTHON)
	$(PIP) install --disable-pip-version-check -q pip-tools
	$(VENV)/bin/pip-compile $(PIP_COMPILE_FLAGS) --extra dev -o requirements.txt pyproject.toml
	$(VENV)/bin/pip-compile $(PIP_COMPILE_FLAGS) --constraint requirements.txt \
		-o requirements.prod.txt pyproject.toml
