# Two commands: `make run` (set up and serve the demo council) and `make test` (the whole suite).
# Every target installs what it needs when it is missing, so a fresh clone needs only
# Python 3.11, Node 20 and npm.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM := /usr/bin/chromium

.PHONY: run setup test test-fast lint format bench frontend browser libreoffice clean

# The background worker (large exports, Wagtail's own tasks) runs beside the server and stops
# with it, on Ctrl+C or however the server ends.
# Links in emails and the demo's Site record follow the address the server is started on.
run: export PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
run: setup
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	trap 'exit 130' INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

setup: $(VENV)/.installed frontend

$(VENV)/.installed: requirements.txt
	@$(PYTHON) --version >/dev/null 2>&1 || { echo "Python 3.11 is needed: install it, or run 'make PYTHON=/path/to/python3.11'"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

# GOV.UK Frontend (pinned in package.json) compiled with the council's colours, served by the app.
frontend: static/build/portal.css static/build/govuk/govuk-frontend.min.js static/build/plotly/plotly-basic.min.js static/build/plotly/plotly.css

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/portal.css: static/src/portal.scss node_modules/.package-lock.json
	mkdir -p static/build
	npx --no-install sass --no-source-map --style=compressed --load-path=node_modules $< $@

static/build/govuk/govuk-frontend.min.js: node_modules/.package-lock.json
	rm -rf static/build/govuk
	mkdir -p static/build/govuk/assets
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/build/govuk/
	cp -r node_modules/govuk-frontend/dist/govuk/assets/images static/build/govuk/assets/

# plotly.js basic bundle (bar, pie, scatter): loaded only by pages that draw charts.
static/build/plotly/plotly-basic.min.js: node_modules/.package-lock.json
	mkdir -p static/build/plotly
	cp node_modules/plotly.js-basic-dist-min/plotly-basic.min.js $@

# plotly.js's stylesheet as a file, so chart pages need no inline <style> (strict CSP).
static/build/plotly/plotly.css: static/src/plotly-css.mjs node_modules/.package-lock.json
	mkdir -p static/build/plotly
	node static/src/plotly-css.mjs node_modules/plotly.js-basic-dist-min/plotly-basic.min.js $@

# Browser tests drive the system Chromium; install it when we can, never skip silently.
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Browser tests need Chromium at $(CHROMIUM): run 'sudo apt-get install -y chromium' and try again."; exit 1; \
	  fi; }
	@test -x $(CHROMIUM) || { echo "Chromium did not install at $(CHROMIUM)."; exit 1; }

# Tests check that a real spreadsheet program opens our exports; install LibreOffice Calc when we can.
libreoffice:
	@command -v soffice >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui >/dev/null; \
	  else \
	    echo "Tests need LibreOffice Calc: run 'sudo apt-get install -y libreoffice-calc-nogui' and try again."; exit 1; \
	  fi; }
	@command -v soffice >/dev/null || { echo "LibreOffice did not install (no soffice)."; exit 1; }

test: $(VENV)/.installed-test frontend browser libreoffice
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2

# The suite without the browser tests (CI runs this on SQLite as well).
test-fast: $(VENV)/.installed-test frontend libreoffice
	$(BIN)/pytest -n 2 -m "not browser"

# Benchmarks with targets from the issues; figures go in docs/performance.md.
bench: $(VENV)/.installed-test frontend browser
	$(BIN)/python bench/run.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules static/build staticfiles
