"""What every importer produces: plain, frozen values that know nothing of the database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from typing import Any

from watchlist.errors import ListFormatError
from watchlist.models.registry import EntityKind, NameKind, NationalityKind


@dataclasses.dataclass(frozen=True)
class SourceInfo:
    """A list as its publisher names it."""

    code: str
    name: str
    publisher: str
    # Who imposes the programs this list tags (US OFAC, UN Security Council, ...).
    authority: str
    url: str | None = None
    format: str | None = None
    # How a listing of this source is named beside others ("OFAC SDN", "UK", "EU", "UN").
    label: str | None = None


@dataclasses.dataclass(frozen=True)
class ParsedProgram:
    """A sanctions program as described by the seed or a list."""

    code: str
    name: str
    authority: str
    legal_basis: str | None = None
    description: str | None = None
    url: str | None = None


@dataclasses.dataclass(frozen=True)
class ParsedName:
    """An alias (the primary name is `ParsedEntity.primary_name`)."""

    name: str
    kind: NameKind = NameKind.AKA
    script: str | None = None
    lang: str | None = None
    source_key: str | None = None
    remarks: str | None = None


@dataclasses.dataclass(frozen=True)
class ParsedDesignation:
    """A program tag, with the designation date when the list gives one."""

    program: str
    designated_on: dt.date | None = None


@dataclasses.dataclass(frozen=True)
class ParsedIdentifier:
    """A passport, national ID, registration number, IMO number, SWIFT/BIC, ..."""

    kind: str
    value: str
    country: str | None = None
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None
    remarks: str | None = None


@dataclasses.dataclass(frozen=True)
class ParsedAddress:
    """An address split as far as the list splits it."""

    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    remarks: str | None = None
    source_key: str | None = None


@dataclasses.dataclass(frozen=True)
class ParsedBirthDate:
    """A date of birth: the listed text plus whatever parts of it are known."""

    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    year_to: int | None = None
    circa: bool = False


@dataclasses.dataclass(frozen=True)
class ParsedBirthPlace:
    """A place of birth."""

    place: str
    country: str | None = None


@dataclasses.dataclass(frozen=True)
class ParsedNationality:
    """A nationality or a citizenship."""

    country: str
    kind: NationalityKind = NationalityKind.NATIONALITY


@dataclasses.dataclass(frozen=True)
class ParsedFact:
    """Any other structured fact, by kind (website, email, vessel_flag, ...)."""

    kind: str
    value: str


@dataclasses.dataclass(frozen=True)
class ParsedRelation:
    """A link to another entity of the same source, by its key or, failing that, its name."""

    object_name: str
    relation: str = "linked_to"
    object_key: str | None = None


@dataclasses.dataclass(frozen=True)
class ParsedEntity:
    """One listed entity with everything the list says about it."""

    source_key: str
    kind: EntityKind
    primary_name: str
    names: tuple[ParsedName, ...] = ()
    designations: tuple[ParsedDesignation, ...] = ()
    identifiers: tuple[ParsedIdentifier, ...] = ()
    addresses: tuple[ParsedAddress, ...] = ()
    birth_dates: tuple[ParsedBirthDate, ...] = ()
    birth_places: tuple[ParsedBirthPlace, ...] = ()
    nationalities: tuple[ParsedNationality, ...] = ()
    facts: tuple[ParsedFact, ...] = ()
    relations: tuple[ParsedRelation, ...] = ()
    title: str | None = None
    gender: str | None = None
    listing_date: dt.date | None = None
    remarks: str | None = None


@dataclasses.dataclass(frozen=True)
class ParsedList:
    """A whole list file: its source, the programs it describes and its entities."""

    source: SourceInfo
    entities: tuple[ParsedEntity, ...]
    programs: tuple[ParsedProgram, ...] = ()
    published_at: dt.datetime | None = None


_SURROGATE = re.compile("[\ud800-\udfff]")

SCALAR_FIELDS = ("kind", "primary_name", "title", "gender", "listing_date", "remarks")
COLLECTION_FIELDS = (
    "names",
    "designations",
    "identifiers",
    "addresses",
    "birth_dates",
    "birth_places",
    "nationalities",
    "facts",
    "relations",
)


def field_hashes(entity: ParsedEntity) -> dict[str, str]:
    """A digest per field, so an import can say which fields of an entity changed.

    Collections are hashed order-free (a list that reorders aliases has not changed them). A
    field the list leaves empty is not hashed: a source that gives no date never erases one.
    The digests hash the values' `repr`, which for these frozen dataclasses of strings, numbers,
    dates and enums is exact and far cheaper than a JSON round trip.
    """
    digests: dict[str, str] = {}
    for name in SCALAR_FIELDS:
        value = getattr(entity, name)
        if value is not None:
            digests[name] = _digest(repr(value))
    for name in COLLECTION_FIELDS:
        items: tuple[Any, ...] = getattr(entity, name)
        if items:
            digests[name] = _digest("\n".join(sorted(map(repr, items))))
    return digests


def content_hash(hashes: Mapping[str, str]) -> str:
    """One digest over all field digests."""
    return _digest(repr(sorted(hashes.items())))


# Fields a list may omit without erasing what is known (OFAC's CSV carries no listing dates).
KEPT_WHEN_ABSENT = ("listing_date",)


def merged_hashes(old: Mapping[str, str], new: Mapping[str, str]) -> dict[str, str]:
    """The new digests, keeping the old digest of a kept field the new list leaves out."""
    merged = dict(new)
    for name in KEPT_WHEN_ABSENT:
        if name not in new and name in old:
            merged[name] = old[name]
    return merged


def changed_fields(old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    """Names of the fields whose digests differ, in a stable order."""
    merged = merged_hashes(old, new)
    order = SCALAR_FIELDS + COLLECTION_FIELDS
    return [name for name in order if old.get(name) != merged.get(name)]


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


# The values a parsed entity is made of, whose text fields are checked.
_PARSED_TYPES = (ParsedEntity, ParsedName, ParsedDesignation, ParsedIdentifier, ParsedAddress,
                 ParsedBirthDate, ParsedBirthPlace, ParsedNationality, ParsedFact,
                 ParsedRelation)  # fmt: skip


_FIELD_NAMES = {
    cls: tuple(field.name for field in dataclasses.fields(cls)) for cls in _PARSED_TYPES
}


def check_storable(parsed: ParsedList, location: str) -> None:
    """Refuse a list holding text no database can store: NUL characters (PostgreSQL refuses
    them) or lone surrogates (not Unicode text at all), naming the record."""
    for entity in parsed.entities:
        problem = _unstorable(entity)
        if problem is not None:
            raise ListFormatError(f"{location} record {entity.source_key!r} {problem}.")


def _unstorable(value: object) -> str | None:
    if isinstance(value, str):
        if "\x00" in value:
            return "holds a NUL character"
        if not value.isascii() and _SURROGATE.search(value):
            return "holds text that is not valid Unicode (a lone surrogate)"
        return None
    if isinstance(value, _PARSED_TYPES):
        fields = (getattr(value, name) for name in _FIELD_NAMES[type(value)])
        return next((p for p in map(_unstorable, fields) if p is not None), None)
    if isinstance(value, tuple):
        return next((p for p in map(_unstorable, value) if p is not None), None)
    return None
