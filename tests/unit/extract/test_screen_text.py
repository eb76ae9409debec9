"""Screening running text against the real SDN list (entity ids are OFAC numbers)."""

from __future__ import annotations

from watchlist.extract.screen import screen_text
from watchlist.matching.matcher import Matcher

PUTIN, SHOIGU, MKRTYCHEV, WAGNER = 35096, 35173, 41736, 22543


def hits(matcher: Matcher, text: str) -> list[tuple[str, int]]:
    return [(h.text, h.entity_id) for h in screen_text(text, matcher)]


def test_surname_after_a_full_mention_resolves_to_that_person(sdn_matcher: Matcher) -> None:
    text = "Ashot Mkrtychev was designated. Officials said Mr. Mkrtychev brokered the deal."
    assert hits(sdn_matcher, text) == [("Ashot Mkrtychev", MKRTYCHEV), ("Mr. Mkrtychev", MKRTYCHEV)]


def test_distinctive_surname_alone_is_a_hit_and_a_common_one_is_not(sdn_matcher: Matcher) -> None:
    assert hits(sdn_matcher, "Shoigu made the request in Pyongyang.") == [("Shoigu", SHOIGU)]
    assert hits(sdn_matcher, "Kim made the request in Pyongyang.") == []


def test_namesakes_and_officials_are_not_hits(sdn_matcher: Matcher) -> None:
    text = (
        "The orchestra played Richard Wagner while the actor Wagner Moura watched. "
        "John Kirby and Janet Yellen spoke about Iran."
    )
    assert hits(sdn_matcher, text) == []


def test_never_inside_another_word(sdn_matcher: Matcher) -> None:
    assert hits(sdn_matcher, "The Putinesque Shoiguism of Wagnerian opera.") == []


def test_lower_case_listed_names_are_still_found(sdn_matcher: Matcher) -> None:
    found = hits(sdn_matcher, "reports say mkrtychev arranged the shipment.")
    assert found == [("mkrtychev", MKRTYCHEV)]


def test_hostile_markup_text_is_just_text(sdn_matcher: Matcher) -> None:
    text = '<script>alert("x")</script> Vladimir Putin <img src=x onerror=alert(1)>'
    found = screen_text(text, sdn_matcher)
    assert [(h.text, h.entity_id) for h in found] == [("Vladimir Putin", PUTIN)]
    assert text[found[0].start : found[0].end] == "Vladimir Putin"


def test_org_name_in_running_text(sdn_matcher: Matcher) -> None:
    text = "The private Russian military company, Wagner Group, received weapons."
    assert hits(sdn_matcher, text) == [("Wagner Group", WAGNER)]


def test_a_surname_of_someone_named_in_full_and_unlisted_is_not_a_hit(
    sdn_matcher: Matcher,
) -> None:
    text = "Estonia's Kaja Kallas spoke first. Later Kallas said sanctions would stay."
    assert hits(sdn_matcher, text) == []


def test_names_joined_by_and_are_screened_apart(sdn_matcher: Matcher) -> None:
    text = "U.S. imposes new sanctions on Ashot Mkrtychev and Wagner Group over arms deals."
    assert hits(sdn_matcher, text) == [("Ashot Mkrtychev", MKRTYCHEV), ("Wagner Group", WAGNER)]
    text = "Officials said Ashot Mkrtychev and Janet Yellen never met."
    assert hits(sdn_matcher, text) == [("Ashot Mkrtychev", MKRTYCHEV)]


def test_a_listed_name_holding_and_stays_whole(sdn_matcher: Matcher) -> None:
    text = "Investigators traced Nordstrand Maritime and Trading Company to Havana."
    assert hits(sdn_matcher, text) == [("Nordstrand Maritime and Trading Company", 1571)]
    text = "Sanctions hit Cubacancun Cigars and Gift Shops and Wagner Group."
    assert hits(sdn_matcher, text) == [
        ("Cubacancun Cigars and Gift Shops", 590),
        ("Wagner Group", WAGNER),
    ]


def test_a_long_run_of_joined_words_is_read_in_bounded_time(sdn_matcher: Matcher) -> None:
    text = "Reports named " + " and ".join(["Alpha Beta"] * 300) + " and Wagner Group."
    assert hits(sdn_matcher, text) == [("Wagner Group", WAGNER)]


def test_a_sentence_opening_word_joined_by_of_is_not_part_of_the_name(
    sdn_matcher: Matcher,
) -> None:
    assert hits(sdn_matcher, "Officials of Wagner Group declined to comment.") == [
        ("Wagner Group", WAGNER)
    ]
    text = "Ships of Nordstrand Maritime and Trading Company left port."
    assert hits(sdn_matcher, text) == [("Nordstrand Maritime and Trading Company", 1571)]


def test_one_letter_alone_is_never_a_hit(sdn_matcher: Matcher) -> None:
    # `K` and `D` are whole listed names once legal forms are set aside (K.A.S., D COMPANY).
    assert hits(sdn_matcher, "Officials met K in Geneva. Then D said no.") == []
    text = "The sanctions also target Petrochemical Commercial Company (U.K.) Limited."
    assert [name for name, _ in hits(sdn_matcher, text)] == ["Petrochemical Commercial Company"]
