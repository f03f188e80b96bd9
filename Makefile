# Nærvær — the two commands: `make demo` runs the system, `make test` passes the tests.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/naervaer
CHROMIUM ?= /usr/bin/chromium
DEMO_EMPLOYEES ?= 2500
PORT ?= 8000
export NAERVAER_VAR_DIR ?= $(CURDIR)/var

LINT_PATHS = src tests bench
APPS_WITH_TEXT = $(patsubst %/locale,%,$(wildcard src/naervaer/*/locale))

.PHONY: messages demo test test-sqlite test-postgres bench lint install assets clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[spark,test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

# The browser tests drive Debian's chromium (Playwright's own browser download does not work offline).
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	else \
		echo "The browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; \
	fi

assets: install
	@mkdir -p var
	$(BIN)/naervaer manage compiletranslations
	$(BIN)/naervaer manage collectstatic --noinput --verbosity 0

demo: assets
	$(BIN)/naervaer manage migrate --noinput --verbosity 0
	$(BIN)/naervaer demo generate --if-empty --employees $(DEMO_EMPLOYEES)
	NAERVAER_SECURE_COOKIES=false NAERVAER_2FA=off $(BIN)/naervaer serve --demo-logins --port $(PORT)

test: lint assets $(CHROMIUM)
	$(MAKE) test-sqlite test-postgres

test-sqlite:
	$(BIN)/pytest -q

# The Django tests again, on PostgreSQL. With CI=true an unreachable server fails the run.
test-postgres:
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -m django_db -p no:cacheprovider

# Update every app's Norwegian catalogue from the source (no line numbers, so parallel work merges).
messages: install
	@for app in $(APPS_WITH_TEXT); do \
		(cd $$app && $(CURDIR)/$(BIN)/naervaer manage makemessages -l nb --no-location --no-obsolete --no-wrap) || exit 1; \
		sed -i '/^"POT-Creation-Date: /d' $$app/locale/nb/LC_MESSAGES/django.po; \
	done

bench: install
	$(BIN)/python bench/run_all.py $(BENCH)

# The habits the project declares, checked: style and bugs (ruff), layout (ruff format), types
# (mypy: strict on rules/ and stats/) and the import contracts between packages (import-linter).
lint: install
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) node_modules var spark-warehouse metastore_db
