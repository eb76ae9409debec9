"""Operations: scan runs and the errors they met."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from watchlist.models.base import Base, enum_column, utcnow


class RunStatus(enum.StrEnum):
    """How a scan run ended (running while it is under way, or if it was killed)."""

    RUNNING = "running"
    SUCCEEDED = "succeeded"
    PARTIAL = "partial"  # finished, but some articles or feeds failed
    FAILED = "failed"


class ScanRun(Base):
    """One run of the scan job: when, against which list state, and what it found."""

    __tablename__ = "scan_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    status: Mapped[RunStatus] = mapped_column(
        enum_column(RunStatus, "run_status"), default=RunStatus.RUNNING
    )
    list_state: Mapped[int | None]
    articles_screened: Mapped[int] = mapped_column(default=0)
    articles_rescreened: Mapped[int] = mapped_column(default=0)
    new_hits: Mapped[int] = mapped_column(default=0)
    delisted_hits: Mapped[int] = mapped_column(default=0)
    errors: Mapped[int] = mapped_column(default=0)
    error_text: Mapped[str | None] = mapped_column(sa.Text)

    failures: Mapped[list[ScanError]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="ScanError.id"
    )


class ScanError(Base):
    """Something a scan run could not do: one article, one feed, one list update."""

    __tablename__ = "scan_errors"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        sa.ForeignKey("scan_runs.id", ondelete="CASCADE"), index=True
    )
    article_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("articles.id", ondelete="SET NULL")
    )
    stage: Mapped[str] = mapped_column(sa.String(40))
    message: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    run: Mapped[ScanRun] = relationship(back_populates="failures")


class ScreeningRecord(Base):
    """The screening audit log: one row per lookup or screen request, kept for proof."""

    __tablename__ = "screening_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, index=True
    )
    actor: Mapped[str] = mapped_column(sa.String(120), index=True)  # "api-key:NAME", "user:NAME"
    kind: Mapped[str] = mapped_column(sa.String(20))  # lookup, screen, match
    query: Mapped[str] = mapped_column(sa.Text)  # the name, or the text's first characters
    query_detail: Mapped[dict[str, object]] = mapped_column(sa.JSON, default=dict)
    list_state: Mapped[int]
    result_count: Mapped[int]
    top_entity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("entities.id"))
    top_name: Mapped[str | None] = mapped_column(sa.String(500))
    top_score: Mapped[float | None]
