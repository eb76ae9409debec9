"""The in-memory index: token postings with transliteration and typo routes, token rarity.

Candidate retrieval never compares a query with every listed name. Each query token is looked
up exactly, by consonant skeleton (transliteration variants) and through single-deletion keys
(typos); the names sharing the rarest tokens become candidates. Tokens so common that they say
little (CORP, GROUP, TRADING, KIM) do not fetch candidates on their own.
"""

from __future__ import annotations

import math
from array import array
from collections import defaultdict
from collections.abc import Iterable

from watchlist.matching.analysis import ROLE_WEIGHT, Analysis, Role, Token, analyze
from watchlist.matching.model import NameRecord


def deletions(text: str) -> set[str]:
    """Every string one deletion away (the symmetric-delete typo route)."""
    return {text[:i] + text[i + 1 :] for i in range(len(text))}


class NameIndex:
    """Listed names, analysed once, with the lookup structures built over their tokens."""

    FUZZY_MIN_LENGTH = 4

    def __init__(self, records: Iterable[NameRecord]) -> None:
        self.records: list[NameRecord] = []
        self.analyses: list[Analysis] = []
        self.weak: dict[str, list[int]] = defaultdict(list)
        postings: dict[str, array[int]] = defaultdict(lambda: array("I"))
        tokens: dict[tuple[str, Role, str], Token] = {}
        for record in records:
            analysis = _intern(analyze(record.name, person=record.entity_kind == "person"), tokens)
            index = len(self.records)
            self.records.append(record)
            self.analyses.append(analysis)
            if record.is_weak:
                self.weak[analysis.key].append(index)
                continue
            for text in dict.fromkeys(analysis.texts):
                postings[text].append(index)
        self.postings = dict(postings)
        self.size = max(1, len(self.records))
        self.unseen_weight = math.log((self.size + 1) / 0.5)
        self.weights = {text: self._rarity(len(p)) for text, p in self.postings.items()}
        self.totals = array("d", (self.name_weight(a) for a in self.analyses))
        self.skeletons = _skeleton_index(tokens.values())
        self.deletes = _delete_index(self.postings, self.FUZZY_MIN_LENGTH)

    def frequency(self, text: str) -> int:
        """How many listed names hold the token."""
        posting = self.postings.get(text)
        return len(posting) if posting is not None else 0

    def weight(self, text: str) -> float:
        """Rarity of a token: rare tokens identify a name, common ones barely."""
        return self.weights.get(text, self.unseen_weight)

    def name_weight(self, analysis: Analysis) -> float:
        """The total weight of a name's tokens (what coverage is measured against)."""
        return sum(token_weight(self, token) for token in analysis.tokens)

    def _rarity(self, frequency: int) -> float:
        return math.log((self.size + 1) / (frequency + 0.5))

    def similar_tokens(self, token: Token) -> set[str]:
        """Listed tokens that may be `token`: itself, its transliterations, one-typo variants."""
        found = {token.text} if token.text in self.postings else set()
        if token.role in (Role.NUMBER, Role.INITIAL, Role.LEGAL):
            return found
        found.update(self.skeletons.get(token.skeleton, ()))
        if len(token.text) >= self.FUZZY_MIN_LENGTH:
            found.update(self.deletes.get(token.text, ()))
            for variant in deletions(token.text):
                found.update(self.deletes.get(variant, ()))
                if variant in self.postings:
                    found.add(variant)
        return found


def _intern(analysis: Analysis, tokens: dict[tuple[str, Role, str], Token]) -> Analysis:
    """Share equal Token objects between names (a million names hold far fewer tokens)."""
    shared = tuple(tokens.setdefault((t.text, t.role, t.skeleton), t) for t in analysis.tokens)
    return Analysis(tokens=shared, is_person_form=analysis.is_person_form)


def _skeleton_index(tokens: Iterable[Token]) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, set[str]] = defaultdict(set)
    for token in tokens:
        if len(token.skeleton) >= 2 and token.role not in (Role.LEGAL, Role.NUMBER):
            grouped[token.skeleton].add(token.text)
    return {key: tuple(texts) for key, texts in grouped.items()}


def _delete_index(postings: dict[str, array[int]], min_length: int) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for text in postings:
        if len(text) >= min_length and not text.startswith("~"):
            for variant in deletions(text):
                grouped[variant].append(text)
    return {key: tuple(texts) for key, texts in grouped.items()}


def top_candidates(
    index: NameIndex,
    query: Analysis,
    *,
    limit: int,
    generic_share: float,
    floor: float = 0.0,
    query_weight: float = 0.6,
) -> list[int]:
    """Names sharing the query's most telling tokens, best first (at most `limit`).

    Rare tokens fetch candidates; tokens so common they say little (CORP, GROUP, KIM) only
    rank the candidates the rare ones fetched. A candidate whose best possible score (every
    shared token a perfect match) stays under `floor` is never scored.
    """
    generic_at = max(50, int(index.size * generic_share))
    routes = [index.similar_tokens(token) for token in query.tokens]
    weights = [token_weight(index, token) for token in query.tokens]
    telling = [
        i for i, texts in enumerate(routes) if any(index.frequency(t) <= generic_at for t in texts)
    ]
    fetching = telling or [i for i, texts in enumerate(routes) if texts]
    credited = _fetch(index, routes, fetching, generic_at if telling else None)
    shared = _credit_all_tokens(index, routes, weights, credited)
    total = sum(weights) or 1.0
    bounds = []
    for name, weight in shared.items():
        bound = (weight / total) ** query_weight * min(1.0, weight / index.totals[name]) ** (
            1 - query_weight
        )
        if bound >= floor * _SLACK:
            bounds.append((bound, weight, name))
    bounds.sort(reverse=True)
    return [name for _, _, name in bounds[:limit]]


# Fuzzy and transliterated tokens share less than their weight: leave room below the floor.
_SLACK = 0.9


def _fetch(
    index: NameIndex,
    routes: list[set[str]],
    fetching: list[int],
    generic_at: int | None,
) -> dict[int, set[int]]:
    """Candidate names, each with the query tokens that fetched it."""
    credited: dict[int, set[int]] = defaultdict(set)
    for i in fetching:
        for text in routes[i]:
            if generic_at is not None and index.frequency(text) > generic_at:
                continue
            for name in index.postings.get(text, ()):
                credited[name].add(i)
    return credited


def _credit_all_tokens(
    index: NameIndex,
    routes: list[set[str]],
    weights: list[float],
    credited: dict[int, set[int]],
) -> dict[int, float]:
    """Shared weight per candidate, counting the common tokens it holds too."""
    by_text: dict[str, list[int]] = defaultdict(list)
    for i, texts in enumerate(routes):
        for text in texts:
            by_text[text].append(i)
    shared: dict[int, float] = {}
    for name, tokens in credited.items():
        found = set(tokens)
        for token in index.analyses[name].tokens:
            found.update(by_text.get(token.text, ()))
        shared[name] = sum(weights[i] for i in found)
    return shared


def token_weight(index: NameIndex, token: Token) -> float:
    """A token's weight: its rarity, scaled down for legal forms, particles, patronymics."""
    return index.weight(token.text) * ROLE_WEIGHT.get(token.role, 1.0)
