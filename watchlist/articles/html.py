"""HTML to article text: the page's main text and title, as plain text.

trafilatura finds the article in the page (the main-text extractor news tools rely on; see
benchmarks/extraction_quality.py for its measure beside the hand-written reader below). It is
given the downloaded HTML as a string and never fetches anything itself. When it finds no
article (a fragment, a page that is all navigation, markup it cannot parse), the page's whole
visible text is kept instead, read by the small reader below, so nothing submitted is lost.

Markup is never interpreted beyond reading it: scripts and styles are discarded, entities
decoded, and what remains is plain text that the dashboard escapes like any other.
"""

from __future__ import annotations

import html
import logging
import re
from html.parser import HTMLParser

import trafilatura
from lxml.etree import LxmlError
from trafilatura.settings import Document

_DROP = frozenset(
    {"script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
     "nav", "header", "footer", "aside", "form", "button", "select", "textarea", "head"}
)  # fmt: skip
_BLOCK = frozenset(
    {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "tr",
     "blockquote", "pre", "figcaption", "dd", "dt", "main", "table", "ul", "ol"}
)  # fmt: skip
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "col"})
# trafilatura and htmldate log each page they find no article or date in ("discarding data",
# "empty HTML tree") as warnings and errors. Such a page is read by the fallback below, or
# refused with one line: their lines would only add noise to the command's or server's log.
for _library in ("trafilatura", "htmldate"):
    logging.getLogger(_library).setLevel(logging.CRITICAL)

_BOILERPLATE = re.compile(
    r"^(read more|leave a reply|share this|subscribe|sign up|advertisement|related:|cookie)",
    re.IGNORECASE,
)


# trafilatura needs about 2.7 s a megabyte of paragraph-heavy HTML; a news article's page is
# well under this. A larger page is read by the linear reader below, so that one oversized or
# hostile page cannot hold a worker for half a minute.
MAIN_TEXT_LIMIT = 2_000_000


def html_to_text(markup: str) -> tuple[str, str | None]:
    """The article text (paragraphs separated by blank lines) and the page title."""
    if len(markup) > MAIN_TEXT_LIMIT:
        return page_text(markup)
    article = _main_text(markup)
    if article is not None and article[0]:
        return article[0], article[1] or page_text(markup)[1]
    return page_text(markup)


def _main_text(markup: str) -> tuple[str, str | None] | None:
    """trafilatura's reading of the article in the page, or None when it finds none."""
    try:
        found = trafilatura.bare_extraction(
            markup,
            with_metadata=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            deduplicate=False,
        )
    except (LxmlError, ValueError, RecursionError):
        return None
    if not isinstance(found, Document) or not found.text:
        return None
    paragraphs = (" ".join(line.split()) for line in str(found.text).splitlines())
    title = " ".join(str(found.title or "").split()) or None
    return "\n\n".join(p for p in paragraphs if p), title


def page_text(markup: str) -> tuple[str, str | None]:
    """The page's visible text, in an <article> or <main> when one holds enough, and its
    <title>: page furniture (navigation, headers, footers, forms) and scripts dropped."""
    parser = _Extractor()
    parser.feed(markup)
    parser.close()
    blocks = parser.article_blocks if _has_text(parser.article_blocks) else parser.blocks
    paragraphs = [_clean(" ".join(block)) for block in blocks]
    kept = [p for p in paragraphs if p and not _BOILERPLATE.match(p)]
    title = _clean(" ".join(parser.title)) or None
    return "\n\n".join(kept), title


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = [[]]
        self.title: list[str] = []
        self.stack: list[str] = []
        self.dropping = 0
        self.in_title = False
        self.in_article = 0
        self.article_blocks: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag == "br":
                self.blocks.append([])
            return
        self.stack.append(tag)
        if tag in _DROP:
            self.dropping += 1
        if tag == "title":
            self.in_title = True
        if tag in ("article", "main"):
            self.in_article += 1
        if tag in _BLOCK:
            self.blocks.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack:
            open_tag = self.stack.pop()
            if open_tag in _DROP:
                self.dropping -= 1
            if open_tag in ("article", "main"):
                self.in_article -= 1
            if open_tag == tag:
                break
        if tag == "title":
            self.in_title = False
        if tag in _BLOCK:
            self.blocks.append([])

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.dropping:
            self.blocks[-1].append(data)
            if self.in_article and self.blocks[-1] not in self.article_blocks:
                self.article_blocks.append(self.blocks[-1])


def _has_text(blocks: list[list[str]]) -> bool:
    return sum(len(" ".join(block).strip()) for block in blocks) > 200


def _clean(text: str) -> str:
    return " ".join(html.unescape(text).split())


def looks_like_html(text: str) -> bool:
    """True when the text is an HTML document or fragment."""
    head = text[:2000].lstrip().lower()
    return (
        head.startswith(("<!doctype html", "<html", "<?xml"))
        and "<html" in head
        or bool(re.search(r"<(p|div|body|article|span|a)\b[^>]*>", head))
    )
