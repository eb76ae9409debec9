"""OFAC legacy CSV: the SDN list (`sdn.csv` + companions) and the non-SDN list (`cons_*.csv`).

The files have no header, use `-0-` for null, end records with CRLF and the file with a Ctrl-Z
byte, join program tags with `] [`, and cut remarks at 1,000 characters, continuing them in the
comments file. Weak aliases exist only inside the remarks. Companion rows whose entity number is
not in the main file (orphans, from a later publication) are skipped.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path

from watchlist.errors import ListFormatError
from watchlist.models.registry import EntityKind, NameKind
from watchlist.sources import ofac_programs
from watchlist.sources.files import decode_text, read_list_bytes
from watchlist.sources.ofac_remarks import parse_remarks
from watchlist.sources.parsed import (
    ParsedAddress,
    ParsedDesignation,
    ParsedEntity,
    ParsedFact,
    ParsedIdentifier,
    ParsedList,
    ParsedName,
    SourceInfo,
)

_PUBLISHER = "US Department of the Treasury, Office of Foreign Assets Control"
SDN_SOURCE = SourceInfo(
    code="us_ofac_sdn",
    name="OFAC Specially Designated Nationals and Blocked Persons List",
    publisher=_PUBLISHER,
    authority=ofac_programs.AUTHORITY,
    url="https://www.treasury.gov/ofac/downloads/",
    format="ofac-csv",
    label="OFAC SDN",
)
CONS_SOURCE = SourceInfo(
    code="us_ofac_cons",
    name="OFAC Consolidated (non-SDN) Sanctions List",
    publisher=_PUBLISHER,
    authority=ofac_programs.AUTHORITY,
    url="https://www.treasury.gov/ofac/downloads/consolidated/",
    format="ofac-cons-csv",
    label="OFAC Consolidated",
)


@dataclasses.dataclass(frozen=True)
class FileSet:
    """File names of one OFAC CSV publication: main, addresses, aliases, remarks overflow."""

    main: str
    addresses: str
    aliases: str
    comments: str


SDN_FILES = FileSet("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")
CONS_FILES = FileSet("cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv")
_COLUMNS = {"main": 12, "addresses": 6, "aliases": 5, "comments": 2}


@dataclasses.dataclass(frozen=True)
class CsvPublication:
    """The raw bytes of one publication; companions may be missing."""

    main: bytes
    location: str
    addresses: bytes | None = None
    aliases: bytes | None = None
    comments: bytes | None = None


_KINDS = {
    "individual": EntityKind.PERSON,
    "vessel": EntityKind.VESSEL,
    "aircraft": EntityKind.AIRCRAFT,
    "": EntityKind.ORGANIZATION,  # OFAC writes -0- for entities
}
_VESSEL_FACTS = (
    (6, "vessel_type"),
    (7, "tonnage"),
    (8, "gross_registered_tonnage"),
    (9, "vessel_flag"),
    (10, "vessel_owner"),
)
_POSTAL_TOKEN = re.compile(r"^[A-Z0-9-]*\d[A-Z0-9-]*$", re.IGNORECASE)


def read_ofac_csv(path: Path, *, consolidated: bool = False) -> CsvPublication:
    """Read a directory holding the four files, or one main file with optional companions."""
    files = CONS_FILES if consolidated else SDN_FILES
    if path.is_dir():
        main = _find(path, files.main)
        if main is None:
            raise ListFormatError(f"Directory {path} holds no {files.main} (or .gz).")
        folder = path
    else:
        main, folder = path, path.parent
    return CsvPublication(
        main=read_list_bytes(main),
        location=str(main),
        addresses=_read_optional(folder, files.addresses),
        aliases=_read_optional(folder, files.aliases),
        comments=_read_optional(folder, files.comments),
    )


def _find(folder: Path, name: str) -> Path | None:
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def _read_optional(folder: Path, name: str) -> bytes | None:
    found = _find(folder, name)
    return read_list_bytes(found) if found else None


def parse_ofac_csv(publication: CsvPublication, *, source: SourceInfo = SDN_SOURCE) -> ParsedList:
    """Turn one publication into parsed entities with their aliases, addresses and facts."""
    where = publication.location
    rows = list(_rows(publication.main, where, "main"))
    if not rows:
        raise ListFormatError(f"{where} holds no records.")
    _check_complete(publication, CONS_FILES if source.code == CONS_SOURCE.code else SDN_FILES)
    keys = {row[0] for _, row in rows}
    aliases = _group(publication.aliases, f"{where} (aliases)", "aliases", keys)
    addresses = _group(publication.addresses, f"{where} (addresses)", "addresses", keys)
    comments = _group(publication.comments, f"{where} (comments)", "comments", keys)
    entities = tuple(_entity(row, line, where, aliases, addresses, comments) for line, row in rows)
    return ParsedList(source=source, entities=entities)


# OFAC ends each file with a Ctrl-Z byte: a file without it was cut short (a broken download, a
# full disk) even when it ends at a record boundary. The remarks overflow file is exempt: OFAC
# has published it without the mark (the 2021-07 set in data/ is one).
_END_MARK = b"\x1a"
_MARKED_ROLES = ("main", "addresses", "aliases")


def _check_complete(publication: CsvPublication, files: FileSet) -> None:
    """Refuse a publication any of whose marked files lacks OFAC's end-of-file mark."""
    for role in _MARKED_ROLES:
        data: bytes | None = getattr(publication, role)
        if data is not None and not data.rstrip().endswith(_END_MARK):
            name = "" if role == "main" else f": its {role} file {getattr(files, role)}"
            raise ListFormatError(
                f"{publication.location}{name} ends without OFAC's end-of-file mark (Ctrl-Z), "
                "so it is truncated or incomplete."
            )


def _rows(data: bytes, where: str, kind: str) -> Iterator[tuple[int, list[str]]]:
    """Records as lists of cleaned cells, with their line numbers; `-0-` becomes ''."""
    text = decode_text(data, location=where).replace("\x1a", "")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    expected = _COLUMNS[kind]
    try:
        for row in reader:
            if not row or row == [""]:
                continue
            if len(row) != expected:
                raise ListFormatError(
                    f"{where} line {reader.line_num} has {len(row)} fields where OFAC's "
                    f"format has {expected}: truncated, garbled or not an OFAC CSV file."
                )
            yield reader.line_num, [_cell(cell) for cell in row]
    except csv.Error as exc:
        raise ListFormatError(f"{where} line {reader.line_num} is not valid CSV: {exc}.") from None


def _cell(cell: str) -> str:
    value = cell.strip()
    return "" if value == "-0-" else value


def _group(
    data: bytes | None, where: str, kind: str, keys: set[str]
) -> Mapping[str, list[list[str]]]:
    """Companion rows by entity number, orphans left out."""
    grouped: dict[str, list[list[str]]] = defaultdict(list)
    if data is not None:
        for _, row in _rows(data, where, kind):
            if row[0] in keys:
                grouped[row[0]].append(row)
    return grouped


def _entity(
    row: list[str],
    line: int,
    where: str,
    aliases: Mapping[str, list[list[str]]],
    addresses: Mapping[str, list[list[str]]],
    comments: Mapping[str, list[list[str]]],
) -> ParsedEntity:
    key, name, sdn_type, program = row[0], row[1], row[2].lower(), row[3]
    if not key.isdigit() or not name:
        raise ListFormatError(f"{where} line {line} has no entity number or no name.")
    if sdn_type not in _KINDS:
        raise ListFormatError(f"{where} line {line} has an unknown SDN type {row[2]!r}.")
    remarks = row[11] + "".join(extra[1] for extra in comments.get(key, []))
    facts = parse_remarks(remarks or None)
    return ParsedEntity(
        source_key=key,
        kind=_KINDS[sdn_type],
        primary_name=name,
        names=tuple(_alias(alias) for alias in aliases.get(key, [])) + facts.names,
        designations=tuple(ParsedDesignation(tag) for tag in split_programs(program)),
        identifiers=_call_sign(row) + facts.identifiers,
        addresses=tuple(a for a in (_address(r) for r in addresses.get(key, [])) if a),
        birth_dates=facts.birth_dates,
        birth_places=facts.birth_places,
        nationalities=facts.nationalities,
        facts=_vessel_facts(row) + facts.facts,
        relations=facts.relations,
        title=row[4] or None,
        gender=facts.gender,
        remarks=remarks or None,
    )


def split_programs(field: str) -> tuple[str, ...]:
    """`TCO] [UKRAINE-EO13660] [CAR` -> the three tags (outer brackets are missing)."""
    tags = (tag.strip(" []") for tag in field.split("] ["))
    return tuple(dict.fromkeys(tag for tag in tags if tag))


_ALIAS_KINDS = {"aka": NameKind.AKA, "fka": NameKind.FKA, "nka": NameKind.NKA}


def _alias(row: list[str]) -> ParsedName:
    kind = _ALIAS_KINDS.get(row[2].lower().replace(".", ""), NameKind.AKA)
    return ParsedName(name=row[3], kind=kind, source_key=row[1] or None, remarks=row[4] or None)


def _address(row: list[str]) -> ParsedAddress | None:
    street, place, country, remarks = row[2], row[3], row[4], row[5]
    if not (street or place or country):
        return None
    city, postal_code = split_city_postal(place)
    return ParsedAddress(
        street=street or None,
        city=city,
        postal_code=postal_code,
        country=country or None,
        remarks=remarks or None,
        source_key=row[1] or None,
    )


def split_city_postal(place: str) -> tuple[str | None, str | None]:
    """`Bratislava 84105` -> (`Bratislava`, `84105`); trailing tokens with digits are the code."""
    tokens = place.split()
    cut = len(tokens)
    while cut > 1 and _POSTAL_TOKEN.match(tokens[cut - 1]):
        cut -= 1
    city = " ".join(tokens[:cut]) or None
    postal = " ".join(tokens[cut:]) or None
    if city and _POSTAL_TOKEN.match(city) and postal is None:
        return None, city
    return city, postal


def _call_sign(row: list[str]) -> tuple[ParsedIdentifier, ...]:
    return (ParsedIdentifier(kind="call_sign", value=row[5]),) if row[5] else ()


def _vessel_facts(row: list[str]) -> tuple[ParsedFact, ...]:
    return tuple(ParsedFact(kind, row[index]) for index, kind in _VESSEL_FACTS if row[index])
