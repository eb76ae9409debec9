"""The UN Security Council's sanctions regimes: the code, name and resolutions of each regime
the UN list's `UN_LIST_TYPE` names.

The table is `config/seed/un_regimes.csv` (provenance in `config/seed/README.md`), read here and
nowhere else. Each regime's code is "UN-" and the number of the resolution that set it up (its
committee's number), so it never collides with an OFAC tag or another authority's code.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

from watchlist.config import CONFIG_DIR
from watchlist.errors import ListFormatError
from watchlist.sources.parsed import ParsedProgram
from watchlist.sources.program_tables import check_widths, table_rows

AUTHORITY = "UN Security Council"
TABLE = CONFIG_DIR / "seed" / "un_regimes.csv"
COLUMNS = ("list_type", "code", "name", "legal_basis", "description", "url")
CODE_PREFIX = "UN-"
# The programs table's column widths (watchlist.models.registry.Program).
_WIDTHS = {"code": 64, "name": 500, "legal_basis": 500}


@dataclasses.dataclass(frozen=True)
class RegimeTable:
    """The regimes in table order, and the code of each `UN_LIST_TYPE` value."""

    programs: tuple[ParsedProgram, ...]
    codes: dict[str, str]

    def code(self, list_type: str) -> str:
        """The program code of a list type; an unknown one becomes "UN-" + the raw value."""
        return self.codes.get(list_type, CODE_PREFIX + list_type)


@functools.cache
def regime_table(path: Path = TABLE) -> RegimeTable:
    """The table, checked: one row a list type, and one description a code."""
    programs: dict[str, ParsedProgram] = {}
    codes: dict[str, str] = {}
    for where, values in table_rows(path, COLUMNS, "UN regime table"):
        list_type, program = _program(values, where)
        if list_type in codes:
            raise ListFormatError(f"{where} repeats list type {list_type!r}.")
        if programs.setdefault(program.code, program) != program:
            raise ListFormatError(f"{where} describes code {program.code!r} differently.")
        codes[list_type] = program.code
    return RegimeTable(tuple(programs.values()), codes)


def _program(values: dict[str, str], where: str) -> tuple[str, ParsedProgram]:
    """One row as (list type, program); an empty description or url stays unknown (None)."""
    check_widths(values, _WIDTHS, where)
    if not values["list_type"]:
        raise ListFormatError(f"{where} has an empty list_type.")
    if not values["code"].startswith(CODE_PREFIX):
        raise ListFormatError(f"{where} has code {values['code']!r}, which lacks the UN- prefix.")
    return values["list_type"], ParsedProgram(
        code=values["code"],
        name=values["name"],
        authority=AUTHORITY,
        legal_basis=values["legal_basis"],
        description=values["description"] or None,
        url=values["url"] or None,
    )
