"""`watchlist scan` end to end: lock, optional list update and feed fetch, screening by
batches in one or more worker processes, delisted hits, summary and notifications."""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from watchlist import locks
from watchlist.articles import intake
from watchlist.articles.web import http_session
from watchlist.config import Settings
from watchlist.db import create_engine, session_factory, translate_errors
from watchlist.errors import ConfigError, NotFoundError, WatchlistError
from watchlist.lists import jobs
from watchlist.models import Feed, RunStatus, ScanRun
from watchlist.models.base import utcnow
from watchlist.scan import batches as scan
from watchlist.scan import notify
from watchlist.screening.hits import make_screener
from watchlist.screening.matchers import list_state

Say = Callable[[str], None]


@dataclasses.dataclass(frozen=True)
class ScanOptions:
    """What this scan does besides screening."""

    update_lists: bool
    fetch_feeds: bool
    rescreen_days: int
    batch_size: int
    workers: int


@dataclasses.dataclass(frozen=True)
class ScanResult:
    """The finished run and its new hits by entity."""

    run: ScanRun
    new_hits: list[scan.NewHit]
    notification_failures: list[str]
    list_updates: list[jobs.UpdateOutcome]

    def summary(self) -> dict[str, object]:
        """The run, its list updates and its new hits, as `--json` prints it."""
        updates = [outcome.summary() for outcome in self.list_updates]
        return scan.summary_json(self.run, self.new_hits, updates)


def run_scan(
    engine: Engine,
    settings: Settings,
    options: ScanOptions,
    say: Say = lambda text: None,
    progress: Callable[[int], scan.Progress] | None = None,
) -> ScanResult:
    """One whole scan, refused while another runs."""
    if options.workers > 1 and engine.dialect.name != "postgresql":
        raise ConfigError("Configuration key scan.workers above 1 needs PostgreSQL.")
    sessions = session_factory(engine)
    with translate_errors(), locks.exclusive(engine, "scan", what="scan"):
        with sessions.begin() as session:
            run = scan.start_run(session)
            run_id, started = run.id, run.started_at
        try:
            updates = _prepare(sessions, settings, options, run_id, say)
            plan = _plan(sessions, run_id, options)
            with sessions() as session:
                waiting = scan.count_pending(session, plan)
            say(f"screening {waiting} articles against list state {plan.list_state}")
            _screen(
                engine, settings, plan, options.workers, progress(waiting) if progress else None
            )
            with sessions.begin() as session:
                delisted = scan.mark_delisted_hits(session)
                finished = scan.finish_run(session, run_id, delisted_hits=delisted)
        except BaseException as error:
            _fail(sessions, run_id, error)
            raise
        with sessions() as session:
            lines = scan.new_hits_summary(session, started)
        result = ScanResult(finished, lines, [], updates)
        result.notification_failures.extend(_notify(sessions, settings, result))
        return result


def _prepare(
    sessions: sessionmaker[Session], settings: Settings, options: ScanOptions, run_id: int, say: Say
) -> list[jobs.UpdateOutcome]:
    """Update the lists and read the feeds, as the options say; the list updates' outcomes."""
    outcomes: list[jobs.UpdateOutcome] = []
    if options.update_lists:
        say("updating lists")
        outcomes = jobs.update_sources(sessions, settings)
        for outcome in outcomes:
            if outcome.error:
                _record(sessions, run_id, "lists", f"{outcome.url}: {outcome.error.message}")
    if options.fetch_feeds:
        _fetch_feeds(sessions, settings, run_id, say)
    return outcomes


def _fetch_feeds(
    sessions: sessionmaker[Session], settings: Settings, run_id: int, say: Say
) -> None:
    with sessions() as session:
        feed_ids = list(session.scalars(sa.select(Feed.id).order_by(Feed.id)))
        screener = make_screener(session, settings.matching) if feed_ids else None
    if screener is None:
        return
    say(f"reading {len(feed_ids)} feeds")
    http = http_session(settings.intake)
    for feed_id in feed_ids:
        try:
            result = intake.fetch_feed(sessions, feed_id, http, screener, settings)
        except WatchlistError as error:
            _record(sessions, run_id, "feeds", f"feed {feed_id}: {error.message}")
            continue
        for message in result.errors:
            _record(sessions, run_id, "feeds", message)


def _record(sessions: sessionmaker[Session], run_id: int, stage: str, message: str) -> None:
    with sessions.begin() as session:
        scan.record_error(session, run_id, stage, message)


def _plan(sessions: sessionmaker[Session], run_id: int, options: ScanOptions) -> scan.ScanPlan:
    with sessions.begin() as session:
        state = list_state(session)
        session.get_one(ScanRun, run_id).list_state = state
    since = utcnow() - dt.timedelta(days=options.rescreen_days)
    return scan.ScanPlan(run_id, state, since, options.batch_size)


def _screen(
    engine: Engine,
    settings: Settings,
    plan: scan.ScanPlan,
    workers: int,
    progress: scan.Progress | None,
) -> None:
    if workers <= 1:
        scan.work(session_factory(engine), settings, plan, progress)
        return
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_worker_main, args=(settings, plan), daemon=True)
        for _ in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    failed = [p.exitcode for p in processes if p.exitcode]
    if failed:
        raise WatchlistError(f"{len(failed)} of {workers} scan workers failed (exit {failed[0]}).")


def _worker_main(settings: Settings, plan: scan.ScanPlan) -> None:
    """A worker process: its own engine and match index; claims batches until none is left."""
    engine = create_engine(settings.database)
    try:
        scan.work(session_factory(engine), settings, plan)
    finally:
        engine.dispose()


def join_scan(engine: Engine, settings: Settings, batch_size: int) -> scan.BatchCounts:
    """Help the scan running elsewhere (another machine) by claiming its batches."""
    sessions = session_factory(engine)
    with sessions() as session:
        run = session.scalars(
            sa.select(ScanRun)
            .where(ScanRun.status == RunStatus.RUNNING)
            .order_by(ScanRun.id.desc())
        ).first()
        if run is None or run.list_state is None:
            raise NotFoundError("No scan is running to join.")
        since = utcnow() - dt.timedelta(days=settings.scan.rescreen_days)
        plan = scan.ScanPlan(run.id, run.list_state, since, batch_size)
    return scan.work(sessions, settings, plan)


def _fail(sessions: sessionmaker[Session], run_id: int, error: BaseException) -> None:
    text = scan.one_line(error)
    with sessions.begin() as session:
        scan.finish_run(session, run_id, delisted_hits=0, failure=text or "interrupted")


def _notify(sessions: sessionmaker[Session], settings: Settings, result: ScanResult) -> list[str]:
    run = result.run
    if not run.new_hits and not any(o.error for o in result.list_updates):
        return []
    failures = notify.notify(settings.notify, result.summary())
    for message in failures:
        _record(sessions, run.id, "notify", message)
    if failures:
        with sessions.begin() as session:
            session.get_one(ScanRun, run.id).status = RunStatus.PARTIAL
        run.status = RunStatus.PARTIAL
    return failures
