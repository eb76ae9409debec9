"""Matching speed: index build time, peak memory and lookup latency, against baselines.

Two lists: the full OFAC SDN list (every strong and weak name, ~36,700) and a synthetic list of
1,000,000 names built from SDN name parts (benchmarks/synthetic.py; --quick: 100,000). Each case
runs in its own fresh process, so its peak memory is its own:

  ours      build the Matcher (timed, with the peak RSS after it), then time each lookup, at the
            default threshold, of a deterministic mix of 2,000 queries: 40% hits (listed names
            as the press writes them), 30% near misses, 30% misses
  wratio    baseline: rapidfuzz process.extractOne(query, all names, WRatio, default_process)
            per query; on the synthetic list a fixed subsample of 100 queries (it scans every
            name), compared with our latency on the same 100
  logic-v2  baseline: nomenklatura logic-v2 scoring each query against the listed names our
            matcher scored for it (lookup(limit=64, threshold=0.0)); candidate retrieval is
            free for it. Runs in .venv-bench (make bench-venv) when it exists.

Run: make bench-matching (or python -m benchmarks.matching_speed [--quick]).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.common import ROOT, peak_rss_mb, print_table, run_child
from benchmarks.synthetic import LEGAL_FORMS, variant
from watchlist.matching import model
from watchlist.matching.model import EntityProfile, NameRecord

MODULE = "benchmarks.matching_speed"
BENCH_PYTHON = ROOT / ".venv-bench/bin/python"
SDN = ROOT / "data/ofac/sdn_legacy_csv"
QUERIES = 2_000
QUERY_SEED = 20240504
SUBSAMPLE_STEP = 20  # the synthetic list's WRatio subsample: every 20th query (100 of 2,000)
HIT_SHARE, NEAR_MISS_SHARE = 0.4, 0.3  # the rest are misses
FTM_KIND = {"aircraft": "Airplane"}  # the other kinds are known to benchmarks.baselines
WARM_UP = ("Warm Up Query", "WARMUP TRADING LLC")

TITLES = ("President", "Mr.", "Dr.", "General", "Minister", "Sheikh")
FIRST_NAMES = (
    "James Mary Robert Patricia John Jennifer Michael Linda William Elizabeth David Susan "
    "Richard Jessica Thomas Sarah Charles Karen Daniel Emily "  # English
    "José María Juan Carmen Luis Ana Carlos Lucía Javier Isabel Miguel Sofía Alejandro Elena "
    "Omar Fatima Khalid Aisha Youssef Layla Hassan Mariam Tariq Noor Samir Huda "  # Arabic
    "Wei Fang Jie Hao Jun Mei Lei Yan Xiuying Zhiwei"  # Chinese
).split()
SURNAMES = (
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore Jackson "
    "White Harris Clark "  # English
    "García Rodríguez Martínez López González Pérez Sánchez Ramírez Torres Flores Rivera "
    "Gómez Díaz Morales "  # Spanish
    "Haddad Khoury Mansour Nasser Saleh Farouk Karimi Hamdan Othman Qasim Rahman "  # Arabic
    "Wang Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Zhu"  # Chinese
).split()
COMPANY_ADJECTIVES = (
    "Global Northern Pacific Atlantic United Green Silver Golden Blue Prime Royal Eastern "
    "Western Central Summit Horizon Bright First"
).split()
COMPANY_NOUNS = (
    "Star River Bridge Harbor Oak Eagle Falcon Crest Peak Valley Lake Stone Cedar".split()
)
INDUSTRIES = (
    "Logistics Trading Holdings Capital Foods Textiles Software Consulting Shipping Energy "
    "Pharma Motors Media Construction Ventures Partners"
).split()
COMPANY_FORMS = ("Ltd", "LLC", "Inc.", "GmbH", "S.A.", "Co.", "PLC", "")
_LEGAL_TOKENS = frozenset(w for form in LEGAL_FORMS for w in form.replace(",", "").split()) | {
    "LIMITED", "LIABILITY", "COMPANY", "JOINT-STOCK", "JOINT", "STOCK", "CORPORATION",
}  # fmt: skip


@dataclass(frozen=True)
class Query:
    text: str
    category: str  # hit, near miss, miss
    how: str  # how the query was made


# --- the query mix -------------------------------------------------------------------------


def query_mix(records: Sequence[NameRecord], n: int = QUERIES) -> list[Query]:
    """A deterministic mix of hits, near misses and misses for a list, shuffled."""
    rng = random.Random(QUERY_SEED)
    strong = [r for r in records if not r.is_weak]
    hits, near = round(n * HIT_SHARE), round(n * NEAR_MISS_SHARE)
    queries = [_hit(rng.choice(strong), rng) for _ in range(hits)]
    queries += [_near_miss(rng.choice(strong), rng) for _ in range(near)]
    queries += [_miss(rng) for _ in range(n - hits - near)]
    rng.shuffle(queries)
    return queries


def _person_parts(record: NameRecord) -> tuple[str, str, str] | None:
    """(Surname, Given, Middle) in press case for a `SURNAME, Given Middle` person name."""
    surname, comma, rest = record.name.partition(",")
    words = rest.split()
    if record.entity_kind != "person" or not comma or not surname.strip() or not words:
        return None
    return _press(surname.strip()), _press(words[0]), _press(" ".join(words[1:]))


def _press(text: str) -> str:
    return text.title() if text.isupper() else text


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _hit(record: NameRecord, rng: random.Random) -> Query:
    parts = _person_parts(record)
    if parts is None:
        return _organization_hit(record.name, rng)
    surname, given, middle = parts
    how = rng.choice(("given surname", "no middle name", "title", "typo", "transliteration"))
    if how == "no middle name" and not middle:
        how = "given surname"
    short = _join(given, surname)
    texts = {
        "given surname": _join(given, middle, surname),
        "no middle name": short,
        "title": _join(rng.choice(TITLES), short),
        "typo": _typo(short, rng),
        "transliteration": _transliterate(short, rng),
    }
    return Query(texts[how], "hit", f"person: {how}")


def _organization_hit(name: str, rng: random.Random) -> Query:
    how = rng.choice(("as written", "no legal form", "typo", "transliteration"))
    text = _press(name)
    if how == "no legal form":
        kept = [w for w in name.split() if w.upper().rstrip(",") not in _LEGAL_TOKENS]
        how, text = ("no legal form", _press(" ".join(kept))) if kept else ("as written", text)
    elif how == "typo":
        text = _typo(text, rng)
    elif how == "transliteration":
        text = _transliterate(text, rng)
    return Query(text, "hit", f"organization: {how}")


def _typo(text: str, rng: random.Random) -> str:
    """One character substituted, dropped, doubled or swapped in one of the longer words."""
    words = text.split()
    spots = [i for i, w in enumerate(words) if len(_letters(w)) >= 5]
    if not spots:
        return text
    i = rng.choice(spots)
    word, at = words[i], rng.choice(_letters(words[i])[1:-1])
    edit = rng.choice(("substitute", "drop", "double", "swap"))
    if edit == "substitute":
        letter = rng.choice([c for c in "aeiourstnlk" if c != word[at].lower()])
        word = word[:at] + (letter.upper() if word[at].isupper() else letter) + word[at + 1 :]
    elif edit == "drop":
        word = word[:at] + word[at + 1 :]
    elif edit == "double":
        word = word[:at] + word[at] + word[at:]
    else:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    words[i] = word
    return " ".join(words)


def _letters(word: str) -> list[int]:
    """Positions in a word of letters followed by a letter (where a typo may go)."""
    return [i for i in range(len(word) - 1) if word[i].isalpha() and word[i + 1].isalpha()]


def _transliterate(text: str, rng: random.Random) -> str:
    """y -> i where the name has a y (Sergey -> Sergei), else another transliteration change."""
    spots = [i for i, c in enumerate(text) if c in "yY"]
    if spots:
        i = rng.choice(spots)
        return text[:i] + ("I" if text[i] == "Y" else "i") + text[i + 1 :]
    return variant(text, rng)


def _near_miss(record: NameRecord, rng: random.Random) -> Query:
    parts = _person_parts(record)
    if parts is not None:
        surname, given, _ = parts
        other = rng.choice([f for f in FIRST_NAMES if f.lower() != given.lower()])
        return Query(_join(other, surname), "near miss", "person: listed surname, other given")
    words = _press(record.name).split()
    if len(words) == 1:
        extra = rng.choice(INDUSTRIES)
        return Query(_join(words[0], extra), "near miss", "organization: one word added")
    names = [i for i, w in enumerate(words) if w.upper().rstrip(",") not in _LEGAL_TOKENS]
    i = rng.choice(names or range(len(words)))
    words[i] = rng.choice([w for w in COMPANY_ADJECTIVES + INDUSTRIES if w != words[i]])
    return Query(" ".join(words), "near miss", "organization: one word swapped")


def _miss(rng: random.Random) -> Query:
    if rng.random() < 0.5:
        given = rng.choice(FIRST_NAMES)
        if rng.random() < 0.25:
            given = _join(given, rng.choice(FIRST_NAMES))
        return Query(_join(given, rng.choice(SURNAMES)), "miss", "person: common names")
    text = _join(
        rng.choice(COMPANY_ADJECTIVES),
        rng.choice(COMPANY_NOUNS),
        rng.choice(INDUSTRIES),
        rng.choice(COMPANY_FORMS),
    )
    return Query(text, "miss", "organization: generic words")


# --- the measured cases (each in a fresh process) ------------------------------------------


def load_list(which: str, size: int) -> tuple[list[NameRecord], dict[int, EntityProfile]]:
    """The SDN list's names and profiles, or `size` synthetic names (no profiles)."""
    if which == "sdn":
        from watchlist.screening.records import records_from_list
        from watchlist.sources import formats

        return records_from_list(formats.parse(formats.read_local("ofac-csv", SDN)))
    from benchmarks.synthetic import synthetic_records

    return synthetic_records(size), {}


def build_matcher(records: list[NameRecord], profiles: dict[int, EntityProfile]) -> Any:
    from watchlist.config import load_settings
    from watchlist.screening.matchers import new_matcher

    return new_matcher(records, profiles, load_settings({}).matching)


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which `share` of the values lie (linear interpolation)."""
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency_stats(prefix: str, milliseconds: Sequence[float]) -> dict[str, float]:
    return {
        f"{prefix}p50": percentile(milliseconds, 0.5),
        f"{prefix}p99": percentile(milliseconds, 0.99),
        f"{prefix}mean": statistics.fmean(milliseconds),
    }


def subsample(queries: Sequence[Query], which: str) -> list[int]:
    """Positions of the queries the WRatio baseline runs: all on SDN, every 20th otherwise."""
    step = 1 if which == "sdn" else SUBSAMPLE_STEP
    return list(range(0, len(queries), step))


def case_ours(which: str, size: int) -> dict[str, float]:
    started = time.perf_counter()
    records, profiles = load_list(which, size)
    loaded = time.perf_counter() - started
    before = peak_rss_mb()
    started = time.perf_counter()
    matcher = build_matcher(records, profiles)
    build = time.perf_counter() - started
    result = {"names": float(len(records)), "load_s": loaded, "build_s": build}
    result |= {"input_mb": before, "peak_mb": peak_rss_mb()}
    queries = query_mix(records)
    for text in WARM_UP:
        matcher.lookup(model.Query(text))
    latencies, found = [], []
    for query in queries:
        started_ns = time.perf_counter_ns()
        matches = matcher.lookup(model.Query(query.text))
        latencies.append((time.perf_counter_ns() - started_ns) / 1e6)
        found.append(bool(matches))
    result |= latency_stats("", latencies)
    result |= latency_stats("sub_", [latencies[i] for i in subsample(queries, which)])
    for query, hit in zip(queries, found, strict=True):
        key = f"{query.category}|{query.how}"
        result[f"count|{key}"] = result.get(f"count|{key}", 0.0) + 1
        result[f"found|{key}"] = result.get(f"found|{key}", 0.0) + hit
    return result


def case_wratio(which: str, size: int) -> dict[str, float]:
    from rapidfuzz import fuzz, process, utils

    records, _ = load_list(which, size)
    names = [r.name for r in records]
    queries = query_mix(records)
    process.extractOne(WARM_UP[0], names, scorer=fuzz.WRatio, processor=utils.default_process)
    latencies = []
    for i in subsample(queries, which):
        started_ns = time.perf_counter_ns()
        process.extractOne(
            queries[i].text, names, scorer=fuzz.WRatio, processor=utils.default_process
        )
        latencies.append((time.perf_counter_ns() - started_ns) / 1e6)
    return {"queries": float(len(latencies))} | latency_stats("", latencies)


def case_logic_v2(which: str, size: int) -> dict[str, float]:
    from benchmarks.baselines import logic_v2_scorer

    score = logic_v2_scorer()  # warms up rigour's name data outside the timings
    records, profiles = load_list(which, size)
    kinds = {r.entity_id: r.entity_kind for r in records}
    matcher = build_matcher(records, profiles)
    latencies, candidates = [], []
    for query in query_mix(records):
        found = matcher.lookup(model.Query(query.text), limit=64, threshold=0.0)
        names = [(m.matched_name, kinds[m.entity_id]) for m in found]
        started_ns = time.perf_counter_ns()
        for name, kind in names:
            score(query.text, name, FTM_KIND.get(kind, kind))
        latencies.append((time.perf_counter_ns() - started_ns) / 1e6)
        candidates.append(len(names))
    result = {"candidates": statistics.fmean(candidates)}
    result["no_candidates"] = float(sum(1 for c in candidates if not c))
    return result | latency_stats("", latencies)


CASES = {"ours": case_ours, "wratio": case_wratio, "logic-v2": case_logic_v2}


# --- the parent: run the cases, print the tables --------------------------------------------


def run_logic_v2(which: str, size: int) -> dict[str, float] | str:
    """logic-v2 figures from the bench virtualenv, or why there are none."""
    if not BENCH_PYTHON.exists():
        return "n/a (make bench-venv)"
    args = ["-m", MODULE, "--case", "logic-v2", "--list", which, "--size", str(size)]
    result = subprocess.run(
        [str(BENCH_PYTHON), *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        print(f"logic-v2 case failed:\n{result.stderr}", file=sys.stderr)
        return "n/a (failed, see stderr)"
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def measure(which: str, size: int) -> None:
    args = ["--list", which, "--size", str(size)]
    print(f"[{which}] our matcher ...", file=sys.stderr, flush=True)
    ours = run_child(MODULE, ["--case", "ours", *args])
    print(f"[{which}] WRatio extractOne ...", file=sys.stderr, flush=True)
    wratio = run_child(MODULE, ["--case", "wratio", *args])
    print(f"[{which}] logic-v2 ...", file=sys.stderr, flush=True)
    logic = run_logic_v2(which, size)
    report(which, ours, wratio, logic)


def _ms(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f} ms"
    return f"{value:.2f} ms" if value >= 1 else f"{value:.3f} ms"


def _ratio(baseline: float, ours: float) -> str:
    return f"{baseline / ours:,.1f}x" if ours > 0 else "-"


def report(
    which: str, ours: dict[str, float], wratio: dict[str, float], logic: dict[str, float] | str
) -> None:
    names = int(ours["names"])
    label = "OFAC SDN list" if which == "sdn" else "synthetic list"
    sub = "" if which == "sdn" else f", {int(wratio['queries'])}-query subsample"
    ours_p = ("p50", "p99") if which == "sdn" else ("sub_p50", "sub_p99")
    rows = [
        ["our index build (Matcher construction)", f"{ours['build_s']:.2f} s", ""],
        ["our peak RSS after the build", f"{ours['peak_mb']:,.0f} MB", ""],
        ["  of it before the build (interpreter, records)", f"{ours['input_mb']:,.0f} MB", ""],
        [f"our lookup p50 ({QUERIES:,} queries)", _ms(ours["p50"]), "1.0x"],
        [f"our lookup p99 ({QUERIES:,} queries)", _ms(ours["p99"]), "1.0x"],
    ]
    for pct, key in zip(("p50", "p99"), ours_p, strict=True):
        rows.append(
            [
                f"baseline: WRatio extractOne over all names, {pct}{sub}",
                _ms(wratio[pct]),
                _ratio(wratio[pct], ours[key]),
            ]
        )
    for pct in ("p50", "p99"):
        title = f"baseline: logic-v2 over our candidates, {pct}"
        if isinstance(logic, str):
            rows.append([title, logic, ""])
        else:
            rows.append([title, _ms(logic[pct]), _ratio(logic[pct], ours[pct])])
    print_table(f"Matching speed: {label}, {names:,} names", ["measure", "value", "vs ours"], rows)
    notes = [f"list loaded/generated in {ours['load_s']:.1f} s (not part of the build)"]
    notes.append(f"our mean lookup {_ms(ours['mean'])}")
    if which != "sdn":
        notes.append(f"our p50/p99 on the WRatio subsample {_ms(ours['sub_p50'])}")
        notes[-1] += f" / {_ms(ours['sub_p99'])} (the WRatio ratios use these)"
    if not isinstance(logic, str):
        notes.append(
            f"logic-v2: {logic['candidates']:.1f} candidate names per query on average, "
            f"{int(logic['no_candidates'])} queries with none, mean {_ms(logic['mean'])} "
            f"({_ratio(logic['mean'], ours['mean'])} ours)"
        )
    print("\n" + "\n".join(f"- {note}" for note in notes))
    print_composition(label, ours)


def print_composition(label: str, ours: dict[str, float]) -> None:
    counts = Counter({k.split("|", 1)[1]: v for k, v in ours.items() if k.startswith("count|")})
    total = sum(counts.values())
    order = {"hit": 0, "near miss": 1, "miss": 2}
    rows = []
    for key in sorted(counts, key=lambda k: (order[k.split("|")[0]], k)):
        category, how = key.split("|")
        count, found = counts[key], ours[f"found|{key}"]
        rows.append([category, how, f"{count:.0f}", f"{count / total:.1%}", f"{found / count:.0%}"])
    print_table(
        f"Query mix on the {label}",
        ["category", "query", "queries", "share", "matched at the default threshold"],
        rows,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 100,000-name synthetic list")
    parser.add_argument("--case", choices=sorted(CASES), help=argparse.SUPPRESS)
    parser.add_argument("--list", choices=("sdn", "synthetic"), help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=1_000_000, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(CASES[args.case](args.list, args.size)))
        return
    size = 100_000 if args.quick else 1_000_000
    started = time.perf_counter()
    for which in ("sdn", "synthetic"):
        measure(which, size)
    print(f"\nWall time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
