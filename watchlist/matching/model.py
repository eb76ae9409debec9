"""Values that cross into and out of the matching core: records, settings, matches."""

from __future__ import annotations

import dataclasses
import datetime as dt

from mypy_extensions import mypyc_attr


@mypyc_attr(acyclic=True)
@dataclasses.dataclass(frozen=True, slots=True)
class NameRecord:
    """One listed name of one entity, as the registry holds it."""

    entity_id: int
    name: str
    entity_kind: str  # person, organization, vessel, aircraft
    name_kind: str = "primary"  # primary, aka, fka, nka, weak_aka

    def __init__(
        self, entity_id: int, name: str, entity_kind: str, name_kind: str = "primary"
    ) -> None:
        object.__setattr__(self, "entity_id", entity_id)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "entity_kind", entity_kind)
        object.__setattr__(self, "name_kind", name_kind)

    @property
    def is_weak(self) -> bool:
        return self.name_kind == "weak_aka"


@mypyc_attr(acyclic=True)
@dataclasses.dataclass(frozen=True, slots=True)
class EntityProfile:
    """What the qualifiers compare (birth dates as (year, month, day), countries), and how
    many listed entities are linked to this one (family members link to the principal)."""

    entity_id: int
    kind: str
    birth_dates: tuple[tuple[int | None, int | None, int | None], ...] = ()
    countries: frozenset[str] = frozenset()
    linked_from: int = 0
    gender: str | None = None  # "male", "female" or unknown

    def __init__(
        self,
        entity_id: int,
        kind: str,
        birth_dates: tuple[tuple[int | None, int | None, int | None], ...] = (),
        countries: frozenset[str] = frozenset(),
        linked_from: int = 0,
        gender: str | None = None,
    ) -> None:
        object.__setattr__(self, "entity_id", entity_id)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "birth_dates", birth_dates)
        object.__setattr__(self, "countries", countries)
        object.__setattr__(self, "linked_from", linked_from)
        object.__setattr__(self, "gender", gender)


@dataclasses.dataclass(frozen=True)
class MatchSettings:
    """Threshold and weights; built from the [matching] settings."""

    threshold: float = 0.72
    query_weight: float = 0.6  # share of the name score given to covering the query's tokens
    transliteration_similarity: float = 0.92
    initial_similarity: float = 0.8
    min_token_similarity: float = 0.7
    partial_name_penalty: float = 0.85
    weak_alias_score: float = 0.9
    birth_date_bonus: float = 0.05
    birth_date_penalty: float = 0.25
    country_bonus: float = 0.03
    country_penalty: float = 0.1
    kind_penalty: float = 0.5
    max_candidates: int = 64
    generic_token_share: float = 0.01
    distinctive_surname_names: int = 8
    surname_only_score: float = 0.8
    short_form_share: float = 0.003
    common_name_share: float = 1e-5
    common_word_zipf: float = 4.5
    lower_case_word_zipf: float = 2.5
    common_name_penalty: float = 0.3
    other_number_penalty: float = 0.15
    legal_form_penalty: float = 0.3
    text_threshold: float = 0.8


@mypyc_attr(acyclic=True)
@dataclasses.dataclass(frozen=True, slots=True)
class Feature:
    """One feature of a score: its value, its weight and what it added or took away."""

    name: str
    value: float
    contribution: float
    detail: str

    def __init__(self, name: str, value: float, contribution: float, detail: str) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "contribution", contribution)
        object.__setattr__(self, "detail", detail)


@mypyc_attr(acyclic=True)
@dataclasses.dataclass(frozen=True, slots=True)
class TokenPair:
    """Which query token was aligned with which listed token, and how alike they are."""

    query: str
    listed: str
    similarity: float
    how: str  # exact, transliteration, initial, fuzzy, legal form

    def __init__(self, query: str, listed: str, similarity: float, how: str) -> None:
        object.__setattr__(self, "query", query)
        object.__setattr__(self, "listed", listed)
        object.__setattr__(self, "similarity", similarity)
        object.__setattr__(self, "how", how)


@mypyc_attr(acyclic=True)
@dataclasses.dataclass(frozen=True)
class Explanation:
    """Why a name matched: the token alignment and each feature's contribution."""

    alignment: tuple[TokenPair, ...]
    features: tuple[Feature, ...]
    unmatched_query: tuple[str, ...]
    unmatched_listed: tuple[str, ...]

    def __init__(
        self,
        alignment: tuple[TokenPair, ...],
        features: tuple[Feature, ...],
        unmatched_query: tuple[str, ...],
        unmatched_listed: tuple[str, ...],
    ) -> None:
        object.__setattr__(self, "alignment", alignment)
        object.__setattr__(self, "features", features)
        object.__setattr__(self, "unmatched_query", unmatched_query)
        object.__setattr__(self, "unmatched_listed", unmatched_listed)


@mypyc_attr(acyclic=True)
@dataclasses.dataclass(frozen=True)
class Match:
    """A listed entity the query could be, with the listed name that matched best."""

    entity_id: int
    matched_name: str
    name_kind: str
    score: float
    explanation: Explanation
    name_score: float = 0.0  # the names' likeness before qualifiers (breaks ties)

    def __init__(
        self,
        entity_id: int,
        matched_name: str,
        name_kind: str,
        score: float,
        explanation: Explanation,
        name_score: float = 0.0,
    ) -> None:
        object.__setattr__(self, "entity_id", entity_id)
        object.__setattr__(self, "matched_name", matched_name)
        object.__setattr__(self, "name_kind", name_kind)
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "explanation", explanation)
        object.__setattr__(self, "name_score", name_score)


@dataclasses.dataclass(frozen=True)
class Query:
    """A lookup: the name and optional qualifiers."""

    name: str
    kind: str | None = None
    birth_date: dt.date | str | None = None
    country: str | None = None
