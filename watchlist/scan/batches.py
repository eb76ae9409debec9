"""The nightly scan: screen new articles, re-screen recent ones after a list change.

Work is claimed in batches, each its own transaction (on PostgreSQL with `FOR UPDATE SKIP
LOCKED`, so several workers on several machines share it). A batch commits its hits together
with the articles' new `screened_state`, so a killed scan, run again, screens every article
exactly once and never duplicates a hit. One bad article is recorded and skipped.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload, sessionmaker

from watchlist.config import Settings
from watchlist.db import newest_first, translate_errors
from watchlist.errors import DatabaseError, WatchlistError
from watchlist.models import Article, Entity, Hit, HitStatus, RunStatus, ScanError, ScanRun
from watchlist.models.base import utcnow
from watchlist.screening.hits import Screener, make_screener, screen_article
from watchlist.timestamps import rfc3339

log = logging.getLogger(__name__)
Progress = Callable[[int], None]


@dataclasses.dataclass(frozen=True)
class ScanPlan:
    """What one scan run works on."""

    run_id: int
    list_state: int
    rescreen_since: dt.datetime
    batch_size: int


def start_run(session: Session) -> ScanRun:
    """A new run record; runs left 'running' by a killed scan are closed as failed."""
    stale = session.scalars(sa.select(ScanRun).where(ScanRun.status == RunStatus.RUNNING))
    for run in stale:
        run.status = RunStatus.FAILED
        run.finished_at = run.finished_at or utcnow()
        run.error_text = run.error_text or "interrupted: the process ended before the run did"
    run = ScanRun(status=RunStatus.RUNNING)
    session.add(run)
    session.flush()
    return run


def pending(session: Session, plan: ScanPlan) -> sa.ColumnElement[bool]:
    """Articles this run must screen: never screened, or recent and screened before a change."""
    when = sa.func.coalesce(Article.published_at, Article.fetched_at)
    failed_here = sa.select(ScanError.article_id).where(
        ScanError.run_id == plan.run_id, ScanError.article_id.is_not(None)
    )
    return sa.and_(
        sa.or_(
            Article.screened_state.is_(None),
            sa.and_(Article.screened_state < plan.list_state, when >= plan.rescreen_since),
        ),
        Article.id.not_in(failed_here),
    )


def count_pending(session: Session, plan: ScanPlan) -> int:
    """How many articles are waiting."""
    return session.scalar(sa.select(sa.func.count()).where(pending(session, plan))) or 0


def claim_batch(session: Session, plan: ScanPlan) -> list[Article]:
    """The next batch, locked for this transaction (others skip it on PostgreSQL)."""
    query = (
        sa.select(Article)
        .where(pending(session, plan))
        .order_by(Article.screened_state.is_not(None), Article.id)
        .limit(plan.batch_size)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=Article)
    return list(session.scalars(query))


@dataclasses.dataclass
class BatchCounts:
    """What a batch (or a worker's batches) did."""

    screened: int = 0
    rescreened: int = 0
    new_hits: int = 0
    errors: int = 0

    def add(self, other: BatchCounts) -> None:
        for field in dataclasses.fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))


def screen_batch(session: Session, plan: ScanPlan, screener: Screener) -> BatchCounts | None:
    """Claim and screen one batch; None when nothing is left. The caller commits."""
    articles = claim_batch(session, plan)
    if not articles:
        return None
    counts = BatchCounts()
    for article in articles:
        again = article.screened_state is not None
        try:
            with session.begin_nested():
                counts.new_hits += screen_article(
                    session,
                    article,
                    screener.matcher,
                    list_state=screener.list_state,
                    settings=screener.settings,
                )
        except Exception as error:  # one bad article must not stop the night
            message = one_line(error)
            log.warning("article %s failed: %s", article.id, message)
            session.add(ScanError(run_id=plan.run_id, article_id=article.id, stage="screen",
                                  message=message))  # fmt: skip
            counts.errors += 1
            continue
        counts.rescreened += again
        counts.screened += not again
    _add_to_run(session, plan.run_id, counts)
    return counts


def one_line(error: BaseException) -> str:
    """An error as one line: its message (a core error's), or its type and first line."""
    if isinstance(error, WatchlistError):
        return error.message
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def record_error(session: Session, run_id: int, stage: str, message: str) -> None:
    """Add a failure to a run's record and count it."""
    session.add(ScanError(run_id=run_id, stage=stage, message=message))
    session.execute(
        sa.update(ScanRun).where(ScanRun.id == run_id).values(errors=ScanRun.errors + 1)
    )


def _add_to_run(session: Session, run_id: int, counts: BatchCounts) -> None:
    session.execute(
        sa.update(ScanRun)
        .where(ScanRun.id == run_id)
        .values(
            articles_screened=ScanRun.articles_screened + counts.screened,
            articles_rescreened=ScanRun.articles_rescreened + counts.rescreened,
            new_hits=ScanRun.new_hits + counts.new_hits,
            errors=ScanRun.errors + counts.errors,
        )
    )


def work(
    sessions: sessionmaker[Session],
    settings: Settings,
    plan: ScanPlan,
    progress: Progress | None = None,
) -> BatchCounts:
    """Screen batches until none is left (one worker; many may run at once)."""
    with sessions() as session:
        screener = make_screener(session, settings.matching)
    if screener.list_state != plan.list_state:
        screener = dataclasses.replace(screener, list_state=plan.list_state)
    total = BatchCounts()
    while True:
        try:
            with translate_errors(), sessions.begin() as session:
                counts = screen_batch(session, plan, screener)
        except DatabaseError as error:  # e.g. locked past the busy timeout: stop, say so
            log.warning("screening stopped: %s", error.message)
            with translate_errors(), sessions.begin() as session:
                record_error(session, plan.run_id, "screen", f"screening stopped: {error.message}")
            total.errors += 1
            return total
        if counts is None:
            return total
        total.add(counts)
        if progress is not None:
            progress(counts.screened + counts.rescreened + counts.errors)


def mark_delisted_hits(session: Session) -> int:
    """Open hits on entities that have since been delisted are marked as such."""
    delisted = sa.select(Entity.id).where(Entity.delisted_on.is_not(None))
    result = session.execute(
        sa.update(Hit)
        .where(Hit.status == HitStatus.OPEN, Hit.entity_id.in_(delisted))
        .values(status=HitStatus.DELISTED)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def finish_run(
    session: Session, run_id: int, *, delisted_hits: int, failure: str | None = None
) -> ScanRun:
    """Close a run with its final status."""
    run = session.get_one(ScanRun, run_id)
    run.finished_at = utcnow()
    run.delisted_hits = delisted_hits
    run.error_text = failure or run.error_text
    if failure is not None:
        run.status = RunStatus.FAILED
    elif run.errors:
        run.status = RunStatus.PARTIAL
    else:
        run.status = RunStatus.SUCCEEDED
    return run


@dataclasses.dataclass(frozen=True)
class NewHit:
    """One line of the end-of-run summary."""

    entity_id: int
    entity: str
    programs: tuple[str, ...]
    hits: int
    articles: int


def new_hits_summary(session: Session, run_started: dt.datetime) -> list[NewHit]:
    """New hits since the run started, by entity (with its programs), most first."""
    from watchlist.registry.entities import entity_cards

    rows = session.execute(
        sa.select(Hit.entity_id, sa.func.count(), sa.func.count(sa.distinct(Hit.article_id)))
        .where(Hit.created_at >= run_started)
        .group_by(Hit.entity_id)
    ).all()
    cards = entity_cards(session, [entity_id for entity_id, _, _ in rows])
    summary = [
        NewHit(entity_id, cards[entity_id].name, cards[entity_id].programs, hits, articles)
        for entity_id, hits, articles in rows
    ]
    return sorted(summary, key=lambda item: (-item.hits, item.entity))


def summary_json(
    run: ScanRun, lines: list[NewHit], list_updates: Sequence[dict[str, Any]] = ()
) -> dict[str, Any]:
    """The run, its list updates (changed, unchanged, refused or failed) and its new hits, for
    notifications and `--json`."""
    return {
        "run": {
            "id": run.id,
            "status": run.status.value,
            "started_at": rfc3339(run.started_at),
            "finished_at": rfc3339(run.finished_at),
            "list_state": run.list_state,
            "articles_screened": run.articles_screened,
            "articles_rescreened": run.articles_rescreened,
            "new_hits": run.new_hits,
            "delisted_hits": run.delisted_hits,
            "errors": run.errors,
        },
        "list_updates": list(list_updates),
        "new_hits_by_entity": [dataclasses.asdict(line) for line in lines],
    }


def scan_runs(
    session: Session, *, limit: int = 50, offset: int = 0
) -> tuple[Sequence[ScanRun], int]:
    """Scan runs with their errors, newest first, and how many there are."""
    load = [selectinload(ScanRun.failures)]
    return newest_first(session, ScanRun, load=load, limit=limit, offset=offset)


@dataclasses.dataclass(frozen=True)
class RunOutcome:
    """How many scan runs ended (or stand) in one status, and when the newest of them
    finished."""

    status: RunStatus
    runs: int
    last_finished: dt.datetime | None


def scan_run_outcomes(session: Session) -> list[RunOutcome]:
    """Scan runs counted by status (only the statuses some run has)."""
    rows = session.execute(
        sa.select(ScanRun.status, sa.func.count(), sa.func.max(ScanRun.finished_at)).group_by(
            ScanRun.status
        )
    )
    return [RunOutcome(status, runs, finished) for status, runs, finished in rows]
