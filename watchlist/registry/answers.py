"""An entity's full record as the API and `watchlist entities show --json` show it (the shape is
in `watchlist.responses`): every fact the registry holds, and its party's listings."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from watchlist import responses
from watchlist.models import Entity
from watchlist.registry import parties
from watchlist.registry.entities import entity_cards
from watchlist.timestamps import rfc3339

# The facts an entity has several of, and the fields of each, in the order the API gives them.
FACTS: dict[str, tuple[str, ...]] = {
    "names": ("name", "kind", "script", "lang"),
    "identifiers": ("kind", "value", "country", "issued_on", "expires_on", "remarks"),
    "addresses": ("street", "city", "region", "postal_code", "country", "remarks"),
    "birth_dates": ("text", "year", "month", "day", "year_to", "circa"),
    "birth_places": ("place", "country"),
    "nationalities": ("country", "kind"),
    "facts": ("kind", "value"),
    "relations": ("relation", "object_name", "object_id"),
    "linked_from": ("relation", "subject_id"),
}


def entity_record(session: Session, entity: Entity) -> responses.EntityRecord:
    """An entity (loaded with `entities.get_entity`) with every fact the registry holds about
    it and the listings of its party on the other lists."""
    party = parties.listings(session, [entity.id], lambda ids: entity_cards(session, list(ids)))
    listed = party[entity.id]
    return {
        "id": entity.id,
        "kind": entity.kind.value,
        "primary_name": entity.primary_name,
        "source_key": entity.source_key,
        "title": entity.title,
        "gender": entity.gender,
        "listing_date": value(entity.listing_date),
        "delisted_on": value(entity.delisted_on),
        "remarks": entity.remarks,
        "source": entity.source.code,
        "programs": [
            {
                "code": d.program.code,
                "name": d.program.name,
                "authority": d.program.authority,
                "designated_on": value(d.designated_on),
            }
            for d in entity.designations
        ],
        "names": rows(entity.names, FACTS["names"]),
        "identifiers": rows(entity.identifiers, FACTS["identifiers"]),
        "addresses": rows(entity.addresses, FACTS["addresses"]),
        "birth_dates": rows(entity.birth_dates, FACTS["birth_dates"]),
        "birth_places": rows(entity.birth_places, FACTS["birth_places"]),
        "nationalities": rows(entity.nationalities, FACTS["nationalities"]),
        "facts": rows(entity.facts, FACTS["facts"]),
        "relations": rows(entity.relations, FACTS["relations"]),
        "linked_from": rows(entity.linked_from, FACTS["linked_from"]),
        "listed_as": parties.party_label(listed),
        "listings": [parties.listing_json(listing) for listing in listed],
    }


def rows(items: Iterable[object], fields: tuple[str, ...]) -> list[responses.Row]:
    """Records as rows of their fields, as the list gave them."""
    return [row(item, fields) for item in items]


def row(item: object, fields: tuple[str, ...]) -> responses.Row:
    """A record (a fact, a program, a list version) as JSON: these fields of it, by name."""
    return {field: value(getattr(item, field)) for field in fields}


def value(field: object) -> Any:
    """A field as JSON gives it: an enum's value, a date in ISO 8601, a time in RFC 3339."""
    if isinstance(field, enum.Enum):
        return field.value
    if isinstance(field, dt.datetime):
        return rfc3339(field)
    if isinstance(field, dt.date):
        return field.isoformat()
    return field
