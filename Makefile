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

.PHONY: help setup lab test check notebooks bench handouts slides lock clean answer-keys student-edition

help:
	@echo "make lab        open JupyterLab on notebooks/00_start_here.ipynb (sets up .venv first)"
	@echo "make test       run every test (sets up .venv first)"
	@echo "make check      check the CSV files in data/ (after editing them)"
	@echo "make notebooks  regenerate headers/navigation and re-run and save every notebook"
	@echo "make bench      measure speed and memory against the budgets (docs/benchmarks.md)"
	@echo "make handouts   write printable HTML handouts to build/handouts/"
	@echo "make slides     write reveal.js slide decks to build/slides/"
	@echo "make answer-keys      write printable answer keys, one per lesson, to build/answer-keys/ (teachers)"
	@echo "make student-edition  write the collection without teacher guide or solutions to build/student-edition/"

setup: $(STAMP)

$(STAMP): requirements-lock.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb --ServerApp.ip=127.0.0.1 $(ROOT_FLAG)

test: $(STAMP)
	PYTHONWARNINGS=$(KERNEL_WARNINGS) $(BIN)/python -m pytest $(PYTEST_ARGS)

check: $(STAMP)
	$(BIN)/python -m cambodia_russia check data

notebooks: $(STAMP)
	$(BIN)/python tools/notebooks.py build
	$(BIN)/python tools/notebooks.py execute teacher/teacher_guide.ipynb

bench: $(STAMP)
	$(BIN)/python tools/bench.py

handouts: $(STAMP)
	$(BIN)/python tools/handouts.py

slides: $(STAMP)
	$(BIN)/python tools/slides.py

answer-keys: $(STAMP)
	$(BIN)/python tools/handouts.py --answer-keys

student-edition: $(STAMP)
	$(BIN)/python tools/edition.py $(if $(OUT),--out $(OUT),)

# Regenerate the lock from the top-level requirements (maintainers only).
lock:
	rm -rf build/lock-venv && $(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install --quiet -r requirements.in
	{ head -n 2 requirements-lock.txt; build/lock-venv/bin/python -m pip freeze --exclude-editable | sort -f; } > requirements-lock.new
	mv requirements-lock.new requirements-lock.txt

clean:
	rm -rf $(VENV) build .pytest_cache
