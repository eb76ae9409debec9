"""Scoring one query name against one listed name: align tokens, then weigh the features.

Each feature is a small function of the same shape, and the explanation lists them all, so an
analyst sees which listed name matched, how its tokens lined up, and what each feature added.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from rapidfuzz.distance import Levenshtein

from watchlist.matching.analysis import OPTIONAL_ROLES, ROLE_WEIGHT, Analysis, Role, Token
from watchlist.matching.model import Feature, MatchSettings, TokenPair

Weigh = Callable[[str], float]
_TRANSLITERATION_FLOOR = 0.7


@dataclasses.dataclass(frozen=True)
class NameScore:
    """The outcome of comparing two names."""

    score: float
    alignment: tuple[TokenPair, ...]
    features: tuple[Feature, ...]
    unmatched_query: tuple[str, ...]
    unmatched_listed: tuple[str, ...]


def token_similarity(query: Token, listed: Token, settings: MatchSettings) -> tuple[float, str]:
    """How alike two tokens are (0..1) and why: exact, transliteration, initial or fuzzy."""
    if query.text == listed.text:
        return 1.0, "exact" if query.role is not Role.LEGAL else "legal form"
    if Role.LEGAL in (query.role, listed.role) or Role.NUMBER in (query.role, listed.role):
        return 0.0, "different"
    if Role.INITIAL in (query.role, listed.role):
        short, long = sorted((query.text, listed.text), key=len)
        return (settings.initial_similarity, "initial") if long.startswith(short) else (0.0, "")
    similarity = Levenshtein.normalized_similarity(query.text, listed.text)
    # Same consonants, vowels spelled differently (Shoygu/Shoigu, Evgeny/Yevgeniy); the edit
    # floor keeps different names with the same consonants apart (Putin/Potanin).
    if query.skeleton == listed.skeleton and similarity >= _TRANSLITERATION_FLOOR:
        return max(settings.transliteration_similarity, similarity), "transliteration"
    shortest = min(len(query.text), len(listed.text))
    if shortest <= 3:
        return 0.0, "different"
    # One typo in a short word makes another word (Iran/Miran): short tokens need more.
    needed = settings.min_token_similarity + (
        0.16 if shortest <= 5 else 0.1 if shortest <= 7 else 0
    )
    return (similarity, "fuzzy") if similarity >= needed else (0.0, "")


SimilarityCache = dict[tuple[Token, Token], tuple[float, str]]


def align(
    query: Sequence[Token],
    listed: Sequence[Token],
    settings: MatchSettings,
    cache: SimilarityCache | None = None,
) -> list[tuple[int, int, float, str]]:
    """Pair tokens greedily, most alike first, each token used once; order does not matter."""
    known: SimilarityCache = {} if cache is None else cache
    pairs = []
    for i, q in enumerate(query):
        for j, token in enumerate(listed):
            found = known.get((q, token))
            if found is None:
                found = known[(q, token)] = token_similarity(q, token, settings)
            similarity, how = found
            if similarity > 0:
                pairs.append((similarity, -abs(i - j), i, j, how))
    pairs.sort(reverse=True)
    used_q: set[int] = set()
    used_l: set[int] = set()
    chosen = []
    for similarity, _, i, j, how in pairs:
        if i not in used_q and j not in used_l:
            used_q.add(i)
            used_l.add(j)
            chosen.append((i, j, similarity, how))
    return chosen


def token_weight(token: Token, weigh: Weigh) -> float:
    """A token's weight: its rarity, scaled down for legal forms, particles, patronymics."""
    return weigh(token.text) * ROLE_WEIGHT.get(token.role, 1.0)


def score_names(
    query: Analysis,
    listed: Analysis,
    weigh: Weigh,
    settings: MatchSettings,
    cache: SimilarityCache | None = None,
) -> NameScore:
    """Compare two analysed names; the score is 0..1 before qualifiers.

    `cache` carries token similarities between the candidates of one lookup, which share
    most of their tokens.
    """
    pairs = align(query.tokens, listed.tokens, settings, cache)
    q_sims = [0.0] * len(query.tokens)
    l_sims = [0.0] * len(listed.tokens)
    for i, j, similarity, _ in pairs:
        q_sims[i] = l_sims[j] = similarity
    q_cover = _coverage(query.tokens, q_sims, weigh)
    l_cover = _coverage(listed.tokens, l_sims, weigh)
    features = [
        Feature("query coverage", q_cover, 0.0, "share of the query's name (by rarity) found"),
        Feature("listed coverage", l_cover, 0.0, "share of the listed name (by rarity) found"),
    ]
    base = q_cover**settings.query_weight * l_cover ** (1 - settings.query_weight)
    features.append(Feature("name similarity", base, base, "weighted mean of both coverages"))
    score = base
    for rule in (_partial_name, _given_name_conflict):
        feature = rule(query, listed, q_sims, l_sims, score, settings)
        if feature is not None:
            features.append(feature)
            score += feature.contribution
    return NameScore(
        score=max(0.0, min(1.0, score)),
        alignment=tuple(
            TokenPair(query.tokens[i].text, listed.tokens[j].text, round(s, 3), how)
            for i, j, s, how in sorted(pairs)
        ),
        features=tuple(features),
        unmatched_query=tuple(t.text for t, s in zip(query.tokens, q_sims, strict=True) if not s),
        unmatched_listed=tuple(t.text for t, s in zip(listed.tokens, l_sims, strict=True) if not s),
    )


def _coverage(tokens: Sequence[Token], sims: Sequence[float], weigh: Weigh) -> float:
    weights = [token_weight(token, weigh) for token in tokens]
    total = sum(weights)
    if total <= 0:
        return 0.0
    return sum(w * s for w, s in zip(weights, sims, strict=True)) / total


def _required(tokens: Sequence[Token]) -> list[int]:
    return [i for i, t in enumerate(tokens) if t.role not in OPTIONAL_ROLES]


def _partial_name(
    query: Analysis,
    listed: Analysis,
    q_sims: list[float],
    l_sims: list[float],
    score: float,
    settings: MatchSettings,
) -> Feature | None:
    """The query names only part of the listed name (a surname alone, one word of a firm)."""
    missing = [i for i in _required(listed.tokens) if not l_sims[i]]
    if not missing or not any(l_sims):
        return None
    penalty = score * (1 - settings.partial_name_penalty)
    names = ", ".join(listed.tokens[i].text for i in missing)
    return Feature("partial name", 1.0, -penalty, f"listed name parts not in the query: {names}")


def _given_name_conflict(
    query: Analysis,
    listed: Analysis,
    q_sims: list[float],
    l_sims: list[float],
    score: float,
    settings: MatchSettings,
) -> Feature | None:
    """Same surname, other given name (Michelle vs Barack Obama): not the same person."""
    if not listed.is_person_form:
        return None
    surname_hit = any(l_sims[j] for j, t in enumerate(listed.tokens) if t.role is Role.SURNAME)
    given_missed = [
        t.text for j, t in enumerate(listed.tokens) if t.role is Role.GIVEN and not l_sims[j]
    ]
    query_extra = [
        t.text
        for i, t in enumerate(query.tokens)
        if not q_sims[i] and t.role in (Role.NAME, Role.GIVEN, Role.SURNAME)
    ]
    if not (surname_hit and given_missed and query_extra):
        return None
    detail = f"given name {', '.join(query_extra)} is not {', '.join(given_missed)}"
    return Feature("different given name", 1.0, -score * 0.5, detail)
