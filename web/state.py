"""What every request of one web process shares: settings, database sessions, the matcher."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from watchlist.config import Settings
from watchlist.db import create_engine, session_factory, transaction
from watchlist.lookup import MatcherCache
from web.writes import WriteGate


@dataclass(frozen=True)
class WebState:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    matchers: MatcherCache
    writes: WriteGate

    @classmethod
    def create(cls, settings: Settings) -> WebState:
        engine = create_engine(settings.database)
        sessions = session_factory(engine)
        matchers = MatcherCache(
            sessions, settings.matching, recheck_seconds=settings.web.recheck_lists_seconds
        )
        return cls(settings, engine, sessions, matchers, WriteGate(engine))


def state() -> WebState:
    """The state of the application handling the current request."""
    found: WebState = current_app.extensions["watchlist"]
    return found


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session whose transaction commits when the block ends without an error."""
    with transaction(state().sessions) as session:
        yield session
