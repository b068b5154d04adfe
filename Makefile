# Two commands do everything (see README.md):
#   make lab    set up (first time only) and open JupyterLab on the start page
#   make test   set up (first time only) and run every test
# Both are idempotent: the pinned environment is reinstalled only when
# requirements-lock.txt or pyproject.toml change.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# Deprecated calls in notebook code fail the run instead of printing a warning.
KERNEL_WARNINGS := error::DeprecationWarning:__main__,error::FutureWarning:__main__

.PHONY: help setup lab test check notebooks bench handouts slides lock clean

help:
	@echo "make lab        open JupyterLab on notebooks/00_start_here.ipynb (sets up .venv first)"
	@echo "make test       run every test (sets up .venv first)"
	@echo "make check      check the CSV files in data/ (after editing them)"
	@echo "make notebooks  regenerate headers/navigation and re-run and save every notebook"
	@echo "make bench      measure speed and memory against the budgets (docs/benchmarks.md)"
	@echo "make handouts   write printable HTML handouts to build/handouts/"
	@echo "make slides     write reveal.js slide decks to build/slides/"

setup: $(STAMP)

$(STAMP): requirements-lock.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb --ServerApp.ip=127.0.0.1 $(ROOT_FLAG)

# axe-core (npm, pinned by tests/browser/package-lock.json) for the accessibility browser
# test; npm only fetches the JavaScript package, never a browser.
AXE := tests/browser/node_modules/axe-core/axe.min.js

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --prefix tests/browser --ignore-scripts --no-audit --no-fund --loglevel=error && touch $(AXE); \
	else echo "npm not found: tests/browser/test_accessibility.py cannot run axe-core"; fi

test: $(STAMP) $(AXE)
	PYTHONWARNINGS=$(KERNEL_WARNINGS) $(BIN)/python -m pytest $(PYTEST_ARGS)

check: $(STAMP)
	$(BIN)/python -m cambodia_russia check data

notebooks: $(STAMP)
	$(BIN)/python tools/notebooks.py build

bench: $(STAMP)
	$(BIN)/python tools/bench.py

handouts: $(STAMP)
	$(BIN)/python tools/handouts.py

slides: $(STAMP)
	$(BIN)/python tools/slides.py

# Regenerate the lock from the top-level requirements (maintainers only).
lock:
	rm -rf build/lock-venv && $(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install --quiet -r requirements.in
	{ head -n 2 requirements-lock.txt; build/lock-venv/bin/python -m pip freeze --exclude-editable | sort -f; } > requirements-lock.new
	mv requirements-lock.new requirements-lock.txt

clean:
	rm -rf $(VENV) build .pytest_cache
