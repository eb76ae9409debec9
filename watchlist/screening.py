"""Screening articles: text in, hits out; stored with the list state and settings they used."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from watchlist.config import MatchingSettings
from watchlist.extract.screen import TextHit, screen_text
from watchlist.lookup import explanation_json
from watchlist.matching.matcher import Matcher
from watchlist.models import Article, Hit, Mention
from watchlist.models.base import utcnow
from watchlist.registry import EntityCard, entity_cards


def settings_fingerprint(settings: MatchingSettings) -> str:
    """A short digest of the matcher settings a hit was made with."""
    text = json.dumps(dataclasses.asdict(settings), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def hit_json(hit: TextHit, card: EntityCard) -> dict[str, Any]:
    """A hit as `/api/v1/screen` and `watchlist screen --json` show it."""
    return {
        "start": hit.start,
        "end": hit.end,
        "text": hit.text,
        "score": hit.score,
        "matched_name": hit.matched_name,
        "sentence": hit.sentence,
        "route": hit.route,
        "explanation": explanation_json(hit.explanation),
        "entity": {
            "id": card.id,
            "name": card.name,
            "kind": card.kind,
            "programs": list(card.programs),
            "source": card.source,
            "source_key": card.source_key,
        },
    }


def screen_to_json(session: Session, text: str, matcher: Matcher) -> list[dict[str, Any]]:
    """Screen a text without storing anything; hits in reading order, as JSON values."""
    hits = screen_text(text, matcher)
    cards = entity_cards(session, [h.entity_id for h in hits])
    return [hit_json(h, cards[h.entity_id]) for h in hits if h.entity_id in cards]


def store_hits(
    session: Session,
    article: Article,
    hits: Sequence[TextHit],
    *,
    list_state: int,
    settings: str,
) -> int:
    """Record an article's hits; existing ones (and decisions on them) stay. Returns new hits."""
    mentions = {(m.start, m.end): m for m in article.mentions}
    existing: set[tuple[int, int, int]] = set()
    if article.id is not None:
        rows = session.execute(
            sa.select(Mention.start, Mention.end, Hit.entity_id)
            .join(Hit, Hit.mention_id == Mention.id)
            .where(Mention.article_id == article.id)
        )
        existing = {(start, end, entity_id) for start, end, entity_id in rows}
    created = 0
    for hit in hits:
        if (hit.start, hit.end, hit.entity_id) in existing:
            continue
        mention = mentions.get((hit.start, hit.end))
        if mention is None:
            mention = mentions[(hit.start, hit.end)] = Mention(
                article=article,
                start=hit.start,
                end=hit.end,
                text=hit.text,
                sentence_start=hit.sentence_start,
                sentence_end=hit.sentence_start + len(hit.sentence),
            )
            session.add(mention)
        session.add(
            Hit(
                mention=mention,
                article_id=article.id,
                entity_id=hit.entity_id,
                matched_name=hit.matched_name,
                score=hit.score,
                route=hit.route,
                explanation=explanation_json(hit.explanation),
                list_state=list_state,
                matcher_settings=settings,
            )
        )
        existing.add((hit.start, hit.end, hit.entity_id))
        created += 1
    article.screened_state = list_state
    article.screened_at = utcnow()
    return created


def screen_article(
    session: Session, article: Article, matcher: Matcher, *, list_state: int, settings: str
) -> int:
    """Screen one stored article and record its hits; returns how many hits are new."""
    session.flush()
    return store_hits(
        session,
        article,
        screen_text(article.text, matcher),
        list_state=list_state,
        settings=settings,
    )
