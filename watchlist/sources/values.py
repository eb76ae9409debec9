"""Small value rules every list importer shares: dropping repeated items in their order,
reading ISO `YYYY-MM-DD` dates, and a day from its parts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TypeVar

from watchlist.errors import ListFormatError

T = TypeVar("T")

# The day at the start of an ISO date. The lists give days, not instants, so an XML Schema
# zone offset after it ("Z", "+01:00") is ignored.
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ZONE_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:\d{2})?")


def unique(items: Iterable[T]) -> tuple[T, ...]:
    """Items in their first order with exact repeats dropped (lists repeat an alias or an
    address across sections; one copy says all)."""
    return tuple(dict.fromkeys(items))


def full_date(year: int | None, month: int | None, day: int | None) -> dt.date | None:
    """The day these parts name; None when a part is missing or the day does not exist (a
    birth date known only to the year, or `1952-02-30`)."""
    if year is None or month is None or day is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def iso_date_or_none(text: str | None) -> dt.date | None:
    """The day of text that starts `YYYY-MM-DD` (whatever follows, such as a zone offset, is
    ignored); None when the text is absent, not of that form or not a real day: for fields a
    list fills carelessly."""
    match = _ISO_DATE.match(text or "")
    if match is None:
        return None
    return full_date(int(match[1]), int(match[2]), int(match[3]))


def iso_date(text: str | None, where: str, field: str = "date") -> dt.date | None:
    """The day of `YYYY-MM-DD` text (a zone offset after it ignored); None when absent. Text
    of another form, or a day that does not exist, is refused naming where it stands: a list
    that dates its records wrongly is damaged."""
    if text is None:
        return None
    match = _ISO_DATE.match(text)
    day = iso_date_or_none(text) if match and _ZONE_OFFSET.fullmatch(text, match.end()) else None
    if day is None:
        raise ListFormatError(f"{where} has an invalid {field} {text!r} (expected YYYY-MM-DD).")
    return day
