"""How other languages' presses spell the sounds English romanisation writes.

A name transliterated from Russian, Arabic or Persian is spelled by each language's own
orthography: Пригожин is Prigozhin in English, Prigoschin in German, Prigojine in French;
Лавров is Lawrow in German and Polish; Лукашенко is Loukachenko in French and Łukaszenka in
Polish; Хаменеи is Jamenei in Spanish and Xameneyi in Azerbaijani. `respellings` rewrites a
(folded, lower-case ASCII) word by these orthographies' rules into the spellings an English
romanisation could have, so that the matcher can compare those: the rules are the languages'
spelling of sounds, not lists of names.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

# (where, what it may stand for): each rule rewrites every place it matches at once.
_RULES: Final[tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]] = tuple(
    (re.compile(pattern), targets)
    for pattern, targets in (
        (r"tsch", ("ch",)),  # German: Tschetschenien
        (r"sch", ("sh", "zh")),  # German: Prigoschin (ж), Alischer (ш)
        (r"szcz", ("shch",)),  # Polish: Chruszczow
        (r"sz", ("sh",)),  # Polish: Łukaszenka
        (r"cz", ("ch",)),  # Polish
        (r"rz", ("zh",)),  # Polish
        (r"zs", ("zh",)),  # Hungarian
        (r"cs", ("ch",)),  # Hungarian: Vlagyimirovics
        (r"gy", ("d",)),  # Hungarian: Vlagyimir
        (r"(?<=[aeiou])ty|^ty", ("t",)),  # Hungarian: Putyin
        (r"ou", ("u",)),  # French: Loukachenko, Ousmanov
        (r"gu(?=[ei])", ("g",)),  # French: Evgueni
        (r"ie", ("e",)),  # Polish: Siergiej
        (r"[iy]j$", ("iy", "y")),  # German, Polish: Selenskyj, Sergej
        (r"w", ("v",)),  # German, Polish: Lawrow, Jewgeni
        (r"(?<![cdkstz])ch", ("sh", "kh")),  # French ch = sh; German, Polish ch = kh
        (r"j", ("y", "zh", "kh")),  # German, Polish j = y; French j = zh; Spanish j = kh
        (r"x", ("kh",)),  # Spanish, Azerbaijani: Xameneyi
        (r"(?<![cgkpstz])h(?=[aeiouy])", ("g",)),  # Ukrainian, Belarusian г: Pryhozhyn
        (r"(?<=[^aeiou])e$", ("",)),  # French silent e: Prigojine
        (r"(?<=[^aeiou])s$", ("",)),  # Latvian, Lithuanian endings: Lavrovs
    )
)
_MOST: Final = 12  # spellings kept per word: the rules compound, the work must not


@lru_cache(maxsize=100_000)
def respellings(word: str) -> tuple[str, ...]:
    """Other spellings `word` could stand for in an English romanisation (never `word` itself);
    empty for most English words, which no rule rewrites."""
    return tuple(spelled for spelled in _apply(word, _RULES) if len(spelled) >= 2)


# Hangul romanised by the Revised Romanization (anyascii's) against the press's and North
# Korea's McCune-Reischauer spellings: 김여정 gim yeo jeong is KIM Yo Jong.
_KOREAN: Final[tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]] = tuple(
    (re.compile(pattern), targets)
    for pattern, targets in (
        (r"^g", ("k",)),
        (r"^d", ("t",)),
        (r"^b", ("p",)),
        (r"^j", ("ch",)),
        (r"eo", ("o", "u")),
        (r"eu", ("u",)),
        (r"^i$", ("ri", "li", "lee", "yi")),
    )
)

# Arabic, Persian and Urdu script romanised letter by letter (anyascii): the vowels are
# missing, w and y stand for vowels as often as for consonants, Arabic writes a foreign p
# as b, a final h (ta marbuta) is read t before another word, and two letters may read as
# one sound's digraph (پ + ه: ph is p, h).
_ABJAD: Final[tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]] = tuple(
    (re.compile(pattern), targets)
    for pattern, targets in (
        (r"w", ("",)),
        (r"b", ("p",)),
        (r"h$", ("t",)),
        (r"(?<=[sptkgcdz])h", ("ah",)),
    )
)


@lru_cache(maxsize=20_000)
def script_respellings(word: str, script: str) -> tuple[str, ...]:
    """Other spellings of a word romanised from Hangul (`script` "korean") or from Arabic
    script ("abjad") that the lists may hold."""
    return _apply(word, _KOREAN if script == "korean" else _ABJAD)


def _apply(
    word: str, rules: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]
) -> tuple[str, ...]:
    found: dict[str, None] = {word: None}
    for pattern, targets in rules:
        for spelled in list(found):
            if len(found) > _MOST:
                break
            if pattern.search(spelled) is not None:
                for target in targets:
                    found[pattern.sub(target, spelled)] = None
    del found[word]
    return tuple(spelled for spelled in found if spelled)[:_MOST]
