# Watchlist: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install compile no-compiler run test test-postgres lint bench bench-venv bench-import bench-matching bench-screening bench-scan bench-api bench-extraction clean

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools
	WATCHLIST_COMPILE=0 $(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The compiled core (watchlist/compiled.py): mypyc builds watchlist/matching and
# watchlist/extract in place, with the C modules beside them (the text scanners), again
# whenever one of their sources changes.
# WATCHLIST_COMPILE=0 skips it; the core then runs from source.
# Without a C compiler or the Python headers, make says so once and the core runs from source.
CORE_SOURCES := $(filter-out %/__init__.py,$(wildcard watchlist/matching/*.py watchlist/extract/*.py))
NATIVE_SOURCES := $(wildcard watchlist/matching/*.c watchlist/extract/*.c)
CORE_MODULES  = watchlist/_core__mypyc.*.so $(CORE_SOURCES:.py=.*.so) $(NATIVE_SOURCES:.c=.*.so)
CORE_STAMP   := build/compiled-core.stamp
CAN_COMPILE  := $(shell $(PYTHON) -c 'import os, shutil, sysconfig; \
  cc = (sysconfig.get_config_var("CC") or "cc").split()[0]; \
  headers = os.path.join(sysconfig.get_paths()["include"], "Python.h"); \
  print("yes" if shutil.which(cc) and os.path.exists(headers) else "")' 2>/dev/null)
COMPILE      := $(if $(filter 0,$(WATCHLIST_COMPILE)),,$(if $(CAN_COMPILE),$(CORE_STAMP),no-compiler))

$(CORE_STAMP): $(STAMP) $(CORE_SOURCES) $(NATIVE_SOURCES) setup.py
	rm -f $(CORE_MODULES)
	WATCHLIST_COMPILE=1 $(BIN)/python setup.py --quiet build_ext --inplace
	@# build_ext copies up-to-date modules with their old times: date them all now, after
	@# their sources, for the staleness check in watchlist/compiled.py.
	touch $(CORE_MODULES) && touch $(CORE_STAMP)

install: $(STAMP) $(COMPILE)  ## Create the virtualenv, install the project and its dev tools, compile the core.

compile: $(CORE_STAMP)  ## Compile the matching and extraction core in place (mypyc, and the C text scanners).

no-compiler:
	@echo "No C compiler or Python headers: the matching core runs from source (slower)."

# `make run` serves plain HTTP on loopback: cookies without the Secure flag, and a random
# secret key made once in var/secret-key (never the development key); var/ is the checkout's
# data directory (paths.data_dir), where the SQLite database is too.
SECRET_KEY_FILE := var/secret-key
SERVE_ENV = WATCHLIST_WEB_SECURE_COOKIES=false WATCHLIST_WEB_SECRET_KEY="$$(cat $(SECRET_KEY_FILE))"

run: install  ## Load the seed, the SDN list and the seed articles, then serve the dashboard and API.
	$(BIN)/watchlist db upgrade
	$(BIN)/watchlist seed
	$(BIN)/watchlist lists import ofac-csv data/ofac/sdn_legacy_csv
	$(BIN)/watchlist entities show us_ofac_sdn:41736
	$(BIN)/watchlist articles add tests/fixtures/articles/article-*.txt --source "seed articles"
	$(BIN)/watchlist users demo
	@mkdir -p var && test -s $(SECRET_KEY_FILE) || \
	  (umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(48))' > $(SECRET_KEY_FILE))
	$(SERVE_ENV) $(BIN)/watchlist serve

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
	rm -rf $(VENV) var build .pytest_cache .mypy_cache .ruff_cache
	rm -f $(CORE_MODULES)

# The baselines' virtualenv: nomenklatura's logic-v2 beside the project, rebuilt whenever
# pyproject.toml changes. Without it (no network) the benchmarks run without that baseline.
BENCH_VENV  := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed-stamp

$(BENCH_STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(BENCH_VENV)
	WATCHLIST_COMPILE=0 $(BENCH_VENV)/bin/pip install --quiet -e ".[bench]"
	touch $(BENCH_STAMP)

bench-venv: $(BENCH_STAMP)  ## The baselines' virtualenv (nomenklatura's logic-v2), kept in step with pyproject.toml.

BENCH_BASELINES = @$(MAKE) --no-print-directory bench-venv \
  || echo "The baselines' virtualenv could not be built: logic-v2 is left out."

bench-import: install  ## Full SDN import: time and peak memory vs baselines (SQLite, PostgreSQL).
	$(BIN)/python -m benchmarks.import_speed

bench: bench-import bench-quality bench-matching bench-screening bench-scan bench-api bench-extraction  ## Every benchmark table.

bench-quality: install  ## Quality on the development sets (news, press spellings, name pairs, invented people) and on the project's own pairs, beside baselines.
	$(BENCH_BASELINES)
	$(BIN)/python -m benchmarks.dev_sets
	$(BIN)/python -m benchmarks.matching_quality

bench-matching: install  ## Matcher build time, memory, lookup latency (SDN, 1M synthetic) vs baselines.
	$(BENCH_BASELINES)
	$(BIN)/python -m benchmarks.matching_speed

bench-screening: install  ## Articles per second screened against the SDN list vs naive fuzzy and Aho-Corasick.
	$(BIN)/python -m benchmarks.screening_speed

bench-scan: install  ## The nightly scan end to end: articles/s on SQLite and PostgreSQL, 1 and 2 workers.
	$(BIN)/python -m benchmarks.scan_speed

bench-api: install  ## Lookups over HTTP (watchlist serve, concurrent clients): p50/p99 and requests/s vs in-process.
	$(BIN)/python -m benchmarks.api_speed

bench-extraction: install  ## Article main-text extraction on real news pages: trafilatura vs the hand-written reader.
	$(BIN)/python -m benchmarks.extraction_quality
