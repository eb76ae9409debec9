# Watchlist: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run test test-postgres lint bench bench-import bench-matching bench-screening bench-scan clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)  ## Create the virtualenv and install the project with its dev tools.

run: install  ## Create the SQLite database, load the seed and the shipped SDN list, show a record.
	$(BIN)/watchlist db upgrade
	$(BIN)/watchlist seed
	$(BIN)/watchlist lists import ofac-csv data/ofac/sdn_legacy_csv
	$(BIN)/watchlist entities show us_ofac_sdn:41736

test: install  ## Run the test suite (PostgreSQL too when WATCHLIST_TEST_DATABASE_URL is set).
	$(BIN)/pytest

test-postgres: install  ## Run the test suite on the local PostgreSQL database `test`.
	WATCHLIST_TEST_DATABASE_URL=$${WATCHLIST_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/pytest

lint: install  ## Lint, format check, type check and layer contracts.
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

bench-import: install  ## Full SDN import: time and peak memory vs baselines (SQLite, PostgreSQL).
	$(BIN)/python -m benchmarks.import_speed

bench: bench-import bench-quality bench-matching bench-screening bench-scan  ## Every benchmark table.

bench-quality: install  ## Matching precision/recall/F1 on the labelled pairs vs WRatio and logic-v2.
	$(BIN)/python -m benchmarks.matching_quality

bench-matching: install  ## Matcher build time, memory, lookup latency (SDN, 1M synthetic) vs baselines.
	$(BIN)/python -m benchmarks.matching_speed

bench-screening: install  ## Articles per second screened against the SDN list vs naive fuzzy and Aho-Corasick.
	$(BIN)/python -m benchmarks.screening_speed

bench-scan: install  ## The nightly scan end to end: articles/s on SQLite and PostgreSQL, 1 and 2 workers.
	$(BIN)/python -m benchmarks.scan_speed
