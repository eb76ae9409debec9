"""OFAC's program tag table: the name and legal basis of every tag OFAC's lists use.

The table is `config/seed/ofac_program_tags.csv` (provenance in `config/seed/README.md`), read
here and nowhere else. Two places use it: `watchlist seed` loads every row as a program, and an
OFAC import that meets a tag the database does not hold yet creates it from its row rather
than as "legal basis unknown".
"""

from __future__ import annotations

from pathlib import Path

from watchlist.config import CONFIG_DIR
from watchlist.errors import ListFormatError
from watchlist.sources.parsed import ParsedProgram
from watchlist.sources.program_tables import check_widths, table_rows

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
    for where, values in table_rows(path, COLUMNS, "OFAC program tag table"):
        program = _program(values, where)
        if program.code in programs:
            raise ListFormatError(f"{where} repeats tag {program.code!r}.")
        programs[program.code] = program
    return tuple(programs.values())


def _program(values: dict[str, str], where: str) -> ParsedProgram:
    check_widths(values, _WIDTHS, where)
    note = values["note"]
    return ParsedProgram(
        code=values["tag"],
        name=values["name"],
        authority=AUTHORITY,
        legal_basis=values["legal_basis"],
        description=f"{DESCRIPTION} {note}" if note else DESCRIPTION,
        url=TABLE_URL,
    )
