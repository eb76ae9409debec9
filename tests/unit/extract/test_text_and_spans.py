from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from watchlist.extract.spans import candidate_spans, sentences
from watchlist.extract.text import prepare


def keys(text: str) -> list[str]:
    return [span.key for span in candidate_spans(prepare(text).text)]


def test_mis_decoded_quotes_are_repaired_and_offsets_still_slice_the_original() -> None:
    original = "โAs part of the deal,โ said Ashot Mkrtychev. He said â€œnoâ€\x9d to Mr. Kirby."
    prepared = prepare(original)
    assert prepared.text.startswith('"As part')
    assert '"no"' in prepared.text
    for span in candidate_spans(prepared.text):
        start, end = prepared.original_span(span.start, span.end)
        assert original[start:end].replace(".", "").split()[-1] == span.words[-1].text


def test_sentences_do_not_break_after_titles_and_initials() -> None:
    text = "Mr. Putin met Gen. Shoigu in the U.S. yesterday. Then he left!\n\nNew paragraph"
    parts = [text[s:e].strip() for s, e in sentences(text)]
    assert parts[0] == "Mr. Putin met Gen. Shoigu in the U.S. yesterday."
    assert parts[-1] == "New paragraph"


def test_name_spans_with_particles_hyphens_titles_and_possessives() -> None:
    text = (
        "Yesterday President Vladimir Putin's envoy met Bashar al-Assad, Osama bin Laden's "
        "heir and Ludwig van Beethoven in Kim Jong-un's office."
    )
    found = keys(text)
    assert "President Vladimir Putin" in found
    assert "Bashar al-Assad" in found
    assert "Osama bin Laden" in found
    assert "Ludwig van Beethoven" in found
    assert "Kim Jong-un" in found
    assert "Yesterday" not in " ".join(found)


def test_all_caps_and_cyrillic_names_are_candidates() -> None:
    found = keys("Сообщается, что Евгений Пригожин и MKRTYCHEV ASHOT встречались.")
    assert "Евгений Пригожин" in found
    assert "MKRTYCHEV ASHOT" in found


def test_addresses_are_not_names() -> None:
    found = " ".join(keys("Write to Editor@example.com or see https://Putin.example.org/Wagner"))
    assert "Editor" not in found and "Putin" not in found and "Wagner" not in found


@given(st.text(max_size=400))
def test_offsets_always_slice_the_original(text: str) -> None:
    prepared = prepare(text)
    assert len(prepared.origin) == len(prepared.text)
    for span in candidate_spans(prepared.text):
        start, end = prepared.original_span(span.start, span.end)
        assert 0 <= start <= end <= len(text)
