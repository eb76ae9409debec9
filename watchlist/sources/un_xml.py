"""The UN Security Council Consolidated List (XML), parsed into plain values; no SQL.

The list is published at https://scsanctions.un.org/resources/xml/en/consolidated.xml: a root
CONSOLIDATED_LIST with INDIVIDUALS/INDIVIDUAL and ENTITIES/ENTITY records and no namespace.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar
from xml.etree.ElementTree import Element

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
from watchlist.sources.un_regimes import regime_table
from watchlist.sources.values import iso_date_or_none, unique
from watchlist.sources.xml_input import check_unique_keys, parse_document, utc_timestamp

UN_SOURCE = SourceInfo(
    code="un_sc_consolidated",
    name="UN Security Council Consolidated List",
    publisher="United Nations Security Council",
    authority="UN Security Council",
    url="https://scsanctions.un.org/resources/xml/en/consolidated.xml",
    format="un-xml",
    label="UN",
)

ROOT_TAG = "CONSOLIDATED_LIST"

T = TypeVar("T")


_ALIAS_KINDS: dict[str, NameKind] = {
    "good": NameKind.AKA,
    "a.k.a.": NameKind.AKA,
    "low": NameKind.WEAK_AKA,
    "f.k.a.": NameKind.FKA,
    "n.k.a.": NameKind.NKA,
}

# Document types the list gives in French or Spanish, or cut short.
_DOCUMENT_KINDS: dict[str, str] = {
    "numero de passeport": "passport",
    "numero de pasaporte": "passport",
    "national identification": "national_identification_number",
}

# First word of a character's Unicode name -> ISO 15924 script code.
_SCRIPTS: dict[str, str] = {
    "ARABIC": "Arab",
    "ARMENIAN": "Armn",
    "BENGALI": "Beng",
    "CJK": "Hani",
    "CYRILLIC": "Cyrl",
    "DEVANAGARI": "Deva",
    "ETHIOPIC": "Ethi",
    "GEORGIAN": "Geor",
    "GREEK": "Grek",
    "HANGUL": "Hang",
    "HEBREW": "Hebr",
    "HIRAGANA": "Hira",
    "KATAKANA": "Kana",
    "LATIN": "Latn",
    "THAI": "Thai",
}

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_YEAR = re.compile(r"(?i)(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{4}")


def read_un_xml(path: Path) -> ParsedList:
    """Read and parse a UN consolidated list file, plain or gzip-compressed."""
    return parse_un_xml(read_list_bytes(path), location=str(path))


def parse_un_xml(data: bytes, *, location: str) -> ParsedList:
    """Parse the bytes of a UN consolidated list; `location` names the file in errors."""
    root = _parse_root(data, location)
    entities = [
        *_records(root.findall("INDIVIDUALS/INDIVIDUAL"), EntityKind.PERSON, location),
        *_records(root.findall("ENTITIES/ENTITY"), EntityKind.ORGANIZATION, location),
    ]
    check_unique_keys(entities, location, "record")
    return ParsedList(
        source=UN_SOURCE,
        entities=tuple(entities),
        programs=regime_table().programs,
        published_at=utc_timestamp(root.get("dateGenerated"), location, "dateGenerated"),
    )


def _parse_root(data: bytes, location: str) -> Element:
    """The root element, refusing DTDs, entities, external references and other roots."""
    root = parse_document(data, location, list_name="a UN list")
    if root.tag != ROOT_TAG:
        raise ListFormatError(
            f"{location} is not a UN consolidated list (root element <{root.tag}>)."
        )
    return root


def _records(records: list[Element], kind: EntityKind, location: str) -> Iterator[ParsedEntity]:
    """The entities of one section of the list."""
    for index, record in enumerate(records, start=1):
        yield _entity(record, kind, f"{location} {record.tag} record {index}")


def _entity(record: Element, kind: EntityKind, where: str) -> ParsedEntity:
    """One INDIVIDUAL or ENTITY record."""
    prefix = "INDIVIDUAL" if kind is EntityKind.PERSON else "ENTITY"
    key = _child(record, "REFERENCE_NUMBER") or _child(record, "DATAID")
    if key is None:
        raise ListFormatError(f"{where} has neither a REFERENCE_NUMBER nor a DATAID.")
    name = _primary_name(record)
    if name is None:
        raise ListFormatError(f"{where} ({key}) has no name.")
    listed_on = iso_date_or_none(_child(record, "LISTED_ON"))
    return ParsedEntity(
        source_key=key,
        kind=kind,
        primary_name=name,
        names=unique(n for n in _names(record, prefix) if n.name != name),
        designations=_designations(record, listed_on),
        identifiers=unique(_gather(_document, record.findall(f"{prefix}_DOCUMENT"))),
        addresses=unique(_gather(_address, record.findall(f"{prefix}_ADDRESS"))),
        birth_dates=unique(_gather(_birth_date, record.findall(f"{prefix}_DATE_OF_BIRTH"))),
        birth_places=unique(_gather(_birth_place, record.findall(f"{prefix}_PLACE_OF_BIRTH"))),
        nationalities=unique(ParsedNationality(v) for v in _values(record, "NATIONALITY")),
        facts=unique(_facts(record)),
        gender=_child(record, "GENDER"),
        listing_date=listed_on,
        remarks=_child(record, "COMMENTS1"),
    )


def _primary_name(record: Element) -> str | None:
    """FIRST_NAME to FOURTH_NAME joined in document order."""
    tags = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
    parts = [_child(record, tag) for tag in tags]
    return " ".join(part for part in parts if part) or None


def _names(record: Element, prefix: str) -> Iterator[ParsedName]:
    """The name in original script, then the aliases."""
    original = _child(record, "NAME_ORIGINAL_SCRIPT")
    if original:
        yield ParsedName(original, NameKind.AKA, script=detect_script(original))
    for alias in record.findall(f"{prefix}_ALIAS"):
        name = _alias(alias)
        if name is not None:
            yield name


def _alias(alias: Element) -> ParsedName | None:
    """An INDIVIDUAL_ALIAS or ENTITY_ALIAS, or None when its name is empty."""
    name = _child(alias, "ALIAS_NAME")
    if name is None:
        return None
    quality = (_child(alias, "QUALITY") or "").lower()
    script = detect_script(name)
    return ParsedName(
        name,
        _ALIAS_KINDS.get(quality, NameKind.AKA),
        script=script if script != "Latn" else None,
        remarks=_join("; ", _alias_birth(alias), _child(alias, "NOTE")),
    )


def _alias_birth(alias: Element) -> str | None:
    """The date and place of birth given with an alias, as "born 05 Feb 1969 in Tripoli"."""
    text = _child(alias, "DATE_OF_BIRTH")
    day = iso_date_or_none(text)
    place = _join(", ", _child(alias, "CITY_OF_BIRTH"), _child(alias, "COUNTRY_OF_BIRTH"))
    when = _prefixed(" ", _render(day) if day else text)
    where = _prefixed(" in ", place)
    return f"born{when or ''}{where or ''}" if when or where else None


def _designations(record: Element, listed_on: dt.date | None) -> tuple[ParsedDesignation, ...]:
    """The program the record's UN_LIST_TYPE names, designated on LISTED_ON."""
    list_type = _child(record, "UN_LIST_TYPE")
    if list_type is None:
        return ()
    program = regime_table().code(list_type)
    return (ParsedDesignation(program, listed_on),)


def _document(document: Element) -> ParsedIdentifier | None:
    """An INDIVIDUAL_DOCUMENT; a document without a number keeps its note as the value."""
    number = _child(document, "NUMBER")
    note = _child(document, "NOTE")
    value = number or note
    if value is None:
        return None
    kind = document_kind(_child(document, "TYPE_OF_DOCUMENT"))
    detail = _child(document, "TYPE_OF_DOCUMENT2")
    issued_text = _child(document, "DATE_OF_ISSUE")
    issued_on = iso_date_or_none(issued_text)
    remarks = _join(
        "; ",
        detail if detail and document_kind(detail) != kind else None,
        _prefixed("issued in ", _child(document, "CITY_OF_ISSUE")),
        _prefixed("issued on ", issued_text if issued_on is None else None),
        note if number else None,
    )
    return ParsedIdentifier(
        kind=kind,
        value=value,
        country=_child(document, "ISSUING_COUNTRY") or _child(document, "COUNTRY_OF_ISSUE"),
        issued_on=issued_on,
        remarks=remarks,
    )


def document_kind(text: str | None) -> str:
    """A snake_case identifier kind for a TYPE_OF_DOCUMENT ("Passport" -> "passport")."""
    if not text:
        return "other"
    folded = _ascii(text).lower().strip(" :")
    if folded in _DOCUMENT_KINDS:
        return _DOCUMENT_KINDS[folded]
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_") or "other"


def _address(address: Element) -> ParsedAddress | None:
    """An INDIVIDUAL_ADDRESS or ENTITY_ADDRESS, or None when it is empty."""
    parsed = ParsedAddress(
        street=_child(address, "STREET"),
        city=_child(address, "CITY"),
        region=_child(address, "STATE_PROVINCE"),
        postal_code=_child(address, "ZIP_CODE"),
        country=_child(address, "COUNTRY"),
        remarks=_child(address, "NOTE"),
    )
    return None if parsed == ParsedAddress() else parsed


def _birth_date(birth: Element) -> ParsedBirthDate | None:
    """An INDIVIDUAL_DATE_OF_BIRTH, EXACT, APPROXIMATELY or BETWEEN two years."""
    note = _child(birth, "NOTE")
    circa = _child(birth, "TYPE_OF_DATE") == "APPROXIMATELY"
    if note and note.lower() == "approximately":
        circa, note = True, None
    parsed = _birth_parts(birth)
    if parsed is None:
        return _note_date(note, circa) if note else None
    text = f"{parsed.text} {_parenthesised(note)}" if note else parsed.text
    return ParsedBirthDate(text, parsed.year, parsed.month, parsed.day, parsed.year_to, circa=circa)


def _birth_parts(birth: Element) -> ParsedBirthDate | None:
    """The date, the year or the range of years a date of birth gives, with a rendering."""
    day = iso_date_or_none(_child(birth, "DATE"))
    if day is not None:
        return ParsedBirthDate(_render(day), day.year, day.month, day.day)
    year = _year(_child(birth, "YEAR"))
    if year is not None:
        return ParsedBirthDate(str(year), year)
    start, end = _year(_child(birth, "FROM_YEAR")), _year(_child(birth, "TO_YEAR"))
    if start is not None and end is not None and end != start:
        return ParsedBirthDate(f"{start} to {end}", start, year_to=end)
    single = start if start is not None else end
    return None if single is None else ParsedBirthDate(str(single), single)


def _note_date(note: str, circa: bool) -> ParsedBirthDate:
    """A date of birth given only as a note ("Nov. 1973"), with its year and month if clear."""
    years = [int(y) for y in re.findall(r"\b(1[89]\d\d|20\d\d)\b", note)]
    year = years[0] if len(years) == 1 else None
    match = _MONTH_YEAR.fullmatch(note)
    month = _MONTHS.index(match[1].title()) + 1 if match else None
    return ParsedBirthDate(note, year, month, circa=circa)


def _birth_place(place: Element) -> ParsedBirthPlace | None:
    """An INDIVIDUAL_PLACE_OF_BIRTH, its parts joined from the narrowest to the country."""
    country = _child(place, "COUNTRY")
    parts = [_child(place, tag) for tag in ("STREET", "CITY", "STATE_PROVINCE")] + [country]
    text = ", ".join(unique(part for part in parts if part))
    note = _child(place, "NOTE")
    text = f"{text} {_parenthesised(note)}" if text and note else text or (note or "")
    return ParsedBirthPlace(text, country) if text else None


def _facts(record: Element) -> Iterator[ParsedFact]:
    """Titles (Mullah, Haji, ...) and positions (the list's DESIGNATION) as facts."""
    for value in _values(record, "TITLE"):
        yield ParsedFact("title", value)
    for value in _values(record, "DESIGNATION"):
        yield ParsedFact("position", value)


def detect_script(text: str) -> str | None:
    """The ISO 15924 code of the script most letters of `text` are written in."""
    counts = Counter(_letter_script(char) for char in text if char.isalpha())
    counts.pop(None, None)
    return counts.most_common(1)[0][0] if counts else None


def _letter_script(char: str) -> str | None:
    """The ISO 15924 code of one letter's script, when known."""
    name = unicodedata.name(char, "")
    return _SCRIPTS.get(name.split(" ", 1)[0])


def _child(element: Element, tag: str) -> str | None:
    """The cleaned text of a child element, or None when it is missing or empty."""
    return _clean(element.findtext(tag))


def _values(record: Element, tag: str) -> list[str]:
    """The cleaned, non-empty TAG/VALUE texts of a record."""
    texts = (_clean(value.text) for value in record.findall(f"{tag}/VALUE"))
    return [text for text in texts if text]


def _clean(text: str | None) -> str | None:
    """Text with runs of whitespace (the list's line wraps) collapsed; None when empty."""
    if text is None:
        return None
    return " ".join(text.split()) or None


def _render(day: dt.date) -> str:
    """A date as the lists write it: "04 Jun 1954"."""
    return f"{day.day:02d} {_MONTHS[day.month - 1]} {day.year}"


def _year(text: str | None) -> int | None:
    """A four-digit year, or None."""
    return int(text) if text and re.fullmatch(r"\d{4}", text) else None


def _ascii(text: str) -> str:
    """Text with its accents dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _join(separator: str, *parts: str | None) -> str | None:
    """The non-empty parts joined, or None when there are none."""
    return separator.join(part for part in parts if part) or None


def _parenthesised(text: str) -> str:
    """Text in parentheses, unless it already is."""
    return text if text.startswith("(") and text.endswith(")") else f"({text})"


def _prefixed(prefix: str, text: str | None) -> str | None:
    """`prefix + text`, or None when there is no text."""
    return prefix + text if text else None


def _gather(build: Callable[[Element], T | None], elements: Iterable[Element]) -> Iterator[T]:
    """What `build` makes of each element, skipping those it makes nothing of."""
    for element in elements:
        item = build(element)
        if item is not None:
            yield item
