# Two commands do everything (see README.md):
#   make lab    set up (first time only) and open JupyterLab on the start page
#   make test   set up (first time only) and run every test
# Both are idempotent: a pinned environment is reinstalled only when its lock or
# pyproject.toml change. `make lab` installs the runtime lock only (requirements/runtime.lock);
# `make test` adds the test and maintainer tools (requirements/dev.lock) to the same .venv.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
# npm packages the tests need (never a browser): the hub's proxy and reveal.js for the slides.
HUB_NPM := tools/hub/node_modules/.installed
REVEAL_NPM := tools/reveal/node_modules/.installed
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# Deprecated calls in notebook code fail the run instead of printing a warning.
KERNEL_WARNINGS := error::DeprecationWarning:__main__,error::FutureWarning:__main__

.PHONY: help setup setup-dev lab test test-fast check notebooks bench handouts slides lock clean answer-keys student-edition hub hub-load worksheets screenshots

help:
	@echo "make lab        open JupyterLab on notebooks/00_start_here.ipynb (sets up .venv first)"
	@echo "make test       run every test (sets up .venv first)"
	@echo "make test-fast  the edit loop: unit tests and doctests, no browser, hub, fuzzing or notebook runs"
	@echo "make check      check the CSV files in data/ (after editing them)"
	@echo "make notebooks  regenerate headers/navigation and re-run and save every notebook"
	@echo "make bench      measure speed and memory against the budgets (docs/benchmarks.md; BENCH_ARGS=--skip-suite to leave out the test suite timings)"
	@echo "make handouts   write printable HTML handouts to build/handouts/"
	@echo "make slides     write reveal.js slide decks to build/slides/"
	@echo "make worksheets write a student worksheet (HTML and A4 PDF, at most 4 pages) per lesson to build/worksheets/"
	@echo "make answer-keys      write printable answer keys, one per lesson, to build/answer-keys/ (teachers)"
	@echo "make student-edition  write the collection without teacher guide or solutions to build/student-edition/"
	@echo "make screenshots  write one screenshot per notebook after Run All to docs/screenshots/"
	@echo "make hub        run JupyterHub for a class on 127.0.0.1:8000 (docs/hub.md)"
	@echo "make hub-load N=30  simulate N students on a fresh hub and report the figures"

setup: $(STAMP)

setup-dev: $(DEV_STAMP)

# --no-compile: Python writes bytecode only for the modules a kernel imports (43 MB once
# every lesson and JupyterLab ran, measured by make bench),
# not for every installed file (about 105 MB); keeps the runtime environment under 400 MB.
$(STAMP): requirements/runtime.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --no-compile -r requirements/runtime.lock
	$(PIP) --no-deps -e .
	@touch $(STAMP)

# The tests' environment is compiled once here (6 s): the runtime lock is installed with
# --no-compile, and where PYTHONDONTWRITEBYTECODE is set (CI sandboxes set it) every kernel,
# JupyterLab and tool the tests start would compile pandas, matplotlib and JupyterLab again.
# Measured on a fresh clone: make test 302 -> 271 CPU-s, 166 -> 152 s.
$(DEV_STAMP): $(STAMP) requirements/dev.lock
	$(PIP) -r requirements/runtime.lock -r requirements/dev.lock
	-$(BIN)/python -m compileall -q -j 0 $(VENV)/lib lib
	@touch $(DEV_STAMP)

# axe-core (npm, pinned by tests/browser/package-lock.json) for the accessibility browser
# test; npm only fetches the JavaScript package, never a browser.
AXE := tests/browser/node_modules/axe-core/axe.min.js

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --prefix tests/browser --ignore-scripts --no-audit --no-fund --loglevel=error && touch $(AXE); \
	else echo "npm not found: tests/browser/test_accessibility.py cannot run axe-core"; fi

# The server root is the repository, so links from notebooks/ to ../data/ resolve;
# the browser opens on the start page.
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --ServerApp.ip=127.0.0.1 \
		--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb $(ROOT_FLAG)

# Both test targets run on JOBS CPUs with pytest-xdist (dev lock): the cells of a notebook,
# and the tests sharing a module-scoped fixture, stay on one worker (conftest.py); the
# longest tests are handed out first. JOBS=1 runs everything in one process.
JOBS ?= 2
PARALLEL = $(if $(filter-out 1,$(JOBS)),-n $(JOBS) --dist loadscope,)

test: $(DEV_STAMP) $(AXE) $(HUB_NPM) $(REVEAL_NPM)
	PYTHONWARNINGS=$(KERNEL_WARNINGS) $(BIN)/python -m pytest $(PARALLEL) $(PYTEST_ARGS)

# The edit loop (aim: 30 s): unit tests and doctests of lib/ and tests/, without the browser
# suite, the tests marked slow (the hub, the student edition), the fuzzing, and without
# re-running the notebooks (nbval only collects .ipynb files, none of which is named here).
# Two pytest plugins that come with installed packages have nothing to do here, but cost
# every process (the controller and each worker) CPU: Hypothesis's, without the fuzzing,
# imports Hypothesis at the end of the run (0.8 s each); anyio's (no test is async) 0.2 s.
test-fast: $(DEV_STAMP) $(HUB_NPM)
	$(BIN)/python -m pytest lib tests --ignore=tests/browser --ignore=tests/test_fuzz.py \
		-m "not browser and not slow" -p no:hypothesispytest -p no:anyio \
		$(PARALLEL) $(PYTEST_ARGS)

check: $(STAMP)
	$(BIN)/python -m cambodia_russia check data

notebooks: $(DEV_STAMP)
	$(BIN)/python tools/notebooks.py build
	$(BIN)/python tools/notebooks.py execute teacher/teacher_guide.ipynb

bench: $(DEV_STAMP)
	$(BIN)/python tools/bench.py $(BENCH_ARGS)

handouts: $(DEV_STAMP)
	$(BIN)/python tools/handouts.py

slides: $(DEV_STAMP)
	$(BIN)/python tools/slides.py

# Needs Debian's chromium for the PDFs (tools/worksheets.py --html-only without it).
worksheets: $(DEV_STAMP)
	$(BIN)/python tools/worksheets.py

answer-keys: $(DEV_STAMP)
	$(BIN)/python tools/handouts.py --answer-keys

# One 1280x900 picture per notebook after Run All (Debian's chromium via Playwright).
screenshots: $(DEV_STAMP)
	$(BIN)/python tools/screenshots.py

student-edition: $(DEV_STAMP)
	$(BIN)/python tools/edition.py $(if $(OUT),--out $(OUT),)
# A real JupyterHub for a class (docs/hub.md): configurable-http-proxy from npm (tools/hub),
# JupyterHub, nbgitpuller and the idle culler from the dev lock.
# HUB_ARGS e.g. "--collection ." (the whole repository, teachers only; default: the student edition), "--keep DIR" (hub-load), "--port 8001" (hub only).
N ?= 30
HUB_ARGS ?=

$(HUB_NPM): tools/hub/package.json tools/hub/package-lock.json
	npm ci --prefix tools/hub --no-audit --no-fund
	@touch $@

$(REVEAL_NPM): tools/reveal/package.json tools/reveal/package-lock.json
	npm ci --prefix tools/reveal --no-audit --no-fund
	@touch $@

hub: $(DEV_STAMP) $(HUB_NPM)
	$(BIN)/python tools/hub/hub.py serve $(HUB_ARGS)

# N simulated students log in at once, pull the collection, run a notebook, change a widget.
hub-load: $(DEV_STAMP) $(HUB_NPM)
	$(BIN)/python tools/hub/hub.py load --students $(N) --json build/hub-load/students-$(N).json $(HUB_ARGS)

# Regenerate both locks and environment.yml from requirements/*.in (maintainers only).
lock:
	$(PYTHON) tools/lock.py

clean:
	rm -rf $(VENV) build .pytest_cache
