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
    """Threshold and weights of the matcher: the `[matching]` section of the settings.

    The one place these are written down. `watchlist.config` reads the section (config files,
    WATCHLIST_MATCHING_<KEY> variables) into this class, so a key left unset takes the default
    below; the comments are what an operator needs to tune a key.
    """

    # A match is reported when its score (0..1) reaches this threshold.
    threshold: float = 0.72
    # How much of the name score rests on covering the query's tokens (the rest: the listed
    # name's).
    query_weight: float = 0.6
    # Similarity credited to tokens that differ only by transliteration (Shoygu/Shoigu).
    transliteration_similarity: float = 0.92
    # Similarity credited to an initial that fits a name (V. / Vladimir).
    initial_similarity: float = 0.8
    # Below this edit similarity two long tokens do not align (short tokens need more).
    min_token_similarity: float = 0.7
    # Multiplier when the query names only part of the listed name (a surname alone).
    partial_name_penalty: float = 0.85
    # Score of an exact match on an OFAC weak alias (weak aliases never match fuzzily).
    weak_alias_score: float = 0.9
    # Qualifiers, used when the query carries them: added to or taken from the score.
    birth_date_bonus: float = 0.05
    birth_date_penalty: float = 0.25
    country_bonus: float = 0.03
    country_penalty: float = 0.1
    # Share of the score taken away when the query's kind (person/organization) differs, or
    # when a courtesy title implies the other gender.
    kind_penalty: float = 0.5
    # At most this many candidate names are scored per query.
    max_candidates: int = 64
    # Tokens in more than this share of listed names (CORP, GROUP, KIM) do not fetch
    # candidates.
    generic_token_share: float = 0.01
    # In article screening, a surname alone is a hit only when at most this many listed names
    # hold it (Shoigu, Mkrtychev) - never a common one (Kim) - and it then scores this much.
    distinctive_surname_names: int = 8
    surname_only_score: float = 0.8
    # After an organisation is named in full, a word of its name alone refers to it (`Wagner`
    # after `Wagner Group`, `Sber` after `Sberbank`) unless more than this share of listed
    # names hold the word (`Islamic`).
    short_form_share: float = 0.003
    # A given name or surname carried by this share of people or more (US Census) is common:
    # a person's name matched only by one or two common names (Luis Castro, Wang Chen) loses
    # common_name_penalty of its score, and a common name alone in running text is never a hit.
    common_name_share: float = 1e-5
    # A word this frequent in English text (Zipf scale: 4.5 is about 30 per million words) is
    # an everyday word, never a hit alone (`Freedom`, `September`); famous names stay below it
    # (Putin 4.1). Written in lower case, a word this frequent is a word of the language, never
    # a listed surname written carelessly (`gallon`).
    common_word_zipf: float = 4.5
    lower_case_word_zipf: float = 2.5
    common_name_penalty: float = 0.3
    # Share of the score taken when two names differ only in a number in the same place (fund
    # VII and fund VIII, trust 2004-1 and 2004-2): a sibling of a listed party is worth a look.
    # A number one name lacks costs half the score.
    other_number_penalty: float = 0.15
    # Share of the score taken when both names give a legal form and no family agrees
    # (Deutsche Bank GmbH for DEUTSCHE BANK AG): a company of the same name under another form.
    legal_form_penalty: float = 0.3
    # Article screening reports a name at this score or above (stricter than lookups: running
    # text holds many capitalised words that are not names).
    text_threshold: float = 0.8
    # Not the matcher's own: the yente-compatible /match counts identifiers (passportNumber,
    # idNumber, imoNumber, ...) on top of its score. A listed number equal to the query's
    # raises the score to at least the first; a listed number of the same kind that differs
    # lowers it by the second.
    identifier_match_score: float = 0.95
    identifier_mismatch_penalty: float = 0.3

    def __reduce__(self) -> tuple[type[MatchSettings], tuple[object, ...]]:
        """Pickled as its constructor call: a scan worker gets the settings in a new process,
        and a compiled frozen class cannot be rebuilt attribute by attribute."""
        values = tuple(getattr(self, field.name) for field in dataclasses.fields(self))
        return (MatchSettings, values)


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


@mypyc_attr(acyclic=True)
@dataclasses.dataclass(frozen=True, slots=True)
class Query:
    """A lookup: the name asked about and what else the asker knows of it (the qualifiers,
    each weighed only when given)."""

    name: str
    kind: str | None = None  # person, organization, vessel, aircraft
    birth_date: dt.date | str | None = None  # a date, or `1966`, `1966-05`, `1966-05-07`
    country: str | None = None

    def __init__(
        self,
        name: str,
        kind: str | None = None,
        birth_date: dt.date | str | None = None,
        country: str | None = None,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "birth_date", birth_date)
        object.__setattr__(self, "country", country)
