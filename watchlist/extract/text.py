"""Text preparation that never loses the way back to the submitted text.

`prepare` repairs mis-decoded characters and normalises quotes and dashes, keeping for every
character of the prepared text the offset of the character it came from, so a span found in
the prepared text slices the ORIGINAL text exactly.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Final

# Mis-decodings seen in news feeds: UTF-8 read as Windows-1252 or Latin-1, and the Thai
# code page artefact `โ` left where a curly quote's three bytes were decoded as TIS-620.
_MOJIBAKE: Final = {
    "â€™": "'", "â€˜": "'", "â€œ": '"', "â€\x9d": '"', "â€“": "-",
    "â€”": "-", "â€¦": "...", "Ã©": "é", "Ã¨": "è", "Ã¡": "á", "Ã³": "ó", "Ã¶": "ö",
    "Ã¼": "ü", "Ã±": "ñ", "Ã§": "ç", "Ã­": "í", "Ã\xa0": "à", "Ã«": "ë", "Ã¤": "ä",
}  # fmt: skip
# Every mis-decoding starts with one of these characters: without them there is none.
_MOJIBAKE_LEADS: Final = tuple(sorted({key[0] for key in _MOJIBAKE}))
_MOJIBAKE_PATTERN: Final = re.compile(
    "|".join(re.escape(key) for key in sorted(_MOJIBAKE, key=len)[::-1])
)
_SINGLE: Final = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2212": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": " ",
        "\u0e42": '"',  # TIS-620 `โ` standing where a curly quote was
    }
)  # fmt: skip
# Every character `_SINGLE` replaces (each by one character, so offsets hold).
_SINGLE_CHARACTERS: Final = re.compile("[" + "".join(map(chr, _SINGLE)) + "]")


@dataclasses.dataclass(frozen=True)
class PreparedText:
    """Repaired text plus, per character, the offset it came from in the original."""

    original: str
    text: str
    origin: Sequence[int]  # a range when nothing moved

    def __init__(self, original: str, text: str, origin: Sequence[int]) -> None:
        object.__setattr__(self, "original", original)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "origin", origin)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the prepared span [start, end)."""
        if end <= start:
            position = self.origin[start] if start < len(self.origin) else len(self.original)
            return position, position
        return self.origin[start], self.origin[end - 1] + _width(self, end - 1)


def _width(prepared: PreparedText, index: int) -> int:
    """How many original characters produced prepared character `index` (its last one)."""
    start = prepared.origin[index]
    following = prepared.origin[index + 1] if index + 1 < len(prepared.origin) else None
    if following is not None and following > start:
        return following - start
    if following is None:
        return len(prepared.original) - start
    return 1


def prepare(original: str) -> PreparedText:
    """Repair mojibake, normalise quotes, dashes and spaces; keep the offset map."""
    if not any(lead in original for lead in _MOJIBAKE_LEADS):  # nothing to repair
        text = original if original.isascii() else _normalise(original)
        return PreparedText(original=original, text=text, origin=range(len(original)))
    pieces: list[str] = []
    origin: list[int] = []
    position = 0
    for match in _MOJIBAKE_PATTERN.finditer(original):
        _copy(original, position, match.start(), pieces, origin)
        replacement = _MOJIBAKE[match.group()]
        pieces.append(replacement)
        origin.extend([match.start()] * len(replacement))
        position = match.end()
    _copy(original, position, len(original), pieces, origin)
    text = _normalise("".join(pieces))
    return PreparedText(original=original, text=text, origin=tuple(origin))


# For reading: the characters the mis-decodings stood for, curly quotes and dashes kept.
_READABLE: Final = {
    **_MOJIBAKE, "â€™": "\u2019", "â€˜": "\u2018", "â€œ": "\u201c", "â€\x9d": "\u201d",
    "â€“": "\u2013", "â€”": "\u2014", "â€¦": "\u2026",
}  # fmt: skip
_THAI_QUOTE: Final = "\u0e42"
_READABLE_PATTERN: Final = re.compile(
    "|".join(re.escape(key) for key in sorted(_READABLE, key=len)[::-1]) + "|" + _THAI_QUOTE
)


def readable(text: str, before: str = "") -> str:
    """`text` as a reader should see it: mis-decoded characters repaired to the characters
    meant, curly quotes kept curly (`before`: the character preceding the text, which says
    whether a quote opens or closes). For display only: offsets do not hold."""
    if _THAI_QUOTE not in text and not any(lead in text for lead in _MOJIBAKE_LEADS):
        return text
    pieces: list[str] = []
    position = 0
    for match in _READABLE_PATTERN.finditer(text):
        pieces.append(text[position : match.start()])
        found = match.group()
        if found == _THAI_QUOTE:
            previous = text[match.start() - 1] if match.start() else before
            opens = not previous or previous.isspace() or previous in "([{"
            pieces.append("\u201c" if opens else "\u201d")
        else:
            pieces.append(_READABLE[found])
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces)


def _normalise(text: str) -> str:
    """`text.translate(_SINGLE)`, scanning in C for the few characters it replaces."""
    return _SINGLE_CHARACTERS.sub(lambda match: match.group().translate(_SINGLE), text)


def _copy(original: str, start: int, end: int, pieces: list[str], origin: list[int]) -> None:
    pieces.append(original[start:end])
    origin.extend(range(start, end))
