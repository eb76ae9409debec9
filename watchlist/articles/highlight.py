"""An article's text cut into plain and highlighted segments, for showing mentions in context.

Segments carry plain text only; the page escapes each one, so markup in an article is shown
as text and never interpreted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from watchlist.extract.text import readable


@dataclass(frozen=True)
class Span:
    """A stretch of the text to highlight: a mention, and the hit it leads to."""

    start: int
    end: int
    hit_id: int | None = None
    current: bool = False  # the mention the page is about


@dataclass(frozen=True)
class Segment:
    text: str
    span: Span | None = None  # None: plain text


def segments(text: str, spans: Iterable[Span], *, offset: int = 0) -> list[Segment]:
    """`text` (which starts at `offset` of the article) cut at the spans that fall in it,
    each piece repaired for reading (`readable`: mis-decoded quotes shown as the quotes meant).

    Overlapping spans are merged into the first (the current mention wins a tie)."""
    ordered = sorted(spans, key=lambda s: (s.start, not s.current, -(s.end - s.start)))
    cut: list[Segment] = []
    position = 0
    for span in ordered:
        start, end = span.start - offset, span.end - offset
        if start < position or end > len(text) or start >= end:
            continue  # overlaps an earlier span, or lies outside this text
        if start > position:
            cut.append(Segment(_piece(text, position, start)))
        cut.append(Segment(_piece(text, start, end), span))
        position = end
    if position < len(text):
        cut.append(Segment(_piece(text, position, len(text))))
    return cut


def _piece(text: str, start: int, end: int) -> str:
    return readable(text[start:end], before=text[start - 1] if start else "")
