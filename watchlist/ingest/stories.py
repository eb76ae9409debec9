"""Grouping rewrites of one wire story: recent articles whose proper nouns overlap."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from watchlist.extract.spans import candidate_spans
from watchlist.extract.text import prepare
from watchlist.models import Article, Story

_SIGNATURE_SIZE = 60
# Rewrites of a wire story arrive close together: compare with this many recent articles.
_RECENT = 300


def signature(text: str) -> list[str]:
    """The proper nouns of a text (lower case, sorted): what rewrites of a story share."""
    words = {
        word.text.lower()
        for span in candidate_spans(prepare(text).text)
        for word in span.words
        if len(word.text) > 2
    }
    return sorted(words)[: _SIGNATURE_SIZE * 4]


def similarity(left: set[str], right: set[str]) -> float:
    """Jaccard overlap of two signatures."""
    union = left | right
    return len(left & right) / len(union) if union else 0.0


def assign_story(
    session: Session,
    article: Article,
    *,
    window_days: int,
    threshold: float,
) -> Story:
    """The story of the most similar recent article, or a new story."""
    moment = article.published_at or article.fetched_at
    since = moment - dt.timedelta(days=window_days)
    until = moment + dt.timedelta(days=window_days)
    mine = set(article.signature)
    when = sa.func.coalesce(Article.published_at, Article.fetched_at)
    recent = session.execute(
        sa.select(Article.story_id, Article.signature)
        .where(Article.story_id.is_not(None), Article.id != article.id)
        .where(when >= since, when <= until)
        .order_by(Article.id.desc())
        .limit(_RECENT)
    )
    best: tuple[float, int] | None = None
    for story_id, words in recent:
        score = similarity(mine, set(words))
        if story_id is not None and score >= threshold and (best is None or score > best[0]):
            best = (score, story_id)
    if best is not None:
        story = session.get(Story, best[1])
        if story is not None:
            return story
    story = Story(title=article.title, first_seen_at=moment)
    session.add(story)
    return story
