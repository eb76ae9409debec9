"""The EU's financial-sanctions programmes: the name and legal basis of each programme code.

The EU Financial Sanctions Files tag every listing with a short programme code (`RUS`, `UKR`,
`PRK`, `TERR`, ...) and say nothing more about it. The table `config/seed/eu_programmes.csv`
(provenance in `config/seed/README.md`) gives each code its registry code (`EU-` + the code, so
it never collides with OFAC's or the UN's), its name and the Council acts it rests on. The EU
importer attaches the rows its entities use; a code missing from the table still imports, with
an unknown legal basis.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from watchlist.config import CONFIG_DIR
from watchlist.errors import ListFormatError
from watchlist.sources.parsed import ParsedProgram

AUTHORITY = "European Union"
TABLE = CONFIG_DIR / "seed" / "eu_programmes.csv"
COLUMNS = ("programme", "code", "name", "legal_basis", "url", "note")
CODE_PREFIX = "EU-"
DESCRIPTION = "EU financial-sanctions programme {programme} of the EU Financial Sanctions Files."
# The programs table's column widths (watchlist.models.registry.Program).
_WIDTHS = {"code": 64, "name": 500, "legal_basis": 500}


def program_code(programme: str) -> str:
    """The registry code of an EU programme code as the export writes it ("RUS" -> "EU-RUS")."""
    return CODE_PREFIX + programme


def read_programmes(path: Path = TABLE) -> dict[str, ParsedProgram]:
    """Every row of the table, by the programme code the export writes, checked."""
    programmes: dict[str, ParsedProgram] = {}
    for line, row in _rows(path):
        where = f"EU programme table {path} line {line}"
        programme, program = _program(row, where)
        if programme in programmes:
            raise ListFormatError(f"{where} repeats programme {programme!r}.")
        programmes[programme] = program
    return programmes


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The data rows with their line numbers, after checking the header; blank lines skipped."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a spreadsheet may add a BOM
    except OSError as exc:
        raise ListFormatError(
            f"EU programme table {path} cannot be read: {exc.strerror}."
        ) from None
    except UnicodeDecodeError:
        raise ListFormatError(f"EU programme table {path} is not UTF-8 text.") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None or tuple(header) != COLUMNS:
            raise ListFormatError(
                f"EU programme table {path} must start with the header {','.join(COLUMNS)}."
            )
        for row in reader:
            if row:
                yield reader.line_num, row
    except csv.Error as exc:
        raise ListFormatError(
            f"EU programme table {path} line {reader.line_num} is not valid CSV: {exc}."
        ) from None


def _program(row: list[str], where: str) -> tuple[str, ParsedProgram]:
    """One row as (programme code, program); an empty legal basis stays unknown (None)."""
    if len(row) != len(COLUMNS):
        raise ListFormatError(f"{where} has {len(row)} fields; expected {len(COLUMNS)}.")
    values = dict(zip(COLUMNS, (value.strip() for value in row), strict=True))
    programme = values["programme"]
    if not programme or values["code"] != program_code(programme):
        raise ListFormatError(f"{where} must give code {program_code(programme)!r}.")
    if not values["name"]:
        raise ListFormatError(f"{where} has an empty name.")
    for column, width in _WIDTHS.items():
        if len(values[column]) > width:
            raise ListFormatError(f"{where} has a {column} longer than {width} characters.")
    description = DESCRIPTION.format(programme=programme)
    note = values["note"]
    return programme, ParsedProgram(
        code=values["code"],
        name=values["name"],
        authority=AUTHORITY,
        legal_basis=values["legal_basis"] or None,
        description=f"{description} {note}" if note else description,
        url=values["url"] or None,
    )
