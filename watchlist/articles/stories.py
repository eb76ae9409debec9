"""Grouping rewrites of one report into a story: articles that share most of their copy.

An article's fingerprint is a bottom-k sketch of its text: every run of `SHINGLE_WORDS`
normalised words (a shingle) is hashed, and the `SKETCH_SIZE` smallest hashes are kept. Two
sketches estimate the share of shingles two texts have in common (their Jaccard resemblance):
lightly edited rewrites of one report (another headline, a sentence added or cut, paragraphs
reordered, another byline or dateline, typos fixed) keep most of them; two reports about the
same people, in words of their own, share almost none.

Rewrites find each other through an index, not by reading recent articles: the `MARKS`
smallest values of each sketch are stored in `story_marks`, and a new article's candidates are
the articles holding one of its marks. Two texts with half their copy in common miss each
other's marks about once in 65,000 times (a chance of (1 - resemblance) ** MARKS), however many
other articles arrived between them.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from watchlist.models import Article, Story, StoryMark

SHINGLE_WORDS = 5
SKETCH_SIZE = 64
MARKS = 16
# A mark shared by many articles (site boilerplate, a stock phrase) leads to its newest
# articles only; the marks of the copy itself are shared by its rewrites alone.
_PER_MARK = 50
# The articles sharing the most marks are compared; a rewrite shares most of them.
_CANDIDATES = 20

_WORD = re.compile(r"[^\W_]+")
_HEX_DIGITS = 16  # a sketch value, 63 bits, as text: sorted as text is sorted as numbers
_HEX = re.compile(f"[0-9a-f]{{{_HEX_DIGITS}}}")


def words(text: str) -> list[str]:
    """The words of a text, compatibility-normalised and case-folded; punctuation dropped."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str) -> set[str]:
    """Every run of `SHINGLE_WORDS` words of the text (the whole text when it is shorter)."""
    found = words(text)
    if len(found) <= SHINGLE_WORDS:
        return {" ".join(found)} if found else set()
    starts = range(len(found) - SHINGLE_WORDS + 1)
    return {" ".join(found[at : at + SHINGLE_WORDS]) for at in starts}


def fingerprint(text: str) -> list[str]:
    """The text's sketch: the `SKETCH_SIZE` smallest shingle hashes, ascending, as hex."""
    hashes = sorted({_hash(shingle) for shingle in shingles(text)})
    return [f"{value:0{_HEX_DIGITS}x}" for value in hashes[:SKETCH_SIZE]]


def _hash(shingle: str) -> int:
    """A stable 63-bit hash (fits a signed BIGINT column)."""
    digest = hashlib.blake2b(shingle.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def resemblance(left: Sequence[str], right: Sequence[str]) -> float:
    """The estimated share of the two texts' shingles they have in common (0 to 1).

    The bottom-k estimate: of the smallest `SKETCH_SIZE` values of both sketches together, the
    share found in both.
    """
    union = sorted({*left, *right})[:SKETCH_SIZE]
    if not union:
        return 0.0
    both = set(left) & set(right)
    return sum(1 for value in union if value in both) / len(union)


def marks(sketch: Sequence[str]) -> list[int]:
    """The values of a sketch that index it: its `MARKS` smallest; none for a signature stored
    before fingerprints (the article's proper nouns): such an article is never a candidate."""
    if not all(_HEX.fullmatch(value) for value in sketch):
        return []
    return [int(value, 16) for value in sketch[:MARKS]]


def assign_story(
    session: Session,
    article: Article,
    *,
    window_days: int,
    threshold: float,
) -> Story:
    """The story of the stored article this one most resembles (within the window, at least
    `threshold`), or a new story; the article's marks are indexed for the articles to come."""
    moment = article.published_at or article.fetched_at
    window = (moment - dt.timedelta(days=window_days), moment + dt.timedelta(days=window_days))
    mine = marks(article.signature)
    story = _closest_story(session, article, mine, window, threshold)
    if mine:
        rows = [{"article_id": article.id, "mark": mark} for mark in mine]
        session.execute(sa.insert(StoryMark), rows)
    if story is not None:
        return story
    story = Story(title=article.title, first_seen_at=moment)
    session.add(story)
    return story


def _closest_story(
    session: Session,
    article: Article,
    mine: list[int],
    window: tuple[dt.datetime, dt.datetime],
    threshold: float,
) -> Story | None:
    """The story of the candidate in the window most resembling the article, if any does
    enough."""
    if not mine:
        return None
    padded = mine + [_NO_MARK] * (MARKS - len(mine))
    sharing = list(session.scalars(_sharing(), {f"mark_{at}": m for at, m in enumerate(padded)}))
    if not sharing:
        return None
    # The ids are written into the statement: each lookup is planned for the table as it is
    # (PostgreSQL would otherwise keep a plan made while the table was small: a full scan).
    ids: sa.BindParameter[int] = sa.bindparam("ids", sharing, expanding=True, literal_execute=True)
    when = sa.func.coalesce(Article.published_at, Article.fetched_at)
    candidates = session.execute(
        sa.select(Article.story_id, Article.signature)
        .where(Article.id.in_(ids), Article.id != article.id)
        .where(Article.story_id.is_not(None), when >= window[0], when <= window[1])
    )
    best: tuple[float, int] | None = None
    for story_id, sketch in candidates:
        score = resemblance(article.signature, sketch)
        if story_id is not None and score >= threshold and (best is None or score > best[0]):
            best = (score, story_id)
    return session.get(Story, best[1]) if best is not None else None


_NO_MARK = -1  # fills the places of the marks a short text does not have: matches nothing


@functools.cache
def _sharing() -> sa.Select[tuple[int]]:
    """The articles sharing the most of the marks `mark_0`, `mark_1`, ... (newest first among
    equals): one index lookup per mark.

    Built once: the statement is the same for every article, only its values change.
    """
    postings = [
        sa.select(StoryMark.article_id)
        .where(StoryMark.mark == sa.bindparam(f"mark_{at}", type_=sa.BigInteger))
        .order_by(StoryMark.article_id.desc())
        .limit(_PER_MARK)
        .subquery()
        for at in range(MARKS)
    ]
    found = sa.union_all(*(sa.select(posting.c.article_id) for posting in postings)).subquery()
    return (
        sa.select(found.c.article_id)
        .group_by(found.c.article_id)
        .order_by(sa.func.count().desc(), found.c.article_id.desc())
        .limit(_CANDIDATES)
    )
