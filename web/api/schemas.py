"""Models shared by several endpoints: errors, request and query-string bases, pages.

The answers' shapes (a match, a hit, an entity card, a listing, an explanation) are the core's:
`watchlist.responses`.

Request models forbid unknown fields (a misspelt `thresold` is an error, not silently
ignored); query-string models ignore unknown parameters, as HTTP clients expect.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

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
