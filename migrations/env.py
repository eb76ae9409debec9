"""Alembic environment: the database URL comes from watchlist.config, never from Flask."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from watchlist.config import load_settings
from watchlist.db import create_engine
from watchlist.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations(connection: Connection) -> None:
    """Run migrations on a connection; batch mode so ALTERs also work on SQLite."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Use the caller's connection when given one, else connect with the configured URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    engine = create_engine(load_settings().database)
    with engine.connect() as connection:
        run_migrations(connection)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run against a database.")
run_online()
