"""The UK sanctions regimes: the code, name and regulations of every regime the UK lists name.

The table is `config/seed/uk_regimes.csv` (provenance in `config/seed/README.md`), read here and
nowhere else. The OFSI Consolidated List names a regime briefly ("Russia"); the FCDO UK
Sanctions List names it by its regulations ("The Russia (Sanctions) (EU Exit) Regulations
2019"). Both find the same program here. A regime missing from the table still imports: it
becomes a program of unknown legal basis, never an error.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable
from pathlib import Path

from watchlist.config import CONFIG_DIR
from watchlist.errors import ListFormatError
from watchlist.sources.parsed import ParsedProgram
from watchlist.sources.program_tables import check_widths, table_rows

AUTHORITY = "UK (FCDO / OFSI)"
TABLE = CONFIG_DIR / "seed" / "uk_regimes.csv"
COLUMNS = ("regime", "code", "name", "legal_basis", "url")
UNKNOWN_NOTE = "A UK regime missing from the regime table; its legal basis is unknown."
# The programs table's column widths (watchlist.models.registry.Program).
_WIDTHS = {"regime": 500, "code": 64, "name": 500, "legal_basis": 500, "url": 500}
_THE = re.compile(r"^\s*the\s+", re.IGNORECASE)
_STATUTORY_INSTRUMENT = re.compile(r"\s*\(S\.I\. \d{4}/\d+\)$")


@dataclasses.dataclass(frozen=True)
class RegimeTable:
    """The programs of the table, found by the list's regime name or by the regulations' title."""

    by_name: dict[str, ParsedProgram]

    def program(self, regime: str) -> ParsedProgram:
        """The program of a regime as a list writes it; an unknown regime gets its own code."""
        found = self.by_name.get(_folded(regime))
        if found is not None:
            return found
        return ParsedProgram(
            code=unknown_code(regime),
            name=regime[:500],
            authority=AUTHORITY,
            description=UNKNOWN_NOTE,
        )


def unknown_code(regime: str) -> str:
    """A stable code for a regime the table lacks: "UK-" and its words in capitals, without a
    leading "The"."""
    words = re.sub(r"[^A-Z0-9]+", "-", _THE.sub("", regime).upper()).strip("-")
    return ("UK-" + (words or "UNKNOWN"))[:64]


@functools.cache
def regime_table(path: Path = TABLE) -> RegimeTable:
    """The table, keyed by both the short regime name and the regulations' title."""
    by_name: dict[str, ParsedProgram] = {}
    codes: dict[str, ParsedProgram] = {}
    for where, values in table_rows(path, COLUMNS, "UK regime table"):
        regime, program = _program(values, where)
        if _folded(regime) in by_name:
            raise ListFormatError(f"{where} repeats regime {regime!r}.")
        if program.code in codes and codes[program.code] != program:
            raise ListFormatError(f"{where} describes code {program.code!r} differently.")
        codes[program.code] = program
        by_name[_folded(regime)] = program
        if program.legal_basis:
            by_name.setdefault(_folded(regulations_title(program.legal_basis)), program)
    return RegimeTable(by_name)


def programs_of(table: RegimeTable, regimes: Iterable[str]) -> tuple[ParsedProgram, ...]:
    """The program of each regime, once per code, in code order."""
    found = {program.code: program for program in map(table.program, regimes)}
    return tuple(found[code] for code in sorted(found))


def regulations_title(legal_basis: str) -> str:
    """The regulations' title without its statutory instrument number."""
    return _STATUTORY_INSTRUMENT.sub("", legal_basis)


def _folded(text: str) -> str:
    """A regime name compared without case, spacing, curly quotes or a leading "The"."""
    text = " ".join(text.replace("\u2019", "'").split()).casefold()
    return text.removeprefix("the ")


def _program(values: dict[str, str], where: str) -> tuple[str, ParsedProgram]:
    check_widths(values, _WIDTHS, where)
    if not values["code"].startswith("UK-"):
        raise ListFormatError(f"{where} has code {values['code']!r}, which lacks the UK- prefix.")
    return values["regime"], ParsedProgram(
        code=values["code"],
        name=values["name"],
        authority=AUTHORITY,
        legal_basis=values["legal_basis"],
        url=values["url"],
    )
