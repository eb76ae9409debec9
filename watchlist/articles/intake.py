"""Intake jobs: store and screen one article; read a feed and take in its new articles.

`store_and_screen` is a service (takes a Session, never commits). `fetch_feed` is a job: it
takes a session factory and commits each article on its own, so one bad item is recorded and
skipped while the others are kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import requests
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from watchlist.articles.documents import to_document
from watchlist.articles.feeds import FeedItem, parse_feed
from watchlist.articles.store import ArticleInput, add_article
from watchlist.articles.web import Page, check_url, fetch_page
from watchlist.budget import Deadline
from watchlist.config import Settings
from watchlist.errors import InputError, WatchlistError
from watchlist.models import Article, Feed
from watchlist.screening.hits import Screener, screen_article


@dataclasses.dataclass(frozen=True)
class Stored:
    """What happened to one submitted article."""

    article_id: int
    story_id: int | None
    new: bool
    new_hits: int


def store_and_screen(
    session: Session,
    item: ArticleInput,
    screener: Screener,
    settings: Settings,
    deadline: Deadline | None = None,
) -> Stored:
    """Store an article once and screen it (an article seen before is screened only if the
    lists changed since), within `deadline` when one is given."""
    article, new = add_article(session, item, settings.intake)
    hits = 0
    if new or article.screened_state != screener.list_state:
        hits = screen_article(
            session,
            article,
            screener.matcher,
            list_state=screener.list_state,
            settings=screener.settings,
            deadline=deadline,
        )
    return Stored(article.id, article.story_id, new, hits)


def article_from_url(http: requests.Session, url: str, settings: Settings) -> ArticleInput:
    """Download a page and keep its main text."""
    page = fetch_page(http, url, settings.intake)
    document = to_document(
        page.body or b"",
        where=url,
        max_chars=settings.intake.max_text_chars,
        content_type=page.content_type,
    )
    return ArticleInput(text=document.text, title=document.title, url=page.url)


def add_feed(session: Session, url: str, settings: Settings) -> tuple[Feed, bool]:
    """Register a feed URL (once)."""
    check_url(url, settings.intake)
    feed = session.scalar(sa.select(Feed).where(Feed.url == url))
    if feed is not None:
        return feed, False
    feed = Feed(url=url)
    session.add(feed)
    session.flush()
    return feed, True


@dataclasses.dataclass
class FeedResult:
    """Counts from reading one feed."""

    feed_url: str
    items: int = 0
    new_articles: int = 0
    new_hits: int = 0
    skipped: int = 0
    errors: list[str] = dataclasses.field(default_factory=list)
    not_modified: bool = False


@dataclasses.dataclass(frozen=True)
class _FeedRun:
    sessions: sessionmaker[Session]
    http: requests.Session
    screener: Screener
    settings: Settings
    feed_id: int
    feed_url: str


def fetch_feed(
    sessions: sessionmaker[Session],
    feed_id: int,
    http: requests.Session,
    screener: Screener,
    settings: Settings,
) -> FeedResult:
    """Read a feed (conditional GET) and take in every item not stored yet."""
    with sessions.begin() as session:
        feed = session.get_one(Feed, feed_id)
        url, etag, modified = feed.url, feed.etag, feed.last_modified
    run = _FeedRun(sessions, http, screener, settings, feed_id, url)
    result = FeedResult(url)
    try:
        page = fetch_page(http, url, settings.intake, etag=etag, last_modified=modified)
        limit = settings.intake.max_feed_items
        items = () if page.body is None else _feed_items(page, url, limit)
    except WatchlistError as error:
        _record_feed(sessions, feed_id, error=error.message)
        raise
    result.not_modified = page.body is None
    result.items = len(items)
    for item in items:
        _take_item(run, item, result)
    _record_feed(sessions, feed_id, etag=page.etag, last_modified=page.last_modified, error=None)
    return result


def _feed_items(page: Page, url: str, limit: int) -> tuple[FeedItem, ...]:
    body = page.body or b""
    parsed = parse_feed(
        body, where=url, limit=limit, content_type=page.content_type, base_url=page.url
    )
    return parsed.items


def _take_item(run: _FeedRun, entry: FeedItem, result: FeedResult) -> None:
    """Take in one feed item; its failure is counted, never fatal to the feed."""
    if entry.url.rstrip("/") == run.feed_url.rstrip("/"):
        result.skipped += 1  # a feed that points to itself
        return
    with run.sessions() as session:
        known = session.scalar(sa.select(Article.id).where(Article.url == entry.url))
    if known is not None:
        result.skipped += 1
        return
    try:
        item = article_from_url(run.http, entry.url, run.settings)
        if item.url and item.url.rstrip("/") == run.feed_url.rstrip("/"):
            raise InputError(f"{entry.url} redirects back to its feed.")
        item = dataclasses.replace(
            item,
            title=item.title or entry.title,
            published_at=entry.published_at,
            feed_id=run.feed_id,
            source=run.feed_url,
            url=entry.url,
        )
        with run.sessions.begin() as session:
            stored = store_and_screen(session, item, run.screener, run.settings)
    except WatchlistError as error:
        result.errors.append(error.message)
        return
    result.new_articles += int(stored.new)
    result.new_hits += stored.new_hits


def _record_feed(
    sessions: sessionmaker[Session],
    feed_id: int,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    error: str | None,
) -> None:
    with sessions.begin() as session:
        feed = session.get_one(Feed, feed_id)
        feed.last_fetched_at = dt.datetime.now(dt.UTC)
        feed.last_error = error
        if error is None:
            feed.etag, feed.last_modified = etag, last_modified
