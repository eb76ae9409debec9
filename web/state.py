"""What every request of one web process shares: settings, database sessions, the matcher."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from watchlist.budget import Deadline
from watchlist.config import Settings
from watchlist.db import create_engine, session_factory, transaction
from watchlist.screening.matchers import MatcherCache
from web.metrics import Metrics
from web.slots import HeavySlots
from web.writes import WriteGate


@dataclass(frozen=True)
class WebState:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    matchers: MatcherCache
    writes: WriteGate
    heavy: HeavySlots
    metrics: Metrics

    @classmethod
    def create(cls, settings: Settings) -> WebState:
        engine = create_engine(settings.database)
        sessions = session_factory(engine)
        metrics = Metrics(enabled=settings.web.metrics)
        matchers = MatcherCache(
            sessions,
            settings.matching,
            recheck_seconds=settings.web.recheck_lists_seconds,
            on_built=metrics.index_built,
        )
        heavy = HeavySlots(settings.web.threads)
        return cls(settings, engine, sessions, matchers, WriteGate(engine), heavy, metrics)


def state() -> WebState:
    """The state of the application handling the current request."""
    found: WebState = current_app.extensions["watchlist"]
    return found


def request_deadline(what: str) -> Deadline:
    """The time budget of this request's heavy work (`web.request_budget_seconds`)."""
    return Deadline(state().settings.web.request_budget_seconds, what)


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session whose transaction commits when the block ends without an error."""
    with transaction(state().sessions) as session:
        yield session
