"""A match and its explanation as the API and `watchlist lookup --json` show them, built to the
shapes in `watchlist.responses`."""

from __future__ import annotations

from collections.abc import Sequence

from watchlist import responses
from watchlist.matching.model import Explanation, Match
from watchlist.registry.entities import EntityCard, card_json
from watchlist.registry.parties import Listing, listing_json, party_label


def match_json(
    match: Match, card: EntityCard, party: Sequence[Listing] = ()
) -> responses.MatchResult:
    """A match as the API and `--json` output show it, with every listing of its party."""
    found = party or (Listing(card),)
    return {
        "entity": card_json(card),
        "matched_name": match.matched_name,
        "name_kind": match.name_kind,
        "score": match.score,
        "explanation": explanation_json(match.explanation),
        "listed_as": party_label(found),
        "listings": [listing_json(listing) for listing in found],
    }


def explanation_json(explanation: Explanation) -> responses.Explanation:
    """Why a name matched, as JSON: the token alignment and each feature's contribution."""
    return {
        "alignment": [
            {"query": p.query, "listed": p.listed, "similarity": p.similarity, "how": p.how}
            for p in explanation.alignment
        ],
        "features": [
            {"name": f.name, "value": round(f.value, 4),
             "contribution": round(f.contribution, 4), "detail": f.detail}
            for f in explanation.features
        ],
        "unmatched_query": list(explanation.unmatched_query),
        "unmatched_listed": list(explanation.unmatched_listed),
    }  # fmt: skip
