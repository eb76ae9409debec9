"""`watchlist articles` and `watchlist feeds`: take articles in, store them once, screen them."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import sqlalchemy as sa

from watchlist.articles import intake
from watchlist.articles.documents import decode, to_document
from watchlist.articles.store import ArticleInput, parse_batch
from watchlist.articles.web import http_session
from watchlist.cli.app import AppContext, WatchlistGroup, cli, pass_app
from watchlist.db import transaction
from watchlist.errors import InputError, WatchlistError
from watchlist.fetch import is_web_url
from watchlist.models import Feed
from watchlist.screening.hits import make_screener
from watchlist.timestamps import rfc3339


@cli.group("articles", cls=WatchlistGroup)
def articles_group() -> None:
    """Take in news articles: store each once (same URL or text), group stories, screen."""


@articles_group.command("add")
@click.argument("locations", metavar="FILE|URL|-...", nargs=-1, required=True)
@click.option("--title", help="Title of the article (default: the HTML title, if any).")
@click.option("--url", "url", help="Where the article was published (for a file or stdin).")
@click.option("--source", help="Publisher or site name (for articles that do not give one).")
@click.option("--batch", is_flag=True, help="The input is JSON lines: one article per line.")
@pass_app
def articles_add(
    app: AppContext,
    locations: tuple[str, ...],
    title: str | None,
    url: str | None,
    source: str | None,
    batch: bool,
) -> None:
    """Store and screen articles from FILEs, URLs, or standard input (-), in one transaction.

    \b
    Plain text and HTML are accepted (HTML is reduced to its main text). With --batch (or a
    .jsonl file) each line is a JSON object with "text" or "html" and optionally "url",
    "title", "source", "published_at"; every line is checked before any is stored.
    """  # fmt: skip
    items = [item for location in locations for item in _inputs(app, location, batch)]
    if (title or url) and len(items) > 1:
        raise InputError("--title and --url describe one article; give one FILE or URL.")
    items = [_with(item, title=title, url=url, source=item.source or source) for item in items]
    with transaction(app.sessions) as session:
        screener = make_screener(session, app.settings.matching)
        results = [intake.store_and_screen(session, i, screener, app.settings) for i in items]
    for result in results:
        state = "stored" if result.new else "already stored"
        click.echo(
            f"article {result.article_id} {state} (story {result.story_id}): "
            f"{result.new_hits} new hit{'s' if result.new_hits != 1 else ''}"
        )


def _inputs(app: AppContext, location: str, batch: bool) -> list[ArticleInput]:
    limit = app.settings.intake.max_text_chars
    if is_web_url(location):
        http = http_session(app.settings.intake)
        return [intake.article_from_url(http, location, app.settings)]
    data = sys.stdin.buffer.read(limit * 8 + 1) if location == "-" else _read(Path(location), limit)
    where = "standard input" if location == "-" else location
    if batch or location.endswith(".jsonl"):
        return parse_batch(decode(data, where=where), where=where, max_chars=limit)
    document = to_document(data, where=where, max_chars=limit)
    return [ArticleInput(text=document.text, title=document.title)]


def _read(path: Path, limit: int) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(limit * 8 + 1)
    except FileNotFoundError:
        raise InputError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not an article file.") from None
    if len(data) > limit * 8:
        raise InputError(f"{path} is too large for an article.")
    return data


def _with(item: ArticleInput, **overrides: str | None) -> ArticleInput:
    values = {key: value for key, value in overrides.items() if value}
    return ArticleInput(**{**item.__dict__, **values})


@cli.group("feeds", cls=WatchlistGroup)
def feeds_group() -> None:
    """RSS and Atom feeds the scan reads."""


@feeds_group.command("add")
@click.argument("url")
@pass_app
def feeds_add(app: AppContext, url: str) -> None:
    """Register a feed URL to read on every `feeds fetch` (and nightly scan)."""
    with transaction(app.sessions) as session:
        feed, new = intake.add_feed(session, url, app.settings)
        click.echo(f"feed {feed.id} {'added' if new else 'already registered'}: {feed.url}")


@feeds_group.command("list")
@pass_app
def feeds_list(app: AppContext) -> None:
    """Registered feeds with when they were last read and their last error."""
    with transaction(app.sessions) as session:
        feeds = session.scalars(sa.select(Feed).order_by(Feed.id)).all()
        for feed in feeds:
            fetched = rfc3339(feed.last_fetched_at) or "never"
            error = f"  last error: {feed.last_error}" if feed.last_error else ""
            click.echo(f"{feed.id:>4}  {feed.url}  (read {fetched}){error}")
    if not feeds:
        click.echo("No feed registered; add one with 'watchlist feeds add URL'.")


@feeds_group.command("fetch")
@pass_app
def feeds_fetch(app: AppContext) -> None:
    """Read every feed and store and screen the articles not seen before.

    One failing feed or article is reported and skipped; the exit code is non-zero if any
    feed could not be read.
    """
    with transaction(app.sessions) as session:
        feed_ids = list(session.scalars(sa.select(Feed.id).order_by(Feed.id)))
        screener = make_screener(session, app.settings.matching)
    http = http_session(app.settings.intake)
    failed = 0
    for feed_id in feed_ids:
        try:
            result = intake.fetch_feed(app.sessions, feed_id, http, screener, app.settings)
        except WatchlistError as error:
            failed += 1
            click.echo(f"error: feed {feed_id}: {error.message}", err=True)
            continue
        click.echo(
            f"{result.feed_url}: {result.items} items, {result.new_articles} new articles, "
            f"{result.new_hits} new hits, {result.skipped} skipped, {len(result.errors)} failed"
            + (" (not modified)" if result.not_modified else "")
        )
        for message in result.errors:
            click.echo(f"  skipped: {message}", err=True)
    if failed:
        raise WatchlistError(f"{failed} of {len(feed_ids)} feeds could not be read.")
