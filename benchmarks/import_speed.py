"""Full OFAC SDN import: time and peak memory, on SQLite and PostgreSQL, against baselines.

Cases, each in its own process on a fresh database:
  import     the project's import (parse, diff, bulk write, change log)
  reimport   the same bytes again: recognised by checksum, recorded as 'no change'
  rediff     the same content parsed and compared entity by entity (what a re-serialised but
             unchanged list costs)
  parse      baseline floor: reading and parsing the files only, no database
  naive      baseline: the obvious ORM import (one object graph per entity, session.add_all)

A second table times the Consolidated list in OFAC's Enhanced XML beside the same list's legacy
CSV (import and parse only); `--enhanced-only` prints just that table. A third does for the UK
OFSI Consolidated List (the complete XLSX of 14 April 2025) what the first does for the SDN
list: import, parse only and the naive ORM import.

Run: make bench-import (or python -m benchmarks.import_speed).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from benchmarks import import_speed_eu
from benchmarks.common import (
    ROOT,
    fresh_database,
    peak_rss_mb,
    postgres_available,
    print_table,
    run_child,
)

SDN = ROOT / "data/ofac/sdn_legacy_csv"
UK_CONLIST = ROOT / "data/uk/ConList_2025-04-14.xlsx.gz"
# The lists measured: their format and file.
LISTS = {"ofac": ("ofac-csv", SDN), "uk": ("uk-conlist", UK_CONLIST)}
# The Consolidated list in OFAC's Enhanced XML, beside the same list's legacy CSV as baseline.
ENHANCED_CASES = {
    "enhanced-import": (
        "ofac-enhanced-xml",
        ROOT / "data/ofac-advanced/cons_enhanced_2026-01-08.xml.gz",
    ),
    "enhanced-parse": (
        "ofac-enhanced-xml",
        ROOT / "data/ofac-advanced/cons_enhanced_2026-01-08.xml.gz",
    ),
    "cons-csv-import": ("ofac-cons-csv", ROOT / "data/ofac/nonsdn_consolidated_legacy_csv"),
    "cons-csv-parse": ("ofac-cons-csv", ROOT / "data/ofac/nonsdn_consolidated_legacy_csv"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", help="run one case in this process (used internally)")
    parser.add_argument("--url", help="database URL for --case")
    parser.add_argument("--list", default="ofac", choices=sorted(LISTS), help="list for --case")
    parser.add_argument(
        "--enhanced-only", action="store_true", help="only the Enhanced XML vs legacy CSV table"
    )
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.url, args.list)))
        return
    kinds = ["sqlite"] + (["postgresql"] if postgres_available() else [])
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for kind in kinds if not args.enhanced_only else []:
            rows += measure(kind, Path(folder))
    if rows:
        print_table(
            "Full OFAC SDN import (14,965 entities, 2-core machine)",
            ["database", "case", "seconds", "peak MB", "vs naive ORM import"],
            rows,
        )
    with tempfile.TemporaryDirectory() as folder:
        enhanced = [row for kind in kinds for row in measure_enhanced(kind, Path(folder))]
    print_table(
        "OFAC Consolidated list, Enhanced XML vs legacy CSV (442 entities each)",
        ["database", "case", "seconds", "peak MB", "vs legacy CSV import"],
        enhanced,
    )
    uk_rows = []
    with tempfile.TemporaryDirectory() as folder:
        for kind in kinds:
            uk_rows += measure_uk(kind, Path(folder))
    print_table(
        "UK OFSI Consolidated List import (XLSX, 4,688 targets, 18,798 rows)",
        ["database", "case", "seconds", "peak MB", "vs naive ORM import"],
        uk_rows,
    )
    print_table(*import_speed_eu.table())


def measure_uk(kind: str, folder: Path) -> list[list[str]]:
    """The UK list: the project's import beside parse-only and the naive ORM import."""
    results: dict[str, dict[str, float]] = {}
    for case in ("naive", "import"):
        with fresh_database(kind, folder) as url:
            args = ["--case", case, "--url", url, "--list", "uk"]
            results[case] = run_child("benchmarks.import_speed", args)
    args = ["--case", "parse", "--url", "-", "--list", "uk"]
    results["parse"] = run_child("benchmarks.import_speed", args)
    naive = results["naive"]["seconds"]
    labels = {
        "import": "import (project)",
        "parse": "baseline: read XLSX and parse only, no database",
        "naive": "baseline: naive ORM import",
    }
    return [
        [
            kind,
            labels[case],
            f"{results[case]['seconds']:.2f}",
            f"{results[case]['peak_mb']:.0f}",
            f"{results[case]['seconds'] / naive:.2f}x",
        ]
        for case in ("import", "parse", "naive")
    ]


def measure_enhanced(kind: str, folder: Path) -> list[list[str]]:
    """Each case in its own process; the imports on a fresh database each."""
    results: dict[str, dict[str, float]] = {}
    for case in ENHANCED_CASES:
        if case.endswith("-parse"):
            results[case] = run_child("benchmarks.import_speed", ["--case", case, "--url", "-"])
            continue
        with fresh_database(kind, folder) as url:
            results[case] = run_child("benchmarks.import_speed", ["--case", case, "--url", url])
    baseline = results["cons-csv-import"]["seconds"]
    labels = {
        "enhanced-import": "Enhanced XML import",
        "enhanced-parse": "Enhanced XML parse only, no database",
        "cons-csv-import": "baseline: legacy CSV import",
        "cons-csv-parse": "baseline: legacy CSV parse only",
    }
    return [
        [
            "(none)" if case.endswith("-parse") else kind,
            labels[case],
            f"{result['seconds']:.2f}",
            f"{result['peak_mb']:.0f}",
            f"{result['seconds'] / baseline:.2f}x",
        ]
        for case, result in results.items()
    ]


def measure(kind: str, folder: Path) -> list[list[str]]:
    results: dict[str, dict[str, float]] = {}
    with fresh_database(kind, folder) as url:
        results["naive"] = run_child("benchmarks.import_speed", ["--case", "naive", "--url", url])
    with fresh_database(kind, folder) as url:
        for case in ("import", "reimport", "rediff"):
            results[case] = run_child("benchmarks.import_speed", ["--case", case, "--url", url])
    results["parse"] = run_child("benchmarks.import_speed", ["--case", "parse", "--url", "-"])
    naive = results["naive"]["seconds"]
    labels = {
        "import": "import (project)",
        "reimport": "unchanged re-import, same bytes",
        "rediff": "unchanged re-import, full compare",
        "parse": "baseline: parse only, no database",
        "naive": "baseline: naive ORM import",
    }
    return [
        [
            kind,
            labels[case],
            f"{results[case]['seconds']:.2f}",
            f"{results[case]['peak_mb']:.0f}",
            f"{results[case]['seconds'] / naive:.2f}x",
        ]
        for case in ("import", "reimport", "rediff", "parse", "naive")
    ]


def run_case(case: str, url: str, list_name: str = "ofac") -> dict[str, float]:
    from watchlist import migrate
    from watchlist.config import load_settings
    from watchlist.db import create_engine, session_factory
    from watchlist.lists import updates
    from watchlist.sources import formats

    list_format, path = ENHANCED_CASES.get(case) or LISTS[list_name]
    if case.endswith("parse"):
        started = time.perf_counter()
        formats.parse(formats.read_local(list_format, path))
        return {"seconds": time.perf_counter() - started, "peak_mb": peak_rss_mb()}
    engine = create_engine(load_settings({"WATCHLIST_DATABASE_URL": url}).database)
    migrate.upgrade(engine)
    sessions = session_factory(engine)  # reimport/rediff find the list the import case left
    started = time.perf_counter()
    list_file = formats.read_local(list_format, path)
    with sessions.begin() as session:
        if case == "naive":
            naive_import(session, formats.parse(list_file))
        elif case == "reimport" and updates.import_if_new(session, list_file):
            pass
        else:
            updates.import_parsed(session, list_file, formats.parse(list_file))
    seconds = time.perf_counter() - started
    engine.dispose()
    return {"seconds": seconds, "peak_mb": peak_rss_mb()}


def naive_import(session: object, parsed: object) -> None:
    """The straightforward ORM way: build each entity's object graph and add them all."""
    from sqlalchemy.orm import Session

    from watchlist.lists import apply
    from watchlist.models import Designation, Entity, EntityName, Identifier, NameKind
    from watchlist.sources.parsed import ParsedList

    assert isinstance(session, Session) and isinstance(parsed, ParsedList)
    source = apply.ensure_source(session, parsed.source)
    programs = apply.ensure_program_codes(
        session, {d.program for e in parsed.entities for d in e.designations}, parsed.source
    )
    for item in parsed.entities:
        entity = Entity(
            source=source, source_key=item.source_key, kind=item.kind,
            primary_name=item.primary_name, content_hash="", field_hashes={},
            remarks=item.remarks, title=item.title, gender=item.gender,
        )  # fmt: skip
        entity.names = [EntityName(name=item.primary_name, kind=NameKind.PRIMARY)] + [
            EntityName(name=n.name, kind=n.kind) for n in item.names
        ]
        entity.designations = [
            Designation(program_id=programs[d.program]) for d in item.designations
        ]
        entity.identifiers = [Identifier(kind=i.kind, value=i.value) for i in item.identifiers]
        session.add(entity)


if __name__ == "__main__":
    main()
