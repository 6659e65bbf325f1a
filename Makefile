# storydiff: two commands set everything up.
#   make demo   creates .venv, installs storydiff, compares the bundled fictional story
#   make test   creates .venv, installs storydiff with test extras, runs the whole suite
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
CONSTRAINTS := constraints.txt
DEMO_DIR := examples/harbor-fire
OUT    ?= out

.PHONY: demo test bench lint venv install install-dev browser clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found; run 'make PYTHON=python3 ...'"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

# Stamp files make re-runs fast; they change when the pins or the package metadata change.
$(VENV)/.installed: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(PIP) install -q -c $(CONSTRAINTS) -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml $(CONSTRAINTS)
	$(PIP) install -q -c $(CONSTRAINTS) -e '.[dev,spark]'
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	@mkdir -p $(OUT)
	rm -f $(OUT)/demo.db
	$(BIN)/storydiff ingest --db $(OUT)/demo.db $(DEMO_DIR)
	$(BIN)/storydiff cluster --db $(OUT)/demo.db
	$(BIN)/storydiff stories --db $(OUT)/demo.db
	$(BIN)/storydiff compare $(DEMO_DIR) --format md -o $(OUT)/demo-report.md
	$(BIN)/storydiff compare $(DEMO_DIR) --format html -o $(OUT)/demo-report.html
	$(BIN)/storydiff compare $(DEMO_DIR) --format json -o $(OUT)/demo-report.json
	@cat $(OUT)/demo-report.md
	@echo
	@echo "Reports written to $(OUT)/demo-report.{md,html,json}; store in $(OUT)/demo.db (try: $(BIN)/storydiff serve --db $(OUT)/demo.db)"

# Browser tests need Debian's chromium; install it when missing (CI machines start with nothing).
browser:
	@test -x /usr/bin/chromium || { (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "make: could not install chromium; browser tests will skip"; }

test: install-dev browser lint
	$(BIN)/python -m pytest -q -ra

bench: install-dev
	$(BIN)/python bench/run_all.py

# ruff (lint and format) over everything, mypy over src/ (settings in pyproject.toml).
lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache build src/*.egg-info
