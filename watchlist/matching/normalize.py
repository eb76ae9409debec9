"""Text folding and tokenising for names: any script to lower-case ASCII tokens."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

from anyascii import anyascii

# Apostrophes and quotes that may sit inside a name (O'Brien, Ma'ruf, 'WAGNER').
_APOSTROPHES: Final = "'\u2018\u2019\u02bc\u02bb`\u00b4"
_POSSESSIVE: Final = re.compile(r"(?<=\w)['\u2019\u02bc]s\b", re.IGNORECASE)
_CAMEL: Final = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NON_TOKEN: Final = re.compile(r"[^a-z0-9]+")
_LETTERS_THEN_DIGITS: Final = re.compile(r"(?<=[a-z])(?=[0-9])")
_DIGIT: Final = re.compile(r"[0-9]")
_LEET_LETTERS: Final = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"}
_LEET: Final = re.compile(r"(?<=[a-z])[013457](?=[a-z])")
# Greek digraphs that stand for one Latin sound (Ντ = d, Μπ = b, Γκ = g, Ου = u).
_GREEK: Final = (("ντ", "d"), ("μπ", "b"), ("γκ", "g"), ("ου", "u"), ("ού", "u"))
_CJK: Final = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# Scripts written without short vowels: their transliterations need vowel-blind matching.
_ABJAD: Final = re.compile(
    r"[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"
)
# Roman numerals that are not also common name syllables (Xi, Vi, Ix stay words).
ROMAN: Final = {
    "ii": "2", "iii": "3", "iv": "4", "vii": "7", "viii": "8", "xii": "12", "xiii": "13",
    "xiv": "14", "xv": "15", "xvi": "16", "xvii": "17", "xviii": "18", "xix": "19", "xx": "20",
}  # fmt: skip
_INNER_APOSTROPHE: Final = re.compile(r"(?<=[A-Za-z])[" + _APOSTROPHES + r"](?=[A-Za-z])")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """NFKC, transliterate to ASCII (Cyrillic, Greek, Arabic, CJK, ...) and drop apostrophes."""
    normal = unicodedata.normalize("NFKC", text)
    if "ə" in normal or "Ə" in normal:  # Azerbaijani ə is an open a: Əli is Ali
        normal = normal.replace("ə", "a").replace("Ə", "A")
    # The patterns below need an apostrophe: most names hold none, and are not scanned for it.
    apostrophes = _has_apostrophe(normal)
    if apostrophes:
        normal = _POSSESSIVE.sub("", normal)
    lowered = normal.lower()
    for greek, latin in _GREEK:
        if greek in lowered:
            normal = lowered = lowered.replace(greek, latin)
    ascii_text = anyascii(normal)
    if _CJK.search(normal):  # pinyin syllables come out glued: JinZhengEn
        ascii_text = _CAMEL.sub(" ", ascii_text)
    if not (apostrophes or _has_apostrophe(ascii_text)):
        return ascii_text
    return _INNER_APOSTROPHE.sub("", ascii_text)


def _has_apostrophe(text: str) -> bool:
    return any(mark in text for mark in _APOSTROPHES)


@lru_cache(maxsize=65536)  # a mention is tokenised to screen it, to look it up, to score it
def tokenize(text: str) -> tuple[str, ...]:
    """Lower-case ASCII word tokens; punctuation, quotes and hyphens separate tokens.

    A digit between letters reads as the letter it looks like (`Ig0r`), letters glued to
    digits are split (`VALFAJR2` -> valfajr 2, but `224TH` stays) and roman numerals become
    digits (`Nord Stream II` -> nord stream 2).
    """
    folded = fold(text).lower()
    if _DIGIT.search(folded):
        # A digit standing for a letter between letters (Ig0r Sech1n) is that letter.
        folded = _LEET.sub(lambda match: _LEET_LETTERS[match.group()], folded)
        folded = _LETTERS_THEN_DIGITS.sub(" ", folded)
    tokens = [token for token in _NON_TOKEN.split(folded) if token]
    return tuple(ROMAN.get(token, token) if i else token for i, token in enumerate(tokens))


_HAN: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def is_han_script(text: str) -> bool:
    """True for names in Han characters (Chinese, Japanese kanji), whose romanisation is one
    of a few hundred syllables per character."""
    return bool(_HAN.search(text))


_HANGUL: Final = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


def is_hangul_script(text: str) -> bool:
    """True for names in Hangul, which is romanised syllable by syllable."""
    return bool(_HANGUL.search(text))


def is_vowelless_script(text: str) -> bool:
    """True for Arabic, Persian and Hebrew script, whose short vowels are not written."""
    return bool(_ABJAD.search(text))


def split_surname(text: str) -> tuple[str, str] | None:
    """OFAC's `SURNAME, Given names` order: (surname, given), or None without a comma."""
    surname, comma, given = text.partition(",")
    if not comma or not surname.strip() or not given.strip():
        return None
    return surname.strip(), given.strip()
