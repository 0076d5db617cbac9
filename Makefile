# Fresh machine: `make run` serves the bot, `make test` runs every test.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-test browser servers run index test lint bench eval clean

# Stamps: pip runs only when pyproject.toml is newer than the last install, so that `make run`
# restarts an installed bot with no package registry in reach (an air-gapped city server).
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	# torch first, pinned: an unpinned torch would pull a multi-GB CUDA build
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

install: $(STAMP)

install-test: browser servers $(TEST_STAMP)

browser:
	@{ test -x /usr/bin/chromium && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf; } || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-dejavu-core >/dev/null; }

# real servers for the several-replica tests: redis-server, nginx, PostgreSQL 15 (tests/servers.py)
servers:
	@{ test -x /usr/bin/redis-server && test -x /usr/sbin/nginx && test -x /usr/lib/postgresql/15/bin/initdb; } || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server nginx postgresql-15 >/dev/null; }

index: $(STAMP)
	$(BIN)/ascc-bot build-index

run: $(STAMP)
	$(BIN)/ascc-bot serve --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/ruff check ascc_bot bots tests benchmarks
	$(BIN)/python -m pytest -q

# every measurement, each written to benchmarks/results/ (about half an hour on two cores)
bench: install-test
	$(BIN)/python benchmarks/run_all.py
	$(BIN)/python benchmarks/before_after.py
	$(BIN)/python benchmarks/oos_calibration.py
	$(BIN)/python benchmarks/type_classifier.py
	$(BIN)/python benchmarks/robustness.py --report benchmarks/results/robustness.md
	$(BIN)/python benchmarks/question_log.py
	$(BIN)/python benchmarks/hardening.py
	$(BIN)/python benchmarks/scale.py

clean:
	rm -rf index data .pytest_cache
