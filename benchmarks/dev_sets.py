"""Screening and lookup quality on development sets nobody in this project wrote.

The sets live beside the project, in `../shared/eval-dev/` (or where `WATCHLIST_EVAL_DEV`
points); they are not copied into the repository (the news text's licence allows evaluation
only). Each figure is computed in process, the way the CLI and API compute it, and printed
beside a baseline measured in the same run:

- CoNLL-2003 dev: 216 Reuters stories screened against the OFAC SDN list; false alerts per 20
  stories and adjudicated listed-party mentions found. Baseline: an exact, case-insensitive
  scan for every listed name on word boundaries (Aho-Corasick).
- press spellings of sanctioned parties: top-1 accuracy of a lookup, overall, for spellings
  the list does not hold, and by language. Baseline: rapidfuzz WRatio's best listed name.
- nomenklatura's name pairs: precision, recall and F1 by case group, beside WRatio and
  nomenklatura's logic-v2 (when `.venv-bench` holds it).
- invented people: false matches per 10,000 against the SDN and UN lists, with and without
  the birth date. Baseline: WRatio at 90 against the same lists' person names.

Run: make bench-quality (or python -m benchmarks.dev_sets [conll] [variants] [pairs] [people]).
"""

from __future__ import annotations

import collections
import csv
import dataclasses
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, print_table
from watchlist.matching.model import Query

DEV = Path(os.environ.get("WATCHLIST_EVAL_DEV", ROOT.parent / "shared" / "eval-dev"))
SDN = ROOT / "data/ofac/sdn_legacy_csv"
UN = ROOT / "data/un/consolidated.xml.gz"
PEOPLE = 10_000  # the first rows of the invented-people file that are looked up
WRATIO_CUTOFF = 90.0


# --- loading -------------------------------------------------------------------------------


@dataclasses.dataclass
class Listed:
    """A list loaded for the benchmark: matcher input and each entity's own key."""

    records: list[Any]
    profiles: dict[int, Any]
    keys: dict[int, str]

    def matcher(self) -> Any:
        from watchlist.screening.matchers import keep_for_process, new_matcher

        return keep_for_process(new_matcher(self.records, self.profiles, settings()))


def load(list_format: str, path: Path) -> Listed:
    from watchlist.screening.records import records_from_list
    from watchlist.sources import formats

    parsed = formats.parse(formats.read_local(list_format, path))
    ids = {entity.source_key: i + 1 for i, entity in enumerate(parsed.entities)}
    records, profiles = records_from_list(parsed, id_of=lambda entity: ids[entity.source_key])
    return Listed(records, profiles, {i: key for key, i in ids.items()})


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def settings() -> Any:
    from watchlist.config import load_settings

    return load_settings({}).matching


# --- CoNLL: real news stories --------------------------------------------------------------


@dataclasses.dataclass
class Alerts:
    false: list[str]
    found: set[tuple[str, int]]
    listed: int
    stories: int

    def per_20(self) -> float:
        return len(self.false) / self.stories * 20


def conll(sdn: Listed, matcher: Any) -> tuple[Alerts, Alerts]:
    from watchlist.extract.screen import screen_text

    docs = read_jsonl(DEV / "conll/dev.jsonl")
    judged = read_jsonl(DEV / "conll/sdn_screening_adjudication_dev.jsonl")
    listed = [row for row in judged if row["adjudication"] == "listed_party"]
    ours = _alerts(docs, listed, sdn, lambda text: _hits(screen_text(text, matcher)))
    scan = exact_scanner(sdn)
    return ours, _alerts(docs, listed, sdn, scan)


def _hits(hits: Iterable[Any]) -> list[tuple[int, int, str, int]]:
    return [(h.start, h.end, h.text, h.entity_id) for h in hits]


def _alerts(
    docs: Sequence[dict[str, Any]],
    listed: Sequence[dict[str, Any]],
    sdn: Listed,
    screen: Callable[[str], list[tuple[int, int, str, int]]],
) -> Alerts:
    false: list[str] = []
    found: set[tuple[str, int]] = set()
    names = {r.entity_id: r.name for r in sdn.records if r.name_kind == "primary"}
    for doc in docs:
        rows = [row for row in listed if row["doc_id"] == doc["id"]]
        for start, end, text, entity in screen(doc["text"]):
            right = [
                row
                for row in rows
                if start < row["end"] and row["start"] < end
                and sdn.keys[entity] == str(row["listed_uid"])
            ]  # fmt: skip
            if right:
                found.update((row["doc_id"], row["start"]) for row in right)
            else:
                false.append(f"{text} -> {names.get(entity, entity)}")
    return Alerts(false, found, len(listed), len(docs))


def exact_scanner(sdn: Listed) -> Callable[[str], list[tuple[int, int, str, int]]]:
    """Every listed name found exactly (case aside) on word boundaries: the baseline."""
    import ahocorasick_rs

    owners: dict[str, int] = {}
    for record in sdn.records:
        owners.setdefault(record.name.lower().strip(), record.entity_id)
    patterns = [name for name in owners if name]
    automaton = ahocorasick_rs.AhoCorasick(
        patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
    )

    def scan(text: str) -> list[tuple[int, int, str, int]]:
        lowered = text.lower()
        return [
            (start, end, text[start:end], owners[patterns[i]])
            for i, start, end in automaton.find_matches_as_indexes(lowered)
            if _word_bounded(lowered, start, end)
        ]

    return scan


def _word_bounded(text: str, start: int, end: int) -> bool:
    return (start == 0 or not text[start - 1].isalnum()) and (
        end == len(text) or not text[end].isalnum()
    )


# --- press spellings -----------------------------------------------------------------------


@dataclasses.dataclass
class Spellings:
    right: list[bool]
    rows: list[dict[str, Any]]
    decoys_hit: list[str]
    decoys: int

    def share(self, keep: Callable[[dict[str, Any]], bool] = lambda row: True) -> str:
        chosen = self._chosen(keep)
        return f"{sum(chosen) / max(len(chosen), 1):.3f} ({sum(chosen)}/{len(chosen)})"

    def top1(self, keep: Callable[[dict[str, Any]], bool]) -> float:
        chosen = self._chosen(keep)
        return sum(chosen) / max(len(chosen), 1)

    def missed(self) -> list[str]:
        return [row["variant"] for row, ok in zip(self.rows, self.right, strict=True) if not ok]

    def _chosen(self, keep: Callable[[dict[str, Any]], bool]) -> list[bool]:
        return [ok for ok, row in zip(self.right, self.rows, strict=True) if keep(row)]


def variants(sdn: Listed, matcher: Any) -> tuple[Spellings, Spellings]:
    rows = [
        row
        for row in read_jsonl(DEV / "variants/variants.jsonl")
        if row.get("on_ofac_sdn") and row.get("ofac_sdn_uid") in set(sdn.keys.values())
    ]
    decoys = [
        row["name"]
        for row in read_jsonl(DEV / "variants/negatives.jsonl")
        if row["expected_screening_outcome"] == "no_hit"
    ]
    threshold = settings().threshold

    def ours(name: str) -> int | None:
        found = matcher.lookup(Query(name), threshold=threshold, limit=1)
        return found[0].entity_id if found else None

    best = wratio_best(sdn)
    return _spellings(rows, decoys, sdn, ours), _spellings(rows, decoys, sdn, best)


def _spellings(
    rows: list[dict[str, Any]],
    decoys: list[str],
    sdn: Listed,
    first: Callable[[str], int | None],
) -> Spellings:
    right = []
    for row in rows:
        entity = first(row["variant"])
        right.append(entity is not None and sdn.keys[entity] == row["ofac_sdn_uid"])
    hit = [name for name in decoys if first(name) is not None]
    return Spellings(right, rows, hit, len(decoys))


def wratio_best(listed: Listed, kind: str | None = None) -> Callable[[str], int | None]:
    """The entity of the listed name WRatio likes best, if it reaches the cutoff."""
    from rapidfuzz import fuzz, process, utils

    records = [r for r in listed.records if kind is None or r.entity_kind == kind]
    choices = [utils.default_process(r.name) for r in records]

    def best(name: str) -> int | None:
        found = process.extractOne(
            utils.default_process(name),
            choices,
            scorer=fuzz.WRatio,
            processor=None,
            score_cutoff=WRATIO_CUTOFF,
        )
        return records[found[2]].entity_id if found else None

    return best


# --- name pairs ----------------------------------------------------------------------------

_KINDS = {"Person": "person", "Vessel": "vessel", "Company": "organization",
          "Organization": "organization"}  # fmt: skip


def pairs() -> tuple[list[dict[str, str]], dict[str, list[bool]]]:
    """Each pair judged by every system: ours, WRatio at 90, logic-v2 at 0.7 (if present)."""
    from watchlist.matching.model import NameRecord

    rows = _pair_rows()
    kinds = [_KINDS.get(row["schema"], "organization") for row in rows]
    records = [
        NameRecord(i, row["name2"], kind)
        for i, (row, kind) in enumerate(zip(rows, kinds, strict=True))
    ]
    matcher = Listed(records, {}, {}).matcher()
    threshold = settings().threshold
    ours = []
    for i, row in enumerate(rows):
        kind = _KINDS.get(row["schema"])
        found = matcher.lookup(Query(row["name1"], kind=kind), limit=50, threshold=threshold)
        ours.append(any(m.entity_id == i for m in found))
    from benchmarks.baselines import wratio_score

    judged = {
        "watchlist": ours,
        "rapidfuzz WRatio": [wratio_score(r["name1"], r["name2"]) >= 0.9 for r in rows],
    }
    logic = logic_v2_scores(rows)
    if logic is not None:
        judged["nomenklatura logic-v2"] = [score >= 0.7 for score in logic]
    return rows, judged


def _pair_rows() -> list[dict[str, str]]:
    with (DEV / "pairs/name_pairs.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def logic_v2_scores(rows: Sequence[dict[str, str]]) -> list[float] | None:
    """logic-v2 scores of the development pairs (None without the bench virtualenv)."""
    from benchmarks import matching_quality

    pairs = [
        matching_quality.Pair(
            r["name1"], r["name2"], _KINDS.get(r["schema"], "organization"), False, ""
        )
        for r in rows
    ]
    return matching_quality.logic_v2_scores(pairs)


def pair_quality(rows: Sequence[dict[str, str]], said: Sequence[bool]) -> tuple[float, ...]:
    want = [row["is_match"].lower() == "true" for row in rows]
    tp = sum(s and w for s, w in zip(said, want, strict=True))
    fp = sum(s and not w for s, w in zip(said, want, strict=True))
    fn = sum(w and not s for s, w in zip(said, want, strict=True))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


# --- invented people -----------------------------------------------------------------------


def people(lists: dict[str, tuple[Listed, Any]]) -> dict[str, dict[str, list[str]]]:
    """False matches per list: ours without and with the birth date, and WRatio's."""
    with (DEV / "people/invented_people_us.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:PEOPLE]
    threshold = settings().threshold
    found: dict[str, dict[str, list[str]]] = {}
    for label, (listed, matcher) in lists.items():
        plain, dated = [], []
        for row in rows:
            name = row["full_name"]
            hit = matcher.lookup(Query(name, kind="person"), threshold=threshold, limit=1)
            if hit:
                plain.append(f"{name} -> {hit[0].matched_name}")
                born = row["date_of_birth"] or None
                asked = Query(name, kind="person", birth_date=born)
                if matcher.lookup(asked, threshold=threshold):
                    dated.append(f"{name} -> {hit[0].matched_name}")
        best = wratio_best(listed, "person")
        fuzzy = [row["full_name"] for row in rows[: PEOPLE // 10] if best(row["full_name"])]
        found[label] = {"plain": plain, "dated": dated, "wratio": fuzzy}
    return found


# --- the report ----------------------------------------------------------------------------


def report_conll(ours: Alerts, exact: Alerts) -> None:
    rows = []
    for label, alerts in (("watchlist", ours), ("baseline: exact listed names", exact)):
        rows.append([label, f"{len(alerts.false)}", f"{alerts.per_20():.2f}",
                     f"{len(alerts.found)}/{alerts.listed}"])  # fmt: skip
    print_table(
        f"CoNLL-2003 dev: {ours.stories} Reuters stories screened against the SDN list",
        ["system", "false alerts", "per 20 stories", "listed-party mentions found"],
        rows,
    )
    common = collections.Counter(ours.false).most_common(20)
    print("The 20 most frequent false alerts: "
          + "; ".join(f"{text} ({n})" for text, n in common))  # fmt: skip


def _hard(row: dict[str, Any]) -> bool:
    return not row["variant_equals_an_ofac_name"]


def report_variants(ours: Spellings, fuzzy: Spellings) -> None:
    rows = [["all spellings", ours.share(), fuzzy.share()],
            ["spellings not on the list", ours.share(_hard), fuzzy.share(_hard)]]  # fmt: skip
    for lang in sorted({row["lang"] for row in ours.rows}):
        rows.append([f"  language {lang}", *(s.share(_language(lang)) for s in (ours, fuzzy))])
    rows.append(["look-alikes that must not hit", f"{len(ours.decoys_hit)}/{ours.decoys} hit",
                 f"{len(fuzzy.decoys_hit)}/{fuzzy.decoys} hit"])  # fmt: skip
    print_table(
        f"Press spellings of sanctioned parties: top-1 against the SDN list ({len(ours.rows)})",
        ["spellings", "watchlist", f"baseline: WRatio >= {WRATIO_CUTOFF:.0f}"],
        rows,
    )


def _language(lang: str) -> Callable[[dict[str, Any]], bool]:
    return lambda row: bool(row["lang"] == lang)


def report_pairs(rows: Sequence[dict[str, str]], judged: dict[str, list[bool]]) -> None:
    systems = list(judged)
    table = []
    for group in [None, *sorted({row["case_group"] for row in rows})]:
        chosen = [i for i, row in enumerate(rows) if group is None or row["case_group"] == group]
        cells = [group or "all", str(len(chosen))]
        for system in systems:
            said = [judged[system][i] for i in chosen]
            p, r, f = pair_quality([rows[i] for i in chosen], said)
            cells.append(f"{p:.2f} / {r:.2f} / {f:.3f}")
        table.append(cells)
    print_table(
        "Name pairs (nomenklatura's name benchmark): precision / recall / F1",
        ["case group", "pairs", *systems],
        table,
    )


def report_people(found: dict[str, dict[str, list[str]]]) -> None:
    rows = []
    for label, kinds in found.items():
        rows.append([label, f"{_per_10k(kinds['plain'], PEOPLE):.1f}",
                     f"{_per_10k(kinds['dated'], PEOPLE):.1f}",
                     f"{_per_10k(kinds['wratio'], PEOPLE // 10):.1f}"])  # fmt: skip
    print_table(
        f"Invented people ({PEOPLE:,}): false matches per 10,000",
        ["list", "watchlist", "watchlist, birth date given",
         f"baseline: WRatio >= {WRATIO_CUTOFF:.0f} (first {PEOPLE // 10:,} people)"],
        rows,
    )  # fmt: skip
    for label, kinds in found.items():
        if kinds["plain"]:
            print(f"{label} false matches: " + "; ".join(kinds["plain"][:20]))


def _per_10k(found: Sequence[str], people: int) -> float:
    return len(found) / people * 10_000


@dataclasses.dataclass
class Summary:
    """The headline figure of each set, beside its baseline and target."""

    rows: list[list[str]] = dataclasses.field(default_factory=list)

    def add(
        self, figure: str, ours: float, base: tuple[float, str], target: str, met: bool
    ) -> None:
        """A figure where more is better, or fewer (a rate `per` something)."""
        value, label = base
        if "per" in figure:
            ratio = f"{value / ours:,.0f}x fewer" if ours else "none, baseline has some"
        else:
            ratio = f"{ours / value:.2f}x" if value else "-"
        self.rows.append([figure, _fmt(ours), f"{_fmt(value)} ({label})", ratio, target,
                          "met" if met else "missed"])  # fmt: skip

    def print(self) -> None:
        print_table(
            "Quality on data written elsewhere (development sets), beside baselines",
            ["figure", "watchlist", "baseline", "watchlist vs baseline", "target", ""],
            self.rows,
        )


def _fmt(value: float) -> str:
    return f"{value:.3f}" if value < 1 else f"{value:.2f}"


def main(argv: Sequence[str] | None = None) -> None:
    wanted = list(argv if argv is not None else sys.argv[1:]) or [
        "conll", "variants", "pairs", "people"]  # fmt: skip
    if not DEV.is_dir():
        print(f"The development sets are not here ({DEV}): nothing to score.")
        return
    print(f"Development sets: {DEV}")
    dump = os.environ.get("WATCHLIST_EVAL_DUMP")
    sdn = load("ofac-csv", SDN)
    sdn_matcher = sdn.matcher()
    summary = Summary()
    out: dict[str, Any] = {}
    reports: list[Callable[[], None]] = []
    if "conll" in wanted:
        ours, exact = conll(sdn, sdn_matcher)
        summary.add("CoNLL dev: false alerts per 20 stories", ours.per_20(),
                    (exact.per_20(), "exact names"), "<= 1", ours.per_20() <= 1)  # fmt: skip
        found = len(ours.found) / max(ours.listed, 1)
        summary.add("CoNLL dev: share of listed-party mentions found", found,
                    (len(exact.found) / max(exact.listed, 1), "exact names"), "all",
                    len(ours.found) == ours.listed)  # fmt: skip
        reports.append(lambda: report_conll(ours, exact))
        out["conll"] = {"false": ours.false}
    if "variants" in wanted:
        spelled, fuzzy = variants(sdn, sdn_matcher)
        for label, keep in (("all", _all), ("not on the list", _hard)):
            mine, base = spelled.top1(keep), fuzzy.top1(keep)
            summary.add(f"press spellings: top-1, {label}", mine, (base, "WRatio"), ">= 0.95",
                        mine >= 0.95)  # fmt: skip
        reports.append(lambda: report_variants(spelled, fuzzy))
        out["variants"] = spelled.missed()
    if "pairs" in wanted:
        rows, judged = pairs()
        f1 = pair_quality(rows, judged["watchlist"])[2]
        best = max((pair_quality(rows, said)[2], name) for name, said in judged.items()
                   if name != "watchlist")  # fmt: skip
        summary.add("name pairs: F1", f1, best, ">= 0.93, above the best baseline",
                    f1 >= 0.93 and f1 > best[0])  # fmt: skip
        reports.append(lambda: report_pairs(rows, judged))
        out["pairs"] = _pair_errors(rows, judged["watchlist"])
    if "people" in wanted:
        un = load("un-xml", UN)
        people_found = people({"OFAC SDN": (sdn, sdn_matcher), "UN": (un, un.matcher())})
        for label, kinds in people_found.items():
            mine = _per_10k(kinds["plain"], PEOPLE)
            base = _per_10k(kinds["wratio"], PEOPLE // 10)
            summary.add(f"invented people: false matches per 10,000, {label}", mine,
                        (base, "WRatio"), "<= 1", mine <= 1)  # fmt: skip
        reports.append(lambda: report_people(people_found))
        out["people"] = {label: kinds["plain"] for label, kinds in people_found.items()}
    summary.print()
    for report in reports:
        report()
    if dump:
        Path(dump).write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")


def _all(row: dict[str, Any]) -> bool:
    return True


def _pair_errors(rows: Sequence[dict[str, str]], said: Sequence[bool]) -> list[str]:
    return [
        f"{'FP' if guess else 'FN'} {row['case_group']}: {row['name1']} ~ {row['name2']}"
        for row, guess in zip(rows, said, strict=True)
        if guess != (row["is_match"].lower() == "true")
    ]


if __name__ == "__main__":
    main()
