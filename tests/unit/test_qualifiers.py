"""The lookup qualifiers: one reading of a birth date and a country for the CLI, the API and
/match, and one form for a query's country and a listed one."""

from __future__ import annotations

import pytest

from watchlist.errors import InputError
from watchlist.matching.matcher import normalize_country
from watchlist.registry import qualifiers


@pytest.mark.parametrize("text", ["1952", "1952-10", "1952-10-07", " 1952-10-07 ", "1952-02-29"])
def test_a_birth_date_of_the_three_forms_is_kept(text: str) -> None:
    assert qualifiers.birth_date(text) == text.strip()


@pytest.mark.parametrize("text", ["07.10.1952", "1952/10/07", "10-07-1952", "52", "1952-1-7", ""])
def test_another_form_of_birth_date_is_an_error_naming_the_forms(text: str) -> None:
    with pytest.raises(InputError) as error:
        qualifiers.birth_date(text)
    assert error.value.message == (
        f"the birth date {text!r} is not of the form YYYY, YYYY-MM or YYYY-MM-DD."
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1952-02-30", "day is out of range for month"),
        ("1953-02-29", "day is out of range for month"),
        ("1952-13", "month must be in 1..12"),
        ("1952-00-10", "month must be in 1..12"),
        ("0000", "year 0 is out of range"),
    ],
)
def test_a_birth_date_that_is_no_real_date_is_an_error_saying_so(text: str, reason: str) -> None:
    with pytest.raises(InputError) as error:
        qualifiers.birth_date(text)
    assert error.value.message == f"the birth date {text!r} is not a real date ({reason})."


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("SK", "Slovakia"), ("sk", "Slovakia"), ("SVK", "Slovakia"), ("Slovakia", "Slovakia"),
        ("KP", "North Korea"), ("PRK", "North Korea"), ("North Korea", "North Korea"),
        ("Korea, North", "North Korea"), ("RU", "Russia"), ("Russian Federation", "Russia"),
        ("Burma", "Myanmar"), ("Czech Republic", "Czechia"), ("SU", "Soviet Union"),
    ],
)  # fmt: skip
def test_a_country_is_an_iso_code_or_a_name(text: str, country: str) -> None:
    assert qualifiers.country(text) == country


@pytest.mark.parametrize("text", ["Narnia", "XX", "ZZZ", "", "   "])
def test_an_unknown_country_is_an_error_naming_it(text: str) -> None:
    with pytest.raises(InputError) as error:
        qualifiers.country(text)
    assert error.value.message == (
        f"{text!r} is not a country known here: give an ISO 3166 code (SK or SVK) or a "
        "country's name (Slovakia)."
    )


@pytest.mark.parametrize(
    ("listed", "query"),
    [
        ("Korea, North", "KP"),  # OFAC
        ("Democratic People's Republic of Korea", "PRK"),  # UN
        ("kp", "North Korea"),  # FollowTheMoney
        ("Russian Federation", "Russia"),
        ("Slovakia", "SVK"),
        ("Region: Crimea", "Crimea"),
    ],
)
def test_a_listed_country_and_a_query_for_it_meet_in_one_form(listed: str, query: str) -> None:
    # What the matcher compares: the listed key, and the query's country folded.
    assert qualifiers.country_key(listed) == normalize_country(qualifiers.country(query))


def test_a_listed_country_naming_no_territory_is_kept_folded() -> None:
    assert qualifiers.country_key("Region: Kafia Kingi") == "region: kafia kingi"
    assert qualifiers.country_key("undetermined") == "undetermined"
