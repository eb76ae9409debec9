"""Storing articles once (same URL or same text), in their story, ready to screen."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from watchlist.articles.html import html_to_text
from watchlist.articles.stories import assign_story, fingerprint
from watchlist.config import IntakeSettings
from watchlist.errors import InputError
from watchlist.extract.words import SENTENCE_WORDS
from watchlist.models import Article


@dataclasses.dataclass(frozen=True)
class ArticleInput:
    """An article as submitted: its text and what is known of where it came from."""

    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published_at: dt.datetime | None = None
    feed_id: int | None = None


# Where an article was published: a web address, never `javascript:` or `data:` (the API's
# `url` field holds to the same pattern).
WEB_URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://\S+$"
_WEB_URL = re.compile(WEB_URL_PATTERN)


def check_web_url(url: str | None, where: str) -> str | None:
    """The article's URL, refused unless it is an http(s) address."""
    if url is not None and not _WEB_URL.match(url):
        raise InputError(f"{where}: the url must be an http(s) address, not {url[:80]!r}.")
    return url


def content_hash(text: str) -> str:
    """The same text, however it is spaced, has the same hash."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def guess_language(text: str) -> str | None:
    """`en` when the text reads as English; otherwise unknown."""
    words = re.findall(r"[a-z]+", text[:20000].lower())
    if len(words) < 20:
        return None
    common = sum(1 for word in words if word in SENTENCE_WORDS)
    return "en" if common / len(words) > 0.2 else None


def add_article(
    session: Session, item: ArticleInput, settings: IntakeSettings
) -> tuple[Article, bool]:
    """Store an article unless its URL or text is already stored; (article, newly stored).

    The same article sent several times at once is stored once: the insert gives way to a row
    another transaction stored meanwhile (ON CONFLICT DO NOTHING), which is then returned.
    """
    check_web_url(item.url, "The article")
    digest = content_hash(item.text)
    found = _existing(session, item.url, digest)
    if found is not None:
        return found, False
    article_id = session.scalar(_insert_once(session), _row(item, digest))
    if article_id is None:
        stored = _existing(session, item.url, digest)
        if stored is None:  # the conflicting row was rolled back meanwhile: try again
            return add_article(session, item, settings)
        return stored, False
    article = session.get_one(Article, article_id)
    article.story = assign_story(
        session,
        article,
        window_days=settings.story_window_days,
        threshold=settings.story_similarity,
    )
    session.flush()
    return article, True


def _insert_once(session: Session) -> sa.Insert:
    """An insert that does nothing when the URL or the text is stored already."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(Article).on_conflict_do_nothing().returning(Article.id)


def _row(item: ArticleInput, digest: str) -> dict[str, object]:
    return {
        "url": item.url,
        "title": item.title,
        "source": item.source,
        "feed_id": item.feed_id,
        "published_at": item.published_at,
        "fetched_at": dt.datetime.now(dt.UTC),
        "text": item.text,
        "content_hash": digest,
        "language": guess_language(item.text),
        "signature": fingerprint(item.text),
    }


def _existing(session: Session, url: str | None, digest: str) -> Article | None:
    condition = Article.content_hash == digest
    if url:
        condition = sa.or_(condition, Article.url == url)
    return session.scalars(sa.select(Article).where(condition).limit(1)).first()


def parse_batch(text: str, *, where: str, max_chars: int) -> list[ArticleInput]:
    """A JSON-lines batch: one object per line with `text` (or `html`), optional `url`,
    `title`, `source` and `published_at` (ISO 8601). Every line is checked before any is kept."""
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            items.append(_batch_item(line, f"{where} line {number}", max_chars))
    if not items:
        raise InputError(f"{where} holds no articles.")
    return items


def _batch_item(line: str, where: str, max_chars: int) -> ArticleInput:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where} is not valid JSON: {exc.msg}.") from None
    if not isinstance(data, dict):
        raise InputError(f"{where} must be a JSON object.")
    text = data.get("text")
    if text is None and isinstance(data.get("html"), str):
        text, title = html_to_text(data["html"])
        data.setdefault("title", title)
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where} has no 'text' (or 'html') string.")
    if len(text) > max_chars:
        raise InputError(f"{where} has {len(text):,} characters; the limit is {max_chars:,}.")
    return ArticleInput(
        text=text,
        title=_optional_str(data, "title", where),
        url=check_web_url(_optional_str(data, "url", where), where),
        source=_optional_str(data, "source", where),
        published_at=_optional_date(data, "published_at", where),
    )


def _optional_str(data: dict[str, object], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    raise InputError(f"{where}: '{key}' must be a string.")


def _optional_date(data: dict[str, object], key: str, where: str) -> dt.datetime | None:
    value = _optional_str(data, key, where)
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"{where}: '{key}' is not an ISO 8601 date: {value!r}.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
