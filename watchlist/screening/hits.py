"""Screening articles: text in, hits out; stored with the list state and settings they used."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from watchlist import responses
from watchlist.budget import Deadline, run_within
from watchlist.extract.screen import TextHit, screen_text
from watchlist.matching.matcher import Matcher
from watchlist.matching.model import MatchSettings
from watchlist.models import Article, Hit, Mention
from watchlist.models.base import utcnow
from watchlist.registry.entities import EntityCard, card_json, entity_cards
from watchlist.registry.parties import (
    Listing,
    best_per_party,
    listing_json,
    listings,
    party_keys,
    party_label,
)
from watchlist.review import decisions as review
from watchlist.screening.answers import explanation_json
from watchlist.screening.matchers import MatcherCache, build_matcher, list_state


def settings_fingerprint(settings: MatchSettings) -> str:
    """A short digest of the matcher settings a hit was made with."""
    text = json.dumps(dataclasses.asdict(settings), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclasses.dataclass(frozen=True)
class Screener:
    """A matcher with the list state and settings its hits are stamped with."""

    matcher: Matcher
    list_state: int
    settings: str


def make_screener(
    session: Session, settings: MatchSettings, matchers: MatcherCache | None = None
) -> Screener:
    """A screener over the registry as it is now: the one way the scan, intake, the
    `watchlist screen` command and the API's screening endpoints get one, so every hit is
    stamped with the list state and settings fingerprint its matcher really had. With
    `matchers` (a web process's cache), its matcher is reused instead of built anew."""
    if matchers is not None:
        matcher, state = matchers.get(session)
    else:
        matcher, state = build_matcher(session, settings), list_state(session)
    return Screener(matcher=matcher, list_state=state, settings=settings_fingerprint(settings))


@dataclasses.dataclass(frozen=True)
class FoundHit:
    """A hit the screening core found in a text, as plain values that can cross processes."""

    start: int
    end: int
    text: str
    sentence: str
    sentence_start: int
    entity_id: int
    matched_name: str
    score: float
    route: str
    explanation: responses.Explanation

    @classmethod
    def of(cls, hit: TextHit) -> FoundHit:
        return cls(
            start=hit.start,
            end=hit.end,
            text=hit.text,
            sentence=hit.sentence,
            sentence_start=hit.sentence_start,
            entity_id=hit.entity_id,
            matched_name=hit.matched_name,
            score=hit.score,
            route=hit.route,
            explanation=explanation_json(hit.explanation),
        )


def find_hits(text: str, matcher: Matcher, deadline: Deadline | None = None) -> list[FoundHit]:
    """Every listed name in `text`; within `deadline` (in a child process) when one is given."""

    def screen() -> list[FoundHit]:
        return [FoundHit.of(hit) for hit in screen_text(text, matcher)]

    return screen() if deadline is None else run_within(screen, deadline)


def hit_json(hit: FoundHit, card: EntityCard, party: Sequence[Listing] = ()) -> responses.TextHit:
    """A hit as `/api/v1/screen` and `watchlist screen --json` show it, with every listing of
    its party."""
    found = party or (Listing(card),)
    return {
        "start": hit.start,
        "end": hit.end,
        "text": hit.text,
        "score": hit.score,
        "matched_name": hit.matched_name,
        "sentence": hit.sentence,
        "route": hit.route,
        "explanation": hit.explanation,
        "entity": card_json(card),
        "listed_as": party_label(found),
        "listings": [listing_json(listing) for listing in found],
    }


def one_per_party(session: Session, hits: Sequence[FoundHit]) -> list[FoundHit]:
    """A mention of a party listed by several lists is one hit: the best-scoring listing's."""
    parties = party_keys(session, {h.entity_id for h in hits})
    return best_per_party(hits, parties, slot=lambda hit: (hit.start, hit.end))


def screen_to_json(
    session: Session, text: str, matcher: Matcher, deadline: Deadline | None = None
) -> list[responses.TextHit]:
    """Screen a text without storing anything; hits in reading order, as JSON values."""
    hits = one_per_party(session, find_hits(text, matcher, deadline))
    ids = [h.entity_id for h in hits]
    cards = entity_cards(session, ids)
    found = listings(session, ids, lambda more: entity_cards(session, list(more)))
    return [
        hit_json(h, cards[h.entity_id], found.get(h.entity_id, ()))
        for h in hits
        if h.entity_id in cards
    ]


def store_hits(
    session: Session,
    article: Article,
    hits: Sequence[FoundHit],
    *,
    list_state: int,
    settings: str,
) -> int:
    """Record an article's hits; existing ones (and decisions on them) stay. Returns new hits.

    Written with bulk statements: a night's scan stores tens of thousands of hits.
    """
    session.flush()
    first_time = article.screened_state is None and article.screened_at is None
    mentions, stored = ({}, set()) if first_time else _stored(session, article.id)
    hits = one_per_party(session, _first_per_span_and_entity(hits))
    parties = party_keys(session, {h.entity_id for h in hits} | {e for _, _, e in stored})
    existing = {(start, end, parties.get(e, e)) for start, end, e in stored}
    fresh = [h for h in hits if _slot(h, parties) not in existing]
    fresh = _not_suppressed(session, fresh)
    _insert_mentions(session, article.id, fresh, mentions)
    if fresh:
        session.execute(
            sa.insert(Hit),
            [
                {
                    "mention_id": mentions[(h.start, h.end)],
                    "article_id": article.id,
                    "entity_id": h.entity_id,
                    "matched_name": h.matched_name,
                    "score": h.score,
                    "route": h.route,
                    "explanation": h.explanation,
                    "list_state": list_state,
                    "matcher_settings": settings,
                }
                for h in fresh
            ],
        )
    if fresh:
        session.expire(article, ["mentions"])  # written past the ORM: reload when read
    article.screened_state = list_state
    article.screened_at = utcnow()
    return len(fresh)


def _slot(hit: FoundHit, parties: dict[int, int]) -> tuple[int, int, int]:
    """Where a hit is and whose party it is: a stored hit on another listing of the same
    party, at the same place, makes a new hit there a repeat."""
    return hit.start, hit.end, parties.get(hit.entity_id, hit.entity_id)


def _not_suppressed(session: Session, hits: list[FoundHit]) -> list[FoundHit]:
    """Drop hits an analyst asked never to see again (this name, this entity)."""
    rules = review.suppressed(session, {h.entity_id for h in hits})
    return [h for h in hits if (h.entity_id, review.name_key(h.text)) not in rules]


def _first_per_span_and_entity(hits: Sequence[FoundHit]) -> list[FoundHit]:
    """The first hit of each (span, entity): two names of one entity may find the same span."""
    seen: dict[tuple[int, int, int], FoundHit] = {}
    for hit in hits:
        seen.setdefault((hit.start, hit.end, hit.entity_id), hit)
    return list(seen.values())


def _stored(
    session: Session, article_id: int
) -> tuple[dict[tuple[int, int], int], set[tuple[int, int, int]]]:
    """The article's mentions by span, and its hits as (start, end, entity)."""
    mentions = {
        (start, end): id_
        for id_, start, end in session.execute(
            sa.select(Mention.id, Mention.start, Mention.end).where(
                Mention.article_id == article_id
            )
        )
    }
    rows = session.execute(
        sa.select(Mention.start, Mention.end, Hit.entity_id)
        .join(Hit, Hit.mention_id == Mention.id)
        .where(Mention.article_id == article_id)
    )
    return mentions, {(start, end, entity_id) for start, end, entity_id in rows}


def _insert_mentions(
    session: Session,
    article_id: int,
    hits: Sequence[FoundHit],
    mentions: dict[tuple[int, int], int],
) -> None:
    """Insert the spans not stored yet; `mentions` gains their ids."""
    new: dict[tuple[int, int], FoundHit] = {}
    for hit in hits:
        if (hit.start, hit.end) not in mentions:
            new.setdefault((hit.start, hit.end), hit)
    if not new:
        return
    rows = [
        {
            "article_id": article_id,
            "start": h.start,
            "end": h.end,
            "text": h.text,
            "sentence_start": h.sentence_start,
            "sentence_end": h.sentence_start + len(h.sentence),
        }
        for h in new.values()
    ]
    statement = sa.insert(Mention).returning(Mention.id, sort_by_parameter_order=True)
    ids = session.scalars(statement, rows).all()
    mentions.update(zip(new.keys(), ids, strict=True))


def screen_article(
    session: Session,
    article: Article,
    matcher: Matcher,
    *,
    list_state: int,
    settings: str,
    deadline: Deadline | None = None,
) -> int:
    """Screen one stored article and record its hits; returns how many hits are new."""
    session.flush()
    return store_hits(
        session,
        article,
        find_hits(article.text, matcher, deadline),
        list_state=list_state,
        settings=settings,
    )
