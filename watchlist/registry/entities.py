"""Registry queries: load an entity with everything known about it, or its card.

Searching the registry by name or identifier is `watchlist.registry.search`."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from watchlist import responses
from watchlist.errors import NotFoundError
from watchlist.models import Designation, Entity, EntityRelation, ListSource
from watchlist.timestamps import iso_date


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
