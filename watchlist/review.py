"""Review of hits: finding them, deciding on them, and rules that silence a name for good.

Decisions are appended, never changed; a hit's status is the outcome of its latest decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from watchlist.errors import ConflictError, InputError, NotFoundError
from watchlist.matching.normalize import tokenize
from watchlist.models import (
    Action,
    Article,
    Decision,
    Designation,
    DismissReason,
    Hit,
    HitStatus,
    PartyLink,
    Program,
    Suppression,
)
from watchlist.models.base import utcnow
from watchlist.parties import JOINING

OUTCOME = {
    Action.CONFIRM: HitStatus.CONFIRMED,
    Action.DISMISS: HitStatus.DISMISSED,
    Action.ESCALATE: HitStatus.ESCALATED,
    Action.REOPEN: HitStatus.OPEN,
}
MAX_NOTE = 10_000

# --- finding hits ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HitFilter:
    """What the review queue, the hits API and the export select on; None means any."""

    status: HitStatus | None = None
    program: str | None = None  # a program code, e.g. DPRK3
    authority: str | None = None  # e.g. OFAC, UN
    source: str | None = None  # the article's source (outlet or feed title)
    entity_id: int | None = None
    article_id: int | None = None
    story_id: int | None = None
    since: dt.datetime | None = None  # hits created at or after
    until: dt.datetime | None = None  # hits created before
    min_score: float | None = None
    max_score: float | None = None


SORTS: dict[str, tuple[sa.UnaryExpression[Any], ...]] = {
    "newest": (Hit.created_at.desc(), Hit.id.desc()),
    "oldest": (Hit.created_at.asc(), Hit.id.asc()),
    "score": (Hit.score.desc(), Hit.id.desc()),
}


def hit_conditions(where: HitFilter) -> list[sa.ColumnElement[bool]]:
    """The SQL conditions of a filter, on `Hit` (joined to `Article` where needed)."""
    conditions: list[sa.ColumnElement[bool]] = []
    simple = (
        (where.status, Hit.status),
        (where.entity_id, Hit.entity_id),
        (where.article_id, Hit.article_id),
    )
    conditions += [column == value for value, column in simple if value is not None]
    if where.since is not None:
        conditions.append(Hit.created_at >= where.since)
    if where.until is not None:
        conditions.append(Hit.created_at < where.until)
    if where.min_score is not None:
        conditions.append(Hit.score >= where.min_score)
    if where.max_score is not None:
        conditions.append(Hit.score <= where.max_score)
    if where.program is not None or where.authority is not None:
        designated = _designated(where.program, where.authority)
        conditions.append(
            sa.or_(Hit.entity_id.in_(designated), Hit.entity_id.in_(_linked_to(designated)))
        )
    if where.source is not None or where.story_id is not None:
        conditions.append(Hit.article_id.in_(_articles(where.source, where.story_id)))
    return conditions


def _designated(program: str | None, authority: str | None) -> sa.Select[int]:
    query = sa.select(Designation.entity_id).join(Program, Program.id == Designation.program_id)
    if program is not None:
        query = query.where(Program.code == program)
    if authority is not None:
        query = query.where(Program.authority == authority)
    return query


def _linked_to(entities: sa.Select[int]) -> sa.CompoundSelect[int]:
    """Entities linked as one party to any of `entities` (a hit on the OFAC listing of a party
    the UK lists too is a hit under a UK program)."""
    live = PartyLink.status.in_(JOINING)
    subquery = entities.scalar_subquery()
    return sa.union(
        sa.select(PartyLink.entity_id).where(live, PartyLink.other_id.in_(subquery)),
        sa.select(PartyLink.other_id).where(live, PartyLink.entity_id.in_(subquery)),
    )


def _articles(source: str | None, story_id: int | None) -> sa.Select[int]:
    query = sa.select(Article.id)
    if source is not None:
        query = query.where(Article.source == source)
    if story_id is not None:
        query = query.where(Article.story_id == story_id)
    return query


@dataclass(frozen=True)
class HitPage:
    hits: Sequence[Hit]
    total: int
    page: int
    per_page: int


def find_hits(
    session: Session, where: HitFilter, *, sort: str = "newest", page: int = 1, per_page: int = 50
) -> HitPage:
    """One page of hits with their mention, entity and article loaded, and the total count."""
    if sort not in SORTS:
        raise InputError(f"unknown sort {sort!r}; use one of: {', '.join(SORTS)}.")
    conditions = hit_conditions(where)
    total = session.scalar(sa.select(sa.func.count(Hit.id)).where(*conditions)) or 0
    hits = session.scalars(
        sa.select(Hit)
        .where(*conditions)
        .options(selectinload(Hit.mention), selectinload(Hit.entity), selectinload(Hit.article))
        .order_by(*SORTS[sort])
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return HitPage(hits, total, page, per_page)


def get_hit(session: Session, hit_id: int) -> Hit:
    hit = session.get(Hit, hit_id)
    if hit is None:
        raise NotFoundError(f"there is no hit with id {hit_id}.")
    return hit


def count_open(session: Session) -> int:
    """How many hits wait for a decision."""
    query = sa.select(sa.func.count(Hit.id)).where(Hit.status == HitStatus.OPEN)
    return session.scalar(query) or 0


# --- deciding --------------------------------------------------------------------------------


def decide(
    session: Session,
    hit_id: int,
    action: Action,
    *,
    actor: str,
    note: str = "",
    user_id: int | None = None,
    suppress: bool = False,
    reason: DismissReason | None = None,
) -> Decision:
    """Append a decision to a hit and set its status. A dismissal says why (`reason`);
    `suppress` (with a dismissal only) adds a rule so that this name is never again a hit for
    this entity."""
    if len(note) > MAX_NOTE:
        raise InputError(f"a note may have at most {MAX_NOTE:,} characters.")
    _check_reason(action, reason, note)
    if suppress and action is not Action.DISMISS:
        raise InputError("only a dismissal can silence a name for an entity.")
    hit = get_hit(session, hit_id)
    decision = Decision(hit=hit, action=action, note=note.strip(), actor=actor, user_id=user_id,
                        reason=reason)  # fmt: skip
    session.add(decision)
    hit.status = OUTCOME[action]
    session.flush()
    if suppress and _active_rule(session, hit.entity_id, name_key(hit.mention.text)) is None:
        add_suppression(session, hit.entity_id, hit.mention.text, actor=actor, note=note,
                        decision_id=decision.id)  # fmt: skip
    return decision


def _check_reason(action: Action, reason: DismissReason | None, note: str) -> None:
    if action is Action.DISMISS and reason is None:
        reasons = ", ".join(r.value for r in DismissReason)
        raise InputError(f"a dismissal needs a reason: one of {reasons}.")
    if action is not Action.DISMISS and reason is not None:
        raise InputError("only a dismissal takes a reason.")
    if reason is DismissReason.OTHER and not note.strip():
        raise InputError("a dismissal for another reason needs a note saying why.")


def history(session: Session, hit_id: int) -> Sequence[Decision]:
    """A hit's decisions, oldest first."""
    get_hit(session, hit_id)
    query = sa.select(Decision).where(Decision.hit_id == hit_id).order_by(Decision.id)
    return session.scalars(query).all()


def decisions_between(
    session: Session, since: dt.datetime | None, until: dt.datetime | None
) -> Sequence[Decision]:
    """Every decision in a time range, oldest first, with its hit."""
    query = sa.select(Decision).options(selectinload(Decision.hit)).order_by(Decision.id)
    if since is not None:
        query = query.where(Decision.created_at >= since)
    if until is not None:
        query = query.where(Decision.created_at < until)
    return session.scalars(query).all()


# --- suppression rules -----------------------------------------------------------------------


def name_key(text: str) -> str:
    """The form a suppression rule compares names in: folded tokens, spelling differences in
    case, accents and punctuation ignored."""
    return " ".join(tokenize(text))


def add_suppression(
    session: Session,
    entity_id: int,
    name: str,
    *,
    actor: str,
    note: str = "",
    decision_id: int | None = None,
) -> Suppression:
    key = name_key(name)
    if not key:
        raise InputError("a suppression rule needs a name with letters or digits.")
    if _active_rule(session, entity_id, key) is not None:
        raise ConflictError(f"{name!r} is already silenced for this entity.")
    rule = Suppression(entity_id=entity_id, name_key=key, name=name, actor=actor, note=note,
                       decision_id=decision_id)  # fmt: skip
    session.add(rule)
    session.flush()
    return rule


def remove_suppression(session: Session, rule_id: int, *, actor: str) -> Suppression:
    """Stamp a rule removed; it stays on record."""
    rule = session.get(Suppression, rule_id)
    if rule is None or rule.removed_at is not None:
        raise NotFoundError(f"there is no active suppression rule with id {rule_id}.")
    rule.removed_at = utcnow()
    rule.removed_by = actor
    return rule


def suppressions(session: Session, *, include_removed: bool = False) -> Sequence[Suppression]:
    query = sa.select(Suppression).options(selectinload(Suppression.entity))
    if not include_removed:
        query = query.where(Suppression.removed_at.is_(None))
    return session.scalars(query.order_by(Suppression.id.desc())).all()


def suppressed(session: Session, entity_ids: set[int]) -> set[tuple[int, str]]:
    """The active (entity id, name key) rules among these entities."""
    if not entity_ids:
        return set()
    rows = session.execute(
        sa.select(Suppression.entity_id, Suppression.name_key).where(
            Suppression.removed_at.is_(None), Suppression.entity_id.in_(entity_ids)
        )
    )
    return {(entity_id, key) for entity_id, key in rows}


def _active_rule(session: Session, entity_id: int, key: str) -> Suppression | None:
    return session.scalar(
        sa.select(Suppression).where(
            Suppression.entity_id == entity_id,
            Suppression.name_key == key,
            Suppression.removed_at.is_(None),
        )
    )
