"""The change log's before and after values: written as read, bounded, read back (pure
functions)."""

from __future__ import annotations

import datetime as dt

from watchlist.lists.diff import (
    MAX_TEXT,
    MAX_VALUES,
    FieldChange,
    field_diff,
    parsed_values,
    read_diff,
)
from watchlist.models import EntityKind, NameKind, NationalityKind
from watchlist.sources.parsed import (
    ParsedDesignation,
    ParsedEntity,
    ParsedIdentifier,
    ParsedName,
    ParsedNationality,
)

ASHOT = ParsedEntity(
    source_key="41736",
    kind=EntityKind.PERSON,
    primary_name="MKRTYCHEV, Ashot",
    names=(ParsedName("MKRTYCEV, Asot"), ParsedName("ASHOT", kind=NameKind.WEAK_AKA)),
    designations=(ParsedDesignation("DPRK"), ParsedDesignation("RUSSIA-EO14024")),
    identifiers=(
        ParsedIdentifier("passport", "BD5609822", "Slovakia", expires_on=dt.date(2024, 5, 19)),
    ),
    nationalities=(ParsedNationality("Slovakia", NationalityKind.CITIZENSHIP),),
    gender="Male",
)


def test_values_are_written_as_a_person_reads_them() -> None:
    fields = ["primary_name", "title", "names", "designations", "identifiers", "nationalities"]
    values = parsed_values(ASHOT, fields, {"DPRK": dt.date(2023, 3, 30)})
    assert values == {
        "primary_name": ["MKRTYCHEV, Ashot"],
        "title": [],
        "names": ["MKRTYCEV, Asot (aka)", "ASHOT (weak aka)"],
        # The list gives no date: the one the registry keeps is the value after the import.
        "designations": ["DPRK, designated 2023-03-30", "RUSSIA-EO14024"],
        "identifiers": ["passport BD5609822 (Slovakia), expires 2024-05-19"],
        "nationalities": ["Slovakia (citizenship)"],
    }


def test_a_field_diff_marks_what_was_removed_and_added() -> None:
    diff = field_diff(["SDNTK", "SDGT"], ["SDGT", "ILLICIT-DRUGS-EO14059"])
    assert diff == {"before": ["SDNTK", "SDGT"], "after": ["SDGT", "ILLICIT-DRUGS-EO14059"]}
    (change,) = read_diff(["designations"], {"designations": diff})
    assert change.removed == ("SDNTK",) and change.added == ("ILLICIT-DRUGS-EO14059",)


def test_long_fields_leave_out_unchanged_values_first_and_count_them() -> None:
    kept = [f"ALIAS {n} (aka)" for n in range(30)]
    diff = field_diff([*kept, "OLD (aka)"], ["NEW (aka)", *kept])
    assert len(diff["before"]) == len(diff["after"]) == MAX_VALUES
    assert "OLD (aka)" in diff["before"] and "NEW (aka)" in diff["after"]
    assert diff["before"][:-1] == diff["after"][1:]  # the same unchanged values on both sides
    assert diff["omitted_before"] == diff["omitted_after"] == 31 - MAX_VALUES
    (change,) = read_diff(["names"], {"names": diff})
    assert change.removed == ("OLD (aka)",) and change.added == ("NEW (aka)",)
    assert change.omitted_before == 31 - MAX_VALUES


def test_long_values_are_cut_and_repeated_values_kept_once() -> None:
    remarks = "DOB 1955; " * 200
    diff = field_diff([remarks], ["a", "a"])
    assert len(diff["before"][0]) == MAX_TEXT and diff["before"][0].endswith("…")
    assert diff["after"] == ["a"]


def test_entries_without_values_read_as_none() -> None:
    assert read_diff(["names"], None) == ()
    assert read_diff(["names", "title"], {"title": {"before": ["President"], "after": []}}) == (
        FieldChange("title", ("President",), ()),
    )
