"""RSS 0.9x, 1.0 (RDF) and 2.0 and Atom feeds: the items' links, titles and dates.

Read by feedparser, which knows the dialects, encodings and date formats real feeds use: a
feed whose declared encoding is wrong, dates in any of RFC 822's and ISO 8601's spellings,
relative links, Netscape's RSS 0.91 DOCTYPE. It is only ever given the downloaded bytes, as a
stream: it never fetches a URL nor opens a file itself (given bytes, feedparser would first
try them as a file name), so every download goes through the guarded fetch. A feed declaring
XML entities is refused before parsing, as defusedxml refused it before: a feed needs none,
and they are how a hostile document blows up in memory.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import re
import time
from typing import Any

import feedparser

from watchlist.errors import InputError


@dataclasses.dataclass(frozen=True)
class FeedItem:
    """One entry of a feed."""

    url: str
    title: str | None
    published_at: dt.datetime | None
    summary: str | None


@dataclasses.dataclass(frozen=True)
class ParsedFeed:
    """A feed's title and items."""

    title: str | None
    items: tuple[FeedItem, ...]


_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


def parse_feed(
    data: bytes,
    *,
    where: str,
    limit: int,
    content_type: str = "",
    base_url: str | None = None,
) -> ParsedFeed:
    """The items of an RSS or Atom document, each link once, at most `limit` of them.

    `content_type` is the HTTP header (its charset is heeded), `base_url` the address the
    feed was read from (relative links are resolved against it)."""
    if _ENTITY_DECLARATION.search(data[: _prologue_end(data)]):
        raise InputError(f"{where} declares XML entities; refused (a feed needs none).")
    headers = {"content-type": content_type} if content_type else {}
    if base_url:
        headers["content-location"] = base_url
    parsed = feedparser.parse(
        io.BytesIO(data),
        response_headers=headers,
        resolve_relative_uris=True,
        sanitize_html=True,
    )
    if not parsed.get("version"):
        raise InputError(f"{where} is not a readable RSS or Atom feed{_reason(parsed)}.")
    items: dict[str, FeedItem] = {}
    for entry in parsed.get("entries", []):
        item = _item(entry)
        if item is not None and item.url not in items:
            items[item.url] = item
    title = _text(parsed.get("feed", {}), "title")
    return ParsedFeed(title, tuple(items.values())[:limit])


def _prologue_end(data: bytes) -> int:
    """Where the document's first element starts (declarations come before it)."""
    found = re.search(rb"<[A-Za-z]", data)
    return found.start() if found else len(data)


def _reason(parsed: Any) -> str:
    problem = parsed.get("bozo_exception")
    text = str(problem).splitlines()[0].rstrip(".") if problem else ""
    return f" ({text})" if text else ""


def _item(entry: Any) -> FeedItem | None:
    url = _plain(entry.get("link")) or _web_address(entry.get("id"))
    if not url:
        return None
    return FeedItem(
        url=url,
        title=_text(entry, "title"),
        published_at=_moment(entry.get("published_parsed") or entry.get("updated_parsed")),
        summary=_text(entry, "summary"),
    )


_INLINE_TAG = re.compile(
    r"</?(a|abbr|b|cite|code|em|i|q|s|small|span|strong|sub|sup|u)\b[^>]*>", re.I
)
_TAG = re.compile(r"<[^>]*>")


def _text(entry: Any, key: str) -> str | None:
    """An entry's title or summary as plain text: feedparser gives (sanitised) HTML when the
    feed marks it as HTML, and markup is never kept."""
    value = entry.get(key)
    detail = entry.get(f"{key}_detail") or {}
    if isinstance(value, str) and "html" in str(detail.get("type", "")):
        value = html.unescape(_TAG.sub(" ", _INLINE_TAG.sub("", value)))
    return _plain(value)


def _plain(value: object) -> str | None:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    return text or None


def _web_address(value: object) -> str | None:
    """An entry id that is a web address (an RSS guid is often the item's link)."""
    text = _plain(value)
    return text if text and text.lower().startswith(("http://", "https://")) else None


def _moment(value: object) -> dt.datetime | None:
    """feedparser's date (a struct_time in UTC) as an aware datetime."""
    if not isinstance(value, time.struct_time):
        return None
    try:
        return dt.datetime(*value[:6], tzinfo=dt.UTC)
    except ValueError:
        return None
