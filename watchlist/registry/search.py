"""Registry search as an analyst expects it: fuzzy names ranked by the matcher's score,
identifiers whatever their spacing, filters for list, program, kind and country, every page.

Three ways an entity is found, best first:
- an identifier (passport, national ID, tax or registration number, IMO, SWIFT/BIC) written as
  the text, spaces, dashes, dots and case aside (score 1.0);
- a name or alias scored at or above the minimum score by the matcher (misspellings,
  transliterations, other scripts, word order). A search is often part of a name (`Putin`,
  `Mkrtichev`): its score is the better of the matcher's score and the share of the text the
  name holds (the matcher's query coverage), so the surname alone finds its holders;
- a name or alias with a word beginning with the text (no score: a fragment of a name).
Delisted entities are outside the matcher's index: they are found by identifier and by
containment only.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from watchlist.errors import InputError
from watchlist.matching.matcher import Matcher
from watchlist.matching.model import Match, Query
from watchlist.matching.scoring import QUERY_COVERAGE
from watchlist.models import (
    Address,
    Designation,
    Entity,
    EntityKind,
    EntityName,
    Identifier,
    ListSource,
    Nationality,
    Program,
    number_key,
)
from watchlist.registry import qualifiers
from watchlist.registry.qualifiers import country_key
from watchlist.timestamps import iso_date

DEFAULT_MIN_SCORE = 0.8
LOWEST_MIN_SCORE = 0.5
# At most this many entities come from the matcher: more than any analyst pages through, and
# the lookup stays fast at the lowest minimum score.
FUZZY_LIMIT = 1000
FUZZY_CANDIDATES = 2000
# Containment needs a few characters: 'al' is inside half the list.
CONTAINS_MIN_LENGTH = 3
# An identifier shorter than this must be written whole; longer ones also find the numbers
# they begin (an 8-letter BIC finds its 11-letter branch codes).
PREFIX_MIN_LENGTH = 6
MATCHED_BY = ("identifier", "name", "contains")


@dataclasses.dataclass(frozen=True)
class SearchQuery:
    """What to look for, and the filters."""

    text: str
    min_score: float = DEFAULT_MIN_SCORE
    source: str | None = None
    program: str | None = None
    kind: str | None = None
    country: str | None = None
    include_delisted: bool = False
    page: int = 1
    per_page: int = 50


@dataclasses.dataclass(frozen=True)
class SearchResult:
    """One entity found, and how."""

    id: int
    kind: str
    primary_name: str
    matched_name: str
    matched_by: str
    score: float | None
    source: str
    source_key: str
    programs: tuple[str, ...]
    delisted_on: str | None


@dataclasses.dataclass(frozen=True)
class SearchPage:
    results: list[SearchResult]
    total: int
    page: int
    per_page: int


@dataclasses.dataclass(frozen=True)
class _Found:
    entity_id: int
    matched_name: str
    matched_by: str
    score: float | None
    match_score: float = 0.0  # the matcher's own score: breaks ties of the search score

    @property
    def rank(self) -> tuple[int, float, float, int]:
        order = MATCHED_BY.index(self.matched_by)
        return (order, -(self.score or 0.0), -self.match_score, self.entity_id)


def search_registry(session: Session, matcher: Matcher | None, query: SearchQuery) -> SearchPage:
    """One page of the entities the text finds, best first, with the total.

    `matcher` is the lookup index of the listed entities (None: names by containment only).
    """
    _check(query)
    found = _best_per_entity(
        [
            *_by_identifier(session, query.text),
            *_by_name(matcher, query),
            *_by_containment(session, query.text),
        ]
    )
    kept = _filter(session, found, query)
    start = (query.page - 1) * query.per_page
    shown = kept[start : start + query.per_page]
    return SearchPage(_results(session, shown), len(kept), query.page, query.per_page)


def _check(query: SearchQuery) -> None:
    if not query.text.strip():
        raise InputError("search needs a name or an identifier.")
    if not LOWEST_MIN_SCORE <= query.min_score <= 1.0:
        raise InputError(f"the minimum score must lie between {LOWEST_MIN_SCORE} and 1.0.")
    if query.kind is not None and query.kind not in {k.value for k in EntityKind}:
        kinds = ", ".join(k.value for k in EntityKind)
        raise InputError(f"unknown kind {query.kind!r}; use one of: {kinds}.")


def _by_identifier(session: Session, text: str) -> list[_Found]:
    key = number_key(text)
    # A number has digits; a SWIFT/BIC code may not, but has 8 or 11 characters.
    if len(key) < 4 or (len(key) < 8 and not any(char.isdigit() for char in key)):
        return []
    matches = Identifier.number_key == key
    if len(key) >= PREFIX_MIN_LENGTH:
        matches = sa.or_(matches, Identifier.number_key.like(f"{key}%"))
    rows = session.execute(
        sa.select(Identifier.entity_id, Identifier.kind, Identifier.value).where(matches)
    )
    return [
        _Found(entity_id, f"{kind} {value}", "identifier", 1.0) for entity_id, kind, value in rows
    ]


def _by_name(matcher: Matcher | None, query: SearchQuery) -> list[_Found]:
    if matcher is None:
        return []
    matches = matcher.lookup(
        Query(query.text, kind=query.kind),
        limit=FUZZY_LIMIT,
        threshold=LOWEST_MIN_SCORE,
        candidates=FUZZY_CANDIDATES,
    )
    scored = [(search_score(m), m) for m in matches]
    return [
        _Found(m.entity_id, m.matched_name, "name", score, m.score)
        for score, m in scored
        if score >= query.min_score
    ]


def search_score(match: Match) -> float:
    """How well a listed name answers a search: the match score, or the share of the searched
    text the name holds when that is higher (the text is often part of the name)."""
    coverage = next((f.value for f in match.explanation.features if f.name == QUERY_COVERAGE), 0.0)
    return round(max(match.score, coverage), 4)


def _by_containment(session: Session, text: str) -> list[_Found]:
    folded = " ".join(text.casefold().split())
    if len(folded) < CONTAINS_MIN_LENGTH:
        return []
    escaped = _escape_like(folded)
    name = sa.func.lower(EntityName.name)
    word_start = sa.or_(
        *(name.like(pattern, escape="\\") for pattern in (f"{escaped}%", f"% {escaped}%",
                                                           f"%-{escaped}%", f"%({escaped}%"))
    )  # fmt: skip
    rows = session.execute(
        sa.select(EntityName.entity_id, EntityName.name)
        .where(word_start)
        .order_by(EntityName.kind != "primary", EntityName.id)
    )
    return [_Found(entity_id, name, "contains", None) for entity_id, name in rows]


def _best_per_entity(found: Iterable[_Found]) -> list[_Found]:
    best: dict[int, _Found] = {}
    for item in found:
        current = best.get(item.entity_id)
        if current is None or item.rank < current.rank:
            best[item.entity_id] = item
    return sorted(best.values(), key=lambda item: item.rank)


def _filter(session: Session, found: Sequence[_Found], query: SearchQuery) -> list[_Found]:
    """The entities found that pass every filter, in their order."""
    if not found:
        return []
    ids = [item.entity_id for item in found]
    allowed: set[int] = set()
    for chunk in _chunks(ids):
        condition = sa.select(Entity.id).where(Entity.id.in_(chunk))
        if not query.include_delisted:
            condition = condition.where(Entity.delisted_on.is_(None))
        if query.kind is not None:
            condition = condition.where(Entity.kind == EntityKind(query.kind))
        if query.source is not None:
            condition = condition.join(ListSource, ListSource.id == Entity.source_id).where(
                ListSource.code == query.source
            )
        if query.program is not None:
            condition = condition.where(
                sa.select(Designation.id)
                .join(Program, Program.id == Designation.program_id)
                .where(Designation.entity_id == Entity.id, Program.code == query.program)
                .exists()
            )
        allowed.update(session.scalars(condition))
    if query.country is not None:
        allowed &= _in_country(session, allowed, query.country)
    return [item for item in found if item.entity_id in allowed]


def _in_country(session: Session, ids: set[int], country: str) -> set[int]:
    """Those of the entities with a nationality, citizenship or address in the country (an ISO
    code or a name, read as lookups read a country)."""
    wanted = country_key(qualifiers.country(country))
    within: set[int] = set()
    for chunk in _chunks(sorted(ids)):
        for model in (Nationality, Address):
            rows = session.execute(
                sa.select(model.entity_id, model.country)
                .where(model.entity_id.in_(chunk), model.country.is_not(None))
            )  # fmt: skip
            within.update(e for e, listed in rows if country_key(listed or "") == wanted)
    return within


def _results(session: Session, shown: Sequence[_Found]) -> list[SearchResult]:
    ids = [item.entity_id for item in shown]
    if not ids:
        return []
    programs: dict[int, list[str]] = defaultdict(list)
    for entity_id, code in session.execute(
        sa.select(Designation.entity_id, Program.code)
        .join(Program, Program.id == Designation.program_id)
        .where(Designation.entity_id.in_(ids))
    ):
        programs[entity_id].append(code)
    entities = {
        entity.id: (entity, code)
        for entity, code in session.execute(
            sa.select(Entity, ListSource.code)
            .join(ListSource, ListSource.id == Entity.source_id)
            .where(Entity.id.in_(ids))
        )
    }
    results = []
    for item in shown:
        entity, source = entities[item.entity_id]
        results.append(
            SearchResult(
                id=entity.id,
                kind=entity.kind.value,
                primary_name=entity.primary_name,
                matched_name=item.matched_name,
                matched_by=item.matched_by,
                score=item.score,
                source=source,
                source_key=entity.source_key,
                programs=tuple(sorted(programs[entity.id])),
                delisted_on=iso_date(entity.delisted_on),
            )
        )
    return results


def _known_country(listed: str) -> str | None:
    """The country a listed country names, as the filter reads it (None: no country)."""
    try:
        return qualifiers.country(listed)
    except InputError:
        return None


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclasses.dataclass(frozen=True)
class FilterChoices:
    """What each filter can be set to: the lists, programs, kinds and countries on record."""

    sources: list[str]
    programs: list[str]
    kinds: list[str]
    countries: list[str]


def filter_choices(session: Session) -> FilterChoices:
    listed = {
        country
        for model in (Nationality, Address)
        for country in session.scalars(sa.select(model.country).distinct())
        if country
    }
    countries = {name for name in map(_known_country, listed) if name is not None}
    return FilterChoices(
        sources=list(session.scalars(sa.select(ListSource.code).order_by(ListSource.code))),
        programs=list(session.scalars(sa.select(Program.code).order_by(Program.code))),
        kinds=[kind.value for kind in EntityKind],
        countries=sorted(countries),
    )
