"""OFAC XML lists in the classic `sdnList` schema (sdn.xml, consolidated.xml).

Tags are matched without their namespace: current files use the sanctions list service
namespace, older ones `http://tempuri.org/sdnList.xsd`. Documents that declare a DTD are refused
outright, which rules out entity expansion ("billion laughs") and external entities.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

from watchlist.errors import ListFormatError
from watchlist.models.registry import EntityKind, NameKind, NationalityKind
from watchlist.sources.files import read_list_bytes
from watchlist.sources.ofac_csv import CONS_SOURCE, SDN_SOURCE
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
    ParsedRelation,
    SourceInfo,
)
from watchlist.sources.values import unique
from watchlist.sources.xml_input import check_unique_keys, parse_document

# The same lists as the OFAC CSV files, published in the sdn.xml schema.
OFAC_CONS_SOURCE = dataclasses.replace(
    CONS_SOURCE,
    url="https://www.treasury.gov/ofac/downloads/consolidated/consolidated.xml",
    format="ofac-xml",
)
OFAC_SDN_XML_SOURCE = dataclasses.replace(
    SDN_SOURCE, url="https://www.treasury.gov/ofac/downloads/sdn.xml", format="ofac-xml"
)

_KINDS = {
    "Individual": EntityKind.PERSON,
    "Entity": EntityKind.ORGANIZATION,
    "Vessel": EntityKind.VESSEL,
    "Aircraft": EntityKind.AIRCRAFT,
}

_AKA_KINDS = {"f.k.a.": NameKind.FKA, "n.k.a.": NameKind.NKA}

_ID_KINDS = {
    "Passport": "passport",
    "National ID No.": "national_id",
    "Tax ID No.": "tax_id",
    "Registration Number": "registration_number",
    "Registration ID": "registration_id",
    "Company Number": "company_number",
    "Identification Number": "identification_number",
    "SWIFT/BIC": "swift_bic",
    "MMSI": "mmsi",
}

_ID_FACTS = {
    "Website": "website",
    "Email Address": "email",
    "Secondary sanctions risk:": "secondary_sanctions_risk",
    "Organization Established Date": "organization_established_date",
    "Organization Type:": "organization_type",
}

# Other idList types that describe the listing rather than identify the entity (directive
# notes, CMIC and directive dates, target type, ...) become facts, not identifiers, as they do
# in the CSV remarks (see `ofac_remarks`).
_FACT_WORDS = ("date", "directive", "information", "determination")
_FACT_TYPES = frozenset(
    {"target_type", "issuer_name", "nationality_of_registration", "equity_ticker"}
)
_IDENTIFIER_MAX = 200
_KIND_MAX = 64

_VESSEL_FACTS = {
    "vesselType": "vessel_type",
    "vesselFlag": "vessel_flag",
    "vesselOwner": "vessel_owner",
    "tonnage": "tonnage",
    "grossRegisteredTonnage": "gross_registered_tonnage",
}

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_DAY_MONTH_YEAR = re.compile(r"(?:(?:(\d{1,2}) )?([A-Za-z]{3}) )?(\d{4})")
_YEAR_RANGE = re.compile(r"(\d{4}) to (\d{4})")
_CIRCA = re.compile(r"circa\s+", re.IGNORECASE)
# "(Linked To: NAME)" in remarks; the name may hold one level of parentheses.
_LINKED_TO = re.compile(r"Linked To:\s*((?:[^();]|\([^()]*\))+)", re.IGNORECASE)
_PUBLISH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def read_ofac_xml(path: Path, source: SourceInfo | None = None) -> ParsedList:
    """Parse an OFAC sdnList XML file (plain or gzip-compressed)."""
    return parse_ofac_xml(read_list_bytes(path), location=str(path), source=source)


def parse_ofac_xml(data: bytes, *, location: str, source: SourceInfo | None = None) -> ParsedList:
    """Parse an OFAC sdnList XML document into a `ParsedList`.

    Without `source`, a file whose name contains "cons" (consolidated.xml) is taken to be the
    Consolidated (non-SDN) list and any other file the SDN list; the XML itself does not say.
    """
    root = _root(data, location)
    entries = _children(root, "sdnEntry")
    if not entries:
        raise ListFormatError(f"{location} holds no sdnEntry records.")
    _check_record_count(root, len(entries), location)
    entities = tuple(_entity(entry, n, location) for n, entry in enumerate(entries, 1))
    check_unique_keys(entities, location, "uid")
    return ParsedList(
        source=source or source_for(location),
        entities=entities,
        published_at=_published_at(root, location),
    )


def source_for(location: str) -> SourceInfo:
    """The list a file holds, judged by its name: "cons" means the consolidated list."""
    name = Path(location).name.lower()
    return OFAC_CONS_SOURCE if "cons" in name else OFAC_SDN_XML_SOURCE


# --- document --------------------------------------------------------------------------------


def _root(data: bytes, location: str) -> Element:
    root = parse_document(data, location, list_name="an OFAC sdnList XML list")
    if _tag(root) != "sdnList":
        raise ListFormatError(
            f"{location} is not an OFAC sdnList XML file (its root is <{_tag(root)}>)."
        )
    return root


def _check_record_count(root: Element, found: int, location: str) -> None:
    """The document's own completeness mark: `publshInformation/Record_Count`, when given."""
    info = _child(root, "publshInformation")
    declared = _text(info, "Record_Count") if info is not None else None
    if declared is None or not declared.isdigit() or int(declared) == found:
        return
    raise ListFormatError(
        f"{location} holds {found:,} records but declares {int(declared):,} (Record_Count): "
        "truncated or incomplete."
    )


def _published_at(root: Element, location: str) -> dt.datetime | None:
    """`publshInformation/Publish_Date` (MM/DD/YYYY) as UTC midnight."""
    info = _child(root, "publshInformation")
    text = _text(info, "Publish_Date") if info is not None else None
    if text is None:
        return None
    match = _PUBLISH_DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        month, day, year = (int(part) for part in match.groups())
        return dt.datetime(year, month, day, tzinfo=dt.UTC)
    except ValueError:
        raise ListFormatError(
            f"{location} has an invalid Publish_Date {text!r} (expected MM/DD/YYYY)."
        ) from None


# --- entries ---------------------------------------------------------------------------------


def _entity(entry: Element, number: int, location: str) -> ParsedEntity:
    uid, last = _text(entry, "uid"), _text(entry, "lastName")
    if uid is None or last is None:
        raise ListFormatError(f"{location} sdnEntry number {number} has no uid or no lastName.")
    sdn_type = _text(entry, "sdnType")
    kind = _KINDS.get(sdn_type or "")
    if kind is None:
        raise ListFormatError(f"{location} sdnEntry uid {uid} has unknown sdnType {sdn_type!r}.")
    identifiers, facts, gender = _ids(entry)
    vessel_ids, vessel_facts = _vessel(entry)
    return ParsedEntity(
        source_key=uid,
        kind=kind,
        primary_name=_full_name(last, _text(entry, "firstName")),
        names=tuple(_akas(entry)),
        designations=tuple(ParsedDesignation(p) for p in unique(_programs(entry))),
        identifiers=unique(identifiers + vessel_ids),
        addresses=tuple(_address(item) for item in _items(entry, "addressList", "address")),
        birth_dates=tuple(_birth_date(text) for text in _dates_of_birth(entry)),
        birth_places=tuple(_birth_place(text) for text in _places_of_birth(entry)),
        nationalities=tuple(_nationalities(entry)),
        facts=unique(facts + vessel_facts),
        relations=tuple(unique(_linked_to(_text(entry, "remarks")))),
        title=_text(entry, "title"),
        gender=gender,
        remarks=_text(entry, "remarks"),
    )


def _full_name(last: str, first: str | None) -> str:
    """OFAC's own style: "LASTNAME, Firstname", or the last name alone."""
    return f"{last}, {first}" if first else last


def _programs(entry: Element) -> list[str]:
    return _item_texts(entry, "programList", "program")


def _dates_of_birth(entry: Element) -> list[str]:
    return _item_texts(entry, "dateOfBirthList", "dateOfBirthItem", "dateOfBirth")


def _places_of_birth(entry: Element) -> list[str]:
    return _item_texts(entry, "placeOfBirthList", "placeOfBirthItem", "placeOfBirth")


def _akas(entry: Element) -> Iterator[ParsedName]:
    for aka in _items(entry, "akaList", "aka"):
        last = _text(aka, "lastName")
        if last is None:
            continue
        if (_text(aka, "category") or "").lower() == "weak":
            kind = NameKind.WEAK_AKA
        else:
            kind = _AKA_KINDS.get((_text(aka, "type") or "").lower(), NameKind.AKA)
        name = _full_name(last, _text(aka, "firstName"))
        yield ParsedName(name=name, kind=kind, source_key=_text(aka, "uid"))


def _linked_to(remarks: str | None) -> Iterator[ParsedRelation]:
    """The "Linked To:" names of the remarks, as relations resolved by name on import."""
    for match in _LINKED_TO.finditer(remarks or ""):
        name = match.group(1).strip().rstrip(".").strip()
        if name:
            yield ParsedRelation(object_name=name, relation="linked_to")


def _ids(entry: Element) -> tuple[list[ParsedIdentifier], list[ParsedFact], str | None]:
    """The idList split into identifiers, facts and the gender it may carry."""
    identifiers: list[ParsedIdentifier] = []
    facts: list[ParsedFact] = []
    gender: str | None = None
    for item in _items(entry, "idList", "id"):
        id_type, number = _text(item, "idType") or "", _text(item, "idNumber")
        if number is None:
            continue
        if id_type == "Gender":
            gender = gender or number.capitalize()
            continue
        kind = _id_kind(id_type, number)
        if kind is None:
            facts.append(ParsedFact(_fact_kind(id_type), number))
        else:
            identifiers.append(_identifier(item, kind, number))
    return identifiers, facts, gender


def _id_kind(id_type: str, number: str) -> str | None:
    """The identifier kind of an idList type, or None when the item is a fact."""
    if id_type in _ID_KINDS:
        return _ID_KINDS[id_type]
    if id_type == "Vessel Registration Identification":
        return "imo" if number.upper().startswith("IMO") else "vessel_registration_identification"
    kind = _snake(id_type)
    descriptive = kind in _FACT_TYPES or any(word in kind for word in _FACT_WORDS)
    if id_type in _ID_FACTS or descriptive or len(number) > _IDENTIFIER_MAX:
        return None
    return kind


def _fact_kind(id_type: str) -> str:
    return _ID_FACTS.get(id_type) or _snake(id_type)


def _identifier(item: Element, kind: str, number: str) -> ParsedIdentifier:
    if kind == "imo":
        number = number[3:].lstrip(" :")
    return ParsedIdentifier(
        kind=kind,
        value=number,
        country=_text(item, "idCountry"),
        issued_on=_day_month_year(_text(item, "issueDate")),
        expires_on=_day_month_year(_text(item, "expirationDate")),
    )


def _vessel(entry: Element) -> tuple[list[ParsedIdentifier], list[ParsedFact]]:
    info = _child(entry, "vesselInfo")
    if info is None:
        return [], []
    call_sign = _text(info, "callSign")
    identifiers = [ParsedIdentifier("call_sign", call_sign)] if call_sign else []
    facts = [
        ParsedFact(kind, value)
        for tag, kind in _VESSEL_FACTS.items()
        if (value := _text(info, tag)) is not None
    ]
    return identifiers, facts


def _address(item: Element) -> ParsedAddress:
    lines = (_text(item, tag) for tag in ("address1", "address2", "address3"))
    return ParsedAddress(
        street=", ".join(line for line in lines if line) or None,
        city=_text(item, "city"),
        region=_text(item, "stateOrProvince"),
        postal_code=_text(item, "postalCode"),
        country=_text(item, "country"),
        source_key=_text(item, "uid"),
    )


def _nationalities(entry: Element) -> Iterator[ParsedNationality]:
    lists = (
        ("nationalityList", "nationality", NationalityKind.NATIONALITY),
        ("citizenshipList", "citizenship", NationalityKind.CITIZENSHIP),
    )
    for list_tag, item_tag, kind in lists:
        for item in _items(entry, list_tag, item_tag):
            country = _text(item, "country")
            if country:
                yield ParsedNationality(country, kind)


# --- values ----------------------------------------------------------------------------------


def _birth_date(text: str) -> ParsedBirthDate:
    """ "07 May 1966", "May 1966", "1966", "circa 1960" or "1960 to 1965" as parts."""
    rest = _CIRCA.sub("", text, count=1)
    circa = rest != text
    span = _YEAR_RANGE.fullmatch(rest)
    if span is not None:
        year, year_to = (int(part) for part in span.groups())
        return ParsedBirthDate(text=text, year=year, year_to=year_to, circa=circa)
    match = _DAY_MONTH_YEAR.fullmatch(rest)
    if match is None:
        return ParsedBirthDate(text=text, circa=circa)
    day, month_name, year_text = match.groups()
    month = _MONTHS.get(month_name.lower()) if month_name else None
    if month_name and month is None:
        return ParsedBirthDate(text=text, circa=circa)
    return ParsedBirthDate(
        text=text,
        year=int(year_text),
        month=month,
        day=int(day) if day else None,
        circa=circa,
    )


def _birth_place(text: str) -> ParsedBirthPlace:
    """The place as listed; the text after its last comma taken as the country."""
    country = text.rsplit(",", 1)[1].strip() if "," in text else None
    return ParsedBirthPlace(place=text, country=country or None)


def _day_month_year(text: str | None) -> dt.date | None:
    """An OFAC date such as "08 Apr 2029"; None when absent, partial or impossible."""
    match = _DAY_MONTH_YEAR.fullmatch(text or "")
    if match is None or match.group(1) is None:
        return None
    day, month_name, year = match.groups()
    try:
        return dt.date(int(year), _MONTHS[month_name.lower()], int(day))
    except (KeyError, ValueError):
        return None


def _snake(text: str) -> str:
    """ "Tax ID No." -> "tax_id_no", "V.A.T. Number" -> "vat_number"."""
    plain = re.sub(r"[.']", "", text).lower()
    return re.sub(r"[^0-9a-z]+", "_", plain).strip("_")[:_KIND_MAX] or "other"


# --- elements --------------------------------------------------------------------------------


def _tag(element: Element) -> str:
    """The tag without its `{namespace}`."""
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def _children(element: Element, tag: str) -> list[Element]:
    return [child for child in element if _tag(child) == tag]


def _child(element: Element, tag: str) -> Element | None:
    found = _children(element, tag)
    return found[0] if found else None


def _text(element: Element, tag: str) -> str | None:
    """The stripped text of the first `tag` child, or None when absent or blank."""
    child = _child(element, tag)
    text = (child.text or "").strip() if child is not None else ""
    return text or None


def _items(entry: Element, list_tag: str, item_tag: str) -> list[Element]:
    """The `item_tag` children of the `list_tag` child (programList/program, idList/id, ...)."""
    holder = _child(entry, list_tag)
    return _children(holder, item_tag) if holder is not None else []


def _item_texts(
    entry: Element, list_tag: str, item_tag: str, field: str | None = None
) -> list[str]:
    """Texts of a list's items, or of one field of each item (dateOfBirthItem/dateOfBirth)."""
    items = _items(entry, list_tag, item_tag)
    if field is None:
        texts = [(item.text or "").strip() for item in items]
    else:
        texts = [_text(item, field) or "" for item in items]
    return [text for text in texts if text]
