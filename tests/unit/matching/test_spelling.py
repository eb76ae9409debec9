"""Other languages' spellings of the sounds an English romanisation writes, and the romanisation
of Hangul and Arabic script."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchlist.matching.analysis import analyze
from watchlist.matching.spelling import respellings, script_respellings


@pytest.mark.parametrize(
    ("press", "english"),
    [
        ("schoigu", "shoigu"),  # German sch
        ("timtschenko", "timchenko"),  # German tsch
        ("kadyrow", "kadyrov"),  # German, Polish w
        ("timczenko", "timchenko"),  # Polish cz
        ("kaszpirowski", "kashpirovski"),  # Polish sz, w
        ("rotenbergowie", "rotenbergovie"),  # w
        ("loukachenko", "lukashenko"),  # French ou, ch
        ("goussinski", "gussinski"),  # French ou
        ("jirinovski", "zhirinovski"),  # French j
        ("vlagyimir", "vladimir"),  # Hungarian gy
        ("jodorkovski", "khodorkovski"),  # Spanish j
        ("hryhoriy", "hrygoriy"),  # Ukrainian h between vowels
        ("medvedevs", "medvedev"),  # Latvian ending
    ],
)
def test_other_presses_spellings_read_as_english_romanisation(press: str, english: str) -> None:
    assert english in respellings(press)


def test_a_word_is_never_its_own_respelling_and_plain_english_mostly_has_none() -> None:
    assert "schoigu" not in respellings("schoigu")
    assert respellings("smith") == () and respellings("baker") == ()


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=30))
def test_respellings_are_bounded(word: str) -> None:
    assert len(respellings(word)) <= 12


def test_short_words_are_not_respelled_in_names() -> None:
    # Five letters or fewer respell into too many other names (Schou would become Zhou).
    (token,) = analyze("Schou").tokens
    assert token.sounds == ()


def test_hangul_reads_in_the_romanisations_the_press_uses() -> None:
    assert "kim" in script_respellings("gim", "korean")
    assert "jong" in script_respellings("jeong", "korean")
    assert "ri" in script_respellings("i", "korean")
    tokens = analyze("김정은").tokens
    assert [t.text for t in tokens] == ["gim", "jeong", "eun"]
    assert all(t.script == "korean" for t in tokens)


def test_arabic_script_letters_read_as_the_vowels_and_sounds_they_may_be() -> None:
    assert "ptyn" in script_respellings("pwtyn", "abjad")  # waw as a vowel: Putin
    assert "prz" in script_respellings("brz", "abjad")  # a foreign p written with ba
    assert "hrkt" in script_respellings("hrkh", "abjad")  # ta marbuta read t
    tokens = analyze("علی خامنه ای").tokens  # the suffix -i written apart is joined
    assert [t.text for t in tokens][-1].startswith("khmnh")
    assert all(t.vowelless for t in tokens)
