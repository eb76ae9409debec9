"""The OFSI Consolidated List (HM Treasury), CSV and XLSX editions, parsed into plain values.

OFSI published the list at https://ofsistorage.blob.core.windows.net/publishlive/2022format/
as `ConList.csv` and `ConList.xlsx`: the same 36 columns, one row per name variant, rows grouped
by `Group ID` (the entity). A first row `Last Updated, dd/mm/yyyy` dates the list. The edition is
told by content: an XLSX is a ZIP and starts with `PK`. The XLSX is read with openpyxl in
read-only mode, row by row. The older (2020) CSV layout, with `Passport Details` and `NI Number`
as free text, a blank first header cell and "Prime Alias" rows, is read too.

OFSI closed the Consolidated List in early 2026; the FCDO UK Sanctions List (`uk_fcdo.py`)
replaces it. This reader stays for archived files and the transition.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from watchlist.errors import ListFormatError
from watchlist.models.registry import EntityKind, NameKind
from watchlist.sources.files import read_list_bytes
from watchlist.sources.parsed import (
    ParsedAddress,
    ParsedBirthDate,
    ParsedBirthPlace,
    ParsedDesignation,
    ParsedEntity,
    ParsedFact,
    ParsedIdentifier,
    ParsedList,
    ParsedName,
    ParsedNationality,
    SourceInfo,
)
from watchlist.sources.uk_regimes import AUTHORITY, RegimeTable, programs_of, regime_table
from watchlist.sources.un_xml import detect_script
from watchlist.sources.values import unique

UK_CONLIST_SOURCE = SourceInfo(
    code="uk_ofsi_conlist",
    name="OFSI Consolidated List of Financial Sanctions Targets in the UK",
    publisher="HM Treasury, Office of Financial Sanctions Implementation (OFSI)",
    authority=AUTHORITY,
    url="https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv",
    format="uk-conlist",
    label="UK",
)

T = TypeVar("T")

# Columns a file must have; the others are read when present.
REQUIRED = ("Name 6", "Group Type", "Alias Type", "Regime", "Listed On", "Group ID")
# The 2020 layout's names for two columns of the 2022 layout.
_RENAMED = {"NI Number": "National Identification Number"}
HEADER_SEARCH_ROWS = 5

GROUP_KINDS = {
    "individual": EntityKind.PERSON,
    "entity": EntityKind.ORGANIZATION,
    "ship": EntityKind.VESSEL,
}
_PRIMARY_TYPES = {"primary name", "prime alias"}
_ALIAS_KINDS = {
    "primary name variation": NameKind.AKA,
    "aka": NameKind.AKA,
    "alias": NameKind.AKA,
    "fka": NameKind.FKA,
}
# The stronger kind wins when a name is listed twice.
_KIND_RANK = (NameKind.PRIMARY, NameKind.AKA, NameKind.FKA, NameKind.NKA, NameKind.WEAK_AKA)

# Language as the lists write it -> ISO 639-3 (names.lang is at most 8 characters).
LANGUAGES = {
    "arabic": "ara",
    "belarusian": "bel",
    "bulgarian": "bul",
    "chinese": "zho",
    "georgian": "kat",
    "hebrew": "heb",
    "kazakh": "kaz",
    "korean": "kor",
    "persian": "fas",
    "persian/farsi": "fas",
    "farsi": "fas",
    "russian": "rus",
    "turkish": "tur",
    "ukrainian": "ukr",
}

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# dd/mm/yyyy with 00 (or dd, mm in the FCDO list) for an unknown part; mm/yyyy; yyyy.
_BIRTH_DATE = re.compile(
    r"(?:(?P<day>\d{1,2}|dd)/)?(?:(?P<month>\d{1,2}|mm)/)?(?P<year>\d{4})", re.IGNORECASE
)
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_NUMBERED_START = re.compile(r"\(?1\)")
_NUMBERED = re.compile(r"(?:^|\s)\(?\d{1,2}\)\s*")
# Other Information is labelled text: "(UK Sanctions List Ref):RUS1965. ... (Gender):Male".
# Labels whose values become identifiers, facts or the gender; the rest stays in the remarks.
LABELLED_IDENTIFIERS = {
    "UK Sanctions List Ref": "uk_sanctions_list_ref",
    "UN Ref": "un_reference_number",
    "Business Reg No": "registration_number",
    "IMO number": "imo",
}
LABELLED_FACTS = {
    "Phone number": "phone",
    "Email address": "email",
    "Website": "website",
    "Type of entity": "entity_type",
    "Parent company": "parent_company",
    "Subsidiaries": "subsidiary",
    "Flag of ship": "vessel_flag",
    "Previous flags": "vessel_previous_flag",
    "Type of ship": "vessel_type",
    "Tonnage of ship": "vessel_tonnage",
    "Length of ship": "vessel_length",
    "Year built": "vessel_year_built",
    "Current owners": "vessel_owner",
}
_REFERENCE_LABELS = frozenset({"UK Sanctions List Ref", "UN Ref"})
_LABELS = (*LABELLED_IDENTIFIERS, *LABELLED_FACTS, "Gender", "UK Statement of Reasons")
_LABEL = re.compile(r"\((" + "|".join(map(re.escape, _LABELS)) + r")\):")
# A document number in a free-text cell of the 2020 layout ("Passport No: 592667 (...)").
_DOCUMENT_NUMBER = re.compile(r"\b(?=[A-Z0-9-]*\d)[A-Z]{0,3}\d[A-Z0-9-]{4,}\b")

Row = dict[str, str]


@dataclasses.dataclass(frozen=True)
class Sheet:
    """The list's rows as header name -> cleaned text, with their row numbers and its date."""

    rows: tuple[tuple[int, Row], ...]
    published_at: dt.datetime | None
    columns: frozenset[str]


def read_uk_conlist(path: Path) -> ParsedList:
    """Read and parse a ConList.csv or ConList.xlsx file, plain or gzip-compressed."""
    return parse_uk_conlist(read_list_bytes(path), location=str(path))


def parse_uk_conlist(data: bytes, *, location: str) -> ParsedList:
    """Parse the bytes of either edition; `location` names the file in errors."""
    cells = xlsx_rows(data, location) if data[:2] == b"PK" else csv_rows(data, location)
    sheet = read_sheet(cells, location)
    table = regime_table()
    groups = _groups(sheet, location)
    entities = tuple(_entity(key, rows, sheet, table, location) for key, rows in groups.items())
    regimes = {row["Regime"] for rows in groups.values() for _, row in rows if "Regime" in row}
    return ParsedList(
        source=UK_CONLIST_SOURCE,
        entities=entities,
        programs=programs_of(table, regimes),
        published_at=sheet.published_at,
    )


# ---------------------------------------------------------------------------------------------
# Reading the cells of either edition


def xlsx_rows(data: bytes, location: str) -> list[list[str | None]]:
    """Every row of the workbook's list sheet as text cells, read with openpyxl (read-only)."""
    import openpyxl  # imported here: only the XLSX edition needs it
    from openpyxl.utils.exceptions import InvalidFileException

    _check_package(data, location)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            names = workbook.sheetnames
            if not names:
                raise ListFormatError(f"{location} is an XLSX workbook without a worksheet.")
            sheet = workbook["Data"] if "Data" in names else workbook[names[0]]
            return [
                [_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)
            ]
        finally:
            workbook.close()
    except ListFormatError:
        raise
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        TypeError,
        IndexError,
        OSError,
        EOFError,
        zlib.error,
        SyntaxError,  # XML parse errors of ElementTree and lxml
    ) as exc:
        reason = str(exc).strip().rstrip(".") or type(exc).__name__
        raise ListFormatError(f"{location} is a damaged XLSX workbook: {reason}.") from None


def _check_package(data: bytes, location: str) -> None:
    """Refuse a ZIP that is not whole, or whose XML parts declare a DTD (entity expansion)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            for info in package.infolist():
                if info.filename.endswith((".xml", ".rels")):
                    with package.open(info) as part:
                        head = part.read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise ListFormatError(
                            f"{location} part {info.filename} declares a DTD, which an OFSI "
                            "list never does; refused."
                        )
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise ListFormatError(
            f"{location} starts like an XLSX workbook but is not a complete ZIP archive ({exc})."
        ) from None


def _cell_text(value: object) -> str | None:
    """A cell as the CSV edition writes it (dates dd/mm/yyyy, whole numbers without .0)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def csv_rows(data: bytes, location: str) -> list[list[str | None]]:
    """The CSV edition's rows: UTF-8 (with or without a BOM), else Windows-1252 as in 2020."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        return [list(row) for row in reader]
    except csv.Error as exc:
        raise ListFormatError(
            f"{location} line {reader.line_num} is not valid CSV: {exc}."
        ) from None


def read_sheet(cells: Sequence[Sequence[str | None]], location: str) -> Sheet:
    """Find the header row, check it, and turn the rows after it into named, cleaned cells."""
    header_at = _header_index(cells, location)
    header = [clean(cell) or "" for cell in cells[header_at]]
    published_at = _published_at(cells[:header_at], location)
    data = cells[header_at + 1 :]
    # The 2020 CSV has a blank first header cell its data rows lack.
    if header and not header[0] and data and all(len(row) == len(header) - 1 for row in data):
        header = header[1:]
    names = [_RENAMED.get(name, name) for name in header]
    rows: list[tuple[int, Row]] = []
    for offset, row in enumerate(data, start=header_at + 2):
        if any(clean(cell) for cell in row[len(names) :]):
            raise ListFormatError(
                f"{location} row {offset} has {len(row)} cells; the header has {len(names)}."
            )
        pairs = zip(names, row, strict=False)  # a short row leaves its last cells empty
        values = {name: text for name, cell in pairs if name and (text := clean(cell))}
        if values:
            rows.append((offset, values))
    return Sheet(tuple(rows), published_at, frozenset(name for name in names if name))


def _header_index(cells: Sequence[Sequence[str | None]], location: str) -> int:
    """The index of the header row (after the "Last Updated" row), checking its columns."""
    for index, row in enumerate(cells[:HEADER_SEARCH_ROWS]):
        names = {clean(cell) for cell in row}
        if "Group ID" in names and "Name 6" in names:
            missing = [name for name in REQUIRED if name not in names]
            if missing:
                raise ListFormatError(
                    f"{location} row {index + 1} is a header without the column {missing[0]!r}."
                )
            return index
    if not cells:
        raise ListFormatError(f"{location} is empty.")
    raise ListFormatError(
        f"{location} is not an OFSI Consolidated List: none of its first {HEADER_SEARCH_ROWS} "
        "rows is a header with Name 6 and Group ID."
    )


def _published_at(before: Sequence[Sequence[str | None]], location: str) -> dt.datetime | None:
    """The date of the "Last Updated, dd/mm/yyyy" row above the header, as UTC midnight."""
    for row in before:
        texts = [clean(cell) for cell in row]
        if texts and texts[0] == "Last Updated" and len(texts) > 1 and texts[1]:
            day = list_date(texts[1], f"{location} Last Updated row")
            return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return None


# ---------------------------------------------------------------------------------------------
# Building entities from a group's rows


def _groups(sheet: Sheet, location: str) -> dict[str, list[tuple[int, Row]]]:
    """The rows of each Group ID, in the order the groups first appear."""
    groups: dict[str, list[tuple[int, Row]]] = {}
    for number, row in sheet.rows:
        key = row.get("Group ID")
        if key is None:
            raise ListFormatError(f"{location} row {number} has no Group ID.")
        groups.setdefault(key, []).append((number, row))
    return groups


def _entity(
    key: str, rows: list[tuple[int, Row]], sheet: Sheet, table: RegimeTable, location: str
) -> ParsedEntity:
    """One target: every row of its group, merged."""
    where = f"{location} group {key} (row {rows[0][0]})"
    kind = _kind(rows, where)
    primary, names = _names(rows, where)
    designations = _designations(rows, table, location)
    listed = [d.designated_on for d in designations if d.designated_on is not None]
    other = unique(row["Other Information"] for _, row in rows if "Other Information" in row)
    return ParsedEntity(
        source_key=key,
        kind=kind,
        primary_name=primary,
        names=names,
        designations=designations,
        identifiers=unique(_identifiers(rows, sheet, other)),
        addresses=unique(_address(row) for _, row in rows if _has_address(row)),
        birth_dates=unique(_birth_dates(rows, location)),
        birth_places=unique(_birth_places(rows)),
        nationalities=unique(
            ParsedNationality(item) for _, row in rows for item in numbered(row.get("Nationality"))
        ),
        facts=unique(_facts(rows, location)),
        title=_title(rows),
        gender=_first(
            value.capitalize()
            for text in other
            for label, value in labelled(text)
            if label == "Gender"
        ),
        listing_date=min(listed, default=None),
        remarks="\n".join(other) or None,
    )


def _kind(rows: list[tuple[int, Row]], where: str) -> EntityKind:
    types = unique(row.get("Group Type", "") for _, row in rows)
    if len(types) > 1:
        raise ListFormatError(f"{where} is listed as {' and as '.join(map(repr, types))}.")
    kind = GROUP_KINDS.get(types[0].lower())
    if kind is None:
        raise ListFormatError(f"{where} has an unknown Group Type {types[0]!r}.")
    return kind


def person_name(row: Row | dict[str, str | None]) -> str | None:
    """ "SURNAME, Other Names" from Name 6 and Name 1..5 (OFAC's style), or Name 6 alone."""
    last = row.get("Name 6")
    others = " ".join(part for n in range(1, 6) if (part := row.get(f"Name {n}")))
    if last and others:
        return f"{last}, {others}"
    return last or others or None


def _names(rows: list[tuple[int, Row]], where: str) -> tuple[str, tuple[ParsedName, ...]]:
    """The primary name (the first "Primary name" row) and every other name with its kind."""
    kinds: dict[str, NameKind] = {}
    scripts: list[ParsedName] = []
    for _, row in rows:
        name = person_name(row)
        if name is not None:
            kind = _name_kind(row)
            old = kinds.get(name)
            if old is None or _KIND_RANK.index(kind) < _KIND_RANK.index(old):
                kinds[name] = kind
        scripts.extend(_non_latin(row))
    primary = _first(name for name, kind in kinds.items() if kind is NameKind.PRIMARY)
    primary = primary or _first(kinds)
    if primary is None:
        raise ListFormatError(f"{where} has no name.")
    names = [
        ParsedName(name, NameKind.AKA if kind is NameKind.PRIMARY else kind)
        for name, kind in kinds.items()
        if name != primary
    ]
    return primary, unique([*names, *(n for n in scripts if n.name not in kinds)])


def _name_kind(row: Row) -> NameKind:
    alias_type = row.get("Alias Type", "").lower()
    if alias_type in _PRIMARY_TYPES:
        return NameKind.PRIMARY
    if row.get("Alias Quality", "").lower().startswith("low"):
        return NameKind.WEAK_AKA
    return _ALIAS_KINDS.get(alias_type, NameKind.AKA)


def _non_latin(row: Row) -> Iterator[ParsedName]:
    """The row's name in a non-Latin script, with its ISO 15924 script and language."""
    text = row.get("Name Non-Latin Script")
    if text:
        language = row.get("Non-Latin Script Language", "").lower()
        yield ParsedName(
            text, NameKind.AKA, script=detect_script(text), lang=LANGUAGES.get(language)
        )


def _designations(
    rows: list[tuple[int, Row]], table: RegimeTable, location: str
) -> tuple[ParsedDesignation, ...]:
    """One designation per regime, dated by its earliest Listed On."""
    dates: dict[str, dt.date | None] = {}
    for number, row in rows:
        regime = row.get("Regime")
        if regime is None:
            continue
        code = table.program(regime).code
        text = row.get("Listed On")
        day = list_date(text, f"{location} row {number} Listed On") if text else None
        old = dates.get(code)
        dates[code] = day if old is None or (day is not None and day < old) else old
    return tuple(ParsedDesignation(code, day) for code, day in dates.items())


def _identifiers(
    rows: list[tuple[int, Row]], sheet: Sheet, other: Sequence[str]
) -> Iterator[ParsedIdentifier]:
    """Passports, national IDs and the UK Sanctions List reference."""
    legacy = "Passport Number" not in sheet.columns
    for _, row in rows:
        if legacy:
            yield from _legacy_documents("passport", row.get("Passport Details"))
            yield from _legacy_documents("national_id", row.get("National Identification Number"))
        else:
            yield from documents(
                "passport", row.get("Passport Number"), row.get("Passport Details")
            )
            yield from documents(
                "national_id",
                row.get("National Identification Number"),
                row.get("National Identification Details"),
            )
    for text in other:
        for label, value in labelled(text):
            kind = LABELLED_IDENTIFIERS.get(label)
            if kind is None:
                continue
            if label in _REFERENCE_LABELS:  # "RUS1965. Financial sanctions ...": the first word
                yield ParsedIdentifier(kind, value.split()[0].rstrip(".,;"))
            else:
                yield from (ParsedIdentifier(kind, item[:300]) for item in numbered(value))


def labelled(text: str) -> Iterator[tuple[str, str]]:
    """The (label, value) pairs of labelled text, each value up to the next label; a value
    that is a single word loses the full stop the list ends it with ("RUS1965.")."""
    found = list(_LABEL.finditer(text))
    ends = [match.start() for match in found[1:]] + [len(text)] if found else []
    for match, end in zip(found, ends, strict=True):
        value = text[match.end() : end].strip()
        if " " not in value:
            value = value.rstrip(".")
        if value:
            yield match[1], value


def documents(kind: str, numbers: str | None, details: str | None) -> Iterator[ParsedIdentifier]:
    """Identifiers from a number cell that may hold "(1) BD3843329 (2) BD5609822", each with
    its details when the details cell numbers them alike (else the whole details text)."""
    values = numbered(numbers)
    notes = numbered(details)
    for index, value in enumerate(values):
        if len(notes) == len(values):
            note: str | None = notes[index]
        else:
            note = details
        yield ParsedIdentifier(kind, value[:300], remarks=note)


def _legacy_documents(kind: str, text: str | None) -> Iterator[ParsedIdentifier]:
    """The 2020 layout's free text ("Passport No: 592667 (...)"): its first number, with the
    text as remarks; an item without a number becomes an identifier of its whole text."""
    for item in numbered(text):
        match = _DOCUMENT_NUMBER.search(item)
        value = match[0] if match else item
        yield ParsedIdentifier(kind, value[:300], remarks=item if item != value else None)


def _has_address(row: Row) -> bool:
    return any(
        column in row
        for column in (*(f"Address {n}" for n in range(1, 7)), "Post/Zip Code", "Country")
    )


def _address(row: Row) -> ParsedAddress:
    """Address 1..5 as the street lines, Address 6 (the town in practice), code and country."""
    street = ", ".join(part for n in range(1, 6) if (part := row.get(f"Address {n}")))
    return ParsedAddress(
        street=street or None,
        city=row.get("Address 6"),
        postal_code=row.get("Post/Zip Code"),
        country=row.get("Country"),
    )


def _birth_dates(rows: list[tuple[int, Row]], location: str) -> Iterator[ParsedBirthDate]:
    for number, row in rows:
        text = row.get("DOB")
        if text:
            yield birth_date(text, f"{location} row {number} DOB")


def birth_date(text: str, where: str) -> ParsedBirthDate:
    """dd/mm/yyyy, mm/yyyy or yyyy, with 00 (or dd, mm) for an unknown day or month."""
    match = _BIRTH_DATE.fullmatch(text.strip())
    if match is None:
        raise ListFormatError(f"{where} {text!r} is not a date of birth (dd/mm/yyyy).")
    year = int(match["year"])
    day = _part(match["day"])
    month = _part(match["month"])
    if match["day"] and not match["month"]:  # "05/1966": the one part is the month
        day, month = None, day
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        raise ListFormatError(f"{where} {text!r} is not a valid date.") from None
    if year == 0 or (day is not None and month is None):
        raise ListFormatError(f"{where} {text!r} is not a valid date.")
    rendered = " ".join(
        part
        for part in (
            f"{day:02d}" if day else None,
            _MONTHS[month - 1] if month else None,
            str(year),
        )
        if part
    )
    return ParsedBirthDate(rendered, year, month, day)


def _part(text: str | None) -> int | None:
    """A day or month part; 0, dd or mm mean unknown."""
    if text is None or not text.isdigit():
        return None
    return int(text) or None


def _birth_places(rows: list[tuple[int, Row]]) -> Iterator[ParsedBirthPlace]:
    """Town of Birth with Country of Birth; numbered towns pair with numbered countries."""
    for _, row in rows:
        towns = numbered(row.get("Town of Birth"))
        countries = numbered(row.get("Country of Birth"))
        if not towns:
            yield from (ParsedBirthPlace(country, country) for country in countries)
            continue
        for index, town in enumerate(towns):
            if len(countries) == len(towns):
                born_in: str | None = countries[index]
            else:
                born_in = countries[0] if len(countries) == 1 else None
            yield ParsedBirthPlace(f"{town}, {born_in}" if born_in else town, born_in)


def _facts(rows: list[tuple[int, Row]], location: str) -> Iterator[ParsedFact]:
    """Honorific titles, positions, the UK Sanctions List designation date and the labelled
    contacts, entity and ship details of Other Information."""
    for text in unique(row["Other Information"] for _, row in rows if "Other Information" in row):
        for label, value in labelled(text):
            kind = LABELLED_FACTS.get(label)
            if kind is not None:
                yield from (ParsedFact(kind, item) for item in numbered(value))
    for number, row in rows:
        for title in numbered(row.get("Title")):
            yield ParsedFact("title", title)
        for position in numbered(row.get("Position")):
            yield ParsedFact("position", position)
        designated = row.get("UK Sanctions List Date Designated")
        if designated:
            where = f"{location} row {number} UK Sanctions List Date Designated"
            day = list_date(designated, where)
            yield ParsedFact("uk_sanctions_list_designated_on", day.isoformat())


def _title(rows: list[tuple[int, Row]]) -> str | None:
    """The positions held, joined (OFAC's title field says the same: "President of ...")."""
    positions = unique(item for _, row in rows for item in numbered(row.get("Position")))
    return "; ".join(positions)[:500] or None


# ---------------------------------------------------------------------------------------------
# Small text helpers, shared with the FCDO reader


def list_date(text: str, where: str) -> dt.date:
    """A dd/mm/yyyy date, or a ListFormatError naming the field."""
    match = _DATE.fullmatch(text.strip())
    if match is None:
        raise ListFormatError(f"{where} {text!r} is not a dd/mm/yyyy date.")
    try:
        return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        raise ListFormatError(f"{where} {text!r} is not a valid date.") from None


def numbered(text: str | None) -> list[str]:
    """The items of "(1) first (2) second" (or "1) a 2) b"); any other text is one item."""
    if not text:
        return []
    if not _NUMBERED_START.match(text):
        return [text]
    return [item for part in _NUMBERED.split(text) if (item := part.strip(" ;,"))]


def clean(value: str | None) -> str | None:
    """Text with runs of whitespace collapsed; None when empty."""
    if value is None:
        return None
    return " ".join(str(value).split()) or None


def _first(items: Iterable[T]) -> T | None:
    return next(iter(items), None)
