"""The value rules the list importers share."""

from __future__ import annotations

import datetime as dt

import pytest

from watchlist.errors import ListFormatError
from watchlist.sources.values import iso_date, iso_date_or_none, unique


def test_unique_keeps_the_first_order() -> None:
    assert unique(["b", "a", "b", "c", "a"]) == ("b", "a", "c")
    assert unique([]) == ()


@pytest.mark.parametrize("text", ["2024-02-29", "2024-02-29Z", "2024-02-29+01:00"])
def test_iso_date_reads_a_day_and_ignores_a_zone_offset(text: str) -> None:
    assert iso_date(text, "x.xml entity 1") == dt.date(2024, 2, 29)


@pytest.mark.parametrize("text", ["2023-02-29", "2024-02", "29/02/2024", "2024-02-297"])
def test_iso_date_refuses_other_text_naming_where(text: str) -> None:
    with pytest.raises(ListFormatError) as caught:
        iso_date(text, "x.xml entity 1", "listing date")
    assert str(caught.value) == (
        f"x.xml entity 1 has an invalid listing date {text!r} (expected YYYY-MM-DD)."
    )


def test_absent_dates_are_none() -> None:
    assert iso_date(None, "x.xml entity 1") is None
    assert iso_date_or_none(None) is None


def test_lenient_iso_date_gives_none_for_bad_text() -> None:
    assert iso_date_or_none("2001-10-06-04:00") == dt.date(2001, 10, 6)
    assert iso_date_or_none("2023-02-29") is None
    assert iso_date_or_none("circa 1960") is None
