"""The FCDO UK Sanctions List (XML edition), parsed into plain values; no SQL.

The FCDO publishes the list at https://www.gov.uk/government/publications/the-uk-sanctions-list
(XML, CSV, ODS, HTML); the XML is served from https://sanctionslist.fcdo.gov.uk/docs/. It
replaced OFSI's Consolidated List as the single UK source in early 2026. Structure, one
<Designation> per listed person, entity or ship under the root <Designations>:

    Designations
      DateGenerated                  dd/mm/yyyy
      Designation
        LastUpdated, DateDesignated  dd/mm/yyyy
        UniqueID                     RUS1965 (the key; OFSI's "UK Sanctions List Ref")
        OFSIGroupID, UNReferenceNumber
        Names/Name                   Name1..Name6 (Name6 the surname or entity name),
                                     NameType (Primary Name, Primary name variation, Alias),
                                     AliasStrength (Good quality a.k.a / Low quality a.k.a)
        NonLatinNames/NonLatinName   NameNonLatinScript, NonLatinScriptType,
                                     NonLatinScriptLanguage
        RegimeName                   the regulations ("The Russia (Sanctions) (EU Exit) ...")
        IndividualEntityShip         Individual, Entity or Ship
        DesignationSource, SanctionsImposed, OtherInformation, UKStatementofReasons
        Titles/Title
        Addresses/Address            AddressLine1..6, AddressPostalCode, AddressCountry
        PhoneNumbers/PhoneNumber, EmailAddresses/EmailAddress, Websites/Website
        IndividualDetails/Individual DOBs/DOB (dd/mm/yyyy, dd and mm for unknown parts),
                                     Nationalities, Positions, Genders, BirthDetails/Location
                                     (TownOfBirth, CountryOfBirth), PassportDetails/Passport
                                     (PassportNumber, PassportAdditionalInformation),
                                     NationalIdentifierDetails/NationalIdentifier
                                     (NationalIdentifierNumber,
                                     NationalIdentifierAdditionalInformation)
        EntityDetails/Entity         BusinessRegistrationNumbers, TypeOfEntities,
                                     ParentCompanies, Subsidiaries
        ShipDetails/Ship             IMONumbers, CurrentBelievedFlagOfShips, TypeOfShipDetails,
                                     CurrentOwnerOperators

Details are looked up anywhere inside a Designation (as other readers of the list do), so a
change in the nesting of IndividualDetails, EntityDetails or ShipDetails does not lose them.
No real file could be read while this reader was written: it follows the published layout as
described above, and its test fixture is built to it (see tests/fixtures/uk/).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

from watchlist.errors import ListFormatError
from watchlist.models.registry import NameKind
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
from watchlist.sources.uk_conlist import (
    GROUP_KINDS,
    LANGUAGES,
    birth_date,
    clean,
    documents,
    list_date,
    person_name,
)
from watchlist.sources.uk_regimes import AUTHORITY, RegimeTable, programs_of, regime_table
from watchlist.sources.un_xml import detect_script
from watchlist.sources.values import unique
from watchlist.sources.xml_input import check_unique_keys, parse_document

UK_FCDO_SOURCE = SourceInfo(
    code="uk_fcdo_sanctions_list",
    name="UK Sanctions List",
    publisher="Foreign, Commonwealth & Development Office (FCDO)",
    authority=AUTHORITY,
    url="https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml",
    format="uk-sanctions-list",
    label="UK",
)

ROOT_TAG = "Designations"
_SHIP_FACTS = {
    "CurrentBelievedFlagOfShips/CurrentBelievedFlagOfShip": "vessel_flag",
    "PreviousFlags/PreviousFlag": "vessel_previous_flag",
    "TypeOfShipDetails/TypeOfShip": "vessel_type",
    "TonnageOfShipDetails/TonnageOfShip": "vessel_tonnage",
    "CurrentOwnerOperators/CurrentOwnerOperator": "vessel_owner",
    "YearsBuilt/YearBuilt": "vessel_year_built",
}
_CONTACT_FACTS = {
    "PhoneNumbers/PhoneNumber": "phone",
    "EmailAddresses/EmailAddress": "email",
    "Websites/Website": "website",
}


def read_uk_sanctions_list(path: Path) -> ParsedList:
    """Read and parse a UK Sanctions List XML file, plain or gzip-compressed."""
    return parse_uk_sanctions_list(read_list_bytes(path), location=str(path))


def parse_uk_sanctions_list(data: bytes, *, location: str) -> ParsedList:
    """Parse the bytes of the UK Sanctions List XML; `location` names the file in errors."""
    root = _parse_root(data, location)
    table = regime_table()
    records = root.findall("Designation")
    entities = [_entity(r, table, f"{location} Designation {i}") for i, r in enumerate(records, 1)]
    check_unique_keys(entities, location, "UniqueID")
    regimes = [text for record in records if (text := _text(record, "RegimeName"))]
    generated = _text(root, "DateGenerated")
    return ParsedList(
        source=UK_FCDO_SOURCE,
        entities=tuple(entities),
        programs=programs_of(table, regimes),
        published_at=_published_at(generated, location) if generated else None,
    )


def _parse_root(data: bytes, location: str) -> Element:
    """The root element, refusing DTDs, entities, external references and other roots."""
    root = parse_document(data, location, list_name="the UK Sanctions List")
    for element in root.iter():  # a namespaced edition reads the same
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = element.tag.split("}", 1)[1]
    if root.tag != ROOT_TAG:
        raise ListFormatError(
            f"{location} is not a UK Sanctions List (root element <{root.tag}>, "
            f"expected <{ROOT_TAG}>)."
        )
    return root


def _published_at(text: str, location: str) -> dt.datetime:
    """DateGenerated (dd/mm/yyyy, or an ISO date) as UTC midnight or the stamp given."""
    try:
        stamp = dt.datetime.fromisoformat(text)
    except ValueError:
        day = list_date(text, f"{location} DateGenerated")
        stamp = dt.datetime(day.year, day.month, day.day)
    return stamp.replace(tzinfo=dt.UTC) if stamp.tzinfo is None else stamp.astimezone(dt.UTC)


def _entity(record: Element, table: RegimeTable, where: str) -> ParsedEntity:
    """One Designation."""
    key = _text(record, "UniqueID")
    if key is None:
        raise ListFormatError(f"{where} has no UniqueID.")
    where = f"{where} ({key})"
    kind_text = _text(record, "IndividualEntityShip") or ""
    kind = GROUP_KINDS.get(kind_text.lower())
    if kind is None:
        raise ListFormatError(f"{where} has an unknown IndividualEntityShip {kind_text!r}.")
    primary, names = _names(record, where)
    designated = _list_date_at(record, "DateDesignated", where)
    regime = _text(record, "RegimeName")
    positions = _texts(record, ".//Positions/Position")
    return ParsedEntity(
        source_key=key,
        kind=kind,
        primary_name=primary,
        names=names,
        designations=(ParsedDesignation(table.program(regime).code, designated),) if regime else (),
        identifiers=unique(_identifiers(record, key)),
        addresses=unique(_addresses(record)),
        birth_dates=unique(_birth_dates(record, where)),
        birth_places=unique(_birth_places(record)),
        nationalities=unique(
            map(ParsedNationality, _texts(record, ".//Nationalities/Nationality"))
        ),
        facts=unique(_facts(record, positions)),
        title="; ".join(positions)[:500] or None,
        gender=next(iter(_texts(record, ".//Genders/Gender")), None),
        listing_date=designated,
        remarks="\n".join(
            text
            for tag in ("OtherInformation", "UKStatementofReasons")
            if (text := _text(record, tag))
        )
        or None,
    )


def _names(record: Element, where: str) -> tuple[str, tuple[ParsedName, ...]]:
    """The first Primary Name, and the other names with their kinds (weak: Low quality)."""
    listed: list[tuple[str, NameKind]] = []
    for name in record.findall("Names/Name"):
        parts = {f"Name {n}": _text(name, f"Name{n}") for n in range(1, 7)}
        text = person_name(parts)
        if text is None:
            continue
        name_type = (_text(name, "NameType") or "").lower()
        strength = (_text(name, "AliasStrength") or "").lower()
        if name_type == "primary name":
            kind = NameKind.PRIMARY
        elif strength.startswith("low"):
            kind = NameKind.WEAK_AKA
        else:
            kind = NameKind.AKA
        listed.append((text, kind))
    primary = next((text for text, kind in listed if kind is NameKind.PRIMARY), None)
    primary = primary or next((text for text, _ in listed), None)
    if primary is None:
        raise ListFormatError(f"{where} has no name.")
    names = [
        ParsedName(text, NameKind.AKA if kind is NameKind.PRIMARY else kind)
        for text, kind in listed
        if text != primary
    ]
    for other in record.findall("NonLatinNames/NonLatinName"):
        text = _text(other, "NameNonLatinScript")
        if text:
            language = (_text(other, "NonLatinScriptLanguage") or "").lower()
            names.append(ParsedName(text, script=detect_script(text), lang=LANGUAGES.get(language)))
    return primary, unique(names)


def _identifiers(record: Element, key: str) -> Iterator[ParsedIdentifier]:
    """Passports, national IDs, registration and IMO numbers, the list's own references."""
    for passport in record.findall(".//PassportDetails/Passport"):
        yield from documents(
            "passport",
            _text(passport, "PassportNumber"),
            _text(passport, "PassportAdditionalInformation"),
        )
    for national in record.findall(".//NationalIdentifierDetails/NationalIdentifier"):
        yield from documents(
            "national_id",
            _text(national, "NationalIdentifierNumber"),
            _text(national, "NationalIdentifierAdditionalInformation"),
        )
    for number in _texts(record, ".//BusinessRegistrationNumbers/*"):
        yield ParsedIdentifier("registration_number", number)
    for number in _texts(record, ".//IMONumbers/IMONumber"):
        yield ParsedIdentifier("imo", number)
    yield ParsedIdentifier("uk_sanctions_list_ref", key)
    group = _text(record, "OFSIGroupID")
    if group:
        yield ParsedIdentifier("ofsi_group_id", group)
    un_reference = _text(record, "UNReferenceNumber")
    if un_reference:
        yield ParsedIdentifier("un_reference_number", un_reference)


def _addresses(record: Element) -> Iterator[ParsedAddress]:
    """AddressLine1..5 as the street lines, AddressLine6 (the town in practice), code, country."""
    for address in record.findall("Addresses/Address"):
        lines = [_text(address, f"AddressLine{n}") for n in range(1, 6)]
        parsed = ParsedAddress(
            street=", ".join(line for line in lines if line) or None,
            city=_text(address, "AddressLine6"),
            postal_code=_text(address, "AddressPostalCode"),
            country=_text(address, "AddressCountry"),
        )
        if parsed != ParsedAddress():
            yield parsed


def _birth_dates(record: Element, where: str) -> Iterator[ParsedBirthDate]:
    for text in _texts(record, ".//DOBs/DOB"):
        yield birth_date(text, f"{where} DOB")


def _birth_places(record: Element) -> Iterator[ParsedBirthPlace]:
    for location in record.findall(".//BirthDetails/Location"):
        town = _text(location, "TownOfBirth")
        country = _text(location, "CountryOfBirth")
        place = ", ".join(part for part in (town, country) if part)
        if place:
            yield ParsedBirthPlace(place, country)


def _facts(record: Element, positions: list[str]) -> Iterator[ParsedFact]:
    """Titles, positions, contacts, ship details, the sanctions imposed and their source."""
    for title in _texts(record, ".//Titles/Title"):
        yield ParsedFact("title", title)
    for position in positions:
        yield ParsedFact("position", position)
    for path, kind in _CONTACT_FACTS.items():
        for value in _texts(record, path):
            yield ParsedFact(kind, value)
    for path, kind in _SHIP_FACTS.items():
        for value in _texts(record, f".//{path}"):
            yield ParsedFact(kind, value)
    for value in _texts(record, ".//TypeOfEntities/TypeOfEntity"):
        yield ParsedFact("entity_type", value)
    for path, kind in (
        ("DesignationSource", "designation_source"),
        ("SanctionsImposed", "sanctions_imposed"),
    ):
        text = _text(record, path)
        if text:
            yield ParsedFact(kind, text)


def _list_date_at(record: Element, tag: str, where: str) -> dt.date | None:
    """The record's `tag` child read as the UK list writes dates; None when absent."""
    text = _text(record, tag)
    return list_date(text, f"{where} {tag}") if text else None


def _text(element: Element, path: str) -> str | None:
    return clean(element.findtext(path))


def _texts(element: Element, path: str) -> list[str]:
    """The cleaned, non-empty texts of the elements at `path`."""
    return [text for found in element.findall(path) if (text := clean(found.text))]
