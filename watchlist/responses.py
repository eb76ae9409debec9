"""The shapes of the service's answers: a match, a hit found in a text, a stored hit and its
decisions, an explanation, an entity's card, its full record and its listings, written once.

Each shape is a `TypedDict`: the core builds plain dicts (no cost in the lookup path) and the
type checker holds every builder to its shape; the REST API documents the same classes in its
OpenAPI document (pydantic reads the field descriptions below) and, under test, checks every
answer against them; `watchlist lookup --json` and `watchlist screen --json` print the same
dicts. A field added here is added everywhere at once.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field
from typing_extensions import TypedDict  # pydantic reads TypedDicts from here before 3.12

from watchlist.timestamps import RFC3339_PATTERN

Score = Annotated[float, Field(ge=0, le=1)]
Row = dict[str, Any]  # one fact of an entity (a name, an address, ...), its fields as listed
Timestamp = Annotated[
    str,
    Field(
        pattern=RFC3339_PATTERN,
        description="RFC 3339, UTC, to the second (2026-12-05T16:01:28Z).",
        examples=["2026-12-05T16:01:28Z"],
    ),
]
LISTED_AS = (
    "Every listing of the party, e.g. `OFAC SDN (DPRK, 2023-03-30) · UK (RUSSIA, 2023-08-08)`: "
    "a party listed by several lists is one result, not one per list."
)


class EntityCard(TypedDict):
    """The few facts a match or a hit shows of its listed entity."""

    id: Annotated[int, Field(description="Registry id (see /api/v1/entities/{entity_id}).")]
    name: Annotated[str, Field(description="Primary name as the list writes it.")]
    kind: Annotated[str, Field(description="person, organization, vessel or aircraft.")]
    programs: Annotated[
        list[str], Field(description="Codes of the sanctions programs, e.g. DPRK3.")
    ]
    source: Annotated[str, Field(description="List source code, e.g. us_ofac_sdn.")]
    source_key: Annotated[str, Field(description="The list's own identifier (OFAC entity number).")]
    source_label: Annotated[
        str, Field(description="The list's short name: OFAC SDN, UN, UK, EU, ...")
    ]
    listed_on: Annotated[
        str | None, Field(description="Earliest designation date the list gives (YYYY-MM-DD).")
    ]
    delisted_on: Annotated[
        str | None, Field(description="When the list dropped the entity (YYYY-MM-DD), if it did.")
    ]


class Listing(TypedDict):
    """One list's listing of the party a result stands for."""

    entity_id: Annotated[int, Field(description="Registry id of this listing's entity.")]
    source: Annotated[str, Field(description="List source code, e.g. uk_ofsi_conlist.")]
    source_label: Annotated[
        str, Field(description="The list's short name: OFAC SDN, UN, UK, EU, ...")
    ]
    source_key: Annotated[str, Field(description="The list's own identifier.")]
    name: Annotated[str, Field(description="Primary name as this list writes it.")]
    programs: Annotated[
        list[str], Field(description="Program codes this list designates it under.")
    ]
    listed_on: Annotated[str | None, Field(description="Earliest designation date (YYYY-MM-DD).")]
    delisted_on: Annotated[str | None, Field(description="When this list dropped it, if it did.")]
    link: Annotated[
        str | None,
        Field(
            description="How this listing is joined to the result's entity: null for that "
            "entity itself; `automatic` (strong evidence, see `evidence`), `confirmed` (by an "
            "admin) or `mixed` (through other listings)."
        ),
    ]
    evidence: Annotated[
        list[str],
        Field(
            description="What the listings share, e.g. `passport BD3843329`, "
            "`name ashot mkrtychev and birth date 1966-05-07`."
        ),
    ]
    label: Annotated[str, Field(description="`OFAC SDN (DPRK, 2023-03-30)`: list, programs, date.")]


class TokenPair(TypedDict):
    """A word of the query aligned with a word of the listed name."""

    query: str
    listed: str
    similarity: float
    how: Annotated[str, Field(description="exact, transliteration, initial, fuzzy or legal form.")]


class Feature(TypedDict):
    """One feature of the score."""

    name: str
    value: float
    contribution: Annotated[
        float, Field(description="What the feature added to or took from the score.")
    ]
    detail: str


class Explanation(TypedDict):
    """Why a name matched: the token alignment and each feature's contribution."""

    alignment: list[TokenPair]
    features: list[Feature]
    unmatched_query: list[str]
    unmatched_listed: list[str]


class MatchResult(TypedDict):
    """A listed entity the name could be."""

    entity: EntityCard
    matched_name: Annotated[str, Field(description="The listed name or alias that matched best.")]
    name_kind: Annotated[str, Field(description="primary, aka, fka, nka or weak.")]
    score: Score
    explanation: Explanation
    listed_as: Annotated[str, Field(description=LISTED_AS)]
    listings: Annotated[
        list[Listing],
        Field(description="The party's listings: the matched entity's own first, then the others."),
    ]


class TextHit(TypedDict):
    """A listed name found in a text; `text == submitted[start:end]`."""

    start: Annotated[int, Field(description="Character offset of the mention in the text.")]
    end: int
    text: str
    score: Score
    matched_name: Annotated[str, Field(description="The listed name or alias that matched.")]
    sentence: str
    route: Annotated[
        str,
        Field(
            description="How it was found: `name`, `refers to a full mention` (a word alone, "
            "after or before the full name in the same text) or `distinctive name alone`."
        ),
    ]
    explanation: Explanation
    listed_as: Annotated[str, Field(description=LISTED_AS)]
    listings: Annotated[
        list[Listing],
        Field(description="The party's listings: the matched entity's own first, then the others."),
    ]
    entity: EntityCard


class StoredHit(TypedDict):
    """A hit as stored: the mention, the listed entity it matched, and where review stands."""

    id: int
    article_id: int
    story_id: int | None
    status: Annotated[str, Field(description="open, confirmed, dismissed, escalated or delisted.")]
    created_at: Timestamp
    list_state: Annotated[int, Field(description="The list state the hit was made with.")]
    start: int
    end: int
    text: str
    sentence: str
    score: float
    matched_name: str
    route: str
    explanation: Explanation
    entity: EntityCard
    listed_as: Annotated[
        str,
        Field(
            description="Every listing of the entity's party, e.g. `OFAC SDN (DPRK, 2023-03-30) "
            "· UK (RUSSIA, 2023-08-08)`."
        ),
    ]
    listings: Annotated[
        list[Listing], Field(description="The party's listings, the hit's entity first.")
    ]


class DecisionOut(TypedDict):
    """One decision on a hit."""

    id: int
    action: str
    reason: Annotated[
        str | None,
        Field(
            description="Why a hit was dismissed: different_person (a false positive: someone "
            "else of that name), not_listed (not a listed party), duplicate, or other (the "
            "note says why). Null for other actions, and for dismissals recorded before "
            "reasons."
        ),
    ]
    note: str
    actor: Annotated[str, Field(description="user:NAME or api-key:NAME.")]
    created_at: Timestamp


class HitDetail(StoredHit):
    """A stored hit with every decision on it."""

    decisions: Annotated[list[DecisionOut], Field(description="The decisions, oldest first.")]


class EntityRecord(TypedDict):
    """Everything the registry holds about an entity; lists of facts are rows as listed."""

    id: int
    kind: str
    primary_name: str
    source_key: str
    title: str | None
    gender: str | None
    listing_date: str | None
    delisted_on: str | None
    remarks: str | None
    source: str
    programs: list[Row]
    names: list[Row]
    identifiers: list[Row]
    addresses: list[Row]
    birth_dates: list[Row]
    birth_places: list[Row]
    nationalities: list[Row]
    facts: list[Row]
    relations: list[Row]
    linked_from: list[Row]
    listed_as: Annotated[
        str,
        Field(
            description="Every listing of the entity's party on the lists, e.g. `OFAC SDN "
            "(DPRK3, 2023-03-30) · UK (RUSSIA, 2023-08-08)`."
        ),
    ]
    listings: Annotated[
        list[Listing],
        Field(
            description="The party's listings: this entity's own first, then the other lists' "
            "entities linked to it, with the link's evidence."
        ),
    ]
