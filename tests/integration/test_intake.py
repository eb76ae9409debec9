"""Taking articles in over HTTP from a real server on loopback: pages, feeds, hostile input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tests.conftest import ROOT, RunCli
from tests.loopback import Site, serve
from watchlist.models import Article, Feed, Hit, Mention, Story

SEEDS = ROOT / "tests/fixtures/articles"
PAGES = ROOT / "tests/fixtures/html"
PAGE = b"""<!doctype html><html><head><title>Arms broker sanctioned</title>
<script>document.write("Vladimir Putin")</script><style>.x{}</style></head>
<body><nav>Home | World | Vladimir Putin archive</nav><article>
<p>The US Treasury sanctioned Ashot Mkrtychev on Thursday for brokering arms deals between
North Korea and Russia, officials said.</p>
<p>Mr. Mkrtychev, a Slovak citizen, denied it. &lt;script&gt; stays text.</p>
</article><footer>Leave a Reply</footer></body></html>"""
RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Arms broker</title><link>{base}/page.html</link>
<pubDate>Thu, 30 Mar 2023 18:00:00 GMT</pubDate></item>
<item><title>Loop</title><link>{base}/feed.xml</link></item>
<item><title>Broken</title><link>{base}/missing.html</link></item>
<item><title>Junk</title><link>{base}/junk.bin</link></item>
</channel></rss>"""


@pytest.fixture
def site() -> Iterator[Site]:
    with serve(Site()) as running:
        running.files["/page.html"] = PAGE
        running.files["/feed.xml"] = RSS.replace(b"{base}", running.base_url.encode())
        running.files["/junk.bin"] = bytes(range(256)) * 64
        running.files["/huge.html"] = b"<p>" + b"Putin " * (9 * 1024 * 1024) + b"</p>"
        yield running


LOOPBACK = {"WATCHLIST_INTAKE_ALLOW_PRIVATE_ADDRESSES": "true"}


@pytest.fixture
def seeded(run_cli: RunCli, migrated: Engine) -> Engine:
    assert run_cli("seed").exit_code == 0
    return migrated


def count(engine: Engine, model: type) -> int:
    with engine.connect() as connection:
        return connection.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_article_from_a_url_keeps_main_text_and_finds_hits(
    run_cli: RunCli, seeded: Engine, site: Site
) -> None:
    result = run_cli("articles", "add", site.url("/page.html"), env=LOOPBACK)
    assert result.exit_code == 0, result.stderr
    assert "2 new hits" in result.output
    with seeded.connect() as connection:
        text, title = connection.execute(sa.select(Article.text, Article.title)).one()
    assert title == "Arms broker sanctioned"
    assert "document.write" not in text and "archive" not in text and "Leave a Reply" not in text
    assert "<script> stays text." in text
    assert site.requests[0][1]["User-Agent"].startswith("Watchlist/")


def test_mentions_index_into_the_stored_text(run_cli: RunCli, seeded: Engine, site: Site) -> None:
    assert run_cli("articles", "add", site.url("/page.html"), env=LOOPBACK).exit_code == 0
    with seeded.connect() as connection:
        text = connection.scalar(sa.select(Article.text))
        mentions = connection.execute(sa.select(Mention.start, Mention.end, Mention.text)).all()
    assert text and mentions
    for start, end, mention in mentions:
        assert text[start:end] == mention


def test_a_real_news_page_keeps_its_article_and_drops_the_rest(
    run_cli: RunCli, seeded: Engine, site: Site
) -> None:
    # A page of trafilatura's evaluation set (tests/fixtures/html), with its snippets.
    site.files["/amazon.html"] = (PAGES / "vice.com.amazon.html").read_bytes()
    result = run_cli("articles", "add", site.url("/amazon.html"), env=LOOPBACK)
    assert result.exit_code == 0, result.stderr
    with seeded.connect() as connection:
        text, title = connection.execute(sa.select(Article.text, Article.title)).one()
    assert title == "The Amazon Is on Fire and the Smoke Can Be Seen from Space"
    flat = " ".join(text.split())
    assert "Brazil went dark." in flat and "the highest number of deforestation warnings.”" in flat
    assert "Tagged:" not in flat and "to the VICE newsletter." not in flat
    assert "Watch this next" not in flat


def test_loopback_is_refused_unless_allowed(run_cli: RunCli, seeded: Engine, site: Site) -> None:
    result = run_cli("articles", "add", site.url("/page.html"))
    assert result.exit_code == 65
    assert "private or loopback address" in result.stderr
    assert count(seeded, Article) == 0
    assert site.requests == []


def test_same_article_twice_is_stored_once(
    run_cli: RunCli, seeded: Engine, tmp_path: object
) -> None:
    first = run_cli("articles", "add", str(SEEDS / "article-1.txt"))
    again = run_cli("articles", "add", str(SEEDS / "article-1.txt"))
    assert "stored" in first.output and "already stored" in again.output
    assert count(seeded, Article) == 1


def test_seed_articles_are_five_stories(run_cli: RunCli, seeded: Engine) -> None:
    # The five reports name the same people but are written apart: five stories.
    files = [str(SEEDS / f"article-{number}.txt") for number in range(1, 6)]
    result = run_cli("articles", "add", *files, "--source", "seed")
    assert result.exit_code == 0, result.output
    assert result.output.count("stored (story") == 5
    assert count(seeded, Article) == 5
    assert count(seeded, Story) == 5
    with seeded.connect() as connection:
        first = connection.execute(sa.select(Article.title, Article.source).order_by(Article.id))
        assert first.first() == (
            "White House accuses Russia of seeking weapons from North Korea to aid war in Ukraine",
            "seed",
        )


def test_one_title_for_many_articles_is_refused(run_cli: RunCli, seeded: Engine) -> None:
    files = [str(SEEDS / f"article-{number}.txt") for number in (1, 2)]
    result = run_cli("articles", "add", *files, "--title", "Same")
    assert result.exit_code == 65 and "give one FILE or URL" in result.stderr
    assert count(seeded, Article) == 0


@pytest.mark.parametrize(
    ("path", "message"),
    [("/junk.bin", "binary data"), ("/huge.html", "cap"), ("/missing.html", "HTTP 404")],
)
def test_hostile_pages_are_refused_and_nothing_is_stored(
    run_cli: RunCli, seeded: Engine, site: Site, path: str, message: str
) -> None:
    result = run_cli("articles", "add", site.url(path), env=LOOPBACK)
    assert result.exit_code in (65, 75)
    assert message in result.stderr and "Traceback" not in result.stderr
    assert count(seeded, Article) == 0 and count(seeded, Hit) == 0


def test_batch_is_checked_before_anything_is_stored(
    run_cli: RunCli, seeded: Engine, tmp_path: object
) -> None:
    lines = '{"text": "Ashot Mkrtychev was seen.", "url": "https://example.org/a"}\nnot json\n'
    result = run_cli("articles", "add", "--batch", "-", input=lines)
    assert result.exit_code == 65 and "line 2 is not valid JSON" in result.stderr
    assert count(seeded, Article) == 0
    good = '{"text": "Ashot Mkrtychev was seen.", "title": "A"}\n{"html": "<p>Verus LLC</p>"}\n'
    assert run_cli("articles", "add", "--batch", "-", input=good).exit_code == 0
    assert count(seeded, Article) == 2


def test_feed_fetch_takes_new_items_and_skips_loops_and_failures(
    run_cli: RunCli, seeded: Engine, site: Site
) -> None:
    assert run_cli("feeds", "add", site.url("/feed.xml"), env=LOOPBACK).exit_code == 0
    first = run_cli("feeds", "fetch", env=LOOPBACK)
    assert first.exit_code == 0, first.stderr
    assert "4 items, 1 new articles" in first.output
    assert "1 skipped, 2 failed" in first.output
    with seeded.connect() as connection:
        published = connection.scalar(sa.select(Article.published_at))
        feed_etag = connection.scalar(sa.select(Feed.etag))
    assert published is not None and published.year == 2023
    assert feed_etag
    second = run_cli("feeds", "fetch", env=LOOPBACK)
    assert "(not modified)" in second.output
    conditional = [h for p, h in site.requests if p == "/feed.xml"][-1]
    assert conditional.get("If-None-Match") == feed_etag
    assert count(seeded, Article) == 1


def test_a_feed_that_is_not_a_feed_is_one_line(run_cli: RunCli, seeded: Engine, site: Site) -> None:
    run_cli("feeds", "add", site.url("/page.html"), env=LOOPBACK)
    result = run_cli("feeds", "fetch", env=LOOPBACK)
    assert result.exit_code == 1
    assert "not a readable RSS or Atom feed" in result.stderr or "not an RSS" in result.stderr


FEEDS = ROOT / "tests/fixtures/feeds"


def serve_feed(site: Site, name: str, content_type: str) -> str:
    """Serve a fixture feed, its links pointing at the server, and return its URL."""
    body = (FEEDS / name).read_bytes().replace(b"{base}", site.base_url.encode())
    site.files[f"/{name}"] = body
    site.types[f"/{name}"] = content_type
    return site.url(f"/{name}")


@pytest.mark.parametrize(
    ("name", "content_type", "items"),
    [
        ("rss091.xml", "text/xml", 2),
        ("rss10.rdf", "application/rdf+xml", 2),
        ("rss20.xml", "application/rss+xml; charset=utf-8", 3),
        ("atom.xml", "application/atom+xml", 2),
        ("wrong-encoding.xml", "application/rss+xml; charset=utf-8", 1),
    ],
)
def test_real_feed_files_from_the_server_are_read(
    run_cli: RunCli, seeded: Engine, site: Site, name: str, content_type: str, items: int
) -> None:
    assert (
        run_cli("feeds", "add", serve_feed(site, name, content_type), env=LOOPBACK).exit_code == 0
    )
    result = run_cli("feeds", "fetch", env=LOOPBACK)
    assert result.exit_code == 0, result.stderr
    assert f"{items} items" in result.output
    # Every item was asked for, over the guarded fetch; none of them but /page.html exists.
    asked = {path for path, _ in site.requests if path != f"/{name}"}
    assert len(asked) == items
    with seeded.connect() as connection:
        assert connection.scalar(sa.select(Feed.last_error)) is None


def test_an_atom_item_is_stored_with_its_date_and_feed(
    run_cli: RunCli, seeded: Engine, site: Site
) -> None:
    run_cli("feeds", "add", serve_feed(site, "atom.xml", "application/atom+xml"), env=LOOPBACK)
    result = run_cli("feeds", "fetch", env=LOOPBACK)
    assert "2 items, 1 new articles" in result.output and "1 failed" in result.output
    with seeded.connect() as connection:
        url, published, feed_id = connection.execute(
            sa.select(Article.url, Article.published_at, Article.feed_id)
        ).one()
        registered = connection.scalar(sa.select(Feed.id))
    assert url == site.url("/page.html") and feed_id == registered
    assert published is not None
    assert published.replace(tzinfo=dt.UTC) == dt.datetime(2024, 5, 1, 14, 30, tzinfo=dt.UTC)


def test_a_feed_on_loopback_is_refused_before_any_request(
    run_cli: RunCli, seeded: Engine, site: Site
) -> None:
    url = serve_feed(site, "rss20.xml", "application/rss+xml")
    assert run_cli("feeds", "add", url, env=LOOPBACK).exit_code == 0
    result = run_cli("feeds", "fetch")
    assert result.exit_code == 1 and "private or loopback address" in result.stderr
    assert site.requests == [] and count(seeded, Article) == 0


def test_a_feed_declaring_entities_is_one_line_and_stores_nothing(
    run_cli: RunCli, seeded: Engine, site: Site
) -> None:
    site.files["/bomb.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        b'<rss version="2.0"><channel><title>&b;</title><item><link>'
        + site.url("/page.html").encode()
        + b"</link></item></channel></rss>"
    )
    run_cli("feeds", "add", site.url("/bomb.xml"), env=LOOPBACK)
    result = run_cli("feeds", "fetch", env=LOOPBACK)
    assert result.exit_code == 1 and "declares XML entities; refused" in result.stderr
    assert "Traceback" not in result.stderr and count(seeded, Article) == 0
