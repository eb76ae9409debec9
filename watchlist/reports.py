"""Reports over the review data: the grouped review queue, counts for charts, the decision log
and the CSV export of hits with their decisions."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from watchlist import parties
from watchlist.audit import safe_cell
from watchlist.db import newest_first
from watchlist.errors import InputError, NotFoundError
from watchlist.models import (
    Action,
    Article,
    Decision,
    Designation,
    DismissReason,
    Entity,
    Hit,
    HitStatus,
    ListSource,
    ListVersion,
    Mention,
    Program,
    RunStatus,
    ScanRun,
    VersionStatus,
)
from watchlist.registry import EntityCard, entity_cards
from watchlist.review import HitFilter, hit_conditions
from watchlist.timestamps import rfc3339

# --- the grouped queue -----------------------------------------------------------------------


@dataclass(frozen=True)
class QueueGroup:
    """The hits of one story (rewrites of one report) on one entity: reviewed together.

    The group is labelled with its earliest article that has a hit on the entity: `article_id`,
    `title`.
    """

    story_id: int | None
    article_id: int
    title: str | None
    entity_id: int
    entity_name: str
    hits: int
    articles: int
    top_score: float
    first_seen: dt.datetime
    last_seen: dt.datetime
    first_hit_id: int


@dataclass(frozen=True)
class QueuePage:
    groups: Sequence[QueueGroup]
    total_groups: int
    total_hits: int
    page: int
    per_page: int


_GROUP_SORTS: dict[str, tuple[Any, ...]] = {
    "newest": (sa.desc("last_seen"), sa.desc("first_hit_id")),
    "oldest": (sa.asc("first_seen"), sa.asc("first_hit_id")),
    "score": (sa.desc("top_score"), sa.desc("last_seen"), sa.desc("first_hit_id")),
    "hits": (sa.desc("hits"), sa.desc("last_seen"), sa.desc("first_hit_id")),
}
GROUP_SORTS = tuple(_GROUP_SORTS)


def queue_groups(
    session: Session, where: HitFilter, *, sort: str = "newest", page: int = 1, per_page: int = 50
) -> QueuePage:
    """One page of (story, entity) groups of the hits the filter selects."""
    if sort not in _GROUP_SORTS:
        raise InputError(f"unknown sort {sort!r}; use one of: {', '.join(_GROUP_SORTS)}.")
    grouped = (
        sa.select(
            Article.story_id.label("story_id"),
            Hit.entity_id.label("entity_id"),
            sa.func.count(Hit.id).label("hits"),
            sa.func.count(sa.distinct(Hit.article_id)).label("articles"),
            sa.func.max(Hit.score).label("top_score"),
            sa.func.min(Hit.created_at).label("first_seen"),
            sa.func.max(Hit.created_at).label("last_seen"),
            sa.func.min(Hit.id).label("first_hit_id"),
            sa.func.min(Hit.article_id).label("article_id"),
        )
        .join(Article, Article.id == Hit.article_id)
        .where(*hit_conditions(where))
        .group_by(Article.story_id, Hit.entity_id)
    )
    totals = grouped.subquery()
    total_groups, total_hits = session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(totals.c.hits), 0))
    ).one()
    rows = session.execute(
        grouped.order_by(*_GROUP_SORTS[sort]).limit(per_page).offset((page - 1) * per_page)
    ).all()
    names = _entity_names(session, {row.entity_id for row in rows})
    titles = _article_titles(session, {row.article_id for row in rows})
    groups = [
        QueueGroup(
            story_id=row.story_id,
            article_id=row.article_id,
            title=titles.get(row.article_id),
            entity_id=row.entity_id,
            entity_name=names.get(row.entity_id, f"entity {row.entity_id}"),
            hits=row.hits,
            articles=row.articles,
            top_score=row.top_score,
            first_seen=row.first_seen,
            last_seen=row.last_seen,
            first_hit_id=row.first_hit_id,
        )
        for row in rows
    ]
    return QueuePage(groups, int(total_groups), int(total_hits), page, per_page)


def _entity_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    query = sa.select(Entity.id, Entity.primary_name).where(Entity.id.in_(ids))
    return {entity_id: name for entity_id, name in session.execute(query)}


def _article_titles(session: Session, ids: set[int]) -> dict[int, str | None]:
    if not ids:
        return {}
    query = sa.select(Article.id, Article.title).where(Article.id.in_(ids))
    return {article_id: title for article_id, title in session.execute(query)}


@dataclass(frozen=True)
class FilterChoices:
    """The values the queue's filters can take, from what is stored."""

    programs: Sequence[str]
    authorities: Sequence[str]
    sources: Sequence[str]


def filter_choices(session: Session) -> FilterChoices:
    """Programs and authorities that have hits, and every article source."""
    hit_entities = sa.select(Hit.entity_id).distinct()
    designated = (
        sa.select(Program.code, Program.authority)
        .join(Designation, Designation.program_id == Program.id)
        .where(Designation.entity_id.in_(hit_entities))
        .distinct()
    )
    rows = session.execute(designated).all()
    sources = session.scalars(
        sa.select(Article.source).where(Article.source.is_not(None)).distinct()
    ).all()
    return FilterChoices(
        programs=sorted({code for code, _ in rows}),
        authorities=sorted({authority for _, authority in rows}),
        sources=sorted(source for source in sources if source),
    )


def status_counts(session: Session) -> dict[HitStatus, int]:
    """How many hits stand in each review status."""
    rows = session.execute(sa.select(Hit.status, sa.func.count()).group_by(Hit.status))
    counts = dict.fromkeys(HitStatus, 0)
    counts.update({status: count for status, count in rows})
    return counts


# --- counts for charts -----------------------------------------------------------------------


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


@dataclass(frozen=True)
class VersionChanges:
    """What one list version changed, for the change chart and the lists page."""

    version_id: int
    source: str
    imported_at: dt.datetime
    added: int
    changed: int
    delisted: int
    relisted: int


def list_changes_over_time(session: Session, *, limit: int = 24) -> list[VersionChanges]:
    """The newest versions that changed something, oldest first."""
    query = (
        sa.select(ListVersion, ListSource.code)
        .join(ListSource, ListSource.id == ListVersion.source_id)
        .where(ListVersion.status == VersionStatus.CHANGED)
        .order_by(ListVersion.id.desc())
        .limit(limit)
    )
    lines = [
        VersionChanges(
            v.id,
            code,
            v.imported_at,
            v.added_count,
            v.changed_count,
            v.delisted_count,
            v.relisted_count,
        )  # fmt: skip
        for v, code in session.execute(query)
    ]
    return lines[::-1]


def list_versions(
    session: Session, *, limit: int = 50, offset: int = 0
) -> tuple[Sequence[ListVersion], int]:
    """Every import of every list, newest first, and how many there are."""
    load = [selectinload(ListVersion.source)]
    return newest_first(session, ListVersion, load=load, limit=limit, offset=offset)


@dataclass(frozen=True)
class RunOutcome:
    """How many scan runs ended (or stand) in one status, and when the newest of them
    finished."""

    status: RunStatus
    runs: int
    last_finished: dt.datetime | None


def scan_run_outcomes(session: Session) -> list[RunOutcome]:
    """Scan runs counted by status (only the statuses some run has)."""
    rows = session.execute(
        sa.select(ScanRun.status, sa.func.count(), sa.func.max(ScanRun.finished_at)).group_by(
            ScanRun.status
        )
    )
    return [RunOutcome(status, runs, finished) for status, runs, finished in rows]


def scan_runs(
    session: Session, *, limit: int = 50, offset: int = 0
) -> tuple[Sequence[ScanRun], int]:
    """Scan runs with their errors, newest first, and how many there are."""
    load = [selectinload(ScanRun.failures)]
    return newest_first(session, ScanRun, load=load, limit=limit, offset=offset)


# --- the decision log ------------------------------------------------------------------------


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


# --- the hits export -------------------------------------------------------------------------

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
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_FIELDS)
    yield _drain(buffer)
    conditions = hit_conditions(HitFilter(since=since, until=until))
    last_id = 0
    while True:
        hits = _export_batch(session, conditions, last_id)
        if not hits:
            return
        decisions = _decisions_of(session, [hit.id for hit in hits])
        listed = _listed_by(session, [hit.entity_id for hit in hits])
        for hit in hits:
            row = [*_export_row(hit, decisions.get(hit.id, [])), listed.get(hit.entity_id)]
            writer.writerow([safe_cell(value) for value in row])
        last_id = hits[-1].id
        yield _drain(buffer)


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


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


# --- around one hit --------------------------------------------------------------------------


def group_open_hits(session: Session, hit: Hit) -> list[int]:
    """Ids of the open hits on the same entity in the same story (or article) as `hit`."""
    story_id = hit.article.story_id
    where = (
        HitFilter(status=HitStatus.OPEN, entity_id=hit.entity_id, story_id=story_id)
        if story_id is not None
        else HitFilter(status=HitStatus.OPEN, entity_id=hit.entity_id, article_id=hit.article_id)
    )
    query = sa.select(Hit.id).where(*hit_conditions(where)).order_by(Hit.id)
    return list(session.scalars(query))


def next_open_hit(session: Session, after: int) -> int | None:
    """The next open hit after this one (by id), wrapping round to the first."""
    is_open = Hit.status == HitStatus.OPEN
    following = session.scalar(sa.select(sa.func.min(Hit.id)).where(is_open, Hit.id > after))
    if following is not None:
        return following
    return session.scalar(sa.select(sa.func.min(Hit.id)).where(is_open, Hit.id != after))


def article_hits(session: Session, article_id: int) -> Sequence[Hit]:
    """Every hit of an article, in text order, with mention and entity loaded."""
    query = (
        sa.select(Hit)
        .join(Mention, Mention.id == Hit.mention_id)
        .where(Hit.article_id == article_id)
        .options(selectinload(Hit.mention), selectinload(Hit.entity))
        .order_by(Mention.start, Hit.id)
    )
    return session.scalars(query).all()


def story_articles(session: Session, story_id: int | None, article_id: int) -> Sequence[Article]:
    """The other articles of a story (rewrites of the same report), newest first."""
    if story_id is None:
        return []
    query = (
        sa.select(Article)
        .where(Article.story_id == story_id, Article.id != article_id)
        .order_by(Article.id.desc())
    )
    return session.scalars(query).all()


def get_article(session: Session, article_id: int) -> Article:
    article = session.get(Article, article_id)
    if article is None:
        raise NotFoundError(f"there is no article with id {article_id}.")
    return article
