"""Registry queries: load an entity with everything known about it, or its card.

Searching the registry by name or identifier is `watchlist.registry.search`."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.interfaces import ORMOption

from watchlist import responses
from watchlist.errors import NotFoundError
from watchlist.models import Designation, Entity, EntityRelation, Identifier, ListSource, Program
from watchlist.timestamps import iso_date


def record_loads() -> tuple[ORMOption, ...]:
    """The load options of an entity's listed record: its source, names, designations with
    their programs, identifiers, addresses, birth dates and places and nationalities. One
    list, so every reader of full records (`get_entity`, `load_entities`) loads the same."""
    return (
        selectinload(Entity.source),
        selectinload(Entity.names),
        selectinload(Entity.designations).selectinload(Designation.program),
        selectinload(Entity.identifiers),
        selectinload(Entity.addresses),
        selectinload(Entity.birth_dates),
        selectinload(Entity.birth_places),
        selectinload(Entity.nationalities),
    )


def get_entity(session: Session, entity_id: int) -> Entity:
    """One entity with all its names, designations and facts loaded."""
    query = (
        sa.select(Entity)
        .where(Entity.id == entity_id)
        .options(
            *record_loads(),
            selectinload(Entity.facts),
            selectinload(Entity.relations).selectinload(EntityRelation.object),
            selectinload(Entity.linked_from).selectinload(EntityRelation.subject),
        )
    )
    entity = session.scalar(query)
    if entity is None:
        raise NotFoundError(f"There is no entity with id {entity_id}.")
    return entity


def load_entities(session: Session, ids: Iterable[int]) -> dict[int, Entity]:
    """Full listed records of some entities (`record_loads`), by registry id, in one query per
    table: what a page of yente results shows."""
    wanted = set(ids)
    if not wanted:
        return {}
    query = sa.select(Entity).where(Entity.id.in_(wanted)).options(*record_loads())
    return {entity.id: entity for entity in session.scalars(query)}


def entity_id_at(session: Session, source_code: str, source_key: str) -> int | None:
    """The registry id of the entity a source lists under `source_key`, if it lists one."""
    return session.scalar(
        sa.select(Entity.id)
        .join(ListSource, ListSource.id == Entity.source_id)
        .where(ListSource.code == source_code, Entity.source_key == source_key)
    )


def source_keys(session: Session, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Each entity's list source code and the key that list gives it, by registry id."""
    rows = session.execute(
        sa.select(Entity.id, ListSource.code, Entity.source_key)
        .join(ListSource, ListSource.id == Entity.source_id)
        .where(Entity.id.in_(set(ids)))
    )
    return {entity_id: (code, key) for entity_id, code, key in rows}


def entities_listing_numbers(session: Session, keys: Iterable[str], limit: int) -> list[int]:
    """Up to `limit` entities that list an identifier with one of these number keys
    (`models.number_key`)."""
    query = sa.select(Identifier.entity_id).where(Identifier.number_key.in_(set(keys))).distinct()
    return list(session.scalars(query.limit(limit)))


def list_source(session: Session, code: str) -> ListSource | None:
    """The list source with this code, if there is one."""
    return session.scalar(sa.select(ListSource).where(ListSource.code == code))


def programs(session: Session) -> Sequence[Program]:
    """Every sanctions program, by code."""
    return session.scalars(sa.select(Program).order_by(Program.code)).all()


def find_by_source_key(session: Session, source_code: str, source_key: str) -> Entity:
    """The entity a source lists under `source_key` (OFAC's entity number, say)."""
    entity_id = entity_id_at(session, source_code, source_key)
    if entity_id is None:
        raise NotFoundError(f"Source {source_code} lists no entity {source_key}.")
    return get_entity(session, entity_id)


@dataclasses.dataclass(frozen=True)
class EntityCard:
    """The few facts a match or hit shows of its entity."""

    id: int
    name: str
    kind: str
    programs: tuple[str, ...]
    source: str
    source_key: str
    # How the list is named beside others ("OFAC SDN", "UK"), and since when (ISO dates).
    source_label: str = ""
    listed_on: str | None = None
    delisted_on: str | None = None


def card_json(card: EntityCard) -> responses.EntityCard:
    """A card as the API and `--json` output show it."""
    return {
        "id": card.id,
        "name": card.name,
        "kind": card.kind,
        "programs": list(card.programs),
        "source": card.source,
        "source_key": card.source_key,
        "source_label": card.source_label,
        "listed_on": card.listed_on,
        "delisted_on": card.delisted_on,
    }


def entity_cards(session: Session, ids: list[int]) -> dict[int, EntityCard]:
    """Cards for some entities, by id, in one query per table."""
    if not ids:
        return {}
    entities = session.scalars(
        sa.select(Entity)
        .where(Entity.id.in_(set(ids)))
        .options(
            selectinload(Entity.source),
            selectinload(Entity.designations).selectinload(Designation.program),
        )
    )
    return {
        entity.id: EntityCard(
            id=entity.id,
            name=entity.primary_name,
            kind=entity.kind.value,
            programs=tuple(sorted(d.program.code for d in entity.designations)),
            source=entity.source.code,
            source_key=entity.source_key,
            source_label=entity.source.label or entity.source.name,
            listed_on=iso_date(
                min(
                    (d.designated_on for d in entity.designations if d.designated_on),
                    default=entity.listing_date,
                )
            ),
            delisted_on=iso_date(entity.delisted_on),
        )
        for entity in entities
    }
