"""Listed entities as FollowTheMoney writes them, for the yente-compatible endpoints: ISO dates
(`1966-05-07`), ISO 3166 country codes (`sk`), FollowTheMoney property names (`passportNumber`,
`imoNumber`, `address`, `topics`, ...), and only the properties the entity's schema has, so a
FollowTheMoney client loads them as they are.

An entity's id is `SOURCE:KEY`, the list's own identifier (`us_ofac_sdn:41736`).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from watchlist.db import Session
from watchlist.errors import NotFoundError
from watchlist.models import (
    Address,
    BirthDate,
    Entity,
    Identifier,
    NameKind,
    NationalityKind,
)
from watchlist.registry import entities as registry

KIND_SCHEMAS = {"person": "Person", "organization": "Organization", "vessel": "Vessel",
                "aircraft": "Airplane"}  # fmt: skip
NAME_PROPS = {NameKind.PRIMARY: "name", NameKind.AKA: "alias", NameKind.NKA: "alias",
              NameKind.FKA: "previousName", NameKind.WEAK_AKA: "weakAlias"}  # fmt: skip
# Identifier kinds by the FollowTheMoney property that holds them; other kinds are idNumber.
IDENTIFIER_PROPS: dict[str, tuple[str, ...]] = {
    "passportNumber": ("passport",),
    "idNumber": ("national_id", "identification_number", "identification"),
    "taxNumber": ("tax_id",),
    "innCode": ("inn", "tax_id"),
    "registrationNumber": ("registration_number", "registration_id", "company_number"),
    "swiftBic": ("swift_bic",),
    "imoNumber": ("imo",),
    "mmsi": ("mmsi",),
}
_THING = ("name", "alias", "previousName", "weakAlias", "country", "address", "notes",
          "sourceUrl", "topics", "programId")  # fmt: skip
_LEGAL_ENTITY = (*_THING, "idNumber", "taxNumber", "innCode", "registrationNumber",
                 "swiftBic")  # fmt: skip
SCHEMA_PROPS: dict[str, frozenset[str]] = {
    "Person": frozenset(
        (
            *_LEGAL_ENTITY,
            "birthDate",
            "birthPlace",
            "nationality",
            "citizenship",
            "gender",
            "passportNumber",
        )  # fmt: skip
    ),
    "Organization": frozenset(_LEGAL_ENTITY),
    "LegalEntity": frozenset(_LEGAL_ENTITY),
    "Vessel": frozenset((*_THING, "imoNumber", "mmsi", "registrationNumber")),
    "Airplane": frozenset((*_THING, "registrationNumber")),
}
GENDERS = ("male", "female", "other")


def entity_id(source: str, source_key: str) -> str:
    return f"{source}:{source_key}"


def schema_of(entity: Entity) -> str:
    return KIND_SCHEMAS.get(entity.kind.value, "LegalEntity")


def find_entity(session: Session, ftm_id: str) -> Entity:
    """The entity an id of the form `SOURCE:KEY` names; NotFoundError for any other id."""
    source, separator, key = ftm_id.partition(":")
    found = None
    if separator and source and key:
        found = registry.entity_id_at(session, source, key)
    if found is None:
        raise NotFoundError(f"There is no entity {ftm_id!r}; ids are SOURCE:KEY (us_ofac_sdn:1).")
    return registry.load_entities(session, [found])[found]


def entity_json(entity: Entity) -> dict[str, Any]:
    """The entity in yente's EntityResponse shape."""
    return {
        "id": entity_id(entity.source.code, entity.source_key),
        "caption": entity.primary_name,
        "schema": schema_of(entity),
        "properties": properties(entity),
        "datasets": [entity.source.code],
        "referents": [],
        "target": entity.is_active,
        "first_seen": _iso(entity.created_at),
        "last_seen": _iso(entity.updated_at),
        "last_change": _iso(entity.updated_at),
    }


def properties(entity: Entity) -> dict[str, list[str]]:
    """The entity's FollowTheMoney properties that its schema has, each without repeats."""
    props: dict[str, list[str]] = defaultdict(list)
    for name in entity.names:
        props[NAME_PROPS.get(name.kind, "alias")].append(name.name)
    props["birthDate"] = [d for d in map(iso_birth_date, entity.birth_dates) if d]
    props["birthPlace"] = [place.place for place in entity.birth_places]
    for nationality in entity.nationalities:
        prop = "citizenship" if nationality.kind is NationalityKind.CITIZENSHIP else "nationality"
        props[prop].append(country_code(nationality.country) or "")
    for identifier in entity.identifiers:
        props[identifier_prop(identifier.kind)].append(identifier.value)
    props["address"] = [a for a in map(address_text, entity.addresses) if a]
    props["country"] = [
        code for code in (country_code(a.country) for a in entity.addresses if a.country) if code
    ]
    if gender_of(entity):
        props["gender"] = [gender_of(entity) or ""]
    props["programId"] = [d.program.code for d in entity.designations]
    props["topics"] = ["sanction"] if entity.is_active else []
    props["sourceUrl"] = [entity.source.url] if entity.source.url else []
    props["notes"] = [entity.remarks] if entity.remarks else []
    allowed = SCHEMA_PROPS[schema_of(entity)]
    return {
        p: list(dict.fromkeys(filter(None, v))) for p, v in props.items() if any(v) and p in allowed
    }


def gender_of(entity: Entity) -> str | None:
    """The listed gender as FollowTheMoney writes it (male, female, other), when listed."""
    gender = (entity.gender or "").strip().lower()
    return gender if gender in GENDERS else None


def identifier_prop(kind: str) -> str:
    """The FollowTheMoney property for an identifier kind (passport -> passportNumber)."""
    for prop, kinds in IDENTIFIER_PROPS.items():
        if kind in kinds:
            return prop
    return "idNumber"


def iso_birth_date(date: BirthDate) -> str | None:
    """A listed birth date as FollowTheMoney writes it: `1966-05-07`, `1966-05` or `1966`."""
    if date.year is None:
        return None
    parts = [f"{date.year:04d}"]
    if date.month is not None and date.year_to is None:
        parts.append(f"{date.month:02d}")
        if date.day is not None:
            parts.append(f"{date.day:02d}")
    return "-".join(parts)


@functools.lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """The ISO 3166 code FollowTheMoney gives a listed country (`Slovakia` -> `sk`)."""
    # Imported here: rigour's tables load on first use, not with every command.
    from rigour.territories import lookup_territory

    territory = lookup_territory(name.strip())
    return territory.ftm_country if territory is not None else None


def address_text(address: Address) -> str:
    parts = (address.street, address.city, address.region, address.postal_code, address.country)
    return ", ".join(part.strip() for part in parts if part and part.strip())


def listed_numbers(identifiers: Iterable[Identifier], prop: str) -> dict[str, str]:
    """An entity's identifiers that a property stands for, by number key, as listed."""
    kinds = IDENTIFIER_PROPS.get(prop, ())
    return {
        i.number_key: i.value
        for i in identifiers
        if i.kind in kinds or identifier_prop(i.kind) == prop
    }


def _iso(moment: Any) -> str | None:
    return moment.replace(microsecond=0, tzinfo=None).isoformat() if moment else None
