"""The name-word scanner and the lower-case word spotter agree with a plain token-by-token scan,
and the C scanners with the Python ones."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watchlist.extract import spans
from watchlist.extract.spans import (
    _INSIDE,
    Span,
    Word,
    WordSpotter,
    _abbreviation,
    _runs,
    _trim,
    after_abbreviation,
    candidate_spans,
    has_address_mark,
    mask_addresses,
    scan_name_words,
    sentence_ends,
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
            span = _trim(run, text)
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


@contextlib.contextmanager
def scanners(native: bool) -> Iterator[None]:
    """Within it, the text scanners of spans.py are the C ones (when built) or the Python."""
    saved = spans._NATIVE
    spans._NATIVE = saved if native else None
    try:
        yield
    finally:
        spans._NATIVE = saved


SCANNERS = [False, True] if spans.native_scanners() is not None else [False]


@settings(max_examples=400)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_scanner_matches_the_plain_scan(text: str) -> None:
    expected = plain_scan(text)
    for native in SCANNERS:
        with scanners(native):
            # `wanted` takes no word under 6 characters: the spotter may pass over shorter ones.
            for spotter in (WordSpotter(wanted), WordSpotter(wanted, shortest=6)):
                for _ in range(2):  # the second time from the spotter's memo
                    lower: list[tuple[Word, tuple[int, int]]] = []
                    assert (candidate_spans(text, lower, spotter), lower) == expected


@given(st.text(max_size=300))
def test_scanner_matches_the_plain_scan_on_any_text(text: str) -> None:
    expected = plain_scan(text)
    for native in SCANNERS:
        with scanners(native):
            lower: list[tuple[Word, tuple[int, int]]] = []
            assert (candidate_spans(text, lower, wanted), lower) == expected


@pytest.mark.parametrize("native", SCANNERS)
def test_spotter_finds_lower_case_surnames_and_asks_once_about_the_others(native: bool) -> None:
    asked: list[str] = []

    def counted(word: str) -> bool:
        asked.append(word)
        return wanted(word)

    spotter = WordSpotter(counted)
    text = "Ashot Mkrtychev left. Later mkrtychev, and Shoigu's aide, said nothing."
    with scanners(native):
        for _ in range(2):
            lower: list[tuple[Word, tuple[int, int]]] = []
            candidate_spans(text, lower, spotter)
            assert [word.text for word, _ in lower] == ["mkrtychev"]
    assert asked.count("nothing") == 1  # remembered as not wanted
    assert asked.count("mkrtychev") >= 2  # wanted: asked again, never remembered as quiet


NATIVE = spans.native_scanners()
needs_native = pytest.mark.skipif(
    NATIVE is None, reason="the C scanners are not built here (or the core runs from source)"
)


def native_words(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    assert NATIVE is not None
    offsets = NATIVE.name_words(text, start, end, _INSIDE)
    return [(a, b, text[a:b]) for a, b in zip(offsets[::2], offsets[1::2], strict=True)]


def python_words(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(w.start, w.end, w.text) for w in scan_name_words(text, start, end)]


# Each character class the scanners tell apart, in every string width CPython stores.
CHARACTERS = st.sampled_from(
    list("aAbBdeflnotvzZ09 .-'’_,\n!?\")]\t")
    + ["é", "É", "ß", "²", "ª", "Ж", "ж", "ب", "中"]
    + ["𝐀", "🙂", "“", "\u2028", "\xa0", "\u3000"]
)
NATIVE_PIECES = st.one_of(PIECES, CHARACTERS, st.text(max_size=3))


@needs_native
@settings(max_examples=600)
@given(st.lists(NATIVE_PIECES, max_size=50).map("".join))
def test_c_scanners_find_what_the_python_scanners_find(text: str) -> None:
    assert NATIVE is not None
    assert NATIVE.sentence_ends(text) == sentence_ends(text)
    for bounds in sentences(text) or [(0, len(text))]:
        assert native_words(text, *bounds) == python_words(text, *bounds)


def lower_words_by_regex(text: str, shortest: int) -> list[int]:
    """The spotter's candidates read token by token: not opening with a capital or a digit,
    not after a hyphen, at least `shortest` characters long."""
    found: list[int] = []
    for match in _TOKEN.finditer(text):
        word, start = match.group(), match.start()
        if word[0].isupper() or word[0].isdigit() or text[start - 1] == "-":
            continue
        if len(word) >= shortest:
            found += [start, match.end()]
    return found


@needs_native
@settings(max_examples=400)
@given(st.lists(NATIVE_PIECES, max_size=50).map("".join), st.integers(1, 8))
def test_c_lower_words_are_the_tokens_the_spotter_reads(text: str, shortest: int) -> None:
    assert NATIVE is not None
    assert NATIVE.lower_words(text, shortest) == lower_words_by_regex(text, shortest)


@needs_native
@pytest.mark.parametrize(
    "text",
    [
        "Foo al-Bar and bin Laden - de la Cruz. of Mr. O'Brien d’Arc ² élan É",
        "\ud800 Lone surrogate \udfff É",  # not valid UTF-8, still a str
        "é-x",  # a token at 0 reads the text's last character as the one before it
        "-élan",
    ],
)
def test_c_scanner_on_edge_cases(text: str) -> None:
    assert native_words(text, 0, len(text)) == python_words(text, 0, len(text))


@needs_native
@pytest.mark.parametrize(
    "text",
    [
        'He left. She stayed!" Then?) no.  \n\n Next\nline\n  \nA\n“Quote\n\u2028x. ',
        "\n",
        ".",
        "...",
        "a.\n",
        "\n \n",
        "\nA",
        "x.)]\"' y",
        "U.S. officials",
    ],
)
def test_c_sentence_ends_on_edge_cases(text: str) -> None:
    assert NATIVE is not None
    assert NATIVE.sentence_ends(text) == sentence_ends(text)


@needs_native
def test_c_scanner_clips_bounds_and_checks_its_arguments() -> None:
    assert NATIVE is not None
    text = "Vladimir Putin met Kim"
    assert native_words(text, -5, 10_000) == python_words(text, -5, 10_000)
    assert native_words(text, 9, 3) == [] == python_words(text, 9, 3)
    with pytest.raises(TypeError):
        NATIVE.name_words(b"bytes", 0, 5, _INSIDE)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        NATIVE.name_words(text, 0, 5, ["al"])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        NATIVE.sentence_ends(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        NATIVE.lower_words(text, "6")  # type: ignore[arg-type]


@needs_native
def test_c_scanners_read_a_large_text_in_one_pass() -> None:
    assert NATIVE is not None
    text = "Officials said Ashot Mkrtychev and bin Laden met. " * 200_000  # 10 MB
    words = native_words(text, 0, len(text))
    assert len(words) == 6 * 200_000
    assert words[:6] == python_words(text, 0, 50)
    assert len(NATIVE.sentence_ends(text)) == 2 * 200_000


def after_abbreviation_by_splitting(before: str) -> bool:
    """The abbreviation test as first written: strip, split off the last word, compare."""
    words = before.rstrip(".!?\"')]").rsplit(None, 1)
    return bool(words) and _abbreviation(words[-1])


ABBREVIATED = st.sampled_from(["Mr", "U.S", "Gen", "Inc", "e.g", "Co", "NO"])


@given(st.lists(st.one_of(NATIVE_PIECES, ABBREVIATED), max_size=30).map("".join), st.data())
def test_abbreviation_read_in_place_as_by_splitting(text: str, data: st.DataObject) -> None:
    stop = data.draw(st.integers(0, len(text)))
    start = data.draw(st.integers(0, stop))
    assert after_abbreviation(text, start, stop) == after_abbreviation_by_splitting(
        text[start:stop]
    )


ADDRESS_MARKS = ("@", "http", "www.", ".com", ".org", ".net", ".ru", ".gov", ".ir")
ADDRESS_PIECES = st.sampled_from(["@", "http", "htt", "www", ".", "com", "co", "ru", "ir", "gov"])


@given(st.lists(st.one_of(ADDRESS_PIECES, CHARACTERS), max_size=12).map("".join))
def test_address_marks_found_as_by_substring_search(text: str) -> None:
    assert has_address_mark(text) == any(mark in text for mark in ADDRESS_MARKS)
