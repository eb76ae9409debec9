"""The hits export: every hit found in a time range, with its decisions and every listing of
its party, as CSV lines for a spreadsheet."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import partial

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from watchlist.models import (
    Decision,
    Designation,
    Entity,
    Hit,
)
from watchlist.registry import parties
from watchlist.registry.entities import EntityCard, entity_cards
from watchlist.review.decisions import HitFilter, hit_conditions
from watchlist.spreadsheet import csv_lines
from watchlist.timestamps import rfc3339

EXPORT_FIELDS = (
    "hit_id", "found_at", "status", "score", "route", "mention", "matched_name",
    "entity_id", "entity_name", "entity_source", "entity_source_key", "programs",
    "article_id", "article_title", "article_url", "article_source", "article_published_at",
    "decisions", "last_action", "last_dismiss_reason", "last_decided_at", "last_decided_by",
    "last_note", "all_notes", "listed_by",
)  # fmt: skip


EXPORT_BATCH = 500


def export_hits_csv(
    session: Session, since: dt.datetime | None, until: dt.datetime | None
) -> Iterator[str]:
    """CSV lines (a header first) of the hits found in a time range, oldest first, each with
    its decisions; formula-like cells are neutralised."""
    return csv_lines(EXPORT_FIELDS, _export_rows(session, since, until))


def _export_rows(
    session: Session, since: dt.datetime | None, until: dt.datetime | None
) -> Iterator[list[list[object]]]:
    """The export's rows, a batch of hits at a time."""
    conditions = hit_conditions(HitFilter(since=since, until=until))
    last_id = 0
    while True:
        hits = _export_batch(session, conditions, last_id)
        if not hits:
            return
        decisions = _decisions_of(session, [hit.id for hit in hits])
        listed = _listed_by(session, [hit.entity_id for hit in hits])
        yield [
            [*_export_row(hit, decisions.get(hit.id, [])), listed.get(hit.entity_id)]
            for hit in hits
        ]
        last_id = hits[-1].id


def _export_batch(
    session: Session, conditions: list[sa.ColumnElement[bool]], after: int
) -> Sequence[Hit]:
    query = (
        sa.select(Hit)
        .where(*conditions, Hit.id > after)
        .options(
            selectinload(Hit.mention),
            selectinload(Hit.article),
            selectinload(Hit.entity).selectinload(Entity.source),
            selectinload(Hit.entity)
            .selectinload(Entity.designations)
            .selectinload(Designation.program),
        )
        .order_by(Hit.id)
        .limit(EXPORT_BATCH)
    )
    return session.scalars(query).all()


def _listed_by(session: Session, entity_ids: list[int]) -> dict[int, str]:
    """Every listing of each entity's party, as the dashboard writes it."""
    found = parties.listings(session, set(entity_ids), partial(_cards, session))
    return {entity_id: parties.party_label(listed) for entity_id, listed in found.items()}


def _cards(session: Session, ids: Iterable[int]) -> dict[int, EntityCard]:
    return entity_cards(session, list(ids))


def _decisions_of(session: Session, hit_ids: list[int]) -> dict[int, list[Decision]]:
    found: dict[int, list[Decision]] = defaultdict(list)
    query = sa.select(Decision).where(Decision.hit_id.in_(hit_ids)).order_by(Decision.id)
    for decision in session.scalars(query):
        found[decision.hit_id].append(decision)
    return found


def _export_row(hit: Hit, decisions: list[Decision]) -> list[object]:
    last = decisions[-1] if decisions else None
    article = hit.article
    programs = sorted(f"{d.program.authority} {d.program.code}" for d in hit.entity.designations)
    notes = " | ".join(f"{d.action.value} by {d.actor}: {d.note}" for d in decisions if d.note)
    return [
        hit.id, rfc3339(hit.created_at), hit.status.value, round(hit.score, 4), hit.route,
        hit.mention.text, hit.matched_name,
        hit.entity_id, hit.entity.primary_name, hit.entity.source.code, hit.entity.source_key,
        "; ".join(programs),
        article.id, article.title, article.url, article.source, rfc3339(article.published_at),
        len(decisions), last.action.value if last else None,
        last.reason.value if last and last.reason else None,
        rfc3339(last.created_at) if last else None, last.actor if last else None,
        last.note if last else None, notes,
    ]  # fmt: skip
