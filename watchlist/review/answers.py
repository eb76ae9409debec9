"""A stored hit, with its decisions, as the API shows it (the shapes are in
`watchlist.responses`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy.orm import Session

from watchlist import responses
from watchlist.models import Decision, Hit
from watchlist.registry import entities, parties
from watchlist.review.decisions import history
from watchlist.timestamps import rfc3339


def hits_json(session: Session, hits: Sequence[Hit]) -> list[responses.StoredHit]:
    """Stored hits as the API shows them, with their entity cards and their party's listings."""
    ids = [hit.entity_id for hit in hits]
    cards = entities.entity_cards(session, ids)
    found = parties.listings(session, ids, lambda more: entities.entity_cards(session, list(more)))
    return [hit_json(hit, cards[hit.entity_id], found.get(hit.entity_id, ())) for hit in hits]


def hit_json(
    hit: Hit, card: entities.EntityCard, party: Sequence[parties.Listing] = ()
) -> responses.StoredHit:
    """One stored hit, with every listing of its party."""
    mention, article = hit.mention, hit.article
    listed = party or (parties.Listing(card),)
    return {
        "id": hit.id,
        "article_id": hit.article_id,
        "story_id": article.story_id,
        "status": hit.status.value,
        "created_at": rfc3339(hit.created_at),
        "list_state": hit.list_state,
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "sentence": article.text[mention.sentence_start : mention.sentence_end],
        "score": hit.score,
        "matched_name": hit.matched_name,
        "route": hit.route,
        # Stored as screening.answers.explanation_json wrote it.
        "explanation": cast(responses.Explanation, hit.explanation),
        "entity": entities.card_json(card),
        "listed_as": parties.party_label(listed),
        "listings": [parties.listing_json(listing) for listing in listed],
    }


def hit_detail(session: Session, hit: Hit) -> responses.HitDetail:
    """A stored hit with every decision on it, oldest first."""
    [found] = hits_json(session, [hit])
    return {**found, "decisions": [decision_json(d) for d in history(session, hit.id)]}


def decision_json(decision: Decision) -> responses.DecisionOut:
    """One decision as the API shows it."""
    return {
        "id": decision.id,
        "action": decision.action.value,
        "reason": decision.reason.value if decision.reason else None,
        "note": decision.note,
        "actor": decision.actor,
        "created_at": rfc3339(decision.created_at),
    }
