"""Articles, the stories they belong to, the names mentioned in them and the hits."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from watchlist.models.base import Base, enum_column, utcnow
from watchlist.models.registry import Entity


class HitStatus(enum.StrEnum):
    """Where a hit stands in review."""

    OPEN = "open"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    ESCALATED = "escalated"
    DELISTED = "delisted"  # the entity was delisted while the hit was still open


class Feed(Base):
    """An RSS or Atom feed the scan reads."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(sa.String(1000), unique=True)
    title: Mapped[str | None] = mapped_column(sa.String(500))
    etag: Mapped[str | None] = mapped_column(sa.String(200))
    last_modified: Mapped[str | None] = mapped_column(sa.String(100))
    last_fetched_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Story(Base):
    """Rewrites of one report (articles sharing most of their copy), reviewed once."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str | None] = mapped_column(sa.String(1000))
    first_seen_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    articles: Mapped[list[Article]] = relationship(back_populates="story")


class Article(Base):
    """A news article: where it came from, its text, and the list state it was screened with."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str | None] = mapped_column(sa.String(2000), unique=True)
    title: Mapped[str | None] = mapped_column(sa.String(1000))
    source: Mapped[str | None] = mapped_column(sa.String(500))
    feed_id: Mapped[int | None] = mapped_column(sa.ForeignKey("feeds.id"), index=True)
    story_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stories.id"), index=True)
    published_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    fetched_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    text: Mapped[str] = mapped_column(sa.Text)
    content_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    language: Mapped[str | None] = mapped_column(sa.String(8))
    # The text's fingerprint for story grouping (watchlist/articles/stories.py): the smallest
    # hashes of its word shingles, as hex. Articles stored before fingerprints hold their
    # proper nouns here and no story marks.
    signature: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # The list state (newest list version id) the article was last screened against.
    screened_state: Mapped[int | None] = mapped_column(index=True)
    screened_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

    story: Mapped[Story | None] = relationship(back_populates="articles")
    mentions: Mapped[list[Mention]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="Mention.start"
    )


class StoryMark(Base):
    """One of the smallest values of an article's fingerprint: rewrites of a report share them,
    and a new article finds its story through them."""

    __tablename__ = "story_marks"
    __table_args__ = (sa.Index("ix_story_marks_mark_article_id", "mark", "article_id"),)

    article_id: Mapped[int] = mapped_column(
        sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    mark: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=False)


class Mention(Base):
    """A span of an article's text naming a listed entity."""

    __tablename__ = "mentions"
    __table_args__ = (sa.UniqueConstraint("article_id", "start", "end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(sa.ForeignKey("articles.id", ondelete="CASCADE"))
    start: Mapped[int]
    end: Mapped[int]
    text: Mapped[str] = mapped_column(sa.String(1000))
    sentence_start: Mapped[int]
    sentence_end: Mapped[int]

    article: Mapped[Article] = relationship(back_populates="mentions")
    hits: Mapped[list[Hit]] = relationship(back_populates="mention")


class Hit(Base):
    """A mention matched to a listed entity, with the evidence and the state it was made in."""

    __tablename__ = "hits"
    __table_args__ = (sa.UniqueConstraint("mention_id", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mention_id: Mapped[int] = mapped_column(sa.ForeignKey("mentions.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(
        sa.ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    entity_id: Mapped[int] = mapped_column(sa.ForeignKey("entities.id"), index=True)
    matched_name: Mapped[str] = mapped_column(sa.String(500))
    score: Mapped[float]
    route: Mapped[str] = mapped_column(sa.String(40))
    explanation: Mapped[dict[str, object]] = mapped_column(sa.JSON)
    list_state: Mapped[int]
    matcher_settings: Mapped[str] = mapped_column(sa.String(64))
    status: Mapped[HitStatus] = mapped_column(
        enum_column(HitStatus, "hit_status"), default=HitStatus.OPEN, index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, index=True
    )

    mention: Mapped[Mention] = relationship(back_populates="hits")
    article: Mapped[Article] = relationship(viewonly=True)
    entity: Mapped[Entity] = relationship()
