"""Shared fixtures: a fresh, real database per test (SQLite file, or a PostgreSQL schema).

Set WATCHLIST_TEST_DATABASE_URL to a PostgreSQL URL to run the suite there; each test then gets
its own schema, dropped afterwards.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from watchlist import migrate
from watchlist.config import Settings, load_settings
from watchlist.db import create_engine, session_factory
from web.cli import cli  # the core's commands and the web layer's `serve`

POSTGRES_URL = os.environ.get("WATCHLIST_TEST_DATABASE_URL", "")
ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if POSTGRES_URL:
        return
    skip = pytest.mark.skip(reason="needs WATCHLIST_TEST_DATABASE_URL (PostgreSQL)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """URL of an empty database that exists for this test only."""
    with fresh_database(tmp_path) as url:
        yield url


@contextlib.contextmanager
def fresh_database(folder: Path) -> Iterator[str]:
    """An empty database: a SQLite file in `folder`, or a new PostgreSQL schema."""
    if not POSTGRES_URL:
        yield f"sqlite:///{folder / 'watchlist.db'}"
        return
    schema = f"wl_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return load_settings({"WATCHLIST_DATABASE_URL": database_url})


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = create_engine(settings.database)
    yield engine
    engine.dispose()


@pytest.fixture
def migrated(engine: Engine) -> Engine:
    """The test database with the schema at the newest revision."""
    migrate.upgrade(engine)
    return engine


@pytest.fixture
def session(migrated: Engine) -> Iterator[Session]:
    with session_factory(migrated)() as session:
        yield session
        session.rollback()


@contextlib.contextmanager
def migrated_session(folder: Path) -> Iterator[Session]:
    """A session on a fresh, migrated database (for module-scoped fixtures)."""
    with fresh_database(folder) as url:
        engine = create_engine(load_settings({"WATCHLIST_DATABASE_URL": url}).database)
        migrate.upgrade(engine)
        try:
            with session_factory(engine)() as session:
                yield session
        finally:
            engine.dispose()


RunCli = Callable[..., Result]


@pytest.fixture
def run_cli(database_url: str) -> RunCli:
    """Run the `watchlist` command against the test database, as a user would."""

    def run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
        runner = CliRunner()
        environment = {"WATCHLIST_DATABASE_URL": database_url, "WATCHLIST_CONFIG": ""}
        environment.update(env or {})
        return runner.invoke(cli, list(args), env=environment, input=input, prog_name="watchlist")

    return run
