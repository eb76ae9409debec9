"""Reading the hand-written program tables of `config/seed/` (OFAC's program tags, the UK's
regimes, the EU's programmes): CSV with a fixed header, one program a row. Each table's own
module says what its columns mean; this one checks the file's shape, naming the line."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from pathlib import Path

from watchlist.errors import ListFormatError


def table_rows(
    path: Path, columns: tuple[str, ...], table: str
) -> Iterator[tuple[str, dict[str, str]]]:
    """Each data row as (where, {column: stripped value}), after checking the header and each
    row's field count; blank lines are skipped. `table` names the table in errors ("UK regime
    table"), and `where` names the row ("UK regime table PATH line 4")."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a spreadsheet may add a BOM
    except OSError as exc:
        raise ListFormatError(f"{table} {path} cannot be read: {exc.strerror}.") from None
    except UnicodeDecodeError:
        raise ListFormatError(f"{table} {path} is not UTF-8 text.") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None or tuple(header) != columns:
            raise ListFormatError(f"{table} {path} must start with the header {','.join(columns)}.")
        for row in reader:
            if row:
                where = f"{table} {path} line {reader.line_num}"
                yield where, _values(row, columns, where)
    except csv.Error as exc:
        raise ListFormatError(
            f"{table} {path} line {reader.line_num} is not valid CSV: {exc}."
        ) from None


def check_widths(
    values: Mapping[str, str], widths: Mapping[str, int], where: str, *, required: bool = True
) -> None:
    """Refuse a value too long for its database column (and, when `required`, an empty one)."""
    for column, width in widths.items():
        if required and not values[column]:
            raise ListFormatError(f"{where} has an empty {column}.")
        if len(values[column]) > width:
            raise ListFormatError(f"{where} has a {column} longer than {width} characters.")


def _values(row: list[str], columns: tuple[str, ...], where: str) -> dict[str, str]:
    if len(row) != len(columns):
        raise ListFormatError(f"{where} has {len(row)} fields; expected {len(columns)}.")
    return dict(zip(columns, (value.strip() for value in row), strict=True))
