# giamngheo — two commands: `make run` (set up everything and start) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/giamngheo
# The PostgreSQL pass's migrated template (make test builds it, then drops it): PG_URL's database name + _template.
PG_TEMPLATE := $(lastword $(subst /, ,$(PG_URL)))_template

.PHONY: run test install runtime-deps system-deps lint layers types migrations-check translations translations-check test-sqlite test-postgres checks test-template bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@# django-ninja's fallback docs pages load Swagger UI/ReDoc from a CDN; ours is vendored (api/docs.html),
	@# so they are removed: nothing installed here can point a browser at the internet.
	rm -f $(VENV)/lib/python*/site-packages/ninja/templates/ninja/*_cdn.html
	@mkdir -p data
	touch $(STAMP)

install: $(STAMP)

APT := apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq
# Pango for WeasyPrint's PDFs, installed when missing (needs root; a desktop usually has it already).
runtime-deps:
	@ldconfig -p | grep -q libpangoft2-1.0 && ldconfig -p | grep -q libharfbuzz-subset || \
		($(APT) libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)

# gettext (translation checks), Debian's chromium (browser tests), LibreOffice Writer and poppler (the Word
# documents as LibreOffice lays them out, read back as text), installed when missing.
system-deps: runtime-deps
	@command -v msgfmt >/dev/null || ($(APT) gettext)
	@test -x /usr/bin/chromium || ($(APT) chromium)
	@command -v soffice >/dev/null || ($(APT) libreoffice-writer-nogui)
	@command -v pdftotext >/dev/null || ($(APT) poppler-utils)

# The background worker (imports) runs beside the web server and stops with it.
run: install runtime-deps
	@mkdir -p data
	$(BIN)/giamngheo migrate --noinput
	$(BIN)/giamngheo demo
	@echo "Mở / open http://$(HOST):$(PORT)/"
	@$(BIN)/giamngheo db_worker >> data/worker.log 2>&1 & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(BIN)/giamngheo runserver --noreload $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .

# The layers of the design notes (pyproject's [tool.importlinter]): apps import only downwards, and domain
# modules never import interface modules.
layers: install
	$(BIN)/lint-imports

# mypy with django-stubs (pyproject's [tool.mypy]): the application and settings, tests and migrations aside.
types: install
	$(BIN)/mypy giamngheo config

migrations-check: install
	@mkdir -p data
	$(BIN)/giamngheo makemigrations --check --dry-run

translations: install
	cd giamngheo && ../$(BIN)/django-admin makemessages -l vi --no-obsolete --no-location --settings=config.settings --pythonpath=..
	$(BIN)/python scripts/po_fill.py giamngheo/locale/vi/pending/*.json
	cd giamngheo && ../$(BIN)/django-admin compilemessages -l vi --settings=config.settings --pythonpath=..

translations-check: install
	$(BIN)/python scripts/check_translations.py

# Two pytest-xdist workers (one per core), each with its own test database; TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -q -n $(TEST_WORKERS)

test-sqlite: install system-deps
	env -u DATABASE_URL FAST_PASSWORD_HASHER=1 $(PYTEST)

# PostgreSQL when one answers (CI sets REQUIRE_POSTGRES=1: then it must answer).
# Under make test, each worker's database is a copy of the template built meanwhile (GIAMNGHEO_TEST_TEMPLATE),
# dropped at the end whatever the outcome.
test-postgres: install
	@if $(BIN)/python scripts/pg_available.py "$(PG_URL)"; then \
		echo "== PostgreSQL =="; DATABASE_URL="$(PG_URL)" FAST_PASSWORD_HASHER=1 $(PYTEST); status=$$?; \
		if [ -n "$$GIAMNGHEO_TEST_TEMPLATE" ]; then \
			$(BIN)/python scripts/pg_test_template.py drop "$(PG_URL)" "$$GIAMNGHEO_TEST_TEMPLATE"; fi; \
		exit $$status; \
	elif [ -n "$$REQUIRE_POSTGRES" ]; then echo "PostgreSQL is required but not reachable at $(PG_URL)"; exit 1; \
	else echo "PostgreSQL not reachable at $(PG_URL): skipped (CI always runs it)"; fi

checks: lint layers types migrations-check translations-check

# The PostgreSQL pass's template: every migration applied from nothing (scripts/pg_test_template.py).
test-template: install
	@$(BIN)/python scripts/pg_test_template.py build "$(PG_URL)" "$(PG_TEMPLATE)"

# The checks and the template side by side (the checks leave a core idle). The SQLite pass runs every test;
# the PostgreSQL pass leaves out those that touch no database (they ran in the first:
# giamngheo/testing/passes.py says which).
test: install system-deps
	$(MAKE) --no-print-directory -j2 --output-sync=target checks test-template
	@echo "== SQLite =="
	GIAMNGHEO_TEST_PASS=first $(MAKE) --no-print-directory test-sqlite
	GIAMNGHEO_TEST_PASS=second GIAMNGHEO_TEST_TEMPLATE=$(PG_TEMPLATE) $(MAKE) --no-print-directory test-postgres

bench: install
	$(BIN)/python bench/classify_bench.py

clean:
	rm -rf $(VENV) data/*.sqlite3*
