"""Times as every output writes them: RFC 3339 in UTC with `Z` (`2026-12-05T16:01:28Z`) in the
API and in `--json` and export output, `2026-12-05 16:01 UTC` for people.

Times are stored in UTC. PostgreSQL gives them back with their zone, SQLite without one: a
time without a zone is taken as UTC here, whichever database it came from.
"""

from __future__ import annotations

import datetime as dt
from typing import overload

RFC3339_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"


def utc(moment: dt.datetime) -> dt.datetime:
    """The moment in UTC; one without a zone is taken as UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


@overload
def rfc3339(moment: dt.datetime) -> str: ...


@overload
def rfc3339(moment: None) -> None: ...


def rfc3339(moment: dt.datetime | None) -> str | None:
    """`2026-12-05T16:01:28Z`: RFC 3339 in UTC, to the second; None stays None."""
    if moment is None:
        return None
    return utc(moment).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def readable(moment: dt.datetime) -> str:
    """`2026-12-05 16:01 UTC`, for pages and people."""
    return utc(moment).strftime("%Y-%m-%d %H:%M UTC")


def iso_date(day: dt.date | None) -> str | None:
    """A date as the API writes it, YYYY-MM-DD, or None."""
    return day.isoformat() if day is not None else None
