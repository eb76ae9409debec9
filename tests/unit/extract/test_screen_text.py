"""Screening running text against the real SDN list (entity ids are OFAC numbers)."""

from __future__ import annotations

import time

import pytest

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


KIM_JONG_UN, LUKASHENKO, LAVROV, SBERBANK, HIZBALLAH, SADDAM = 20157, 9760, 35233, 17018, 4697, 7843
IRGC = 10391


@pytest.mark.parametrize(
    "text",
    [
        "Victory came late. Freedom was the word on every banner.",  # listed one-word names
        "Justice will prevail, Truth said nothing.",
        "They met in June, on a Tuesday.",  # months and weekdays
        "Syrian and Kenyan officials met in Lisbon.",  # nationalities and places
        "Jones and Garcia won the doubles.",  # surnames many people carry
        "The tanker Sundial docked at dawn.",  # a vessel's one-word name
        "Bio was the first to answer.",  # a short word that is no acronym
        "Patty and Manolo were there.",  # OFAC weak aliases
        "She ordered a khaki jacket and a salad.",  # lower-case words of the language
    ],
)
def test_a_word_alone_that_says_little_is_no_hit(sdn_matcher: Matcher, text: str) -> None:
    assert hits(sdn_matcher, text) == []


def test_distinctive_names_alone_are_hits(sdn_matcher: Matcher) -> None:
    assert hits(sdn_matcher, "Deripaska declined to comment.") == [("Deripaska", 24283)]
    assert hits(sdn_matcher, "Hizbullah fighters crossed the border.") == [("Hizbullah", HIZBALLAH)]


def test_a_headline_word_refers_to_the_full_name_further_down(sdn_matcher: Matcher) -> None:
    text = "Lukashenko warns the West\nMINSK - President Alexander Lukashenko said on Friday."
    assert [entity for _, entity in hits(sdn_matcher, text)] == [LUKASHENKO, LUKASHENKO]
    text = "Kim meets envoys\nPYONGYANG - North Korean leader Kim Jong Un met them."
    assert hits(sdn_matcher, text) == [("Kim", KIM_JONG_UN), ("Kim Jong Un", KIM_JONG_UN)]


def test_a_word_alone_takes_the_nearest_full_mention(sdn_matcher: Matcher) -> None:
    text = (
        "Yasser Arafat spoke first. Arafat then left. "
        "The Wagner Group moved north, and Wagner fighters followed. "
        "Sberbank of Russia reported losses; Sber shares fell. "
        "President Saddam Hussein spoke; Saddam was defiant."
    )
    found = hits(sdn_matcher, text)
    assert ("Wagner", WAGNER) in found and ("Sber", SBERBANK) in found
    assert ("Saddam", SADDAM) in found
    assert not [text_ for text_, _ in found if text_ == "Arafat"]  # Yasser Arafat is not listed
    text = "Richard Wagner wrote operas. Wagner died in Venice. Later Wagner Group formed."
    assert hits(sdn_matcher, text) == [("Wagner Group", WAGNER)]


def test_a_firm_named_by_one_word_is_known_by_its_short_form(sdn_matcher: Matcher) -> None:
    for text in ("Sberbank reported losses. Sber shares fell.", "Sber falls as Sberbank loses."):
        found = hits(sdn_matcher, text)
        assert ("Sber", SBERBANK) in found and ("Sberbank", SBERBANK) in found
    assert hits(sdn_matcher, "Sber shares fell.") == []  # a short form alone says too little


def test_the_firm_s_own_word_after_the_refers_to_it(sdn_matcher: Matcher) -> None:
    text = "The Islamic Revolutionary Guard Corps fired. The Guards said the Corps would respond."
    found = hits(sdn_matcher, text)
    assert ("Guards", IRGC) in found and ("Corps", IRGC) in found
    # Without the full mention, or without `the`, such a word names nobody.
    assert hits(sdn_matcher, "The Guards played at the palace.") == []
    text = "The Islamic Revolutionary Guard Corps fired. Guards were posted."
    assert ("Guards", IRGC) not in hits(sdn_matcher, text)


def test_a_word_shown_to_be_a_place_stays_a_place(sdn_matcher: Matcher) -> None:
    text = "DERIPASKA, Russia - Residents of Deripaska voted on Sunday."
    assert hits(sdn_matcher, text) == []


def test_runs_holding_more_than_one_name(sdn_matcher: Matcher) -> None:
    text = "Talks between Alexander Lukashenko and Foreign Minister Sergei Lavrov ended."
    assert [entity for _, entity in hits(sdn_matcher, text)] == [LUKASHENKO, LAVROV]
    assert hits(sdn_matcher, "Russia's Wagner Group recruited.") == [("Wagner Group", WAGNER)]
    assert hits(sdn_matcher, "North Korea's Kim Jong Un spoke.") == [("Kim Jong Un", KIM_JONG_UN)]
    assert hits(sdn_matcher, "The US-sanctioned Wagner Group left.") == [("Wagner Group", WAGNER)]
    assert hits(sdn_matcher, "Board: Ashot Mkrtychev Vladimir Putin") == [
        ("Ashot Mkrtychev", MKRTYCHEV),
        ("Vladimir Putin", PUTIN),
    ]


def test_text_in_capitals(sdn_matcher: Matcher) -> None:
    text = (
        "RUSSIA'S WAGNER GROUP AND NORTH KOREA'S KIM JONG UN. ASHOT MKRTYCHEV MET "
        "SERGEI SHOIGU AND VLADIMIR PUTIN IN MOSCOW ON FRIDAY."
    )
    assert [entity for _, entity in hits(sdn_matcher, text)] == [
        WAGNER, KIM_JONG_UN, MKRTYCHEV, SHOIGU, PUTIN
    ]  # fmt: skip
    found = screen_text(text, sdn_matcher)
    assert all(text[h.start : h.end] == h.text for h in found)  # offsets into the original


def test_the_name_after_a_title_inside_a_run_is_the_hit(sdn_matcher: Matcher) -> None:
    text = "MINSK - President Alexander Lukashenko said."
    assert hits(sdn_matcher, text) == [("Alexander Lukashenko", LUKASHENKO)]


def test_a_name_completed_in_brackets_is_read_whole(sdn_matcher: Matcher) -> None:
    text = "Exiles fled the regime of Saddam (Hussein) in the nineties."
    assert hits(sdn_matcher, text) == [("Saddam", SADDAM)]


@pytest.mark.parametrize(
    "unit",
    [
        "Alpha ",  # one run of capitalised words as long as the text
        "Ashot Mkrtychev and Vladimir Putin and ",  # runs joined without end
        "Russia's ",  # possessives without end
        "Vladimir Putin met Ashot Mkrtychev. Putin and Mkrtychev spoke. ",  # many mentions
    ],
)
def test_screening_work_grows_with_the_text_not_its_square(sdn_matcher: Matcher, unit: str) -> None:
    def seconds(size: int) -> float:
        text = unit * (size // len(unit))
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            screen_text(text, sdn_matcher)
            best = min(best, time.perf_counter() - started)
        return best

    screen_text(unit * 50, sdn_matcher)  # memos warm
    small, large = seconds(10_000), seconds(80_000)
    # Eight times the text: linear work takes about eight times as long, quadratic sixty-four.
    assert large < 24 * max(small, 0.002), (small, large)


def test_a_hit_in_a_text_without_sentence_ends_keeps_context_around_it(
    sdn_matcher: Matcher,
) -> None:
    """Without a full stop the sentence is the whole text: a hit keeps the words around it."""
    text = "word " * 2_000 + "Ashot Mkrtychev met them " + "word " * 2_000
    (hit,) = [h for h in screen_text(text, sdn_matcher) if h.text == "Ashot Mkrtychev"]
    assert "Ashot Mkrtychev met them" in hit.sentence
    assert len(hit.sentence) <= 2 * 500 + len("Ashot Mkrtychev")
    assert text[hit.sentence_start :].startswith(hit.sentence)
