"""The screening audit log: proof that a name or text was screened, when, by whom, and what
came back. Written in the same transaction as the answer it records."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from watchlist import responses
from watchlist.db import newest_first
from watchlist.models import ScreeningRecord
from watchlist.models.base import utcnow
from watchlist.spreadsheet import csv_lines
from watchlist.timestamps import rfc3339

QUERY_CHARS = 2_000  # a screened text is kept as its first characters and its length
FIELDS = (
    "id", "created_at", "actor", "kind", "query", "list_state",
    "result_count", "top_entity_id", "top_name", "top_score",
)  # fmt: skip


@dataclass(frozen=True)
class TopResult:
    entity_id: int
    name: str
    score: float


Results = Sequence[responses.MatchResult] | Sequence[responses.TextHit]


def summary(results: Results) -> tuple[int, TopResult | None]:
    """How many results (matches or hits) an answer had, and the best-scoring one as the log
    keeps it."""
    tops = [TopResult(r["entity"]["id"], r["entity"]["name"], r["score"]) for r in results]
    return len(tops), max(tops, key=lambda top: top.score, default=None)


def record(
    session: Session,
    *,
    actor: str,
    kind: str,
    query: str,
    list_state: int,
    result_count: int,
    top: TopResult | None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Log one screening request (a plain insert: it runs on every lookup)."""
    values = {
        "created_at": utcnow(),
        "actor": actor,
        "kind": kind,
        "query": query[:QUERY_CHARS],
        "query_detail": {**(detail or {}), "length": len(query)},
        "list_state": list_state,
        "result_count": result_count,
        "top_entity_id": top.entity_id if top else None,
        "top_name": top.name if top else None,
        "top_score": top.score if top else None,
    }
    # A Core insert on the session's connection: the ORM's bulk path costs more than the row.
    session.connection().execute(_INSERT, values)


_INSERT = sa.insert(ScreeningRecord)


@dataclass(frozen=True)
class AuditFilter:
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    actor: str | None = None
    kind: str | None = None
    query: str | None = None  # case-insensitive substring of the screened name or text


def find(
    session: Session, where: AuditFilter, *, limit: int | None = None, offset: int = 0
) -> tuple[Sequence[ScreeningRecord], int]:
    """Matching records, newest first, and how many there are in all."""
    return newest_first(session, ScreeningRecord, _conditions(where), limit=limit, offset=offset)


def _conditions(where: AuditFilter) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if where.since is not None:
        conditions.append(ScreeningRecord.created_at >= where.since)
    if where.until is not None:
        conditions.append(ScreeningRecord.created_at < where.until)
    if where.actor is not None:
        conditions.append(ScreeningRecord.actor == where.actor)
    if where.kind is not None:
        conditions.append(ScreeningRecord.kind == where.kind)
    if where.query:
        escaped = where.query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(ScreeningRecord.query.ilike(f"%{escaped}%", escape="\\"))
    return conditions


def as_dict(entry: ScreeningRecord) -> dict[str, Any]:
    """A record as the API and the JSON export give it."""
    return {
        "id": entry.id,
        "created_at": rfc3339(entry.created_at),
        "actor": entry.actor,
        "kind": entry.kind,
        "query": entry.query,
        "query_detail": entry.query_detail,
        "list_state": entry.list_state,
        "result_count": entry.result_count,
        "top_entity_id": entry.top_entity_id,
        "top_name": entry.top_name,
        "top_score": entry.top_score,
    }


def export_csv(entries: Iterable[ScreeningRecord]) -> Iterator[str]:
    """CSV lines, a header first; values that a spreadsheet would run as formulas are quoted
    with a leading apostrophe."""
    rows = ([[record[field] for field in FIELDS]] for record in map(as_dict, entries))
    return csv_lines(FIELDS, rows)


def export_json(entries: Iterable[ScreeningRecord]) -> Iterator[str]:
    """JSON lines, one record each."""
    for entry in entries:
        yield json.dumps(as_dict(entry), ensure_ascii=False) + "\n"
