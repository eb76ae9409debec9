"""Counts for the dashboard's charts: hits by status, by day and by program."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from watchlist.models import (
    Designation,
    Hit,
    HitStatus,
    Program,
)
from watchlist.review.decisions import HitFilter, hit_conditions


def status_counts(session: Session) -> dict[HitStatus, int]:
    """How many hits stand in each review status."""
    rows = session.execute(sa.select(Hit.status, sa.func.count()).group_by(Hit.status))
    counts = dict.fromkeys(HitStatus, 0)
    counts.update({status: count for status, count in rows})
    return counts


def hits_per_day(
    session: Session, where: HitFilter, *, days: int, today: dt.date
) -> list[tuple[dt.date, int]]:
    """Hits found on each of the last `days` days up to `today` (UTC), zeros included."""
    first = today - dt.timedelta(days=days - 1)
    since = dt.datetime.combine(first, dt.time(), dt.UTC)
    day = sa.func.date(Hit.created_at)
    query = (
        sa.select(day, sa.func.count(Hit.id))
        .where(*hit_conditions(where), Hit.created_at >= since)
        .group_by(day)
    )
    counts = {_as_date(value): count for value, count in session.execute(query)}
    return [
        (first + dt.timedelta(days=n), counts.get(first + dt.timedelta(days=n), 0))
        for n in range(days)
    ]


def _as_date(value: object) -> dt.date:
    """SQLite's date() gives text, PostgreSQL's a date."""
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def hits_by_program(
    session: Session, where: HitFilter, *, limit: int = 12
) -> list[tuple[str, int]]:
    """Hits per program of the hit's entity (a hit counts once for each program), most first."""
    query = (
        sa.select(Program.authority, Program.code, sa.func.count(Hit.id))
        .join(Designation, Designation.entity_id == Hit.entity_id)
        .join(Program, Program.id == Designation.program_id)
        .where(*hit_conditions(where))
        .group_by(Program.authority, Program.code)
    )
    counts = [(f"{authority} {code}", count) for authority, code, count in session.execute(query)]
    return sorted(counts, key=lambda item: (-item[1], item[0]))[:limit]
