"""EU FSF import speed on a synthetic full-size export, beside parse-only as the baseline.

The shipped EU file is a 4-entity excerpt (data/eu/eu_sample.xml); the real export holds about
6,000 entities in 25 MB. To measure at full size, the excerpt's four real entities are repeated
with fresh logicalIds into an export of 10,000 entities (`build_export`): real shapes, synthetic
volume. Cases, each in its own process:
  parse    baseline: reading and parsing the export only, no database
  import   the project's import (parse, diff, bulk write, change log) into a fresh database

Run: python -m benchmarks.import_speed_eu (also run by make bench-import).
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from pathlib import Path

from benchmarks.common import (
    ROOT,
    fresh_database,
    peak_rss_mb,
    postgres_available,
    print_table,
    run_child,
)

EXCERPT = ROOT / "data/eu/eu_sample.xml"
ENTITIES = 10_000
_ENTITY = re.compile(rb'  <sanctionEntity [^>]*logicalId="(\d+)">.*?</sanctionEntity>\n', re.DOTALL)
_SYNTHETIC_KEY = b"999999"  # the excerpt's invented, nameless entity: never repeated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", help="run one case in this process (used internally)")
    parser.add_argument("--url", help="database URL for --case")
    parser.add_argument("--file", help="the synthetic export for --case")
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.url, Path(args.file))))
        return
    print_table(*table())


def table() -> tuple[str, list[str], list[list[str]]]:
    """The EU table: title, headers and rows, measured now."""
    kinds = ["sqlite"] + (["postgresql"] if postgres_available() else [])
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "eu_full_synthetic.xml"
        export.write_bytes(build_export(EXCERPT.read_bytes(), ENTITIES))
        parse = _child("parse", "-", export)
        for kind in kinds:
            with fresh_database(kind, Path(folder)) as url:
                imported = _child("import", url, export)
            rows.append(_row(kind, "import (project)", imported, parse))
        rows.append(_row("-", "baseline: parse only, no database", parse, parse))
    title = (
        f"EU FSF import, synthetic full-size export ({ENTITIES:,} entities: the 4 real "
        "excerpt entities repeated with fresh logicalIds; 2-core machine)"
    )
    return title, ["database", "case", "seconds", "peak MB", "vs parse only"], rows


def build_export(excerpt: bytes, count: int) -> bytes:
    """An export of `count` entities: the excerpt's real ones in turn, each with a new key."""
    real = [m for m in _ENTITY.finditer(excerpt) if m[1] != _SYNTHETIC_KEY]
    head = excerpt[: real[0].start()]
    tail = excerpt[excerpt.rindex(b"</export>") :]
    parts = [head]
    for number in range(count):
        match = real[number % len(real)]
        key = b'logicalId="' + match[1] + b'">'
        parts.append(match[0].replace(key, f'logicalId="{10_000_000 + number}">'.encode(), 1))
    parts.append(tail)
    return b"".join(parts)


def _child(case: str, url: str, export: Path) -> dict[str, float]:
    return run_child(
        "benchmarks.import_speed_eu", ["--case", case, "--url", url, "--file", str(export)]
    )


def _row(kind: str, label: str, result: dict[str, float], parse: dict[str, float]) -> list[str]:
    return [
        kind,
        label,
        f"{result['seconds']:.2f}",
        f"{result['peak_mb']:.0f}",
        f"{result['seconds'] / parse['seconds']:.1f}x",
    ]


def run_case(case: str, url: str, export: Path) -> dict[str, float]:
    from watchlist import migrate
    from watchlist.config import load_settings
    from watchlist.db import create_engine, session_factory
    from watchlist.lists import updates
    from watchlist.sources import formats

    if case == "parse":
        started = time.perf_counter()
        formats.parse(formats.read_local("eu-fsf-xml", export))
        return {"seconds": time.perf_counter() - started, "peak_mb": peak_rss_mb()}
    engine = create_engine(load_settings({"WATCHLIST_DATABASE_URL": url}).database)
    migrate.upgrade(engine)
    started = time.perf_counter()
    list_file = formats.read_local("eu-fsf-xml", export)
    with session_factory(engine).begin() as session:
        updates.import_parsed(session, list_file, formats.parse(list_file))
    seconds = time.perf_counter() - started
    engine.dispose()
    return {"seconds": seconds, "peak_mb": peak_rss_mb()}


if __name__ == "__main__":
    main()
