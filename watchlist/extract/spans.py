"""Sentences, tokens with offsets, and candidate name spans in running text.

A candidate is a run of capitalised tokens (any script, ALL-CAPS too) inside one sentence,
joined by spaces, hyphens or an initial's full stop, with name particles (bin, al-, de, van)
allowed inside. Titles are peeled off the front (courtesy titles such as `Mr.` stay: they are
part of how the mention reads) and possessives off the back. Nothing inside a word is ever a
candidate: spans start and end on word boundaries.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable, Sequence
from typing import Final, NamedTuple

from mypy_extensions import mypyc_attr

from watchlist.extract.words import SENTENCE_WORDS, TITLE_WORDS

_TOKEN: Final = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_SENTENCE_END: Final = re.compile(r"""[.!?]+["')\]]*\s+|\n\s*\n|\n(?=\s*[A-Z"“])""")
_SENTENCE_MARK: Final = re.compile(r"[.!?\n]")  # where a `_SENTENCE_END` can begin
_ABBREVIATIONS: Final = frozenset(
    "mr mrs ms dr prof gen col lt sgt capt maj st jr sr inc ltd co corp no vs u s e g i".split()
)
PARTICLES: Final = frozenset(
    "al el bin ibn bint abu de del della der den di da das dos du la le van von ter".split()
)
CONNECTORS: Final = frozenset({"of", "and", "for", "&", "the"})
_INSIDE: Final = PARTICLES | CONNECTORS
_TITLES_AND_CONNECTORS: Final = TITLE_WORDS | CONNECTORS  # what `Span.without_titles` peels


@mypyc_attr(acyclic=True)
@dataclasses.dataclass(frozen=True, slots=True)
class Word:
    """A token of the text with its offsets."""

    start: int
    end: int
    text: str

    def __init__(self, start: int, end: int, text: str) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "text", text)

    @property
    def capitalised(self) -> bool:
        first = self.text[0]
        return first.isupper() or first.isdigit() and any(c.isupper() for c in self.text)


@mypyc_attr(acyclic=True)
@dataclasses.dataclass(frozen=True, slots=True)
class Span:
    """A candidate name: offsets into the prepared text, its words and its sentence."""

    start: int
    end: int
    words: tuple[Word, ...]
    sentence: tuple[int, int]
    text: str = ""

    def __init__(
        self,
        start: int,
        end: int,
        words: tuple[Word, ...],
        sentence: tuple[int, int],
        text: str = "",
    ) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "words", words)
        object.__setattr__(self, "sentence", sentence)
        object.__setattr__(self, "text", text)

    @property
    def key(self) -> str:
        """The span as written (what is looked up)."""
        return self.text or " ".join(word.text for word in self.words)

    def without_titles(self) -> Span | None:
        """The span with leading titles peeled ("Russian President Vladimir Putin" ->
        "Vladimir Putin"); None when there are none to peel or nothing would remain."""
        count = 0
        peelable = _TITLES_AND_CONNECTORS
        while count < len(self.words) - 1 and self.words[count].text.lower() in peelable:
            count += 1
        if count == 0:
            return None
        rest = self.words[count:]
        cut = rest[0].start - self.start
        return Span(rest[0].start, rest[-1].end, rest, self.sentence, self.text[cut:])


def split_at(span: Span, joins: Sequence[int], text: str) -> list[Span]:
    """The run split at its words `joins` (`Mr. Farzat | and | Mexglobo`), each part trimmed as
    a run is (empty parts left out). `text`: where the run was found."""
    found = []
    for first, last in zip((-1, *joins), (*joins, len(span.words))):
        part = _trim(list(span.words[first + 1 : last]), text)
        if part:
            start, end = part[0].start, part[-1].end
            found.append(Span(start, end, tuple(part), span.sentence, text[start:end]))
    return found


def split_after(span: Span, cuts: Sequence[int], text: str) -> list[Span]:
    """The run cut after its words `cuts` (`Russia's | Wagner Group`, `Ashot Mkrtychev |
    Vladimir Putin`), each part trimmed as a run is (a possessive comes off an owner)."""
    found = []
    for first, last in zip(
        (0, *[cut + 1 for cut in cuts]), (*[cut + 1 for cut in cuts], len(span.words))
    ):
        part = _trim(list(span.words[first:last]), text)
        if part:
            start, end = part[0].start, part[-1].end
            found.append(Span(start, end, tuple(part), span.sentence, text[start:end]))
    return found


def is_possessive(word: Word) -> bool:
    """`Russia's`, `KOREA'S`: a name owning the next one."""
    return word.text.lower().endswith(("'s", "’s"))


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence boundaries, not cut after abbreviations such as `Mr.` or `U.S.`."""
    ends = sentence_ends(text) if _NATIVE is None else _NATIVE.sentence_ends(text)
    bounds: list[tuple[int, int]] = []
    start = 0
    for i in range(0, len(ends), 2):
        at, reached = ends[i], ends[i + 1]
        if text[at] == "." and (
            text[reached : reached + 1].islower() or after_abbreviation(text, start, at + 1)
        ):
            continue
        bounds.append((start, reached))
        start = reached
    if start < len(text):
        bounds.append((start, len(text)))
    return [(s, e) for s, e in bounds if text[s:e].strip()]


def sentence_ends(text: str) -> list[int]:
    """Where sentences can end, as offsets [mark, end, mark, end, ...]: each match of
    `_SENTENCE_END` that begins at a mark the previous match did not cover. The C scanner finds
    the same when it is built (watchlist/extract/_scan.c)."""
    found: list[int] = []
    reached = 0
    # What `_SENTENCE_END.finditer` finds, tried only where an end can begin: the regex engine
    # scans for one character class quickly, for an alternation position by position.
    for mark in _SENTENCE_MARK.finditer(text):
        at = mark.start()
        if at < reached:
            continue
        match = _SENTENCE_END.match(text, at)
        if match is None:
            continue
        reached = match.end()
        found.append(at)
        found.append(reached)
    return found


def after_abbreviation(text: str, start: int, stop: int) -> bool:
    """Whether text[start:stop], ending with a full stop, ends with an abbreviation (`Mr`,
    `U.S`): its last word once closing punctuation and spaces are stripped, read in place (a
    word longer than any abbreviation is not read to its start)."""
    end = stop
    while end > start and text[end - 1] in _CLOSING:
        end -= 1
    while end > start and text[end - 1].isspace():
        end -= 1
    begin = end
    while begin > start and not text[begin - 1].isspace():
        begin -= 1
        if end - begin > _LONGEST_ABBREVIATION:
            return False
    return begin < end and _abbreviation(text[begin:end])


_CLOSING: Final = ".!?\"')]"
# No abbreviation is longer (lower-casing never shortens a word).
_LONGEST_ABBREVIATION: Final = 5


def _abbreviation(word: str) -> bool:
    """`Mr`, `Gen`, `U.S`: a full stop after these does not end a sentence."""
    lowered = word.lower()
    return lowered in _ABBREVIATIONS or "." in lowered and len(lowered) <= _LONGEST_ABBREVIATION


_NOT_PROSE: Final = re.compile(
    r"\S*@\S+|\b(?:https?://|www\.)\S+|\S+\.(?:com|org|net|ru|gov|ir)\b\S*"
)


# The domains in one expression: the text is read once for them, not once per domain.
_DOMAIN_MARK: Final = re.compile(r"\.(?:com|org|net|ru|gov|ir)")


def has_address_mark(text: str) -> bool:
    """Whether the text holds "@", "http", "www." or a full stop and a domain (.com, .org,
    .net, .ru, .gov, .ir): every address does, so a text without any has none to blank out."""
    return "@" in text or "http" in text or "www." in text or _DOMAIN_MARK.search(text) is not None


def mask_addresses(text: str) -> str:
    """Blank out e-mail addresses, URLs and handles (same length, so offsets hold)."""
    if not has_address_mark(text):
        return text
    return _NOT_PROSE.sub(lambda m: " " * len(m.group()), text)


def candidate_spans(
    text: str,
    lower_words: list[tuple[Word, tuple[int, int]]] | None = None,
    wanted_lower: Callable[[str], bool] | None = None,
) -> list[Span]:
    """Every run of capitalised words that could be a name, sentence by sentence.

    Lower-case words matter only as particles and connectors inside a run; the others are
    skipped without building them (the gap they leave still breaks a run). When given,
    `lower_words` collects the lower-case words that `wanted_lower` accepts, with their
    sentence (a `WordSpotter` remembers across texts which chunks can hold one).
    """
    found: list[Span] = []
    text = mask_addresses(text)
    bounds_list = sentences(text)
    for bounds in bounds_list:
        for run in _bounded(_runs(text, name_words(text, *bounds))):
            span = _trim(run, text)
            if span:
                start, end = span[0].start, span[-1].end
                found.append(Span(start, end, tuple(span), bounds, text[start:end]))
    if lower_words is not None and wanted_lower is not None:
        spotter = wanted_lower if isinstance(wanted_lower, WordSpotter) else None
        lower_words += (spotter or WordSpotter(wanted_lower)).spot(text, bounds_list)
    return found


# A word that may open a name: a capital, a digit or a non-ASCII letter at the start of a token
# (the look-behinds follow the first character so that the scan skips on it).
_OPENING: Final = re.compile(
    r"[A-Z0-9\x80-\U0010ffff](?<=[^\W_])(?<![^\W_].)(?<![^\W_]['’].)[^\W_]*(?:['’][^\W_]+)*"
)
_INSIDE_WORDS: Final = "|".join(sorted(word for word in _INSIDE if word.isalnum()))
# The word right after a joining gap when it could continue a name without a capital: any word
# after a hyphen, a particle or connector, a number or a non-ASCII word.
_CONTINUATION: Final = re.compile(
    r"(?:-|(?: - |- |\. | |\.)(?=(?:"
    + _INSIDE_WORDS
    + r")(?![^\W_]|['’][^\W_])|[0-9\x80-\U0010ffff]))([^\W_]+(?:['’][^\W_]+)*)"
)


def name_words(text: str, start: int, end: int) -> list[Word]:
    """The words of text[start:end] that can be part of a name, in order.

    Those are the name-like words (capitalised, numbers, particles and connectors, words
    after a hyphen) that open a name or follow one across a joining gap; a lower-case one
    anywhere else cannot join a run, so it is never built. The C scanner finds them when it is
    built (watchlist/extract/_scan.c), `scan_name_words` otherwise: both find the same.
    """
    if _NATIVE is None:
        return scan_name_words(text, start, end)
    offsets = _NATIVE.name_words(text, start, end, _INSIDE)
    return [
        Word(offsets[i], offsets[i + 1], text[offsets[i] : offsets[i + 1]])
        for i in range(0, len(offsets), 2)
    ]


def scan_name_words(text: str, start: int, end: int) -> list[Word]:
    """`name_words` in Python: name-opening words found by a regular expression, then each
    word that follows one across a joining gap."""
    found: list[Word] = []
    reached = start
    follows = _CONTINUATION.match
    # One call for a match's offsets, a slice for its text: each method call on a match
    # costs more than the slice.
    for match in _OPENING.finditer(text, start, end):
        at, stop = match.span()
        if at < reached:
            continue
        word = text[at:stop]
        # An opening word starts with a capital or a digit, unless it is non-ASCII.
        if not (word[0] < "\x80" or _name_like(text, at, word)):
            continue
        reached = stop
        found.append(Word(at, reached, word))
        while (follow := follows(text, reached, end)) is not None:
            at, stop = follow.span(1)  # the word ends the match
            word = text[at:stop]
            if not _name_like(text, at, word):
                break
            reached = stop
            found.append(Word(at, reached, word))
    return found


class NativeScanners(NamedTuple):
    """The C scanners (watchlist/extract/_scan.c), each finding what its Python twin finds."""

    name_words: Callable[[str, int, int, frozenset[str]], list[int]]  # scan_name_words
    sentence_ends: Callable[[str], list[int]]  # sentence_ends
    lower_words: Callable[[str, int], list[int]]  # WordSpotter.spot's Python path


def native_scanners() -> NativeScanners | None:
    """The C scanners, when they are built and the core is not run from source."""
    try:
        from watchlist.extract._scan import (
            lower_word_offsets,
            name_word_offsets,
            sentence_end_offsets,
        )
    except ImportError:
        return None
    return NativeScanners(name_word_offsets, sentence_end_offsets, lower_word_offsets)


_NATIVE = native_scanners()


def _name_like(text: str, start: int, word: str) -> bool:
    first = word[0]
    return first.isupper() or first.isdigit() or word in _INSIDE or text[start - 1] == "-"


class WordSpotter:
    """Finds the words a predicate wants among the lower-case words of texts (`mkrtychev`).

    Most words of running text recur from text to text: the spotter remembers those it does
    not want (a bounded memo), so that the predicate sees each once. With the C scanner, the
    lower-case words are read in one pass and remembered one by one; without it, the text's
    whitespace-separated chunks are remembered, so that only new ones are split into words.
    No word shorter than `shortest` is wanted, so shorter ones are passed over unread.
    """

    MEMO_SIZE = 200_000

    def __init__(self, wanted: Callable[[str], bool], shortest: int = 1) -> None:
        self.wanted = wanted
        self.shortest = shortest
        self._quiet: set[str] = set()

    def __call__(self, word: str) -> bool:
        return len(word) >= self.shortest and self.wanted(word)

    def spot(self, text: str, bounds: list[tuple[int, int]]) -> list[tuple[Word, tuple[int, int]]]:
        """The wanted lower-case words of `text` with their sentence, in reading order."""
        if _NATIVE is not None:
            return self._spot_words(text, _NATIVE.lower_words(text, self.shortest), bounds)
        quiet, shortest = self._quiet, self.shortest
        chunks = {chunk for chunk in text.split() if len(chunk) >= shortest and chunk not in quiet}
        found: list[tuple[Word, tuple[int, int]]] = []
        for chunk in chunks:
            if self._quiet_chunk(chunk):
                continue
            for at in _chunk_positions(text, chunk):
                found += self._spot_in(text, at, at + len(chunk), bounds)
        return sorted(found, key=lambda pair: pair[0].start)

    def _spot_words(
        self, text: str, offsets: list[int], bounds: list[tuple[int, int]]
    ) -> list[tuple[Word, tuple[int, int]]]:
        """The wanted words among the lower-case ones at `offsets` (see `_scan.c`)."""
        quiet = self._quiet
        found: list[tuple[Word, tuple[int, int]]] = []
        for i in range(0, len(offsets), 2):
            start, end = offsets[i], offsets[i + 1]
            word = text[start:end]
            if word in quiet:
                continue
            if word in _INSIDE or not self.wanted(word):
                if len(quiet) >= self.MEMO_SIZE:
                    quiet.clear()
                quiet.add(word)
                continue
            sentence = bounds[bisect.bisect_right(bounds, (start, len(text))) - 1]
            found.append((Word(start, end, word), sentence))
        return found

    def _quiet_chunk(self, chunk: str) -> bool:
        """Whether the chunk holds no lower-case word that is wanted (remembered if so)."""
        for word in _TOKEN.findall(chunk):
            first = word[0]
            if not (first.isupper() or first.isdigit() or word in _INSIDE) and self(word):
                return False
        if len(self._quiet) >= self.MEMO_SIZE:
            self._quiet.clear()
        self._quiet.add(chunk)
        return True

    def _spot_in(
        self, text: str, start: int, end: int, bounds: list[tuple[int, int]]
    ) -> list[tuple[Word, tuple[int, int]]]:
        sentence = bounds[bisect.bisect_right(bounds, (start, len(text))) - 1]
        return [
            (Word(match.start(), match.end(), match.group()), sentence)
            for match in _TOKEN.finditer(text, start, end)
            if not _name_like(text, match.start(), match.group()) and self(match.group())
        ]


def _chunk_positions(text: str, chunk: str) -> list[int]:
    """Where `chunk` stands in `text` between whitespace (or the ends of the text)."""
    found = []
    at = text.find(chunk)
    while at >= 0:
        end = at + len(chunk)
        if (at == 0 or text[at - 1].isspace()) and (end == len(text) or text[end].isspace()):
            found.append(at)
        at = text.find(chunk, at + 1)
    return found


def _bounded(runs: list[list[Word]]) -> list[list[Word]]:
    """The runs, each longer than any name (`LONGEST_RUN` words) cut into pieces that are
    not: the work a run takes grows with its length, a text's with the sum of them."""
    found: list[list[Word]] = []
    for run in runs:
        if len(run) <= LONGEST_RUN:
            found.append(run)
            continue
        for start in range(0, len(run), LONGEST_RUN):
            found.append(run[start : start + LONGEST_RUN])
    return found


# No listed name is longer; a longer run is a table, a list or hostile text.
LONGEST_RUN: Final = 16


def _runs(text: str, tokens: list[Word]) -> list[list[Word]]:
    """Maximal runs of name-like words, allowing particles and connectors inside."""
    runs: list[list[Word]] = []
    current: list[Word] = []
    for index, word in enumerate(tokens):
        capitalised = word.capitalised
        if current:
            previous = current[-1]
            joined = _joined(text, previous, word)
            hyphenated = text[previous.end : word.start] == "-"
        else:
            joined = hyphenated = False
        if (capitalised or hyphenated) and (joined or not current):
            current.append(word)
        elif capitalised:
            runs.append(current)
            current = [word]
        elif current and joined and _inner(word, tokens, index, text):
            current.append(word)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _joined(text: str, left: Word, right: Word) -> bool:
    """Only spaces, a hyphen, or an initial's full stop between two words."""
    gap = text[left.end : right.start]
    if gap in (" ", "-", "- ", " - "):
        return True
    if gap == "." and len(left.text) == 1 and len(right.text) <= 2:  # B.V., U.S., S.R.O.
        return True
    return gap == ". " and len(left.text) <= 2 and left.text[0].isupper()


def _inner(word: Word, tokens: list[Word], index: int, text: str) -> bool:
    """A lower-case particle or connector followed by a capitalised word."""
    lowered = word.text.lower()
    if lowered not in PARTICLES and lowered not in CONNECTORS:
        return False
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    return following is not None and following.capitalised and _joined(text, word, following)


def _trim(run: list[Word], text: str) -> list[Word]:
    """Peel sentence words and modifiers (`US-sanctioned`, `Kremlin-backed`) off the front,
    connectors and particles off the end, and a possessive off the last word."""
    words_ = list(run)
    while words_ and (words_[0].text.lower() in SENTENCE_WORDS or _modifier(words_, text)):
        if words_[0].text.lower() not in SENTENCE_WORDS:
            words_.pop(0)  # the name half of `US-sanctioned`: its other half follows
        words_.pop(0)
    while words_ and words_[-1].text.lower() in _INSIDE:
        words_.pop()
    if words_ and is_possessive(words_[-1]):
        last = words_[-1]
        words_[-1] = Word(last.start, last.end - 2, last.text[:-2])
    return words_


def _modifier(words_: list[Word], text: str) -> bool:
    """Whether the run opens with a name hyphenated to a lower-case word, `US-sanctioned`."""
    if len(words_) < 3:
        return False
    first, second = words_[0], words_[1]
    return (
        second.start == first.end + 1
        and text[first.end] == "-"
        and second.text[0].islower()
        and second.text not in _INSIDE
    )
