"""Text folding and tokenising for names: any script to lower-case ASCII tokens."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

# Apostrophes and quotes that may sit inside a name (O'Brien, Ma'ruf, 'WAGNER').
_APOSTROPHES = "'\u2018\u2019\u02bc\u02bb`\u00b4"
_POSSESSIVE = re.compile(r"(?<=\w)['\u2019\u02bc]s\b", re.IGNORECASE)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NON_TOKEN = re.compile(r"[^a-z0-9]+")
_INNER_APOSTROPHE = re.compile(r"(?<=[A-Za-z])[" + _APOSTROPHES + r"](?=[A-Za-z])")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """NFKC, transliterate to ASCII (Cyrillic, Greek, Arabic, CJK, ...) and drop apostrophes."""
    normal = unicodedata.normalize("NFKC", text)
    normal = _POSSESSIVE.sub("", normal)
    ascii_text = anyascii(normal)
    ascii_text = _CAMEL.sub(" ", ascii_text) if ascii_text != normal else ascii_text
    return _INNER_APOSTROPHE.sub("", ascii_text)


def tokenize(text: str) -> tuple[str, ...]:
    """Lower-case ASCII word tokens; punctuation, quotes and hyphens separate tokens."""
    return tuple(token for token in _NON_TOKEN.split(fold(text).lower()) if token)


def split_surname(text: str) -> tuple[str, str] | None:
    """OFAC's `SURNAME, Given names` order: (surname, given), or None without a comma."""
    surname, comma, given = text.partition(",")
    if not comma or not surname.strip() or not given.strip():
        return None
    return surname.strip(), given.strip()
