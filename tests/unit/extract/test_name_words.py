"""The name-word scanner and the lower-case word spotter agree with a plain token-by-token scan."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from watchlist.extract.spans import (
    _INSIDE,
    Span,
    Word,
    WordSpotter,
    _runs,
    _trim,
    candidate_spans,
    mask_addresses,
    sentences,
)

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
WANTED = {"mkrtychev", "shoigu", "straße", "straåe"}


def wanted(word: str) -> bool:
    return len(word) >= 6 and word.lower() in WANTED


def plain_scan(text: str) -> tuple[list[Span], list[tuple[Word, tuple[int, int]]]]:
    """Every token of every sentence looked at in turn (what the scanner must reproduce)."""
    found: list[Span] = []
    lower: list[tuple[Word, tuple[int, int]]] = []
    text = mask_addresses(text)
    for bounds in sentences(text):
        tokens: list[Word] = []
        for match in _TOKEN.finditer(text, *bounds):
            word, start = match.group(), match.start()
            first = word[0]
            if first.isupper() or first.isdigit() or word in _INSIDE or text[start - 1] == "-":
                tokens.append(Word(start, match.end(), word))
            elif wanted(word):
                lower.append((Word(start, match.end(), word), bounds))
        for run in _runs(text, tokens):
            span = _trim(run)
            if span:
                start, end = span[0].start, span[-1].end
                found.append(Span(start, end, tuple(span), bounds, text[start:end]))
    return found, lower


PIECES = st.sampled_from(
    [
        "Vladimir", "Putin", "PUTIN", "mkrtychev", "Mkrtychev", "shoigu's", "straße", "Ékaterina",
        "élan", "Евгений", "пригожин", "al", "bin", "of", "the", "van", "der", "and", "for",
        "Jong", "un", "2024", "3B", "x", "O'Brien", "d’Arc", "_x", "²", "a", "B", "U", "S",
        " ", " ", " ", "  ", "-", " - ", "- ", ".", ". ", ", ", "'", "’", "\n", "\n\n", "!",
        '"', "(", ")", "_", "@", "x@y.com", "www.a", "http://b", "Mr.", "said",
    ]
)  # fmt: skip


@settings(max_examples=400)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_scanner_matches_the_plain_scan(text: str) -> None:
    # `wanted` takes no word under 6 characters: the spotter may pass over shorter chunks.
    for spotter in (WordSpotter(wanted), WordSpotter(wanted, shortest=6)):
        for _ in range(2):  # the second time from the spotter's memo
            lower: list[tuple[Word, tuple[int, int]]] = []
            assert (candidate_spans(text, lower, spotter), lower) == plain_scan(text)


@given(st.text(max_size=300))
def test_scanner_matches_the_plain_scan_on_any_text(text: str) -> None:
    lower: list[tuple[Word, tuple[int, int]]] = []
    assert (candidate_spans(text, lower, wanted), lower) == plain_scan(text)


def test_spotter_finds_lower_case_surnames_and_remembers_quiet_chunks() -> None:
    spotter = WordSpotter(wanted)
    text = "Ashot Mkrtychev left. Later mkrtychev, and Shoigu's aide, said nothing."
    lower: list[tuple[Word, tuple[int, int]]] = []
    candidate_spans(text, lower, spotter)
    assert [word.text for word, _ in lower] == ["mkrtychev"]
    assert "nothing." in spotter._quiet and "mkrtychev," not in spotter._quiet
