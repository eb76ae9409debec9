"""Engine and session factory; SQLite pragmas; database errors turned into `DatabaseError`;
paged reads of logs, newest first."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session as Session  # re-exported: the web layer types with it
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.interfaces import ORMOption

from watchlist.config import DatabaseSettings
from watchlist.errors import ConfigError, DatabaseError

Row = TypeVar("Row")


def newest_first(
    session: Session,
    model: type[Row],
    where: Sequence[sa.ColumnElement[bool]] = (),
    *,
    load: Sequence[ORMOption] = (),
    limit: int | None = None,
    offset: int = 0,
) -> tuple[Sequence[Row], int]:
    """One page of the `model` rows matching `where`, newest (highest id) first, with
    `load` options applied, and how many rows match in all."""
    key = sa.inspect(model).primary_key[0]
    total = session.scalar(sa.select(sa.func.count(key)).where(*where)) or 0
    query = (
        sa.select(model)
        .where(*where)
        .options(*load)
        .order_by(key.desc())
        .offset(offset)
        .limit(limit)
    )
    return session.scalars(query).all(), total


def create_engine(settings: DatabaseSettings, *, immediate: bool = False) -> Engine:
    """Build an engine for the configured URL; SQLite gets foreign keys, WAL and a busy timeout.

    `immediate` is for jobs whose transactions read, then write (the scan): on SQLite each
    transaction then takes the write lock as it begins (BEGIN IMMEDIATE, waiting up to the busy
    timeout), so it never fails on a snapshot another writer made stale, and savepoints nest
    inside it instead of committing on their own (pysqlite's own transaction handling is off).
    """
    try:
        url = make_url(settings.url)
    except exc.ArgumentError:
        raise ConfigError(
            f"Configuration key database.url is not a valid database URL: {settings.url!r}."
        ) from None
    kwargs: dict[str, Any] = {"echo": settings.echo}
    if url.get_backend_name() == "sqlite":
        _ensure_sqlite_dir(url.database)
        kwargs["connect_args"] = {"timeout": settings.busy_timeout_ms / 1000}
    elif url.get_backend_name() == "postgresql":
        kwargs["pool_size"] = settings.pool_size
        kwargs["pool_pre_ping"] = True
    try:
        engine = sa.create_engine(url, **kwargs)
    except (exc.ArgumentError, exc.NoSuchModuleError, ImportError) as error:
        raise ConfigError(
            f"Configuration key database.url names a database this install cannot use "
            f"({url.drivername}): {error}."
        ) from None
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas(settings.busy_timeout_ms))
        if immediate:
            event.listen(engine, "connect", _no_driver_transactions)
            event.listen(engine, "begin", _begin_immediate)
    return engine


def _no_driver_transactions(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None


def _begin_immediate(connection: sa.Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _ensure_sqlite_dir(database: str | None) -> None:
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(busy_timeout_ms: int) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.close()

    return on_connect


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (the CLI prints them)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextlib.contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error, always close."""
    with translate_errors(), factory() as session, session.begin():
        yield session


@contextlib.contextmanager
def translate_errors() -> Iterator[None]:
    """Turn driver-level failures into one-sentence `DatabaseError`s."""
    try:
        yield
    except (exc.OperationalError, exc.ProgrammingError) as error:
        detail = _first_line(error)
        if _is_missing_table(detail):
            raise DatabaseError(
                f"The database has no schema yet ({detail}): run 'watchlist db upgrade' first."
            ) from error
        raise DatabaseError(f"The database cannot be used: {detail}.") from error


def _is_missing_table(detail: str) -> bool:
    return "no such table" in detail or ("relation" in detail and "does not exist" in detail)


def _first_line(error: exc.DBAPIError) -> str:
    text = str(error.orig).strip() or type(error.orig).__name__
    return text.splitlines()[0].rstrip(".")
