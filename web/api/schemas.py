"""Models shared by several endpoints: errors, entity cards, explanations, hits, pages.

Request models forbid unknown fields (a misspelt `thresold` is an error, not silently
ignored); query-string models ignore unknown parameters, as HTTP clients expect.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from watchlist.timestamps import RFC3339_PATTERN
from web.api.validation import Limit


class Body(BaseModel):
    """Base of request bodies."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Params(BaseModel):
    """Base of query-string parameters."""

    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)


PerPage = Annotated[
    int,
    Field(ge=1, description="Items per page (at most web.max_page_size)."),
    Limit("max_page_size"),
]
Page = Annotated[int, Field(ge=1, le=1_000_000, description="Page number, from 1.")]
RecordId = Annotated[int, Field(ge=1, le=2**31 - 1)]


def _utc(value: dt.datetime) -> dt.datetime:
    """A time in UTC; one without an offset is taken as UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        raise PydanticCustomError("datetime", "is out of range") from None


Moment = Annotated[dt.datetime, AfterValidator(_utc)]
Timestamp = Annotated[
    str,
    Field(
        pattern=RFC3339_PATTERN,
        description="RFC 3339, UTC, to the second (2026-12-05T16:01:28Z).",
        examples=["2026-12-05T16:01:28Z"],
    ),
]


# --- answers ----------------------------------------------------------------------------------


class FieldError(BaseModel):
    field: str = Field(description="Dotted path of the field, e.g. queries.0.name.")
    message: str


class ErrorDetail(BaseModel):
    code: str = Field(description="Machine-readable error code, e.g. not_found.")
    message: str = Field(description="One sentence for a person.")
    details: list[FieldError] | None = Field(
        default=None, description="Per-field problems of an invalid request."
    )


class ErrorResponse(BaseModel):
    """Every error answer."""

    error: ErrorDetail


class EntityCard(BaseModel):
    """The few facts a match or a hit shows of its listed entity."""

    id: int = Field(description="Registry id (see /api/v1/entities/{entity_id}).")
    name: str = Field(description="Primary name as the list writes it.")
    kind: str = Field(description="person, organization, vessel or aircraft.")
    programs: list[str] = Field(description="Codes of the sanctions programs, e.g. DPRK3.")
    source: str = Field(description="List source code, e.g. us_ofac_sdn.")
    source_key: str = Field(description="The list's own identifier (OFAC entity number).")
    source_label: str = Field(description="The list's short name: OFAC SDN, UN, UK, EU, ...")
    listed_on: str | None = Field(
        default=None, description="Earliest designation date the list gives (YYYY-MM-DD)."
    )
    delisted_on: str | None = Field(
        default=None, description="When the list dropped the entity (YYYY-MM-DD), if it did."
    )


class Listing(BaseModel):
    """One list's listing of the party a result stands for."""

    entity_id: int = Field(description="Registry id of this listing's entity.")
    source: str = Field(description="List source code, e.g. uk_ofsi_conlist.")
    source_label: str = Field(description="The list's short name: OFAC SDN, UN, UK, EU, ...")
    source_key: str = Field(description="The list's own identifier.")
    name: str = Field(description="Primary name as this list writes it.")
    programs: list[str] = Field(description="Program codes this list designates it under.")
    listed_on: str | None = Field(description="Earliest designation date (YYYY-MM-DD).")
    delisted_on: str | None = Field(description="When this list dropped it, if it did.")
    link: str | None = Field(
        description="How this listing is joined to the result's entity: null for that entity "
        "itself; `automatic` (strong evidence, see `evidence`), `confirmed` (by an admin) or "
        "`mixed` (through other listings)."
    )
    evidence: list[str] = Field(
        description="What the listings share, e.g. `passport BD3843329`, "
        "`name ashot mkrtychev and birth date 1966-05-07`."
    )
    label: str = Field(description="`OFAC SDN (DPRK, 2023-03-30)`: list, programs, date.")


class TokenPair(BaseModel):
    query: str
    listed: str
    similarity: float
    how: str = Field(description="exact, transliteration, initial, fuzzy or legal form.")


class Feature(BaseModel):
    name: str
    value: float
    contribution: float = Field(description="What the feature added to or took from the score.")
    detail: str


class Explanation(BaseModel):
    """Why a name matched: the token alignment and each feature's contribution."""

    alignment: list[TokenPair]
    features: list[Feature]
    unmatched_query: list[str]
    unmatched_listed: list[str]


class TextHit(BaseModel):
    """A listed name found in a text; `text == submitted[start:end]`."""

    start: int = Field(description="Character offset of the mention in the text.")
    end: int
    text: str
    score: float = Field(ge=0, le=1)
    matched_name: str = Field(description="The listed name or alias that matched.")
    sentence: str
    route: str = Field(
        description="How it was found: `name`, `refers to a full mention` (a word alone, after "
        "or before the full name in the same text) or `distinctive name alone`."
    )
    explanation: Explanation
    listed_as: str = Field(
        description="Every listing of the party, e.g. `OFAC SDN (DPRK, 2023-03-30) · UK "
        "(RUSSIA, 2023-08-08)`: a party listed by several lists is one result, not one per list."
    )
    listings: list[Listing] = Field(
        description="The party's listings: the matched entity's own first, then the others."
    )
    entity: EntityCard


def clean_text(value: str) -> str:
    """Refuse text no database can store: NUL characters and lone surrogates."""
    if "\x00" in value:
        raise PydanticCustomError("bad_character", "must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("bad_character", "must be valid Unicode text") from None
    return value


Text = Annotated[str, AfterValidator(clean_text)]
Name = Annotated[
    str,
    Field(
        min_length=1,
        max_length=500,
        pattern=r"\S",
        description="A name, in any script.",
        examples=["Ashot Mkrtychev"],
    ),
    AfterValidator(clean_text),
]


class MatchResult(BaseModel):
    """A listed entity the name could be."""

    entity: EntityCard
    matched_name: str = Field(description="The listed name or alias that matched best.")
    name_kind: str = Field(description="primary, aka, fka, nka or weak.")
    score: float = Field(ge=0, le=1)
    explanation: Explanation
    listed_as: str = Field(
        description="Every listing of the party, e.g. `OFAC SDN (DPRK, 2023-03-30) · UK "
        "(RUSSIA, 2023-08-08)`: a party listed by several lists is one result, not one per list."
    )
    listings: list[Listing] = Field(
        description="The party's listings: the matched entity's own first, then the others."
    )
