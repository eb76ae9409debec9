"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds: the items' links, titles and dates.

Parsed with defusedxml and no DTD allowed, so a hostile feed cannot expand entities or reach
for external ones.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

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


def parse_feed(data: bytes, *, where: str, limit: int) -> ParsedFeed:
    """The items of an RSS or Atom document, at most `limit` of them."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise InputError(f"{where} is not a readable RSS or Atom feed: {exc}.") from None
    kind = _local(root.tag)
    if kind == "feed":
        entries = [e for e in root if _local(e.tag) == "entry"]
        items = [_atom_item(e) for e in entries]
        title = _text(root, "title")
    elif kind in ("rss", "RDF"):
        channel = next((c for c in root if _local(c.tag) == "channel"), root)
        nodes = [n for n in root.iter() if _local(n.tag) == "item"]
        items = [_rss_item(n) for n in nodes]
        title = _text(channel, "title")
    else:
        raise InputError(f"{where} is not an RSS or Atom feed (root element <{kind}>).")
    return ParsedFeed(title, tuple(i for i in items if i is not None)[:limit])


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(node: Element, name: str) -> Element | None:
    return next((c for c in node if _local(c.tag) == name), None)


def _text(node: Element, name: str) -> str | None:
    child = _child(node, name)
    text = "".join(child.itertext()).strip() if child is not None else ""
    return text or None


def _rss_item(node: Element) -> FeedItem | None:
    url = _text(node, "link") or _text(node, "guid")
    if not url:
        return None
    return FeedItem(
        url=url,
        title=_text(node, "title"),
        published_at=_rss_date(_text(node, "pubDate") or _text(node, "date")),
        summary=_text(node, "description"),
    )


def _atom_item(node: Element) -> FeedItem | None:
    links = [c for c in node if _local(c.tag) == "link" and c.get("href")]
    chosen = next((c for c in links if c.get("rel", "alternate") == "alternate"), None)
    url = chosen if chosen is not None else links[0] if links else None
    if url is None:
        return None
    return FeedItem(
        url=str(url.get("href")),
        title=_text(node, "title"),
        published_at=_iso_date(_text(node, "published") or _text(node, "updated")),
        summary=_text(node, "summary") or _text(node, "content"),
    )


def _rss_date(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return _iso_date(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _iso_date(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
