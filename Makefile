# Watchlist: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run test test-postgres lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)  ## Create the virtualenv and install the project with its dev tools.

run: install  ## Create the SQLite database, seed it and show Mkrtychev's record.
	$(BIN)/watchlist db upgrade
	$(BIN)/watchlist seed
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
