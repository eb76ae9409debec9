"""Review: the decisions analysts take on hits, and the names they never want to see again."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from watchlist.models.access import User
from watchlist.models.articles import Hit
from watchlist.models.base import Base, enum_column, utcnow
from watchlist.models.registry import Entity


class Action(enum.StrEnum):
    """What a reviewer did with a hit."""

    CONFIRM = "confirm"
    DISMISS = "dismiss"  # a false positive
    ESCALATE = "escalate"
    REOPEN = "reopen"


class DismissReason(enum.StrEnum):
    """Why a reviewer dismissed a hit: counted in the audit and the export."""

    DIFFERENT_PERSON = "different_person"  # a false positive: someone else of that name
    NOT_LISTED = "not_listed"  # the mention is not a listed party (a place, a rifle, a word)
    DUPLICATE = "duplicate"  # the same mention already reviewed elsewhere
    OTHER = "other"  # the note says why


DISMISS_REASON_LABELS: dict[DismissReason, str] = {
    DismissReason.DIFFERENT_PERSON: "False positive: a different person",
    DismissReason.NOT_LISTED: "Not a listed party",
    DismissReason.DUPLICATE: "Duplicate",
    DismissReason.OTHER: "Other (say why in the note)",
}


class Decision(Base):
    """One decision on a hit. Decisions are only ever appended: they are the audit trail."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    hit_id: Mapped[int] = mapped_column(sa.ForeignKey("hits.id", ondelete="CASCADE"), index=True)
    action: Mapped[Action] = mapped_column(enum_column(Action, "decision_action"))
    # Set on dismissals only; dismissals recorded before reasons existed have none.
    reason: Mapped[DismissReason | None] = mapped_column(
        enum_column(DismissReason, "dismiss_reason")
    )
    note: Mapped[str] = mapped_column(sa.Text, default="")
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(sa.String(120))  # "user:NAME" or "api-key:NAME"
    created_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, index=True
    )

    hit: Mapped[Hit] = relationship()
    user: Mapped[User | None] = relationship()


class Suppression(Base):
    """A rule: never alert this name (as normalised) for this entity again.

    Removing a rule stamps it removed; the row stays as the record of who had it and when."""

    __tablename__ = "suppressions"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(sa.ForeignKey("entities.id"), index=True)
    name_key: Mapped[str] = mapped_column(sa.String(500))
    name: Mapped[str] = mapped_column(sa.String(500))  # the mention as first written
    note: Mapped[str] = mapped_column(sa.Text, default="")
    decision_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("decisions.id", ondelete="SET NULL")
    )
    actor: Mapped[str] = mapped_column(sa.String(120))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    removed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    removed_by: Mapped[str | None] = mapped_column(sa.String(120))

    entity: Mapped[Entity] = relationship()
