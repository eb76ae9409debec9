"""Who may use the service: dashboard users and API keys."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from watchlist.models.base import Base, enum_column, utcnow


class Role(enum.StrEnum):
    """What a dashboard user may do: look, decide on hits, or also manage users and rules."""

    VIEWER = "viewer"
    ANALYST = "analyst"
    ADMIN = "admin"


class Scope(enum.StrEnum):
    """What an API key may do."""

    LOOKUP = "lookup"  # screen names: lookup, yente match
    SCREEN = "screen"  # screen texts without storing them
    READ = "read"  # read articles, hits, entities, programs, lists
    WRITE = "write"  # store articles, decide on hits
    ADMIN = "admin"  # everything, including the screening audit log


class SignInOutcome(enum.StrEnum):
    """How a dashboard sign-in attempt ended."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"
    THROTTLED = "throttled"  # refused unchecked: too many recent failures


class User(Base):
    """A dashboard account. Never deleted: decisions keep pointing at their author."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(300))
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_login_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))


class DashboardSession(Base):
    """A signed-in browser. Its cookie carries a random token and this row the token's digest;
    ending the row ends the session wherever the cookie was copied to."""

    __tablename__ = "dashboard_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))


class ApiKey(Base):
    """A key for the REST API. Only a SHA-256 digest of the secret is stored."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(16))  # shown in listings, not secret
    digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(sa.JSON)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))


class SignInAttempt(Base):
    """Every dashboard sign-in attempt: the name tried, from where, and how it ended. The audit
    record of sign-ins, and what throttling counts."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (
        sa.Index("ix_sign_in_attempts_name_created_at", "name", "created_at"),
        sa.Index("ix_sign_in_attempts_address_created_at", "address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    name: Mapped[str] = mapped_column(sa.String(100))
    address: Mapped[str] = mapped_column(sa.String(64))
    outcome: Mapped[SignInOutcome] = mapped_column(enum_column(SignInOutcome, "sign_in_outcome"))
