"""The decision log: who decided what on which hit, and dismissals counted by reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from watchlist.db import newest_first
from watchlist.models import (
    Action,
    Decision,
    DismissReason,
    Hit,
)


@dataclass(frozen=True)
class DecisionFilter:
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    actor: str | None = None
    action: Action | None = None
    reason: DismissReason | None = None


def dismissals_by_reason(session: Session, where: DecisionFilter) -> dict[str, int]:
    """How many dismissals give each reason (`none`: recorded before reasons were asked for),
    among the decisions the filter keeps."""
    log = decision_conditions(replace(where, action=Action.DISMISS))
    rows = session.execute(
        sa.select(Decision.reason, sa.func.count(Decision.id)).where(*log).group_by(Decision.reason)
    )
    return {reason.value if reason else "none": count for reason, count in rows}


def decision_conditions(where: DecisionFilter) -> list[sa.ColumnElement[bool]]:
    """The SQL conditions of a decision filter."""
    conditions: list[sa.ColumnElement[bool]] = []
    if where.since is not None:
        conditions.append(Decision.created_at >= where.since)
    if where.until is not None:
        conditions.append(Decision.created_at < where.until)
    if where.actor:
        conditions.append(Decision.actor == where.actor)
    if where.action is not None:
        conditions.append(Decision.action == where.action)
    if where.reason is not None:
        conditions.append(Decision.reason == where.reason)
    return conditions


def decision_log(
    session: Session, where: DecisionFilter, *, limit: int = 50, offset: int = 0
) -> tuple[Sequence[Decision], int]:
    """Decisions, newest first, with their hit, mention, entity and article loaded."""
    conditions = decision_conditions(where)
    load = [
        selectinload(Decision.hit).selectinload(Hit.mention),
        selectinload(Decision.hit).selectinload(Hit.entity),
        selectinload(Decision.hit).selectinload(Hit.article),
    ]
    return newest_first(session, Decision, conditions, load=load, limit=limit, offset=offset)
