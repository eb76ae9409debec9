"""What the lists cannot say about a word: how common it is in language and among people.

A listed name word alone is evidence of a listed party only when it is distinctive as a name:
not a month or weekday, not a place or a nationality, not a common English word, and not a
given name or surname that many people carry. The facts come from outside the core (word
frequencies, gazetteers, census name counts; see `watchlist.screening.lexicon`), already restricted
to the words of the listed names, so the core stays pure.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Final

from mypy_extensions import mypyc_attr

# The defaults of the thresholds below (settings in [matching]): a word this frequent in
# English text (Zipf scale: 4.5 is about 30 per million words) is an everyday word when written
# alone, while famous names stay below it (Putin 4.1, Hamas 3.6); a lower-case word this
# frequent is a word of the language, not a name written carelessly; a given name or surname
# carried by this share of people or more (1 in 100,000) is common.
COMMON_WORD_ZIPF: Final = 4.5
LOWER_CASE_WORD_ZIPF: Final = 2.5
COMMON_NAME_SHARE: Final = 1e-5


@mypyc_attr(acyclic=True)
@dataclasses.dataclass(frozen=True)
class Lexicon:
    """Facts about words, folded as `normalize.tokenize` folds them, and where the facts make a
    word say little alone."""

    word_zipf: Mapping[str, float]  # frequency in English text, Zipf scale (0 = unseen)
    places: frozenset[str]  # countries, regions, cities, continents
    nationalities: frozenset[str]  # Iraqi, Serb, Uzbek
    calendar: frozenset[str]  # months and weekdays
    name_share: Mapping[str, float]  # share of people carrying it as given name or surname
    common_word_zipf: float = COMMON_WORD_ZIPF
    lower_case_word_zipf: float = LOWER_CASE_WORD_ZIPF
    common_name_share: float = COMMON_NAME_SHARE

    def __init__(
        self,
        word_zipf: Mapping[str, float],
        places: frozenset[str],
        nationalities: frozenset[str],
        calendar: frozenset[str],
        name_share: Mapping[str, float],
        common_word_zipf: float = COMMON_WORD_ZIPF,
        lower_case_word_zipf: float = LOWER_CASE_WORD_ZIPF,
        common_name_share: float = COMMON_NAME_SHARE,
    ) -> None:
        object.__setattr__(self, "word_zipf", word_zipf)
        object.__setattr__(self, "places", places)
        object.__setattr__(self, "nationalities", nationalities)
        object.__setattr__(self, "calendar", calendar)
        object.__setattr__(self, "name_share", name_share)
        object.__setattr__(self, "common_word_zipf", common_word_zipf)
        object.__setattr__(self, "lower_case_word_zipf", lower_case_word_zipf)
        object.__setattr__(self, "common_name_share", common_name_share)

    def tuned(
        self, common_word_zipf: float, lower_case_word_zipf: float, common_name_share: float
    ) -> Lexicon:
        """The same facts with other thresholds."""
        return Lexicon(
            self.word_zipf,
            self.places,
            self.nationalities,
            self.calendar,
            self.name_share,
            common_word_zipf,
            lower_case_word_zipf,
            common_name_share,
        )

    def why_not_distinctive(self, word: str) -> str:
        """Why a folded word alone says little about who is meant ("" when it is distinctive
        as a name)."""
        if word in self.calendar:
            return "a month or weekday"
        if word in self.nationalities:
            return "a nationality"
        if word in self.places:
            return "a place name"
        if self.common_word(word):
            return "a common English word"
        if self.name_share.get(word, 0.0) >= self.common_name_share:
            return "a name many people carry"
        return ""

    def distinctive(self, word: str) -> bool:
        """Whether a folded word alone can stand for a listed party."""
        return not self.why_not_distinctive(word)

    def common_word(self, word: str) -> bool:
        """Whether a folded word is an everyday English word (`group`, `freedom`)."""
        return self.word_zipf.get(word, 0.0) >= self.common_word_zipf

    def is_word(self, word: str) -> bool:
        """Whether a folded word is a word of the language (written in lower case, it is not a
        name): `gallon`, `cardinal`."""
        return self.word_zipf.get(word, 0.0) >= self.lower_case_word_zipf


EMPTY_LEXICON: Final = Lexicon({}, frozenset(), frozenset(), frozenset(), {})
