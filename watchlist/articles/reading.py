"""An article as an analyst reads it: the article, its hits in text order, and the other
articles of its story."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from watchlist.errors import NotFoundError
from watchlist.models import (
    Article,
    Hit,
    Mention,
)


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
