"""The text-reuse fingerprint that groups rewrites of one report into a story."""

from __future__ import annotations

import itertools

import pytest

from tests.rewrites import rewrite, seed_text
from watchlist.articles.stories import (
    MARKS,
    SHINGLE_WORDS,
    SKETCH_SIZE,
    fingerprint,
    marks,
    resemblance,
    shingles,
    words,
)
from watchlist.config import load_settings

THRESHOLD = load_settings({}).intake.story_similarity


def test_words_ignore_case_punctuation_and_compatibility_forms() -> None:
    assert words("The “Wagner Group” — fifty-two ﬁghters, ＵＳ said.") == [
        "the", "wagner", "group", "fifty", "two", "fighters", "us", "said",
    ]  # fmt: skip


def test_shingles_are_runs_of_words_or_the_whole_short_text() -> None:
    text = "one two three four five six seven"
    assert len(shingles(text)) == len(text.split()) - SHINGLE_WORDS + 1
    assert "three four five six seven" in shingles(text)
    assert shingles("Putin spoke.") == {"putin spoke"}
    assert shingles(" … ") == set()


def test_fingerprint_is_the_smallest_hashes_in_order() -> None:
    sketch = fingerprint(seed_text(1))
    assert len(sketch) == SKETCH_SIZE
    assert sketch == sorted(sketch) and len(set(sketch)) == SKETCH_SIZE
    assert all(len(value) == 16 and int(value, 16) < 2**63 for value in sketch)
    short = fingerprint("Ashot Mkrtychev was seen in Bratislava.")
    assert len(short) == 2  # two shingles of five words
    assert fingerprint("") == []


def test_spacing_and_case_do_not_change_the_fingerprint() -> None:
    text = seed_text(2)
    assert fingerprint(" ".join(text.upper().split())) == fingerprint(text)


def test_resemblance_estimates_the_share_of_shingles_in_common() -> None:
    base = [f"word{number}" for number in range(2000)]
    left = " ".join(base)
    for kept in (1800, 1000, 400):
        right = " ".join(base[:kept] + [f"other{number}" for number in range(kept, 2000)])
        exact = len(shingles(left) & shingles(right)) / len(shingles(left) | shingles(right))
        assert resemblance(fingerprint(left), fingerprint(right)) == pytest.approx(exact, abs=0.15)
    assert resemblance(fingerprint(left), fingerprint(left)) == 1.0
    assert resemblance([], []) == 0.0


@pytest.mark.parametrize("number", range(1, 6))
def test_a_lightly_edited_rewrite_resembles_its_report(number: int) -> None:
    text = seed_text(number)
    assert resemblance(fingerprint(text), fingerprint(rewrite(text))) >= THRESHOLD


def test_the_seed_reports_do_not_resemble_each_other() -> None:
    # The same event and the same names, written apart.
    sketches = [fingerprint(seed_text(number)) for number in range(1, 6)]
    for left, right in itertools.combinations(sketches, 2):
        assert resemblance(left, right) < THRESHOLD / 4


def test_marks_are_the_smallest_values_as_numbers() -> None:
    sketch = fingerprint(seed_text(3))
    assert marks(sketch) == [int(value, 16) for value in sketch[:MARKS]]
    assert marks(["kirby", "korea", "mkrtychev"]) == []  # proper nouns, stored before
    assert marks([]) == []
