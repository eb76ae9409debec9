"""Times as the outputs write them: RFC 3339 in UTC with Z, whatever the database gave back."""

from __future__ import annotations

import datetime as dt
import re

from watchlist.timestamps import RFC3339_PATTERN, readable, rfc3339


def test_a_naive_time_is_taken_as_utc() -> None:  # what SQLite gives back
    assert rfc3339(dt.datetime(2026, 12, 5, 16, 1, 28, 512_000)) == "2026-12-05T16:01:28Z"


def test_a_time_with_a_zone_is_written_in_utc() -> None:  # what PostgreSQL gives back
    berlin = dt.timezone(dt.timedelta(hours=1))
    assert rfc3339(dt.datetime(2026, 12, 5, 17, 1, 28, tzinfo=berlin)) == "2026-12-05T16:01:28Z"
    assert rfc3339(dt.datetime(2026, 12, 5, 16, 1, 28, tzinfo=dt.UTC)) == "2026-12-05T16:01:28Z"


def test_no_time_stays_none_and_the_pattern_takes_only_the_z_form() -> None:
    assert rfc3339(None) is None
    assert re.fullmatch(RFC3339_PATTERN, rfc3339(dt.datetime(1, 1, 1)))
    for other in ("2026-12-05T16:01:28", "2026-12-05T16:01:28+00:00", "2026-12-05 16:01:28Z"):
        assert not re.fullmatch(RFC3339_PATTERN, other)


def test_people_read_the_minute_in_utc() -> None:
    east = dt.timezone(dt.timedelta(hours=9))
    assert readable(dt.datetime(2026, 12, 6, 1, 1, 28, tzinfo=east)) == "2026-12-05 16:01 UTC"
    assert readable(dt.datetime(2026, 12, 5, 16, 1, 28)) == "2026-12-05 16:01 UTC"
