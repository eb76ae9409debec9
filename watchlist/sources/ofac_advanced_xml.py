"""OFAC's older "advanced" XML (SDN_ADVANCED.XML, CONS_ADVANCED.XML), parsed into plain values.

The format (namespace `http://www.un.org/sanctions/1.0`, schema `data/ofac/docs/sdn_advanced.xsd`)
holds the same OFAC records as the Enhanced XML in a normalised shape: a party's names are parts
(`DocumentedNamePart`) typed through its identity's name part groups, addresses are `Locations`
a "Location" feature points at, documents are `IDRegDocuments` of an identity, programs and
listing dates are `SanctionsEntries` of a profile, and relationships are `ProfileRelationships`.
Every `...ID` attribute points into `ReferenceValueSets`; an undefined one refuses the file.

`DistinctParty/@FixedRef` is the legacy `ent_num`, so the file updates the same source as the
CSV and the Enhanced XML (`us_ofac_sdn` or `us_ofac_cons`, by the lists its entries belong to),
and features are sorted with the Enhanced XML importer's rules, so kinds are the same words.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

from watchlist.errors import ListFormatError
from watchlist.models.registry import EntityKind, NameKind
from watchlist.sources import ofac_programs
from watchlist.sources.files import read_list_bytes
from watchlist.sources.ofac_csv import CONS_SOURCE, SDN_SOURCE
from watchlist.sources.ofac_enhanced_xml import (
    FeatureValues,
    add_feature,
    birth_date_in,
    script_code,
)
from watchlist.sources.ofac_remarks import label_kind
from watchlist.sources.parsed import (
    ParsedAddress,
    ParsedBirthDate,
    ParsedDesignation,
    ParsedEntity,
    ParsedFact,
    ParsedIdentifier,
    ParsedList,
    ParsedName,
    ParsedProgram,
    ParsedRelation,
    SourceInfo,
)
from watchlist.sources.values import unique
from watchlist.sources.xml_input import check_unique_keys, parse_document

ADVANCED_XML_NAMESPACE = "http://www.un.org/sanctions/1.0"
_NS = "{" + ADVANCED_XML_NAMESPACE + "}"
_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
FORMAT = "ofac-advanced-xml"
ADVANCED_SDN_SOURCE = dataclasses.replace(
    SDN_SOURCE, url=_EXPORTS + "SDN_ADVANCED.XML", format=FORMAT
)
ADVANCED_CONS_SOURCE = dataclasses.replace(
    CONS_SOURCE, url=_EXPORTS + "CONS_ADVANCED.XML", format=FORMAT
)

_KINDS = {
    "Individual": EntityKind.PERSON,
    "Entity": EntityKind.ORGANIZATION,
    "Vessel": EntityKind.VESSEL,
    "Aircraft": EntityKind.AIRCRAFT,
}
_ALIAS_KINDS = {"A.K.A.": NameKind.AKA, "F.K.A.": NameKind.FKA, "N.K.A.": NameKind.NKA}
_LAST_NAME = "Last Name"
_CAPITALISED = frozenset({"Entity Name", "Vessel Name", "Aircraft Name"})
_LOCATION = "Location"
_PROGRAM = "Program"
_STREET_PARTS = ("ADDRESS1", "ADDRESS2", "ADDRESS3")
_REGION_PARTS = ("STATE/PROVINCE", "REGION")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclasses.dataclass(frozen=True)
class _Document:
    """The tables every party refers into, read once."""

    location: str
    references: dict[str, dict[str, Element]]  # "AliasType" -> ID -> element
    addresses: dict[str, ParsedAddress]  # Location ID -> address
    identifiers: dict[str, list[ParsedIdentifier]]  # Identity ID -> documents
    entries: dict[str, list[Element]]  # Profile ID -> SanctionsEntry elements

    def value(self, table: str, ref_id: str | None, where: str) -> str:
        """The text of reference value `ref_id` in `table` (AliasType, Country, ...)."""
        element = self.references.get(table, {}).get(ref_id or "")
        if element is None:
            raise ListFormatError(
                f"{where} refers to {table} {ref_id}, which the file does not define."
            )
        return (element.text or "").strip()


def read_ofac_advanced_xml(path: Path) -> ParsedList:
    """Read and parse an OFAC advanced XML file, plain or gzip-compressed."""
    return parse_ofac_advanced_xml(read_list_bytes(path), location=str(path))


def parse_ofac_advanced_xml(data: bytes, *, location: str) -> ParsedList:
    """Parse the bytes of an OFAC advanced XML document; `location` names the file in errors."""
    root = _parse_root(data, location)
    references = _references(root)
    partial = _Document(location, references, {}, {}, {})
    document = dataclasses.replace(
        partial,
        addresses=_locations(root, partial),
        identifiers=_id_documents(root, partial),
        entries=_entries(root),
    )
    parties = root.findall(f"{_NS}DistinctParties/{_NS}DistinctParty")
    if not parties:
        raise ListFormatError(f"{location} holds no DistinctParty records: truncated or empty.")
    entities = [_entity(party, document) for party in parties]
    check_unique_keys(entities, location, "DistinctParty")
    entities = _with_relations(root, entities, document)
    return ParsedList(
        source=_source(root, document),
        entities=tuple(entities),
        programs=_programs(entities),
        published_at=_published_at(root, location),
    )


# --- document --------------------------------------------------------------------------------


def _parse_root(data: bytes, location: str) -> Element:
    root = parse_document(data, location, list_name="an OFAC advanced XML list")
    if root.tag != _NS + "Sanctions":
        raise ListFormatError(
            f"{location} is not an OFAC advanced XML list: its root is <{root.tag}>, not "
            f"<Sanctions> in {ADVANCED_XML_NAMESPACE}."
        )
    return root


def _references(root: Element) -> dict[str, dict[str, Element]]:
    """`ReferenceValueSets`: each set (`AliasTypeValues`, ...) by its item tag, items by ID."""
    sets: dict[str, dict[str, Element]] = {}
    for value_set in root.iterfind(f"{_NS}ReferenceValueSets/*"):
        for item in value_set:
            sets.setdefault(_plain(item.tag), {})[item.get("ID") or ""] = item
    return sets


def _published_at(root: Element, location: str) -> dt.datetime | None:
    issued = root.find(_NS + "DateOfIssue")
    day = _year_month_day(issued, location) if issued is not None else None
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) if day else None


def _source(root: Element, document: _Document) -> SourceInfo:
    """The Consolidated list when any entry is on it, else the SDN list when any entry is."""
    lists = {
        document.value("List", entry.get("ListID"), document.location)
        for entries in document.entries.values()
        for entry in entries
    }
    if "Consolidated List" in lists:
        return ADVANCED_CONS_SOURCE
    if "SDN List" in lists:
        return ADVANCED_SDN_SOURCE
    name = Path(document.location).name.lower()
    return ADVANCED_CONS_SOURCE if "cons" in name else ADVANCED_SDN_SOURCE


def _programs(entities: Iterable[ParsedEntity]) -> tuple[ParsedProgram, ...]:
    used = {d.program for entity in entities for d in entity.designations}
    return tuple(p for p in ofac_programs.read_program_tags() if p.code in used)


# --- tables ----------------------------------------------------------------------------------


def _locations(root: Element, document: _Document) -> dict[str, ParsedAddress]:
    """`Locations` as addresses: parts by type, the country from the location or area code."""
    addresses: dict[str, ParsedAddress] = {}
    for location in root.iterfind(f"{_NS}Locations/{_NS}Location"):
        where = f"{document.location} Location {location.get('ID')}"
        parts: dict[str, str] = {}
        for part in location.iterfind(_NS + "LocationPart"):
            kind = document.value("LocPartType", part.get("LocPartTypeID"), where)
            value = part.findtext(f"{_NS}LocationPartValue/{_NS}Value")
            if value and value.strip():
                parts.setdefault(kind, value.strip())
        addresses[location.get("ID") or ""] = ParsedAddress(
            street=", ".join(parts[tag] for tag in _STREET_PARTS if tag in parts) or None,
            city=parts.get("CITY"),
            region=next((parts[tag] for tag in _REGION_PARTS if tag in parts), None),
            postal_code=parts.get("POSTAL CODE"),
            country=_location_country(location, document, where),
        )
    return addresses


def _location_country(location: Element, document: _Document, where: str) -> str | None:
    """`LocationCountry`; a bare area code (often "undetermined") is not taken as a country."""
    country = location.find(_NS + "LocationCountry")
    if country is None:
        return None
    return document.value("Country", country.get("CountryID"), where)


def _id_documents(root: Element, document: _Document) -> dict[str, list[ParsedIdentifier]]:
    """`IDRegDocuments` by the identity they belong to."""
    found: dict[str, list[ParsedIdentifier]] = defaultdict(list)
    for item in root.iterfind(f"{_NS}IDRegDocuments/{_NS}IDRegDocument"):
        where = f"{document.location} IDRegDocument {item.get('ID')}"
        number = (item.findtext(_NS + "IDRegistrationNo") or "").strip()
        if not number:
            continue
        label = document.value("IDRegDocType", item.get("IDRegDocTypeID"), where)
        country_id = item.get("IssuedBy-CountryID")
        dates = {
            document.value("IDRegDocDateType", date.get("IDRegDocDateTypeID"), where): _exact(
                date.find(_NS + "DatePeriod"), where
            )
            for date in item.iterfind(_NS + "DocumentDate")
        }
        found[item.get("IdentityID") or ""].append(
            ParsedIdentifier(
                kind=label_kind(label)[0][:64],
                value=number,
                country=document.value("Country", country_id, where) if country_id else None,
                issued_on=dates.get("Issue Date"),
                expires_on=dates.get("Expiration Date"),
                remarks=(item.findtext(_NS + "Comment") or "").strip() or None,
            )
        )
    return found


def _entries(root: Element) -> dict[str, list[Element]]:
    found: dict[str, list[Element]] = defaultdict(list)
    for entry in root.iterfind(f"{_NS}SanctionsEntries/{_NS}SanctionsEntry"):
        found[entry.get("ProfileID") or ""].append(entry)
    return found


# --- parties ---------------------------------------------------------------------------------


def _entity(party: Element, document: _Document) -> ParsedEntity:
    key = (party.get("FixedRef") or "").strip()
    where = f"{document.location} DistinctParty {key or '(no FixedRef)'}"
    profile = party.find(_NS + "Profile")
    if not key.isdigit() or profile is None:
        raise ListFormatError(f"{where} has no numeric FixedRef or no Profile.")
    kind = _kind(profile, document, where)
    primary, names = _names(profile, document, where)
    features = _features(profile, document, where)
    identities = [identity.get("ID") or "" for identity in profile.iterfind(_NS + "Identity")]
    entries = document.entries.get(profile.get("ID") or "", [])
    return ParsedEntity(
        source_key=key,
        kind=kind,
        primary_name=primary,
        names=unique(names),
        designations=unique(ParsedDesignation(p) for p in _program_tags(entries)),
        identifiers=unique(
            [
                *(i for ident in identities for i in document.identifiers.get(ident, [])),
                *features.identifiers,
            ]
        ),  # fmt: skip
        addresses=unique(_addresses(profile, document, where)),
        birth_dates=unique(features.birth_dates),
        birth_places=unique(features.birth_places),
        nationalities=unique(features.nationalities),
        facts=unique([*features.facts, *_entry_facts(entries, document, where)]),
        title=features.title,
        gender=features.gender,
        listing_date=_listing_date(entries, where),
        remarks=(party.findtext(_NS + "Comment") or "").strip() or None,
    )


def _kind(profile: Element, document: _Document, where: str) -> EntityKind:
    """The party's kind: its sub-type (Vessel, Aircraft) or, when "Unknown", its type."""
    sub_type = document.references.get("PartySubType", {}).get(profile.get("PartySubTypeID") or "")
    if sub_type is None:
        raise ListFormatError(f"{where} has an undefined PartySubTypeID.")
    name = (sub_type.text or "").strip()
    if name not in _KINDS:
        name = document.value("PartyType", sub_type.get("PartyTypeID"), where)
    if name not in _KINDS:
        raise ListFormatError(f"{where} has an unknown party type {name!r}.")
    return _KINDS[name]


def _names(profile: Element, document: _Document, where: str) -> tuple[str, list[ParsedName]]:
    """The primary name and the aliases, each assembled from its typed parts."""
    primary: str | None = None
    aliases: list[ParsedName] = []
    for identity in profile.iterfind(_NS + "Identity"):
        part_types = {
            group.get("ID") or "": document.value(
                "NamePartType", group.get("NamePartTypeID"), where
            )
            for group in identity.iterfind(f".//{_NS}NamePartGroup")
        }
        for alias in identity.iterfind(_NS + "Alias"):
            kind = _alias_kind(alias, document, where)
            for number, name in enumerate(alias.iterfind(_NS + "DocumentedName")):
                text, script = _assembled(name, part_types, document, where)
                if not text:
                    continue
                if alias.get("Primary") == "true" and number == 0 and primary is None:
                    primary = text
                    continue
                # No alias number: the format numbers names, not aliases (the CSV's alt_num).
                aliases.append(ParsedName(text, kind, script=script))
    if primary is None:
        raise ListFormatError(f"{where} has no primary name.")
    return primary, aliases


def _alias_kind(alias: Element, document: _Document, where: str) -> NameKind:
    if alias.get("LowQuality") == "true":
        return NameKind.WEAK_AKA
    alias_type = document.value("AliasType", alias.get("AliasTypeID"), where)
    return _ALIAS_KINDS.get(alias_type, NameKind.AKA)


def _assembled(
    name: Element, part_types: dict[str, str], document: _Document, where: str
) -> tuple[str, str | None]:
    """OFAC's own style from the parts: "LAST, First Middle", or the parts in order; last
    names and entity, vessel and aircraft names in capitals, as OFAC's other formats print
    them."""
    last: list[str] = []
    other: list[str] = []
    script: str | None = None
    for value in name.iterfind(f"{_NS}DocumentedNamePart/{_NS}NamePartValue"):
        text = (value.text or "").strip()
        group = value.get("NamePartGroupID") or ""
        if group not in part_types:
            raise ListFormatError(f"{where} has a name part of undefined group {group}.")
        part_type = part_types[group]
        if part_type == _LAST_NAME:
            last.append(text.upper())
        else:
            other.append(text.upper() if part_type in _CAPITALISED else text)
        script_name = document.value("Script", value.get("ScriptID"), where)
        script = script or script_code(script_name, text)
    joined_last, joined_other = " ".join(p for p in last if p), " ".join(p for p in other if p)
    if joined_last and joined_other:
        return f"{joined_last}, {joined_other}", script
    return joined_last or joined_other, script


def _features(profile: Element, document: _Document, where: str) -> FeatureValues:
    out = FeatureValues()
    for feature in profile.iterfind(_NS + "Feature"):
        label = document.value("FeatureType", feature.get("FeatureTypeID"), where)
        for version in feature.iterfind(_NS + "FeatureVersion"):
            if label == _LOCATION:
                continue  # addresses, read by `_addresses`
            value, birth = _feature_value(version, document, where)
            if value:
                add_feature(label, value, out, birth)
    return out


def _feature_value(
    version: Element, document: _Document, where: str
) -> tuple[str | None, ParsedBirthDate | None]:
    """A feature version's value as text, and its birth date parts when it is a date."""
    period = version.find(_NS + "DatePeriod")
    if period is not None:
        birth = _birth_date(period, where)
        return birth.text, birth
    detail = version.find(_NS + "VersionDetail")
    if detail is not None and detail.get("DetailReferenceID"):
        return document.value("DetailReference", detail.get("DetailReferenceID"), where), None
    if detail is not None and (detail.text or "").strip():
        return (detail.text or "").strip(), None
    location = version.find(_NS + "VersionLocation")
    if location is not None:
        address = document.addresses.get(location.get("LocationID") or "")
        if address is not None:
            parts = (address.street, address.city, address.region, address.country)
            return ", ".join(p for p in parts if p) or None, None
    return None, None


def _addresses(profile: Element, document: _Document, where: str) -> Iterator[ParsedAddress]:
    """The locations the profile's "Location" features point at."""
    for feature in profile.iterfind(_NS + "Feature"):
        if document.value("FeatureType", feature.get("FeatureTypeID"), where) != _LOCATION:
            continue
        for location in feature.iterfind(f"{_NS}FeatureVersion/{_NS}VersionLocation"):
            location_id = location.get("LocationID") or ""
            address = document.addresses.get(location_id)
            if address is None:
                raise ListFormatError(f"{where} refers to Location {location_id}, not defined.")
            if any(dataclasses.astuple(address)):
                yield dataclasses.replace(address, source_key=location_id)


def _program_tags(entries: list[Element]) -> Iterator[str]:
    """The program tags: the comments of the entries' measures of type Program (ID 1)."""
    for entry in entries:
        for measure in entry.iterfind(_NS + "SanctionsMeasure"):
            tag = (measure.findtext(_NS + "Comment") or "").strip()
            if tag and measure.get("SanctionsTypeID") == "1":
                yield tag


def _entry_facts(entries: list[Element], document: _Document, where: str) -> Iterator[ParsedFact]:
    """The lists, sanctions types and legal authorities of the entries, as the Enhanced XML
    importer names them."""
    for entry in entries:
        yield ParsedFact("sanctions_list", document.value("List", entry.get("ListID"), where))
        for measure in entry.iterfind(_NS + "SanctionsMeasure"):
            kind = document.value("SanctionsType", measure.get("SanctionsTypeID"), where)
            if kind != _PROGRAM:
                yield ParsedFact("sanctions_type", kind)
        for event in entry.iterfind(_NS + "EntryEvent"):
            if event.get("LegalBasisID"):
                basis = document.value("LegalBasis", event.get("LegalBasisID"), where)
                yield ParsedFact("legal_authority", basis)


def _listing_date(entries: list[Element], where: str) -> dt.date | None:
    dates = [
        _year_month_day(event.find(_NS + "Date"), where)
        for entry in entries
        for event in entry.iterfind(_NS + "EntryEvent")
    ]
    known = [day for day in dates if day is not None]
    return min(known) if known else None


def _with_relations(
    root: Element, entities: list[ParsedEntity], document: _Document
) -> list[ParsedEntity]:
    """`ProfileRelationships` attached to their subjects, with the related party's key and
    name (a profile's ID is its party's FixedRef in OFAC's files; mapped all the same)."""
    keys = _profile_keys(root)
    names = {entity.source_key: entity.primary_name for entity in entities}
    relations: dict[str, list[ParsedRelation]] = defaultdict(list)
    for item in root.iterfind(f"{_NS}ProfileRelationships/{_NS}ProfileRelationship"):
        where = f"{document.location} ProfileRelationship {item.get('ID')}"
        relation = document.value("RelationType", item.get("RelationTypeID"), where)
        target = keys.get(item.get("To-ProfileID") or "", item.get("To-ProfileID") or "")
        relations[keys.get(item.get("From-ProfileID") or "", "")].append(
            ParsedRelation(names.get(target, target), _snake(relation), object_key=target)
        )
    return [
        dataclasses.replace(e, relations=unique(relations[e.source_key]))
        if e.source_key in relations
        else e
        for e in entities
    ]


def _profile_keys(root: Element) -> dict[str, str]:
    """Profile ID -> the FixedRef of its party."""
    keys: dict[str, str] = {}
    for party in root.iterfind(f"{_NS}DistinctParties/{_NS}DistinctParty"):
        for profile in party.iterfind(_NS + "Profile"):
            keys[profile.get("ID") or ""] = party.get("FixedRef") or ""
    return keys


# --- values ----------------------------------------------------------------------------------


def _birth_date(period: Element, where: str) -> ParsedBirthDate:
    """A date period as a birth date, with the text OFAC would print for it."""
    start_element, end_element = period.find(_NS + "Start"), period.find(_NS + "End")
    start = _year_month_day(_child(start_element, "From"), where)
    end = _year_month_day(_child(end_element, "To"), where) or start
    circa = any(
        element is not None and element.get("Approximate") == "true"
        for element in (start_element, end_element)
    )
    parts = birth_date_in("", start, end, circa=circa)
    text = _render(parts.year, parts.month, parts.day, parts.year_to, circa)
    return dataclasses.replace(parts, text=text)


def _render(
    year: int | None, month: int | None, day: int | None, year_to: int | None, circa: bool
) -> str:
    """ "07 May 1966", "May 1966", "1966", "1960 to 1965", with "circa " when approximate."""
    if year is None:
        return ""
    text = str(year)
    if month is not None:
        text = f"{_MONTHS[month - 1]} {year}"
        if day is not None:
            text = f"{day:02d} {text}"
    if year_to is not None:
        text = f"{year} to {year_to}"
    return f"circa {text}" if circa else text


def _exact(period: Element | None, where: str) -> dt.date | None:
    if period is None:
        return None
    start = _year_month_day(_child(period.find(_NS + "Start"), "From"), where)
    end = _year_month_day(_child(period.find(_NS + "End"), "To"), where) or start
    return start if start is not None and start == end else None


def _year_month_day(element: Element | None, where: str) -> dt.date | None:
    """A `Year`/`Month`/`Day` element as a date; None when absent."""
    if element is None or element.find(_NS + "Year") is None:
        return None
    parts = [element.findtext(_NS + tag) or "1" for tag in ("Year", "Month", "Day")]
    try:
        return dt.date(*(int(part) for part in parts))
    except ValueError:
        raise ListFormatError(f"{where} has an invalid date {'-'.join(parts)}.") from None


def _child(element: Element | None, tag: str) -> Element | None:
    return element.find(_NS + tag) if element is not None else None


def _plain(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _snake(text: str) -> str:
    snake = "".join(c if c.isalnum() else "_" for c in text.lower())
    return "_".join(part for part in snake.split("_") if part)[:64] or "related_to"
