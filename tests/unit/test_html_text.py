"""Article pages to plain text: trafilatura on real news pages, the page-text fallback, and
hostile markup."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from watchlist.articles.documents import decode, to_document
from watchlist.articles.html import MAIN_TEXT_LIMIT, _main_text, html_to_text, page_text
from watchlist.errors import InputError

PAGES = Path(__file__).resolve().parents[1] / "fixtures/html"
EXPECTED: dict[str, dict[str, list[str]]] = json.loads(
    (PAGES / "expected.json").read_text(encoding="utf-8")
)


def squash(text: str) -> str:
    return " ".join(text.split())


def page(name: str) -> str:
    return decode((PAGES / name).read_bytes(), where=name)


def snippet_counts(reader: object) -> tuple[int, int, int, int]:
    """Main-text snippets found and missed, furniture snippets found and left out."""
    found_with = missed_with = found_without = left_without = 0
    for name, case in EXPECTED.items():
        text = squash(reader(page(name))[0])  # type: ignore[operator]
        for snippet in case["with"]:
            found = squash(snippet) in text
            found_with, missed_with = found_with + found, missed_with + (not found)
        for snippet in case["without"]:
            found = squash(snippet) in text
            found_without, left_without = found_without + found, left_without + (not found)
    return found_with, missed_with, found_without, left_without


def test_the_fixture_pages_all_have_their_snippets() -> None:
    assert len(EXPECTED) >= 20
    for name, case in EXPECTED.items():
        assert (PAGES / name).is_file(), name
        assert case["with"] and case["without"], name


def test_trafilatura_keeps_the_article_and_drops_the_furniture_of_real_pages() -> None:
    found_with, missed_with, found_without, left_without = snippet_counts(html_to_text)
    assert found_with / (found_with + missed_with) >= 0.9
    assert found_with / (found_with + found_without) >= 0.85
    # The hand-written reader it replaced keeps far more page furniture.
    old = snippet_counts(page_text)
    assert old[2] > 2 * found_without


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_stored_text_of_a_real_page_is_plain_text_with_a_title(name: str) -> None:
    text, title = html_to_text(page(name))
    assert len(text) > 200 and title
    assert re.search(r"<(script|style|div|span|p|a|img)\b", text) is None
    assert "&amp;" not in text and "&nbsp;" not in text


def test_markup_written_as_text_stays_text_and_scripts_are_dropped() -> None:
    markup = (
        "<html><head><title>Arms broker</title><script>alert('Vladimir Putin')</script></head>"
        "<body><article><p>The Treasury sanctioned Ashot Mkrtychev on Thursday for brokering "
        "arms deals, officials said. &lt;script&gt; stays text.</p></article></body></html>"
    )
    text, title = html_to_text(markup)
    assert "<script> stays text." in text
    assert "alert" not in text and "Putin" not in text
    assert title == "Arms broker"


def test_a_fragment_trafilatura_finds_no_article_in_is_kept_whole() -> None:
    assert _main_text("<p>Verus LLC</p>") is None
    assert html_to_text("<p>Verus LLC</p>") == ("Verus LLC", None)


def test_a_page_without_an_article_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    html_to_text("<p>Verus LLC</p>")
    html_to_text("")
    assert caplog.records == []


def test_deep_nesting_gives_the_text() -> None:
    markup = "<div>" * 20_000 + "Ashot Mkrtychev was sanctioned." + "</div>" * 20_000
    assert html_to_text(markup)[0] == "Ashot Mkrtychev was sanctioned."


def test_malformed_markup_gives_the_text() -> None:
    markup = "<html><body><p>Verus LLC <b>shipped <i>arms</b> to</p> <div><p>Pyongyang<</body"
    text, _ = html_to_text(markup)
    assert "Verus LLC" in text and "arms" in text


def test_a_page_with_no_article_text_is_one_clear_error() -> None:
    markup = b"<html><head><title>Home</title><script>var a=1;</script></head><body> </body></html>"
    with pytest.raises(InputError) as caught:
        to_document(markup, where="home.html", max_chars=1000, content_type="text/html")
    assert caught.value.message == "home.html holds no article text."


def test_an_oversized_page_is_read_by_the_linear_reader() -> None:
    """Past the limit trafilatura is not run: the page's visible text is kept, whole."""
    paragraph = "<p>Ashot Mkrtychev brokered arms deals between North Korea and Russia.</p>\n"
    markup = (
        "<html><head><title>Long</title></head><body><nav>Home</nav>"
        + paragraph * (MAIN_TEXT_LIMIT // len(paragraph) + 1)
        + "</body></html>"
    )
    assert len(markup) > MAIN_TEXT_LIMIT
    assert html_to_text(markup) == page_text(markup)
    assert html_to_text(markup)[1] == "Long"
