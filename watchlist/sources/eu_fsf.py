"""The EU Financial Sanctions Files (FSF) consolidated list (XML 1.1), parsed into plain values.

The European Commission publishes the list of persons, groups and entities subject to EU
financial sanctions at the URL of `EU_SOURCE`: a root `export` in the namespace
`http://eu.europa.ec/fpi/fsd/export` holding one `sanctionEntity` per listing. Everything is in
attributes; child elements (`nameAlias`, `birthdate`, `citizenship`, `identification`,
`address`, `regulation`, `remark`) repeat. Tags are matched whatever their namespace prefix.

Deliberately not read: `regulationSummary` (the act that introduced each single detail; the
entity's `regulation` elements carry the programmes) and the `regulationLanguage`,
`classificationCode` and `calendarType` attributes (always `en`, a letter duplicating
`subjectType/@code`, and the Gregorian calendar).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar
from xml.etree.ElementTree import Element

from watchlist.errors import ListFormatError
from watchlist.models.registry import EntityKind, NameKind, NationalityKind
from watchlist.sources import eu_programmes
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
    ParsedProgram,
    SourceInfo,
)
from watchlist.sources.un_xml import detect_script, document_kind
from watchlist.sources.values import iso_date, unique
from watchlist.sources.xml_input import check_unique_keys, parse_document, utc_timestamp

OFFICIAL_URL = (
    "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content"
    "?token=dG9rZW4tMjAxNw"
)
EU_SOURCE = SourceInfo(
    code="eu_fsf",
    name="EU Financial Sanctions Files (consolidated list)",
    publisher="European Commission",
    authority=eu_programmes.AUTHORITY,
    url=OFFICIAL_URL,
    format="eu-fsf-xml",
    label="EU",
)

NAMESPACE = "http://eu.europa.ec/fpi/fsd/export"
ROOT_TAG = "export"

# What the parser deliberately leaves out ("*" is any element); a test checks that changing any
# other attribute of the real excerpt changes the parsed list.
IGNORED_ELEMENTS = frozenset({"regulationSummary"})
IGNORED_ATTRIBUTES = frozenset(
    {
        "*/@regulationLanguage",  # always "en"
        "export/@globalFileId",  # the publisher's file number
        "subjectType/@classificationCode",  # P or E, duplicating @code
        "birthdate/@calendarType",  # GREGORIAN
        "regulation/@organisationType",  # council or commission
        "regulation/@logicalId",  # internal row ids of the details, not stable keys
        "citizenship/@logicalId",
        "birthdate/@logicalId",
        "address/@logicalId",
        "identification/@logicalId",
        "citizenship/@countryDescription",  # the ISO code is kept instead
        "address/@countryDescription",
        "identification/@countryDescription",
    }
)

_KINDS = {"person": EntityKind.PERSON, "enterprise": EntityKind.ORGANIZATION}
_GENDERS = {"M": "Male", "F": "Female"}
# identificationTypeCode -> the identifier kind every importer uses (passports and national
# IDs must match OFAC's and the other lists' kinds for cross-list linking).
_DOCUMENT_KINDS = {
    "passport": "passport",
    "id": "national_id",
    "fiscalcode": "tax_id",
    "regnumber": "registration_number",
    "swiftbic": "swift_bic",
    "imo": "imo",
}
# Identification flags, rendered into the identifier's remarks when true.
_DOCUMENT_FLAGS = {
    "diplomatic": "diplomatic",
    "knownExpired": "known expired",
    "knownFalse": "known false",
    "reportedLost": "reported lost",
    "revokedByIssuer": "revoked by issuer",
}
_CONTACT_KINDS = {"PHONE": "phone", "FAX": "fax", "EMAIL": "email", "WEB": "website"}
_UNKNOWN_COUNTRY = "00"
_PLACEHOLDERS = {"", "-"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
T = TypeVar("T")


def read_eu_fsf(path: Path) -> ParsedList:
    """Read and parse an EU FSF export file, plain or gzip-compressed."""
    return parse_eu_fsf(read_list_bytes(path), location=str(path))


def parse_eu_fsf(data: bytes, *, location: str) -> ParsedList:
    """Parse the bytes of an EU FSF export; `location` names the file in errors."""
    root = _parse_root(data, location)
    entities = [_entity(record, location) for record in root.findall("{*}sanctionEntity")]
    if not entities:
        raise ListFormatError(f"{location} holds no sanctionEntity; an EU export never is empty.")
    check_unique_keys(entities, location, "sanctionEntity logicalId")
    return ParsedList(
        source=EU_SOURCE,
        entities=tuple(entities),
        programs=_programs_used(entities),
        published_at=utc_timestamp(root.get("generationDate"), location, "generationDate"),
    )


def _parse_root(data: bytes, location: str) -> Element:
    """The root element, refusing DTDs, entities, external references and other roots."""
    root = parse_document(data, location, list_name="an EU sanctions export")
    if root.tag not in (ROOT_TAG, f"{{{NAMESPACE}}}{ROOT_TAG}"):
        raise ListFormatError(
            f"{location} is not an EU Financial Sanctions Files export (root element "
            f"<{_local(root.tag)}> in namespace {_namespace(root.tag) or 'none'})."
        )
    return root


def _programs_used(entities: Iterable[ParsedEntity]) -> tuple[ParsedProgram, ...]:
    """The table's programs the entities are designated under; unknown codes are left to the
    import, which creates them with an unknown legal basis."""
    used = {d.program for entity in entities for d in entity.designations}
    table = {p.code: p for p in eu_programmes.read_programmes().values()}
    return tuple(table[code] for code in sorted(used) if code in table)


def _entity(record: Element, location: str) -> ParsedEntity:
    """One sanctionEntity."""
    key = _attr(record, "logicalId")
    if key is None:
        raise ListFormatError(f"{location} has a sanctionEntity without a logicalId.")
    where = f"{location} sanctionEntity {key}"
    children = _children(record)
    aliases = children.get("nameAlias", [])
    primary = _primary_alias(aliases)
    if primary is None:
        raise ListFormatError(f"{where} has no name.")
    primary_name = _whole_name(primary) or ""
    listed_on = _date_attribute(record, "designationDate", where)
    regulations = children.get("regulation", [])
    births = children.get("birthdate", [])
    addresses = children.get("address", [])
    return ParsedEntity(
        source_key=key,
        kind=_kind(children.get("subjectType", []), where),
        primary_name=primary_name,
        names=unique(n for n in _names(aliases, primary) if n.name != primary_name),
        designations=_designations(regulations, listed_on, where),
        identifiers=unique(
            _gather(_document(d, where) for d in children.get("identification", []))
        ),
        addresses=unique(_gather(_address(a) for a in addresses)),
        birth_dates=unique(_gather(_birth_date(b, where) for b in births)),
        birth_places=unique(_gather(_birth_place(b) for b in births)),
        nationalities=unique(_gather(_citizenship(c) for c in children.get("citizenship", []))),
        facts=unique(_facts(record, aliases, addresses, regulations, where)),
        gender=_gender(aliases),
        listing_date=listed_on or _first_listing(regulations, where),
        remarks=_join("\n", _attr(record, "designationDetails"), _joined_remarks(record)),
    )


def _children(element: Element) -> dict[str, list[Element]]:
    """An element's children by local tag name (whatever their namespace), in order."""
    grouped: dict[str, list[Element]] = {}
    for child in element:
        grouped.setdefault(_local(child.tag), []).append(child)
    return grouped


def _kind(subjects: list[Element], where: str) -> EntityKind:
    """Person or organization, from subjectType/@code."""
    code = _attr(subjects[0], "code") if subjects else None
    if code not in _KINDS:
        raise ListFormatError(f"{where} has an unknown subjectType {code!r}.")
    return _KINDS[code]


def _primary_alias(aliases: list[Element]) -> Element | None:
    """The alias the export marks primary, else the first strong one, else the first named."""
    named = [alias for alias in aliases if _whole_name(alias)]
    marked = [alias for alias in named if _attr(alias, "primary") == "true"]
    strong = [alias for alias in named if _attr(alias, "strong") != "false"]
    return next(iter(marked or strong or named), None)


def _whole_name(alias: Element) -> str | None:
    """wholeName, or the first, middle and last names joined when it is empty."""
    whole = _attr(alias, "wholeName")
    if whole:
        return whole
    parts = (_attr(alias, tag) for tag in ("firstName", "middleName", "lastName"))
    return " ".join(part for part in parts if part) or None


def _names(aliases: list[Element], primary: Element) -> Iterator[ParsedName]:
    """Every alias but the primary one; weak (strong="false") aliases match only exactly."""
    for alias in aliases:
        name = _whole_name(alias)
        if alias is primary or name is None:
            continue
        script = None if name.isascii() else detect_script(name)
        language = _attr(alias, "nameLanguage")
        yield ParsedName(
            name,
            NameKind.WEAK_AKA if _attr(alias, "strong") == "false" else NameKind.AKA,
            script=script if script != "Latn" else None,  # accented Latin is still Latin
            lang=language.lower() if language else None,
            source_key=_attr(alias, "logicalId"),
            remarks=_joined_remarks(alias),
        )


def _gender(aliases: list[Element]) -> str | None:
    """The first gender an alias gives, as Male or Female."""
    genders = (_GENDERS.get(_attr(alias, "gender") or "") for alias in aliases)
    return next((gender for gender in genders if gender), None)


def _designations(
    regulations: list[Element], listed_on: dt.date | None, where: str
) -> tuple[ParsedDesignation, ...]:
    """One designation per programme, dated by the entity's designationDate or, failing it,
    by the earliest listing act (regulationType "regulation") of that programme."""
    dates: dict[str, dt.date | None] = {}
    for regulation in regulations:
        programme = _attr(regulation, "programme")
        if programme is None:
            continue
        code = eu_programmes.program_code(programme)
        dated = [d for d in (dates.get(code), _listing_act_date(regulation, where)) if d]
        dates[code] = min(dated, default=None)
    return tuple(ParsedDesignation(code, listed_on or on) for code, on in dates.items())


def _first_listing(regulations: list[Element], where: str) -> dt.date | None:
    """The publication date of the earliest listing act, when the export gives one."""
    dates = [_listing_act_date(regulation, where) for regulation in regulations]
    return min((d for d in dates if d), default=None)


def _listing_act_date(regulation: Element, where: str) -> dt.date | None:
    """A listing act's publication date; None for an amendment (it did not list the entity)."""
    published = _date_attribute(regulation, "publicationDate", where)
    entered = _date_attribute(regulation, "entryIntoForceDate", where)
    if _attr(regulation, "regulationType") != "regulation":
        return None
    return published or entered


def _regulation_fact(regulation: Element, where: str) -> ParsedFact | None:
    """An act of the entity's listing: number, programme, dates and link, as one line."""
    number = _attr(regulation, "numberTitle")
    if number is None:
        return None
    published = _date_attribute(regulation, "publicationDate", where)
    in_force = _date_attribute(regulation, "entryIntoForceDate", where)
    url = _attr(regulation, "publicationUrl") or _clean(regulation.findtext("{*}publicationUrl"))
    text = _join(
        ", ",
        number,
        _prefixed("type ", _attr(regulation, "regulationType")),
        _prefixed("programme ", _attr(regulation, "programme")),
        _prefixed("published ", published.isoformat() if published else None),
        _prefixed("in force ", in_force.isoformat() if in_force else None),
        url,
    )
    return ParsedFact("eu_regulation", text or number)


def _document(identification: Element, where: str) -> ParsedIdentifier | None:
    """An identification: passport, national ID, registration or tax number, ...

    One without a number keeps its remark as the value (as the UN importer keeps a note);
    one with neither says nothing to screen on and is left out.
    """
    note = _joined_remarks(identification)
    number = _attr(identification, "number") or _attr(identification, "latinNumber")
    value = number or note
    if value is None:
        return None
    description = _attr(identification, "identificationTypeDescription")
    code = (_attr(identification, "identificationTypeCode") or "").lower()
    flags = [
        label for attr, label in _DOCUMENT_FLAGS.items() if _attr(identification, attr) == "true"
    ]
    latin = _attr(identification, "latinNumber")
    return ParsedIdentifier(
        kind=_DOCUMENT_KINDS.get(code) or document_kind(description or code),
        value=value,
        country=_country(identification),
        # The excerpt has no dated document: these names follow the export's CSV columns
        # (IssuedDate, ValidFrom, ValidTo) and are not confirmed against a real XML file.
        issued_on=_date_attribute(identification, "issueDate", where)
        or _date_attribute(identification, "validFrom", where),
        expires_on=_date_attribute(identification, "validTo", where),
        remarks=_join(
            "; ",
            description,
            _prefixed("issued by ", _attr(identification, "issuedBy")),
            _prefixed("name on document: ", _attr(identification, "nameOnDocument")),
            _prefixed("in Latin script: ", latin if latin != number else None),
            _prefixed("region: ", _attr(identification, "region")),
            *flags,
            note if number else None,
        ),
    )


def _address(address: Element) -> ParsedAddress | None:
    """An address, or None when it is empty; PO box, place and listing-time note as remarks."""
    parsed = ParsedAddress(
        street=_attr(address, "street"),
        city=_attr(address, "city"),
        region=_attr(address, "region"),
        postal_code=_attr(address, "zipCode"),
        country=_country(address),
        remarks=_join(
            "; ",
            _prefixed("PO box ", _attr(address, "poBox")),
            _attr(address, "place"),
            "address at the time of listing"
            if _attr(address, "asAtListingTime") == "true"
            else None,
            _joined_remarks(address),
        ),
    )
    return None if parsed == ParsedAddress() else parsed


def _birth_date(birth: Element, where: str) -> ParsedBirthDate | None:
    """A birthdate: the full date, else year, month and day parts, else a range of years."""
    circa = _attr(birth, "circa") == "true"
    day = _date_attribute(birth, "birthdate", where) or _date_from_parts(birth, where)
    if day is not None:
        text = f"{day.day:02d} {_MONTHS[day.month - 1]} {day.year}"
        return ParsedBirthDate(text, day.year, day.month, day.day, circa=circa)
    year = _number(birth, "year", 1000, 9999, where)
    month = _number(birth, "monthOfYear", 1, 12, where)
    if year is not None:
        text = f"{_MONTHS[month - 1]} {year}" if month else str(year)
        return ParsedBirthDate(text, year, month, circa=circa)
    start = _number(birth, "yearRangeFrom", 1000, 9999, where)  # not in the excerpt
    end = _number(birth, "yearRangeTo", 1000, 9999, where)
    if start is not None and end is not None:
        return ParsedBirthDate(f"{start} to {end}", start, year_to=end, circa=circa)
    return None


def _date_from_parts(birth: Element, where: str) -> dt.date | None:
    """The date the year, monthOfYear and dayOfMonth parts give when all three are there."""
    year = _number(birth, "year", 1000, 9999, where)
    month = _number(birth, "monthOfYear", 1, 12, where)
    day = _number(birth, "dayOfMonth", 1, 31, where)
    if year is None or month is None or day is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ListFormatError(
            f"{where} has an invalid birth date {year}-{month:02d}-{day:02d}."
        ) from None


def _birth_place(birth: Element) -> ParsedBirthPlace | None:
    """A place of birth from the city, region, place and country a birthdate gives."""
    description = _attr(birth, "countryDescription")
    country = _country(birth)
    parts = [_attr(birth, tag) for tag in ("place", "city", "zipCode", "region")]
    parts.append(description if country else None)
    text = ", ".join(unique(part for part in parts if part))
    return ParsedBirthPlace(text, country) if text else None


def _citizenship(citizenship: Element) -> ParsedNationality | None:
    """A citizenship, by ISO 3166 alpha-2 code."""
    country = _country(citizenship)
    return ParsedNationality(country, NationalityKind.CITIZENSHIP) if country else None


def _facts(
    record: Element,
    aliases: list[Element],
    addresses: list[Element],
    regulations: list[Element],
    where: str,
) -> Iterator[ParsedFact]:
    """Reference numbers, functions, titles, contact details and the listing acts."""
    for attr, kind in (("euReferenceNumber", "eu_reference_number"),
                       ("unitedNationId", "un_reference_number")):  # fmt: skip
        value = _attr(record, attr)
        if value:
            yield ParsedFact(kind, value)
    for alias in aliases:
        for attr, kind in (("function", "position"), ("title", "title")):
            value = _attr(alias, attr)
            if value:
                yield ParsedFact(kind, value)
    contacts = (c for address in addresses for c in _children(address).get("contactInfo", []))
    for contact in contacts:
        key, value = _attr(contact, "key"), _attr(contact, "value")
        if key and value:
            yield ParsedFact(_CONTACT_KINDS.get(key.upper(), key.lower()), value)
    for regulation in regulations:
        fact = _regulation_fact(regulation, where)
        if fact is not None:
            yield fact


def _joined_remarks(element: Element) -> str | None:
    """An element's own remark children, whitespace collapsed, joined."""
    texts = (_clean(remark.text) for remark in _children(element).get("remark", []))
    return _join("; ", *texts)


def _country(element: Element) -> str | None:
    """The countryIso2Code attribute, or None when absent or "00" (unknown)."""
    code = _attr(element, "countryIso2Code")
    return code.upper() if code and code != _UNKNOWN_COUNTRY else None


def _date_attribute(element: Element, attr: str, where: str) -> dt.date | None:
    """A YYYY-MM-DD attribute (a trailing zone offset ignored); an invalid one is refused."""
    return iso_date(_attr(element, attr), where, f"{attr} date")


def _number(element: Element, attr: str, low: int, high: int, where: str) -> int | None:
    """A whole-number attribute within [low, high]; an invalid one is refused."""
    text = _attr(element, attr)
    if text is None:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        raise ListFormatError(f"{where} has an invalid {attr} {text!r}.")
    return int(text)


def _attr(element: Element | None, name: str) -> str | None:
    """An attribute's text with whitespace collapsed; None when missing, empty or "-"."""
    if element is None:
        return None
    value = _clean(element.get(name))
    return None if value is None or value in _PLACEHOLDERS else value


def _clean(text: str | None) -> str | None:
    """Text with runs of whitespace (the export's line wraps) collapsed; None when empty."""
    if text is None:
        return None
    return " ".join(text.split()) or None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _namespace(tag: str) -> str | None:
    return tag[1:].partition("}")[0] if tag.startswith("{") else None


def _join(separator: str, *parts: str | None) -> str | None:
    """The non-empty parts joined, or None when there are none."""
    return separator.join(part for part in parts if part) or None


def _prefixed(prefix: str, text: str | None) -> str | None:
    """`prefix + text`, or None when there is no text."""
    return prefix + text if text else None


def _gather(items: Iterable[T | None]) -> Iterator[T]:
    """The items that are not None."""
    return (item for item in items if item is not None)
