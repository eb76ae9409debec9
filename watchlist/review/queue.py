"""The review queue: open hits grouped by entity and story, the choices its filters offer, and
the way from one hit to the next."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from watchlist.errors import InputError
from watchlist.models import (
    Article,
    Designation,
    Entity,
    Hit,
    HitStatus,
    Program,
)
from watchlist.review.decisions import HitFilter, hit_conditions


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
