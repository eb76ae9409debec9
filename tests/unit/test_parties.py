"""The linker's pure core: which listings on different lists are one party, and why."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from watchlist.registry.parties import (
    FoundLink,
    ListingFacts,
    best_per_party,
    document_class,
    find_links,
    name_words,
    usable_number,
)

BORN = dt.date(1966, 5, 7)
SDN, UK, EU = 1, 2, 3


def person(entity_id: int, source_id: int, *names: str, **facts: object) -> ListingFacts:
    return ListingFacts(entity_id, source_id, "person", names, **facts)  # type: ignore[arg-type]


def passport(number: str) -> tuple[str, str, str]:
    return ("passport", number.replace(" ", "").upper(), number)


def test_the_same_passport_links_two_lists_listings_of_one_person() -> None:
    ofac = person(10, SDN, "MKRTYCHEV, Ashot", documents=(passport("BD3843329"),))
    uk = person(20, UK, "Ashot MKRTYCHEV", documents=(passport("BD3843329"),))
    assert find_links([ofac, uk]).links == (FoundLink(10, 20, ("passport BD3843329",)),)


def test_the_same_name_and_full_birth_date_link_people() -> None:
    ofac = person(10, SDN, "PUTIN, Vladimir Vladimirovich", birth_dates=frozenset({BORN}))
    uk = person(20, UK, "Vladimir Vladimirovich PUTIN", birth_dates=frozenset({BORN}))
    [link] = find_links([ofac, uk]).links
    assert link.evidence == ("name putin vladimir vladimirovich and birth date 1966-05-07",)


@pytest.mark.parametrize(
    "other",
    [
        person(20, SDN, "Ashot MKRTYCHEV", documents=(passport("BD3843329"),)),  # same list
        person(20, UK, "Ashot MKRTYCHEV", birth_dates=frozenset({dt.date(1966, 5, 8)})),
        person(20, UK, "Ashot MKRTYCHEV", birth_dates=frozenset({dt.date(1966, 1, 1)})),
        person(20, UK, "MKRTYCHEV", birth_dates=frozenset({BORN})),  # one word is not a name
        ListingFacts(20, UK, "organization", ("Ashot MKRTYCHEV",), frozenset({BORN})),
    ],
    ids=["same-list", "other-day", "other-date", "one-word", "organization"],
)
def test_weaker_or_contradicted_evidence_links_nothing(other: ListingFacts) -> None:
    ofac = person(10, SDN, "MKRTYCHEV, Ashot", birth_dates=frozenset({BORN}))
    assert find_links([ofac, other]).links == ()


def test_a_shared_passport_with_no_shared_name_or_other_birth_dates_is_only_proposed() -> None:
    ofac = person(10, SDN, "MKRTYCHEV, Ashot", documents=(passport("BD3843329"),))
    stranger = person(20, UK, "Ivan PETROV", documents=(passport("BD3843329"),))
    born_apart = dataclasses.replace(
        ofac, entity_id=30, source_id=EU, birth_dates=frozenset({dt.date(1970, 1, 1)})
    )
    dated = dataclasses.replace(ofac, birth_dates=frozenset({BORN}))
    found = find_links([dated, stranger, born_apart])
    assert found.links == ()
    assert found.proposals == (
        FoundLink(10, 20, ("passport BD3843329, but no name word in common",)),
        FoundLink(10, 30, ("passport BD3843329, but born on different dates "
                           "(1966-05-07 / 1970-01-01)",)),
        FoundLink(20, 30, ("passport BD3843329, but no name word in common",)),
    )  # fmt: skip


def test_an_entity_that_would_join_two_listings_of_one_list_is_left_alone() -> None:
    ofac = person(10, SDN, "KIM, Chol", documents=(passport("654321987"),))
    uk_one = person(20, UK, "KIM Chol", documents=(passport("654321987"),))
    uk_two = person(21, UK, "Chol KIM", documents=(passport("654321987"),))
    eu = person(30, EU, "Chol Kim", documents=(passport("654321987"),))
    found = find_links([ofac, uk_one, uk_two, eu])
    # 10-30 stands; every pair touching both UK listings is ambiguous: proposed for review.
    assert [(link.entity_id, link.other_id) for link in found.links] == [(10, 30)]
    proposed = {(link.entity_id, link.other_id): link.evidence for link in found.proposals}
    assert set(proposed) == {(10, 20), (10, 21), (20, 30), (21, 30)}
    assert all("another listing" in lines[-1] for lines in proposed.values())


def test_a_number_many_listings_share_is_no_evidence() -> None:
    shared = [person(i, i, "Ali HASSAN", documents=(passport("12345678"),)) for i in range(1, 9)]
    assert find_links(shared).links == ()


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("passport", "passport"),
        ("diplomatic_passport", "passport"),
        ("national_id", "national ID"),
        ("national_identification_number", "national ID"),
        ("imo", "IMO number"),
        ("swift_bic", "SWIFT/BIC"),
        ("registration_number", None),
        ("tax_id", None),
    ],
)
def test_document_classes(kind: str, expected: str | None) -> None:
    assert document_class(kind) == expected


def test_short_or_digitless_numbers_tell_nobody_apart() -> None:
    assert not usable_number("passport", "12345")
    assert not usable_number("passport", "UNKNOWN")
    assert usable_number("passport", "BD3843329")
    assert usable_number("SWIFT/BIC", "GAZPRUMM")
    assert not usable_number("SWIFT/BIC", "GAZPRU")


def test_name_words_ignore_order_accents_case_and_punctuation() -> None:
    assert name_words("ŠOJGU, Sergej K.") == name_words("sergej k sojgu")


@dataclasses.dataclass(frozen=True)
class Found:
    entity_id: int
    score: float
    start: int = 0


def test_best_per_party_keeps_the_best_listing_and_the_order() -> None:
    items = [Found(1, 0.9), Found(2, 0.95), Found(3, 0.8), Found(4, 0.7)]
    parties = {1: 1, 2: 1, 3: 3}
    assert best_per_party(items, parties) == [Found(2, 0.95), Found(3, 0.8), Found(4, 0.7)]


def test_best_per_party_ties_go_to_the_lowest_id_and_slots_stay_apart() -> None:
    items = [Found(2, 0.9, 0), Found(1, 0.9, 0), Found(2, 0.9, 50)]
    kept = best_per_party(items, {1: 1, 2: 1}, slot=lambda item: item.start)
    assert kept == [Found(1, 0.9, 0), Found(2, 0.9, 50)]
