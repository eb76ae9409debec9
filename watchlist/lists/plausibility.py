"""The plausibility guard: a list version that would remove too much is refused, not applied.

A damaged or partial file (cut short, or missing a companion file) parses as a list that has
lost many records or many names. Real publications change a few entries at a time, so a version
that would delist or strip data from more than a set share of a source's listed entities, or
remove more than that share of their names, is recorded as refused until an operator accepts it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from watchlist.models import Entity, EntityName
from watchlist.sources.parsed import ParsedEntity


@dataclasses.dataclass(frozen=True)
class RemovalGuard:
    """How much one version may remove (a share, 0..1), and whether the operator accepted more."""

    max_share: float
    accept: bool = False


@dataclasses.dataclass(frozen=True)
class Removals:
    """What a version would take away from a source's listed entities."""

    listed: int  # entities listed now
    delisted: int  # of them, missing from the new version
    stripped: int  # of them, losing a whole field (every alias, every address, ...)
    names: int  # names of the listed entities now
    names_removed: int  # of them, missing from the new version

    def refusal(self, source: str, guard: RemovalGuard) -> str | None:
        """Why the version is implausible under `guard`, or None when it is not."""
        limit = guard.max_share
        entities_over = self.delisted + self.stripped > limit * self.listed
        names_over = self.names_removed > limit * self.names
        if guard.accept or not (entities_over or names_over):
            return None
        return (
            f"{source}: the new version would delist {self.delisted:,} and strip data from "
            f"{self.stripped:,} of {self.listed:,} listed entities and remove "
            f"{self.names_removed:,} of their {self.names:,} names, more than "
            f"{limit * 100:g}% (lists.max_removal_percent); it was refused and recorded. "
            "Check the file, or import it again with --accept-large-change."
        )


def removals(
    session: Session,
    source_id: int,
    entities: Sequence[ParsedEntity],
    *,
    delisted: int,
    stripped: int,
) -> Removals:
    """Count what applying `entities` would remove from the source's listed entities."""
    rows = session.execute(
        sa.select(Entity.source_key, EntityName.name)
        .join(EntityName, EntityName.entity_id == Entity.id)
        .where(Entity.source_id == source_id, Entity.delisted_on.is_(None))
    ).all()
    held = {(key, name) for key, name in rows}
    kept = {
        (entity.source_key, name)
        for entity in entities
        for name in (entity.primary_name, *(alias.name for alias in entity.names))
    }
    staying = {entity.source_key for entity in entities}
    removed = sum(1 for key, name in held - kept if key in staying)
    listed = len({key for key, _ in held})
    return Removals(listed, delisted, stripped, len(held), removed)
