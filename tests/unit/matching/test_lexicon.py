"""The lexicon: what the libraries say about a word alone (everyday word, place, nationality,
month, common name), and what the matcher does with it."""

from __future__ import annotations

import pytest

from watchlist.matching.lexicon import EMPTY_LEXICON, Lexicon
from watchlist.screening.lexicon import build_lexicon


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return build_lexicon()


@pytest.mark.parametrize(
    ("word", "why"),
    [
        ("june", "a month or weekday"),
        ("tuesday", "a month or weekday"),
        ("syrian", "a nationality"),
        ("kenyan", "a nationality"),
        ("uzbek", "a nationality"),
        ("lisbon", "a place name"),
        ("bolivia", "a place name"),
        ("nairobi", "a place name"),
        ("kitchen", "a common English word"),
        ("window", "a common English word"),
        ("smith", "a common English word"),  # a word as often as a name: either says little
        ("jennifer", "a name many people carry"),
        ("garcia", "a name many people carry"),
    ],
)
def test_words_that_say_little_alone(lexicon: Lexicon, word: str, why: str) -> None:
    assert lexicon.why_not_distinctive(word) == why
    assert not lexicon.distinctive(word)


@pytest.mark.parametrize("word", ["prigozhin", "sechin", "deripaska", "mkrtychev", "putin"])
def test_rare_names_are_distinctive_even_when_famous(lexicon: Lexicon, word: str) -> None:
    assert lexicon.distinctive(word), lexicon.why_not_distinctive(word)


def test_words_of_the_language_are_told_from_names_in_lower_case(lexicon: Lexicon) -> None:
    assert lexicon.is_word("kettle") and lexicon.is_word("ladder")
    assert not lexicon.is_word("mkrtychev")


def test_without_a_lexicon_every_word_is_distinctive() -> None:
    assert EMPTY_LEXICON.distinctive("june") and not EMPTY_LEXICON.is_word("kettle")


def test_the_lexicon_is_read_once_per_process() -> None:
    assert build_lexicon() is build_lexicon()
