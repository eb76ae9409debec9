"""Property-based tests: the normaliser never crashes; lookups ignore case and spacing."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from watchlist.matching.analysis import analyze, query_variants
from watchlist.matching.matcher import Matcher
from watchlist.matching.model import Query
from watchlist.matching.normalize import fold, tokenize

LISTED = [
    "MKRTYCHEV, Ashot", "PRIGOZHIN, Yevgeniy Viktorovich", "SHOIGU, Sergei Kuzhugetovich",
    "PUTIN, Vladimir Vladimirovich", "KIM, Jong Un", "PRIVATE MILITARY COMPANY 'WAGNER'",
    "LIMITED LIABILITY COMPANY VERUS", "VERSOR S.R.O.", "QODS AVIATION INDUSTRIES",
]  # fmt: skip


@given(st.text())
def test_normaliser_never_crashes(text: str) -> None:
    tokens = tokenize(text)
    assert all(token and token.isascii() and token == token.lower() for token in tokens)
    assert isinstance(fold(text), str)
    for person in (None, True, False):
        analyze(text, person=person)
        query_variants(text, person=person)


def _respace(name: str, gaps: list[str]) -> str:
    words = name.split()
    return "".join(w + gaps[i % len(gaps)] for i, w in enumerate(words))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(
    index=st.integers(min_value=0, max_value=len(LISTED) - 1),
    upper=st.lists(st.booleans(), min_size=1, max_size=40),
    gaps=st.lists(st.sampled_from([" ", "  ", "\t", " \n "]), min_size=1, max_size=4),
)
def test_lookup_is_stable_under_case_and_whitespace(
    sdn_matcher: Matcher, index: int, upper: list[bool], gaps: list[str]
) -> None:
    name = LISTED[index]
    cased = "".join(c.upper() if upper[i % len(upper)] else c.lower() for i, c in enumerate(name))
    variant = _respace(cased, gaps)
    expected = [(m.entity_id, m.score) for m in sdn_matcher.lookup(Query(name))]
    assert [(m.entity_id, m.score) for m in sdn_matcher.lookup(Query(variant))] == expected
    assert expected  # every listed name finds itself


@given(st.text(max_size=80))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)
def test_lookup_never_crashes_and_scores_stay_in_range(sdn_matcher: Matcher, text: str) -> None:
    for match in sdn_matcher.lookup(Query(text), threshold=0.0, limit=5):
        assert 0.0 <= match.score <= 1.0
