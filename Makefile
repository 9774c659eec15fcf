# Shahrak: the two commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := demo

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SHAHRAK := $(BIN)/shahrak
VENDOR := var/vendor
NM := node_modules
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint format serve lock messages system-packages clean

# --- installation -----------------------------------------------------------
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Runtime and test environments are separate stamps so `make demo` never pulls test tools.
$(VENV)/.runtime: requirements/runtime.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/runtime.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev: requirements/dev.txt $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@

$(NM)/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Only the files pages and PDFs use, copied from node_modules into an ignored folder that
# Django's static finders serve (never a CDN, never committed).
$(VENDOR)/.copied: $(NM)/.installed
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/vazirmatn/fonts $(VENDOR)/chartjs $(VENDOR)/htmx $(VENDOR)/jalalidatepicker
	cp $(NM)/vazirmatn/Vazirmatn-font-face.css $(NM)/vazirmatn/OFL.txt $(VENDOR)/vazirmatn/
	cp -r $(NM)/vazirmatn/fonts/webfonts $(NM)/vazirmatn/fonts/ttf $(VENDOR)/vazirmatn/fonts/
	cp $(NM)/chart.js/dist/chart.umd.min.js $(NM)/chart.js/dist/chart.umd.min.js.map $(NM)/chart.js/LICENSE.md $(VENDOR)/chartjs/
	cp $(NM)/htmx.org/dist/htmx.min.js $(NM)/htmx.org/LICENSE $(VENDOR)/htmx/
	cp $(NM)/@majidh1/jalalidatepicker/dist/jalalidatepicker.min.js $(NM)/@majidh1/jalalidatepicker/dist/jalalidatepicker.min.css $(VENDOR)/jalalidatepicker/
	touch $@

# Debian packages the tests need (browser, PDF text extraction) and the system user the
# throwaway PostgreSQL runs as when tests run as root.
system-packages:
	@scripts/install-system-packages

# The background worker (large imports) runs beside the web server for as long as it does:
# started in the background, stopped when the server stops (Ctrl+C, or an error).
WITH_WORKER = $(SHAHRAK) db_worker --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null || true' EXIT;

# --- the two commands ---------------------------------------------------------
demo: $(VENV)/.runtime $(VENDOR)/.copied
	$(SHAHRAK) migrate --noinput -v 0
	$(SHAHRAK) collectstatic --noinput -v 0
	$(SHAHRAK) demo
	@echo "Serving Shahrak on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(WITH_WORKER) SHAHRAK_HTTPS=false $(BIN)/gunicorn shahrak.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile - --log-level warning

test: $(VENV)/.dev $(VENDOR)/.copied system-packages lint
	$(BIN)/python -m pytest -n 2 --dist loadfile -q -p no:cacheprovider --db=sqlite
	$(BIN)/python -m pytest -n 2 --dist loadfile -q -p no:cacheprovider --db=postgres

# --- developer helpers ------------------------------------------------------------
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

serve: $(VENV)/.runtime $(VENDOR)/.copied
	$(WITH_WORKER) SHAHRAK_DEBUG=true $(SHAHRAK) runserver $(HOST):$(PORT)

# Re-pin every Python dependency (with hashes) from pyproject.toml.
lock: $(VENV)/.dev
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -q -o requirements/runtime.txt --custom-compile-command "make lock"
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -q -o requirements/dev.txt --custom-compile-command "make lock"

# Extract and compile the Persian catalogue (needs GNU gettext).
messages: $(VENV)/.dev
	cd src/shahrak && ../../$(SHAHRAK) makemessages -l fa --no-obsolete --ignore "*/migrations/*"
	cd src/shahrak && ../../$(SHAHRAK) compilemessages -l fa

clean:
	rm -rf $(VENV) $(NM) $(VENDOR) var/static
