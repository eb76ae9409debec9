"""A floor under matching quality on the labelled pairs: a change cannot quietly make it worse.

The figures and the comparison with rapidfuzz and logic-v2 are printed by
`make bench-quality`; this test only keeps precision and recall above the floor.
"""

from __future__ import annotations

from benchmarks.matching_quality import project_scores, quality, read_pairs
from watchlist.config import load_settings

PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.90


def test_precision_and_recall_stay_above_the_floor() -> None:
    pairs = read_pairs()
    assert len(pairs) >= 400
    scores = project_scores(pairs)
    result = quality(pairs, scores, load_settings({}).matching.threshold)
    assert result.precision >= PRECISION_FLOOR, result
    assert result.recall >= RECALL_FLOOR, result
