"""What the matcher is built from: every listed name and each entity's profile (kind, birth
dates, countries, how many entities link to it), read from the registry or straight from a
parsed list."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

import sqlalchemy as sa
from sqlalchemy.orm import Session

from watchlist.matching.model import EntityProfile, NameRecord
from watchlist.models import Address, BirthDate, Entity, EntityName, EntityRelation, Nationality
from watchlist.registry.qualifiers import country_key
from watchlist.sources.parsed import ParsedEntity, ParsedList


def name_records(session: Session) -> Iterator[NameRecord]:
    """Every name of every listed (not delisted) entity, in the order the lists gave them."""
    rows = session.execute(
        sa.select(EntityName.entity_id, EntityName.name, Entity.kind, EntityName.kind)
        .join(Entity, Entity.id == EntityName.entity_id)
        .where(Entity.delisted_on.is_(None))
        .order_by(EntityName.id)
    )
    for entity_id, name, entity_kind, name_kind in rows:
        yield NameRecord(entity_id, name, entity_kind.value, name_kind.value)


def profiles(session: Session) -> dict[int, EntityProfile]:
    """What the matcher weighs besides names, for every listed entity: kind, gender, birth
    dates, countries (nationalities and addresses) and how many entities link to it."""
    active = Entity.delisted_on.is_(None)
    births: dict[int, list[tuple[int | None, int | None, int | None]]] = defaultdict(list)
    for entity_id, year, month, day in session.execute(
        sa.select(BirthDate.entity_id, BirthDate.year, BirthDate.month, BirthDate.day)
        .join(Entity, Entity.id == BirthDate.entity_id)
        .where(active, BirthDate.year.is_not(None))
    ):
        births[entity_id].append((year, month, day))
    countries: dict[int, set[str]] = defaultdict(set)
    for model in (Nationality, Address):
        for entity_id, country in session.execute(
            sa.select(model.entity_id, model.country)
            .join(Entity, Entity.id == model.entity_id)
            .where(active, model.country.is_not(None))
        ):
            countries[entity_id].add(country_key(country or ""))
    links = dict(
        session.execute(
            sa.select(EntityRelation.object_id, sa.func.count())
            .where(EntityRelation.object_id.is_not(None))
            .group_by(EntityRelation.object_id)
        ).all()
    )
    kinds = session.execute(sa.select(Entity.id, Entity.kind, Entity.gender).where(active))
    return {
        entity_id: EntityProfile(
            entity_id=entity_id,
            kind=kind.value,
            birth_dates=tuple(births.get(entity_id, ())),
            countries=frozenset(countries.get(entity_id, ())),
            linked_from=links.get(entity_id, 0),
            gender=gender,
        )
        for entity_id, kind, gender in kinds
    }


def records_from_list(
    parsed: ParsedList, *, id_of: Callable[[ParsedEntity], int] | None = None
) -> tuple[list[NameRecord], dict[int, EntityProfile]]:
    """Matcher input straight from a parsed list, without a database (tests, benchmarks).

    Entity ids are the list's own keys when numeric (OFAC entity numbers), unless `id_of`
    says otherwise.
    """
    ident = id_of or (lambda entity: int(entity.source_key))
    by_name = {_relation_key(e.primary_name): ident(e) for e in parsed.entities}
    links: dict[int, int] = defaultdict(int)
    for entity in parsed.entities:
        for relation in entity.relations:
            target = by_name.get(_relation_key(relation.object_name))
            if target is not None:
                links[target] += 1
    records: list[NameRecord] = []
    profiles: dict[int, EntityProfile] = {}
    for entity in parsed.entities:
        key, kind = ident(entity), entity.kind.value
        records.append(NameRecord(key, entity.primary_name, kind, "primary"))
        records += [NameRecord(key, n.name, kind, n.kind.value) for n in entity.names]
        profiles[key] = EntityProfile(
            key,
            kind,
            birth_dates=tuple((b.year, b.month, b.day) for b in entity.birth_dates if b.year),
            countries=frozenset(country_key(n.country) for n in entity.nationalities),
            linked_from=links[key],
            gender=entity.gender,
        )
    return records, profiles


def _relation_key(name: str) -> str:
    return " ".join(name.strip().rstrip(".").casefold().split())
