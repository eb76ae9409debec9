"""OFAC's program tag table: the name and legal basis of every tag OFAC's lists use.

The table is `config/seed/ofac_program_tags.csv` (provenance in `config/seed/README.md`), read
here and nowhere else. Two places use it: `watchlist seed` loads every row as a program, and an
OFAC import that meets a tag the database does not hold yet creates it from its row rather
than as "legal basis unknown".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from watchlist.config import CONFIG_DIR
from watchlist.errors import ListFormatError
from watchlist.sources.parsed import ParsedProgram

AUTHORITY = "US OFAC"
TABLE = CONFIG_DIR / "seed" / "ofac_program_tags.csv"
TABLE_URL = (
    "https://ofac.treasury.gov/specially-designated-nationals-list-sdn-list/"
    "program-tag-definitions-for-ofac-sanctions-lists"
)
COLUMNS = ("tag", "name", "legal_basis", "note")
DESCRIPTION = "Name and legal basis from OFAC's program tag table."
# The programs table's column widths (watchlist.models.registry.Program).
_WIDTHS = {"tag": 64, "name": 500, "legal_basis": 500}


def read_program_tags(path: Path = TABLE) -> tuple[ParsedProgram, ...]:
    """Every row of the table as a program of authority US OFAC, checked."""
    programs: dict[str, ParsedProgram] = {}
    for line, row in _rows(path):
        program = _program(row, f"OFAC program tag table {path} line {line}")
        if program.code in programs:
            raise ListFormatError(
                f"OFAC program tag table {path} line {line} repeats tag {program.code!r}."
            )
        programs[program.code] = program
    return tuple(programs.values())


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The data rows with their line numbers, after checking the header; blank lines skipped."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a spreadsheet may add a BOM
    except OSError as exc:
        raise ListFormatError(
            f"OFAC program tag table {path} cannot be read: {exc.strerror}."
        ) from None
    except UnicodeDecodeError:
        raise ListFormatError(f"OFAC program tag table {path} is not UTF-8 text.") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None or tuple(header) != COLUMNS:
            raise ListFormatError(
                f"OFAC program tag table {path} must start with the header {','.join(COLUMNS)}."
            )
        for row in reader:
            if row:
                yield reader.line_num, row
    except csv.Error as exc:
        raise ListFormatError(
            f"OFAC program tag table {path} line {reader.line_num} is not valid CSV: {exc}."
        ) from None


def _program(row: list[str], where: str) -> ParsedProgram:
    if len(row) != len(COLUMNS):
        raise ListFormatError(f"{where} has {len(row)} fields; expected {len(COLUMNS)}.")
    values = dict(zip(COLUMNS, (value.strip() for value in row), strict=True))
    for column, width in _WIDTHS.items():
        if not values[column]:
            raise ListFormatError(f"{where} has an empty {column}.")
        if len(values[column]) > width:
            raise ListFormatError(f"{where} has a {column} longer than {width} characters.")
    note = values["note"]
    return ParsedProgram(
        code=values["tag"],
        name=values["name"],
        authority=AUTHORITY,
        legal_basis=values["legal_basis"],
        description=f"{DESCRIPTION} {note}" if note else DESCRIPTION,
        url=TABLE_URL,
    )
