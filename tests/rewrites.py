"""Lightly edited rewrites of an article, made the way a news site edits wire copy."""

from __future__ import annotations

import re

from tests.conftest import ROOT

SEEDS = ROOT / "tests/fixtures/articles"
_SENTENCE_END = re.compile(r"(?<=[.!?”])\s+(?=[A-Z“])")


def seed_text(number: int) -> str:
    return (SEEDS / f"article-{number}.txt").read_text(encoding="utf-8")


def rewrite(
    text: str,
    *,
    headline: str = "Washington says Moscow turns to Pyongyang for arms",
    dateline: str = "WASHINGTON, March 31 (Wire) - ",
    added: str = "The Russian embassy did not answer a request for comment on Friday.",
) -> str:
    """The article with a new headline, a dateline before its first paragraph, a sentence
    added to that paragraph, and the last sentence of the second paragraph cut (the paragraph
    goes when it has one sentence)."""
    _, body = text.split("\n", 1)
    paragraphs = [paragraph.strip() for paragraph in body.split("\n") if paragraph.strip()]
    *kept, cut = _SENTENCE_END.split(paragraphs[1])
    paragraphs[1:2] = [" ".join(kept)] if kept else []
    paragraphs[0] = f"{dateline}{paragraphs[0]} {added}"
    edited = "\n\n".join([headline, *paragraphs]) + "\n"
    assert cut not in edited and added in edited
    return edited
