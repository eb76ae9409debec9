"""The shortcuts of a lookup change nothing: scores without explanations, remembered routes."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from watchlist.matching.analysis import analyze, query_variants
from watchlist.matching.index import _ROUNDING, _total_bounds
from watchlist.matching.matcher import Matcher, implied_gender
from watchlist.matching.model import Match, Query
from watchlist.matching.scoring import compare_names, explain, score_names

QUERIES = st.sampled_from(
    [
        "Vladimir Putin", "President Vladimir Putin", "Mr. Mkrtychev", "Ashot Mkrtychev",
        "Yevgeniy Prigozhin", "Evgeny Prigozhin", "Kim Jong Un", "Wagner Group", "PMC Wagner",
        "Muhammad Ali", "Amir Al-Sa'di", "Limited Liability Company Verus", "John Kirby",
        "Mahmud Al-Ahmad", "Hassan Hassan", "Kum Song No. 7", "Mrs Shoigu", "Sergei Shoygu",
    ]
)  # fmt: skip


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(QUERIES, st.integers(min_value=0, max_value=10**6))
def test_name_score_is_the_explained_score(sdn_matcher: Matcher, query: str, seed: int) -> None:
    """The score a lookup ranks candidates by (`compare_names`, not yet explained) is the score
    of the explanation built from it, and of scoring the names afresh with the explanation."""
    index = sdn_matcher.index
    position = seed % len(index.analyses)
    listed = index.analyses[position]
    for analysis in (analyze(query), analyze(query, person=True)):
        explained = score_names(analysis, listed, sdn_matcher.rarity, sdn_matcher.settings)
        compared = compare_names(analysis, listed, sdn_matcher.rarity, sdn_matcher.settings)
        assert compared.score == explained.score
        assert explain(compared) == explained


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(QUERIES)
def test_lookup_explains_exactly_what_scoring_everything_would(
    sdn_matcher: Matcher, query: str
) -> None:
    """Every candidate scored and explained, best per entity: the matches `lookup` returns."""
    best: dict[int, Match] = {}
    wanted, gender = Query(query), implied_gender(query)
    for variant in query_variants(query):
        for position in sdn_matcher._candidates(variant, 0.5, None):
            match = sdn_matcher._score(variant, position, wanted, gender, {})
            current = best.get(match.entity_id)
            if current is None or (match.score, match.name_score) > (
                current.score,
                current.name_score,
            ):
                best[match.entity_id] = match
    ranked = sorted(best.values(), key=lambda m: (-m.score, m.entity_id))
    expected = [m for m in ranked if m.score >= 0.5][:5]
    assert sdn_matcher.lookup(Query(query), threshold=0.5, limit=5) == expected


def test_similar_tokens_are_the_same_set_every_time(sdn_matcher: Matcher) -> None:
    """Remembered routes come back as they were found, in a set of their own each time
    (candidate retrieval adds to the sets it is given)."""
    for token in analyze("Yevgeniy Prigozhin Muhammad Shoygu al-Assad").tokens:
        first, held = sdn_matcher.index.similar_tokens_held(token)
        again, held_again = sdn_matcher.index.similar_tokens_held(token)
        assert first == again and list(first) == list(again) and first is not again
        assert held == held_again


@given(
    st.floats(0.1, 50.0),
    st.floats(0.01, 1.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.lists(st.floats(0.05, 200.0), min_size=1, max_size=20),
)
def test_the_bound_on_a_candidates_total_weight_is_the_reach_test(
    weight: float, query_reach: float, reach: float, exponent: float, totals: list[float]
) -> None:
    """Candidate retrieval reads `qr * min(1, w / total) ** e >= reach` as `total <= bound`
    (checked exactly within rounding of the bound): the same answer for every total."""
    if query_reach < reach:
        return  # retrieval skips the whole group before asking
    surely, never = _total_bounds(weight, query_reach, reach, exponent)
    bound = surely / (1 - _ROUNDING)
    near = [bound * (1 + d) for d in (-1e-12, 0.0, 1e-12)] if 0 < bound < math.inf else []
    for total in totals + near:
        exact = query_reach * math.pow(min(1.0, weight / total), exponent) >= reach
        fast = total <= surely or (total < never and exact)
        assert fast == exact, (total, surely, never)
        if surely < total < never < math.inf:
            assert abs(total - bound) <= 2e-9 * bound  # computed only near the bound
