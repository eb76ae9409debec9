"""The EU's financial-sanctions programmes: the name and legal basis of each programme code.

The EU Financial Sanctions Files tag every listing with a short programme code (`RUS`, `UKR`,
`PRK`, `TERR`, ...) and say nothing more about it. The table `config/seed/eu_programmes.csv`
(provenance in `config/seed/README.md`) gives each code its registry code (`EU-` + the code, so
it never collides with OFAC's or the UN's), its name and the Council acts it rests on. The EU
importer attaches the rows its entities use; a code missing from the table still imports, with
an unknown legal basis.
"""

from __future__ import annotations

from pathlib import Path

from watchlist.config import CONFIG_DIR
from watchlist.errors import ListFormatError
from watchlist.sources.parsed import ParsedProgram
from watchlist.sources.program_tables import check_widths, table_rows

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
    for where, values in table_rows(path, COLUMNS, "EU programme table"):
        programme, program = _program(values, where)
        if programme in programmes:
            raise ListFormatError(f"{where} repeats programme {programme!r}.")
        programmes[programme] = program
    return programmes


def _program(values: dict[str, str], where: str) -> tuple[str, ParsedProgram]:
    """One row as (programme code, program); an empty legal basis stays unknown (None)."""
    programme = values["programme"]
    if not programme or values["code"] != program_code(programme):
        raise ListFormatError(f"{where} must give code {program_code(programme)!r}.")
    if not values["name"]:
        raise ListFormatError(f"{where} has an empty name.")
    check_widths(values, _WIDTHS, where, required=False)
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
