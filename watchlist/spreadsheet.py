"""CSV for spreadsheets: rows written as lines, a header first, with every cell a spreadsheet
would run as a formula neutralised (OWASP's advice on CSV injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A cell as written: text starting like a formula gets a leading apostrophe, None is empty."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def csv_lines(
    header: Sequence[str], batches: Iterable[Iterable[Sequence[object]]]
) -> Iterator[str]:
    """The header line, then one string per batch of rows (so a long export streams in pieces
    that are neither one row nor the whole file)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield _drain(buffer)
    for rows in batches:
        writer.writerows([safe_cell(value) for value in row] for row in rows)
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
