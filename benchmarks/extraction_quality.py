"""Article extraction quality: trafilatura beside the hand-written HTML reader it replaced.

Corpus: 26 real news and magazine pages from trafilatura's public evaluation set
(tests/fixtures/html, see its README for provenance), each with the snippets its main text
must hold ("with") and the page furniture it must not ("without"), as that evaluation set
gives them. Each page's bytes are decoded as the service decodes a download, then read by:

  trafilatura   watchlist.articles.html.html_to_text, as the service stores an article
                (trafilatura's main text; the whole page's text when it finds no article)
  hand-written  watchlist.articles.html.page_text alone: the HTMLParser reader the service
                used before (now only its fallback), unchanged

A "with" snippet found is a true positive, one missed a false negative; a "without" snippet
found is a false positive, one left out a true negative (whitespace collapsed on both sides).
Precision, recall, F1 and accuracy are ratios over all snippets of all pages.

Run: make bench-extraction (or python -m benchmarks.extraction_quality).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.common import ROOT, print_table
from watchlist.articles.documents import decode
from watchlist.articles.html import html_to_text, page_text

PAGES = ROOT / "tests/fixtures/html"


@dataclass
class Tally:
    """Snippet counts over the corpus."""

    true_pos: int = 0
    false_neg: int = 0
    false_pos: int = 0
    true_neg: int = 0
    seconds: float = 0.0

    def row(self, name: str) -> list[str]:
        precision = self.true_pos / max(1, self.true_pos + self.false_pos)
        recall = self.true_pos / max(1, self.true_pos + self.false_neg)
        f1 = 2 * precision * recall / max(1e-9, precision + recall)
        total = self.true_pos + self.false_neg + self.false_pos + self.true_neg
        accuracy = (self.true_pos + self.true_neg) / max(1, total)
        return [
            name,
            f"{precision:.3f}",
            f"{recall:.3f}",
            f"{f1:.3f}",
            f"{accuracy:.3f}",
            f"{self.seconds * 1000:.0f}",
        ]


def _squash(text: str) -> str:
    return " ".join(text.split())


def measure(reader: Callable[[str], tuple[str, str | None]]) -> Tally:
    """Read every page with `reader` and count its snippets."""
    expected = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))
    tally = Tally()
    for name, case in expected.items():
        markup = decode((PAGES / name).read_bytes(), where=name)
        started = time.perf_counter()
        text = _squash(reader(markup)[0])
        tally.seconds += time.perf_counter() - started
        for snippet in case["with"]:
            found = _squash(snippet) in text
            tally.true_pos += found
            tally.false_neg += not found
        for snippet in case["without"]:
            found = _squash(snippet) in text
            tally.false_pos += found
            tally.true_neg += not found
    return tally


def main() -> None:
    pages = len(json.loads((PAGES / "expected.json").read_text(encoding="utf-8")))
    rows = [
        measure(html_to_text).row("trafilatura (watchlist now)"),
        measure(page_text).row("hand-written HTMLParser (before)"),
    ]
    print_table(
        f"Main-text extraction on {pages} real news pages (trafilatura's evaluation snippets)",
        ["extractor", "precision", "recall", "F1", "accuracy", "total ms"],
        rows,
    )


if __name__ == "__main__":
    main()
