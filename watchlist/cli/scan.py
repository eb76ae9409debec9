"""`watchlist scan`, `watchlist hits list` and `watchlist runs list`."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import sys
from collections.abc import Callable, Iterator

import click
import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from tqdm import tqdm

from watchlist.cli.app import AppContext, WatchlistGroup, cli, pass_app
from watchlist.db import transaction
from watchlist.models import Article, Hit, HitStatus, Mention, RunStatus, ScanRun
from watchlist.scan import batches as scan
from watchlist.scan import job as scan_job
from watchlist.timestamps import rfc3339

log = logging.getLogger("watchlist.scan")
EXIT_PARTIAL = 4


@cli.command("scan")
@click.option(
    "--update-lists/--no-update-lists",
    default=None,
    help="Update the configured lists first (default: scan.update_lists).",
)
@click.option(
    "--fetch-feeds/--no-fetch-feeds",
    default=None,
    help="Read the registered feeds first (default: scan.fetch_feeds).",
)
@click.option(
    "--rescreen-days",
    type=click.IntRange(0, 3650),
    help="Re-screen articles this recent after a list change (scan.rescreen_days).",
)
@click.option("--batch-size", type=click.IntRange(1, 10_000), help="Articles per transaction.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Worker processes, each with its own match index (PostgreSQL for > 1).",
)
@click.option(
    "--join",
    "join",
    is_flag=True,
    help="Only help a scan running elsewhere: claim its batches until none is left.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@pass_app
def scan_command(
    app: AppContext,
    update_lists: bool | None,
    fetch_feeds: bool | None,
    rescreen_days: int | None,
    batch_size: int | None,
    workers: int | None,
    join: bool,
    as_json: bool,
) -> None:
    """Screen every article not yet screened, then re-screen recent ones after a list change.

    \b
    Exit codes: 0 all done; 4 done, but some articles, feeds, lists or notifications failed
    (see `watchlist runs list`); 73 another scan is running; others as for every command.
    Safe to kill at any moment: the next run picks up where it stopped, without duplicates.
    """  # fmt: skip
    config = app.settings.scan
    if join:
        counts = scan_job.join_scan(app.job_engine, app.settings, batch_size or config.batch_size)
        click.echo(
            f"joined: {counts.screened + counts.rescreened} articles, {counts.new_hits} new hits"
        )
        return
    options = scan_job.ScanOptions(
        update_lists=config.update_lists if update_lists is None else update_lists,
        fetch_feeds=config.fetch_feeds if fetch_feeds is None else fetch_feeds,
        rescreen_days=config.rescreen_days if rescreen_days is None else rescreen_days,
        batch_size=batch_size or config.batch_size,
        workers=workers or config.workers,
    )
    with _progress() as progress:
        result = scan_job.run_scan(app.job_engine, app.settings, options, log.info, progress)
    summary = result.summary()
    click.echo(json.dumps(summary) if as_json else _describe(summary))
    if result.run.status is RunStatus.PARTIAL:
        sys.exit(EXIT_PARTIAL)


@contextlib.contextmanager
def _progress() -> Iterator[Callable[[int], scan.Progress] | None]:
    """A progress bar on a terminal; plain log lines (from the job) otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    bars: list[tqdm[None]] = []

    def make(total: int) -> scan.Progress:
        bar: tqdm[None] = tqdm(total=total, unit="article", file=sys.stderr)
        bars.append(bar)

        def advance(count: int) -> None:
            bar.update(count)

        return advance

    try:
        yield make
    finally:
        for bar in bars:
            bar.close()


def _describe(summary: dict[str, object]) -> str:
    run = summary["run"]
    assert isinstance(run, dict)
    lines = [
        f"scan run {run['id']} {run['status']}: {run['articles_screened']} articles screened, "
        f"{run['articles_rescreened']} re-screened, {run['new_hits']} new hits, "
        f"{run['delisted_hits']} hits on delisted entities, {run['errors']} errors"
    ]
    updates = summary["list_updates"]
    assert isinstance(updates, list)
    for update in updates:
        if update["status"] in ("refused", "failed"):
            lines.append(f"  list update {update['status']}: {update['message']}")
    by_entity = summary["new_hits_by_entity"]
    assert isinstance(by_entity, list)
    for line in by_entity:
        programs = ", ".join(line["programs"]) or "-"
        lines.append(f"  {line['hits']:>4} new hits  {line['entity']} [{programs}]")
    return "\n".join(lines)


@cli.group("hits", cls=WatchlistGroup)
def hits_group() -> None:
    """Hits found in articles, for scripts and for operators without the dashboard."""


@hits_group.command("list")
@click.option("--status", type=click.Choice([s.value for s in HitStatus]), help="Only this status.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Found on or after.")
@click.option("--limit", type=click.IntRange(1, 100_000), default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_app
def hits_list(
    app: AppContext, status: str | None, since: dt.datetime | None, limit: int, as_json: bool
) -> None:
    """Hits, newest first: article, mention, entity, score and status."""
    query = (
        sa.select(Hit)
        .options(selectinload(Hit.mention), selectinload(Hit.entity))
        .order_by(Hit.id.desc())
        .limit(limit)
    )
    if status:
        query = query.where(Hit.status == HitStatus(status))
    if since:
        query = query.where(Hit.created_at >= since.replace(tzinfo=dt.UTC))
    with transaction(app.sessions) as session:
        hits = session.scalars(query).all()
        titles = dict(session.execute(
            sa.select(Article.id, Article.title).where(Article.id.in_({h.article_id for h in hits}))
        ).all())  # fmt: skip
        for hit in hits:
            click.echo(_hit_line(hit, hit.mention, titles.get(hit.article_id), as_json))
    if not hits and not as_json:
        click.echo("No hits.")


def _hit_line(hit: Hit, mention: Mention, title: str | None, as_json: bool) -> str:
    record = {
        "id": hit.id,
        "article_id": hit.article_id,
        "article_title": title,
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "entity_id": hit.entity_id,
        "entity": hit.entity.primary_name,
        "matched_name": hit.matched_name,
        "score": hit.score,
        "status": hit.status.value,
        "created_at": rfc3339(hit.created_at),
    }
    if as_json:
        return json.dumps(record)
    return (
        f"{hit.id:>6}  {hit.status.value:<9} {hit.score:.2f}  {mention.text!r} -> "
        f"{hit.entity.primary_name}  (article {hit.article_id}: {title or '-'})"
    )


@cli.group("runs", cls=WatchlistGroup)
def runs_group() -> None:
    """Scan runs: when they ran, against which list state, and what they found."""


@runs_group.command("list")
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_app
def runs_list(app: AppContext, limit: int, as_json: bool) -> None:
    """Recent scan runs, newest first, with their counts and errors."""
    with transaction(app.sessions) as session:
        runs = session.scalars(
            sa.select(ScanRun)
            .options(selectinload(ScanRun.failures))
            .order_by(ScanRun.id.desc())
            .limit(limit)
        ).all()
        for run in runs:
            record = scan.summary_json(run, [])["run"]
            record["error_text"] = run.error_text
            record["failures"] = [f"{f.stage}: {f.message}" for f in run.failures[:20]]
            click.echo(json.dumps(record) if as_json else _run_line(record))
    if not runs and not as_json:
        click.echo("No scan has run yet.")


def _run_line(record: dict[str, object]) -> str:
    line = (
        f"{record['id']:>5}  {record['status']:<9} {record['started_at']}  "
        f"screened {record['articles_screened']}, re-screened {record['articles_rescreened']}, "
        f"new hits {record['new_hits']}, errors {record['errors']}"
    )
    if record.get("error_text"):
        line += f"\n       {record['error_text']}"
    failures = record.get("failures")
    if isinstance(failures, list):
        line += "".join(f"\n       {failure}" for failure in failures)
    return line
