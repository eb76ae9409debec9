"""Named cross-process locks that die with their holder, on SQLite and PostgreSQL.

PostgreSQL: a session-level advisory lock on a dedicated connection (released when the
connection closes, so also when the process is killed). SQLite: `flock` on a file beside the
database (released by the kernel when the process exits); `flock_held` is the one wrapper of
`flock` the service uses, here and for the web layer's queue of SQLite writers.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from watchlist.db import translate_errors
from watchlist.errors import BusyError


@contextlib.contextmanager
def exclusive(engine: Engine, name: str, *, what: str) -> Iterator[None]:
    """Hold lock `name` for the block, or raise `BusyError` saying `what` is running."""
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine, name, what):
            yield
    else:
        with _file_lock(engine, name, what):
            yield


def _busy(what: str) -> BusyError:
    return BusyError(f"Another {what} is running; try again when it has finished.")


@contextlib.contextmanager
def _advisory_lock(engine: Engine, name: str, what: str) -> Iterator[None]:
    with translate_errors(), engine.connect() as connection:
        # Advisory locks are database-wide: a deployment in another schema is not a rival.
        schema = connection.execute(sa.select(sa.func.current_schema())).scalar()
        digest = hashlib.sha256(f"watchlist:{schema}:{name}".encode()).digest()
        key = int.from_bytes(digest[:8], "big", signed=True)
        got = connection.execute(sa.select(sa.func.pg_try_advisory_lock(key))).scalar()
        connection.commit()
        if not got:
            raise _busy(what)
        try:
            yield
        finally:
            connection.execute(sa.select(sa.func.pg_advisory_unlock(key)))
            connection.commit()


@contextlib.contextmanager
def _file_lock(engine: Engine, name: str, what: str) -> Iterator[None]:
    database = engine.url.database
    if not database or database == ":memory:":
        yield  # a private in-memory database has no other users
        return
    path = Path(f"{database}.{name}.lock")
    with path.open("a") as handle, flock_held(handle, wait=False) as held:
        if not held:
            raise _busy(what)
        yield


@contextlib.contextmanager
def flock_held(file: int | IO[Any], *, wait: bool) -> Iterator[bool]:
    """Hold an exclusive `flock` on an open file for the block, yielding True; or, when
    `wait` is false and another open file holds it, yield False at once without it. The kernel
    lock belongs to the open file and dies with the process, so a killed holder frees it."""
    try:
        fcntl.flock(file, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        yield False
        return
    try:
        yield True
    finally:
        fcntl.flock(file, fcntl.LOCK_UN)
