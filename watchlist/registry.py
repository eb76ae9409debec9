"""Registry queries: find entities by name, load one with everything known about it."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from watchlist.errors import NotFoundError
from watchlist.models import Designation, Entity, EntityName, EntityRelation, ListSource


@dataclasses.dataclass(frozen=True)
class EntitySummary:
    """One line of a search result."""

    id: int
    kind: str
    primary_name: str
    matched_name: str
    source: str
    source_key: str
    programs: tuple[str, ...]
    delisted_on: str | None


def search_entities(
    session: Session, text: str, *, limit: int = 20, include_delisted: bool = False
) -> list[EntitySummary]:
    """Entities with a name containing `text` (case-insensitive), primary names first."""
    pattern = f"%{_escape_like(text.strip().casefold())}%"
    query = (
        sa.select(Entity, EntityName.name)
        .join(EntityName, EntityName.entity_id == Entity.id)
        .where(sa.func.lower(EntityName.name).like(pattern, escape="\\"))
        .order_by(EntityName.kind != "primary", Entity.primary_name, Entity.id)
        .options(selectinload(Entity.designations).selectinload(Designation.program))
        .options(selectinload(Entity.source))
    )
    if not include_delisted:
        query = query.where(Entity.delisted_on.is_(None))
    results: dict[int, EntitySummary] = {}
    for entity, name in session.execute(query):
        if entity.id not in results:
            results[entity.id] = _summary(entity, name)
        if len(results) >= limit:
            break
    return list(results.values())


def get_entity(session: Session, entity_id: int) -> Entity:
    """One entity with all its names, designations and facts loaded."""
    query = (
        sa.select(Entity)
        .where(Entity.id == entity_id)
        .options(
            selectinload(Entity.source),
            selectinload(Entity.names),
            selectinload(Entity.designations).selectinload(Designation.program),
            selectinload(Entity.identifiers),
            selectinload(Entity.addresses),
            selectinload(Entity.birth_dates),
            selectinload(Entity.birth_places),
            selectinload(Entity.nationalities),
            selectinload(Entity.facts),
            selectinload(Entity.relations).selectinload(EntityRelation.object),
            selectinload(Entity.linked_from).selectinload(EntityRelation.subject),
        )
    )
    entity = session.scalar(query)
    if entity is None:
        raise NotFoundError(f"There is no entity with id {entity_id}.")
    return entity


def find_by_source_key(session: Session, source_code: str, source_key: str) -> Entity:
    """The entity a source lists under `source_key` (OFAC's entity number, say)."""
    entity_id = session.scalar(
        sa.select(Entity.id)
        .join(ListSource, ListSource.id == Entity.source_id)
        .where(ListSource.code == source_code, Entity.source_key == source_key)
    )
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
        )
        for entity in entities
    }


def _summary(entity: Entity, matched_name: str) -> EntitySummary:
    return EntitySummary(
        id=entity.id,
        kind=entity.kind.value,
        primary_name=entity.primary_name,
        matched_name=matched_name,
        source=entity.source.code,
        source_key=entity.source_key,
        programs=tuple(sorted(d.program.code for d in entity.designations)),
        delisted_on=entity.delisted_on.isoformat() if entity.delisted_on else None,
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
