"""Commits of one web deployment on SQLite, queued instead of contending.

SQLite lets one writer in at a time and makes the others poll with sleeps of 1 to 100 ms, so
under concurrent requests (threads, and several worker processes) short write transactions
such as an audit-log row wait far longer than they run. Here writers queue on a kernel lock
(`flock` on a file beside the database, plus a thread lock within the process): the next
writer is woken the moment the previous one commits. PostgreSQL needs none of this.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator

from sqlalchemy.engine import Engine

from watchlist.locks import flock_held


class WriteGate:
    """Serialises commits to one SQLite database across the threads and processes using it."""

    def __init__(self, engine: Engine) -> None:
        database = engine.url.database
        self._active = engine.dialect.name == "sqlite" and bool(database) and database != ":memory:"
        self._path = f"{database}.writers" if self._active else ""
        self._thread_lock = threading.Lock()
        self._fd: int | None = None
        self._pid = 0

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Be the only writer for the block."""
        if not self._active:
            yield
            return
        with self._thread_lock, flock_held(self._descriptor(), wait=True):
            yield

    def _descriptor(self) -> int:
        # One descriptor per process: flock locks belong to the open file, and a forked
        # worker must not share its parent's.
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd
