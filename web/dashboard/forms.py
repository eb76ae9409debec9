"""Reading the dashboard's query strings and forms into the core's filter values."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from watchlist.errors import InputError
from watchlist.models import Action, DismissReason, HitStatus
from watchlist.review.decision_log import DecisionFilter
from watchlist.review.decisions import HitFilter

E = TypeVar("E", bound=enum.Enum)

# Score bands an analyst picks from, as (label, lowest, highest).
SCORE_BANDS = {
    "high": ("0.95 and above", 0.95, None),
    "medium": ("0.85 to 0.95", 0.85, 0.9499),
    "low": ("below 0.85", None, 0.8499),
}


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def text(args: Mapping[str, str], name: str) -> str | None:
    value = args.get(name, "").strip()
    return value or None


def number(args: Mapping[str, str], name: str, *, minimum: int = 1) -> int | None:
    value = text(args, name)
    if value is None:
        return None
    if not value.isdigit() or int(value) < minimum:
        raise InputError(f"{name} must be a whole number of at least {minimum}.")
    return int(value)


def choice(args: Mapping[str, str], name: str, kind: type[E]) -> E | None:
    value = text(args, name)
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        valid = ", ".join(str(member.value) for member in kind)
        raise InputError(f"{name} must be one of: {valid}.") from None


def score(args: Mapping[str, str], name: str, default: float) -> float:
    """A minimum score between 0 and 1 (a slider's value)."""
    value = text(args, name)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        raise InputError(f"{name} must be a number between 0 and 1.") from None


def date(args: Mapping[str, str], name: str) -> dt.date | None:
    value = text(args, name)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{name} must be a date written YYYY-MM-DD.") from None


def date_range(args: Mapping[str, str]) -> tuple[dt.datetime | None, dt.datetime | None]:
    """`from` and `to` as days (both included), as the UTC times [start of from, end of to)."""
    first, last = date(args, "from"), date(args, "to")
    if first and last and last < first:
        raise InputError("the end date must not be before the start date.")
    since = dt.datetime.combine(first, dt.time(), dt.UTC) if first else None
    until = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), dt.UTC) if last else None
    return since, until


MAX_PAGE = 1_000_000  # as in the API: far beyond any listing, and within every integer column


def paging(
    args: Mapping[str, str], max_page_size: int, default: int = 50, *, prefix: str = ""
) -> Paging:
    """`page` and `per_page`; a `prefix` names the paging of a second listing on a page."""
    page = number(args, f"{prefix}page") or 1
    if page > MAX_PAGE:
        raise InputError(f"{prefix}page must be at most {MAX_PAGE:,}.")
    per_page = min(number(args, f"{prefix}per_page") or default, max_page_size)
    return Paging(page, per_page)


def hit_filter(args: Mapping[str, str], *, default_status: HitStatus | None) -> HitFilter:
    """The queue's filters; `status=any` selects every status."""
    status = default_status if "status" not in args else None
    if args.get("status", "any") != "any":
        status = choice(args, "status", HitStatus)
    band = text(args, "band")
    if band is not None and band not in SCORE_BANDS:
        raise InputError(f"band must be one of: {', '.join(SCORE_BANDS)}.")
    _, lowest, highest = SCORE_BANDS[band] if band else (None, None, None)
    since, until = date_range(args)
    return HitFilter(
        status=status,
        program=text(args, "program"),
        authority=text(args, "authority"),
        source=text(args, "source"),
        entity_id=number(args, "entity"),
        story_id=number(args, "story"),
        since=since,
        until=until,
        min_score=lowest,
        max_score=highest,
    )


def decision_filter(args: Mapping[str, str]) -> DecisionFilter:
    since, until = date_range(args)
    action = choice(args, "action", Action)
    reason = choice(args, "reason", DismissReason)
    return DecisionFilter(since=since, until=until, actor=text(args, "actor"), action=action,
                          reason=reason)  # fmt: skip
