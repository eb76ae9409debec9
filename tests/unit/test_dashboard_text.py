"""Highlighting mentions in article text and explaining scores in words (pure functions)."""

from __future__ import annotations

from watchlist.articles.highlight import Segment, Span, segments
from watchlist.screening.explanations import describe


def test_segments_cut_the_text_at_each_span() -> None:
    text = "Mr Ashot Mkrtychev met <script>x</script> Putin."
    cut = segments(text, [Span(3, 18, 1, current=True), Span(42, 47, 2)])
    assert "".join(part.text for part in cut) == text
    assert cut[1] == Segment("Ashot Mkrtychev", Span(3, 18, 1, current=True))
    assert cut[3].text == "Putin" and cut[3].span == Span(42, 47, 2)
    assert cut[2].span is None and "<script>" in cut[2].text  # left for the page to escape


def test_overlapping_spans_merge_and_the_current_one_wins() -> None:
    cut = segments("Ashot Mkrtychev", [Span(0, 15, 1), Span(0, 15, 2, current=True),
                                       Span(6, 15, 3)])  # fmt: skip
    assert cut == [Segment("Ashot Mkrtychev", Span(0, 15, 2, current=True))]


def test_segments_of_a_slice_use_article_offsets() -> None:
    cut = segments("met Putin.", [Span(104, 109, 7), Span(0, 3, 8)], offset=100)
    assert [part.text for part in cut] == ["met ", "Putin", "."]


EXPLANATION = {
    "alignment": [
        {"query": "ashot", "listed": "ashot", "similarity": 1.0, "how": "exact"},
        {"query": "mkrtichev", "listed": "mkrtychev", "similarity": 0.89, "how": "fuzzy"},
    ],
    "features": [
        {"name": "name similarity", "value": 0.95, "contribution": 0.95, "detail": "mean"},
        {"name": "partial name", "value": 1.0, "contribution": -0.05,
         "detail": "listed name parts not in the query: ivanovich"},
    ],
    "unmatched_query": [],
    "unmatched_listed": ["ivanovich"],
}  # fmt: skip


def test_explanations_read_as_sentences() -> None:
    lines = describe(EXPLANATION, mention="Ashot Mkrtichev", matched_name="MKRTYCHEV, Ashot",
                     score=0.9, threshold=0.8)  # fmt: skip
    assert (
        lines[0]
        == "“Ashot Mkrtichev” in the article was matched to the listed name “MKRTYCHEV, Ashot”."
    )
    assert "“ashot” matched listed “ashot” exactly" in lines[1]
    assert (
        "“mkrtichev” matched listed “mkrtychev” closely, as a likely spelling variant (89% alike)"
        in lines[1]
    )
    assert "Parts of the listed name not in the article: “ivanovich”." in lines
    assert (
        "Partial name: listed name parts not in the query: ivanovich (lowers the score by 0.05)."
        in lines
    )
    assert lines[-1] == "Score 0.90 of 1.00; an article mention is reported from 0.80."
    assert not any("Name similarity" in line for line in lines)


def test_an_empty_explanation_still_gives_the_score() -> None:
    lines = describe({}, mention="Shoigu", matched_name="SHOIGU, Sergei", score=0.8,
                     threshold=0.8)  # fmt: skip
    assert len(lines) == 2 and lines[-1].startswith("Score 0.80")


def test_segments_show_mis_decoded_quotes_as_the_quotes_meant() -> None:
    """A curly quote read as Windows-1252 or as the Thai code page is shown repaired, and
    the mention between such quotes keeps its place."""
    text = "He said, โAshot Mkrtychev met them.โ And itâ€™s a â€œdealâ€\x9d â€” Ã©tÃ©."
    start = text.index("Ashot")
    cut = segments(text, [Span(start, start + len("Ashot Mkrtychev"), 1)])
    shown = "".join(part.text for part in cut)
    said = "He said, \u201cAshot Mkrtychev met them.\u201d"
    assert shown == said + " And it\u2019s a \u201cdeal\u201d \u2014 été."
    assert [part.text for part in cut if part.span] == ["Ashot Mkrtychev"]


def test_text_without_mis_decodings_is_shown_as_it_is() -> None:
    text = "Thai: \u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35 and \u201cquotes\u201d stay."
    assert "".join(part.text for part in segments(text, [])) == text
