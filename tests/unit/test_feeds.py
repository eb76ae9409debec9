"""Feeds read by feedparser from their bytes: RSS 0.91, 1.0 and 2.0, Atom, a wrong declared
encoding, dates to aware UTC, and hostile documents."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from watchlist.articles.feeds import parse_feed
from watchlist.errors import InputError

FEEDS = Path(__file__).resolve().parents[1] / "fixtures/feeds"
BASE = "https://news.example.org"


def feed(name: str) -> bytes:
    return (FEEDS / name).read_bytes().replace(b"{base}", BASE.encode())


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


def test_rss_091_with_netscape_doctype_and_latin_1() -> None:
    parsed = parse_feed(feed("rss091.xml"), where="rss091.xml", limit=10)
    assert parsed.title == "Harbour Gazette"
    assert [(i.url, i.title) for i in parsed.items] == [
        (f"{BASE}/news/tanker-detained.html", "Tanker detained at the outer anchorage"),
        (f"{BASE}/news/new-berth.html", "New berth opens"),
    ]
    assert parsed.items[0].published_at is None


def test_rss_10_rdf_with_dublin_core_dates() -> None:
    parsed = parse_feed(feed("rss10.rdf"), where="rss10.rdf", limit=10)
    assert parsed.title == "Trade Register Notices"
    assert [(i.url, i.published_at) for i in parsed.items] == [
        (f"{BASE}/notices/1001", utc(2024, 2, 29, 8, 15)),
        (f"{BASE}/notices/1002", utc(2024, 3, 1)),
    ]


def test_rss_20_links_guids_relative_links_and_one_item_per_link() -> None:
    parsed = parse_feed(feed("rss20.xml"), where="rss20.xml", limit=10, base_url=f"{BASE}/rss")
    assert parsed.title == "World Wire & Markets"
    items = {item.url: item for item in parsed.items}
    assert list(items) == [
        f"{BASE}/page.html",  # the second item with this link is left out
        f"{BASE}/stories/guid-only.html",  # a permalink guid stands for the link
        f"{BASE}/stories/relative.html",  # resolved against the feed's address
    ]  # the item without a link is skipped
    first = items[f"{BASE}/page.html"]
    assert first.title == "Arms broker sanctioned"
    assert first.published_at == utc(2023, 3, 30, 18, 0)
    assert first.summary == "The Treasury named a broker in Slovakia."
    assert items[f"{BASE}/stories/guid-only.html"].published_at == utc(2023, 3, 31, 6, 30)


def test_atom_alternate_link_published_or_updated_and_html_title_as_text() -> None:
    parsed = parse_feed(feed("atom.xml"), where="atom.xml", limit=10)
    assert parsed.title == "Sanctions Desk"
    first, second = parsed.items
    assert first.url == f"{BASE}/page.html"
    assert first.title == "Shipping firm designated"
    assert first.published_at == utc(2024, 5, 1, 14, 30)
    assert (second.url, second.published_at) == (
        f"{BASE}/stories/updated-only.html",
        utc(2024, 5, 2, 8, 0),
    )


@pytest.mark.parametrize("content_type", ["", "application/rss+xml; charset=utf-8"])
def test_a_latin_1_feed_declared_as_utf_8_is_read(content_type: str) -> None:
    data = feed("wrong-encoding.xml")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    parsed = parse_feed(data, where="wrong-encoding.xml", limit=10, content_type=content_type)
    assert parsed.title == "Société Générale de Presse - Dépêches"
    (item,) = parsed.items
    assert item.title == "Sanctions: un armateur grec visé à Athènes"
    assert item.published_at == utc(2024, 5, 6, 9, 20)


def test_the_item_limit_holds() -> None:
    parsed = parse_feed(feed("rss20.xml"), where="rss20.xml", limit=2)
    assert len(parsed.items) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><body><p>Not a feed</p></body></html>", "is not a readable RSS or Atom feed"),
        (b"\x00\x01\x02 junk", "is not a readable RSS or Atom feed"),
        (
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">]>'
            b'<rss version="2.0"><channel><title>&a;&a;&a;</title></channel></rss>',
            "declares XML entities; refused",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<rss version="2.0"><channel><title>&x;</title></channel></rss>',
            "declares XML entities; refused",
        ),
    ],
)
def test_hostile_or_wrong_documents_are_one_line(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_feed(data, where="the feed", limit=10)
    assert caught.value.message.startswith("the feed ")
    assert message in caught.value.message and "\n" not in caught.value.message


def test_a_body_that_names_a_local_file_is_not_opened() -> None:
    # Given bytes, feedparser would try them as a file name first; the body is read as a
    # document, never as a path.
    path = str(FEEDS / "atom.xml").encode()
    with pytest.raises(InputError, match="is not a readable RSS or Atom feed"):
        parse_feed(path, where="the feed", limit=10)
