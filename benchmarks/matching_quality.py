"""Matching quality on the labelled pairs: precision, recall and F1, beside open baselines.

Every pair's query is looked up in a matcher holding the whole OFAC SDN list (plus the few
listed names of the pairs file that the SDN file lacks): the pair counts as predicted when the
entity holding the listed name comes back at or above the threshold. Baselines score the same
pairs directly: rapidfuzz WRatio and nomenklatura's logic-v2 (run from the bench virtualenv,
`make bench-venv`, when it exists).

Run: make bench-quality (or python -m benchmarks.matching_quality).
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import ROOT, print_table

PAIRS = ROOT / "benchmarks/data/name_pairs.csv"
# Written separately and never used to tune the matcher: the honest generalisation check.
HOLDOUT = ROOT / "benchmarks/data/name_pairs_holdout.csv"
BENCH_PYTHON = ROOT / ".venv-bench/bin/python"


@dataclass(frozen=True)
class Pair:
    query: str
    listed: str
    kind: str
    match: bool
    group: str


def read_pairs(path: Path = PAIRS) -> list[Pair]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Pair(row["query"], row["listed"], row["kind"], row["match"] == "1", row["class"])
            for row in csv.DictReader(handle)
        ]


def project_scores(pairs: Sequence[Pair]) -> list[float]:
    """Our score for each pair: the listed name's entity in a lookup over the SDN list."""
    from watchlist.config import load_settings
    from watchlist.matching.model import NameRecord, Query
    from watchlist.screening.matchers import new_matcher
    from watchlist.screening.records import records_from_list
    from watchlist.sources import formats

    parsed = formats.parse(formats.read_local("ofac-csv", ROOT / "data/ofac/sdn_legacy_csv"))
    records, profiles = records_from_list(parsed)
    holders: dict[str, set[int]] = defaultdict(set)
    for record in records:
        holders[record.name].add(record.entity_id)
    for offset, (listed, kind) in enumerate(sorted({(p.listed, p.kind) for p in pairs})):
        if listed not in holders:  # the few listed names the SDN file lacks
            records.append(NameRecord(90_000_000 + offset, listed, kind, "primary"))
            holders[listed].add(90_000_000 + offset)
    matcher = new_matcher(records, profiles, load_settings({}).matching)
    scores = []
    for pair in pairs:
        found = matcher.lookup(Query(pair.query, kind=pair.kind), limit=64, threshold=0.0)
        wanted = holders[pair.listed]
        scores.append(max((m.score for m in found if m.entity_id in wanted), default=0.0))
    return scores


def wratio_scores(pairs: Sequence[Pair]) -> list[float]:
    from benchmarks.baselines import wratio_score

    return [wratio_score(p.query, p.listed) for p in pairs]


def logic_v2_scores(pairs: Sequence[Pair]) -> list[float] | None:
    """logic-v2 scores, computed in the bench virtualenv (None when it is not installed)."""
    if not BENCH_PYTHON.exists():
        return None
    result = subprocess.run(
        [str(BENCH_PYTHON), "-m", "benchmarks.matching_quality", "--logic-v2-child"],
        cwd=ROOT,
        input=json.dumps([[p.query, p.listed, p.kind] for p in pairs]),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        print(f"logic-v2 failed: {result.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return None
    return [float(x) for x in json.loads(result.stdout)]


def _logic_v2_child() -> None:
    from benchmarks.baselines import logic_v2_scorer

    score = logic_v2_scorer()
    triples = json.loads(sys.stdin.read())
    print(json.dumps([score(q, listed, kind) for q, listed, kind in triples]))


@dataclass(frozen=True)
class Quality:
    precision: float
    recall: float
    f1: float


def quality(pairs: Sequence[Pair], scores: Sequence[float], threshold: float) -> Quality:
    tp = sum(1 for p, s in zip(pairs, scores, strict=True) if p.match and s >= threshold)
    fp = sum(1 for p, s in zip(pairs, scores, strict=True) if not p.match and s >= threshold)
    fn = sum(1 for p, s in zip(pairs, scores, strict=True) if p.match and s < threshold)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Quality(precision, recall, f1)


def best_threshold(pairs: Sequence[Pair], scores: Sequence[float]) -> float:
    """The threshold giving a baseline its best F1 on these pairs (a generous comparison)."""
    candidates = sorted({round(s, 3) for s in scores} | {0.5})
    return max(candidates, key=lambda t: quality(pairs, scores, t).f1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logic-v2-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.logic_v2_child:
        _logic_v2_child()
        return
    for label, path in (("tuning set", PAIRS), ("held-out set, never used for tuning", HOLDOUT)):
        evaluate(read_pairs(path), label)


def evaluate(pairs: list[Pair], label: str) -> None:
    """Score one pairs file with every system and print its tables."""
    from watchlist.config import load_settings

    threshold = load_settings({}).matching.threshold
    systems: dict[str, tuple[list[float], float]] = {}
    systems[f"watchlist (threshold {threshold})"] = (project_scores(pairs), threshold)
    wratio = wratio_scores(pairs)
    systems["rapidfuzz WRatio (threshold 0.90)"] = (wratio, 0.9)
    best = best_threshold(pairs, wratio)
    systems[f"rapidfuzz WRatio (best threshold {best:.2f})"] = (wratio, best)
    logic = logic_v2_scores(pairs)
    if logic is not None:
        systems["nomenklatura logic-v2 (threshold 0.70, yente's default)"] = (logic, 0.7)
        best = best_threshold(pairs, logic)
        systems[f"nomenklatura logic-v2 (best threshold {best:.2f})"] = (logic, best)
    report(pairs, systems, label)


def report(
    pairs: Sequence[Pair], systems: dict[str, tuple[list[float], float]], label: str
) -> None:
    positives = sum(p.match for p in pairs)
    ours = next(iter(systems))
    rows = []
    for name, (scores, threshold) in systems.items():
        q = quality(pairs, scores, threshold)
        ratio = q.f1 / quality(pairs, *systems[ours]).f1 if name != ours else 1.0
        rows.append([name, f"{q.precision:.3f}", f"{q.recall:.3f}", f"{q.f1:.3f}", f"{ratio:.2f}"])
    print_table(
        f"Matching quality, {label}: {len(pairs)} labelled pairs ({positives} matches)",
        ["system", "precision", "recall", "F1", "F1 vs watchlist"],
        rows,
    )
    groups = sorted({p.group for p in pairs})
    headers = ["class", "pairs"] + [_short(n) for n in systems]
    table = []
    for group in groups:
        chosen = [i for i, p in enumerate(pairs) if p.group == group]
        sub = [pairs[i] for i in chosen]
        cells = [group, str(len(sub))]
        for scores, threshold in systems.values():
            picked = [scores[i] for i in chosen]
            right = sum((s >= threshold) == p.match for p, s in zip(sub, picked, strict=True))
            cells.append(f"{right / len(sub):.2f}")
        table.append(cells)
    print_table(f"Accuracy per pair class, {label}", headers, table)


def _short(name: str) -> str:
    return name.split(" (")[0] + (" best" if "best" in name else "")


Scorer = Callable[[str, str, str], float]

if __name__ == "__main__":
    main()
