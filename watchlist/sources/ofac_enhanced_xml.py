"""OFAC's "Enhanced XML" (SDN_ENHANCED.XML, CONS_ENHANCED.XML), parsed into plain values; no SQL.

OFAC's Sanctions List Service publishes both of its lists in this format, under the default
namespace `ENHANCED_XML_NAMESPACE` and with the schema shipped as
`data/ofac-advanced/ENHANCED_XML.xsd`. Unlike the legacy CSV and `sdn.xml`, identifiers, dates
of birth, addresses and relationships come as structured elements rather than remarks, and
every coded value (alias type, country, document type, relationship type, ...) points into
the document's `referenceValues` table by `refId`; feature types into `featureTypes`.

`entity/@id` is the legacy `ent_num` / `uid`, names and addresses keep the legacy alias and
address numbers, and the list a file holds is read from `publicationInfo/filters`: an SDN file
belongs to the `us_ofac_sdn` source and a Consolidated file to `us_ofac_cons`, so switching a
source from the CSV to this format is an ordinary update rather than a delisting of every entry.
Every kind word (`passport`, `national_id`, `swift_bic`, `website`, ...) is the one the CSV's
remarks parser gives the same OFAC label (`ofac_remarks.label_kind`).

Every element OFAC's schema declares for an entity is read except those in
`UNREAD_ELEMENTS`, which name no fact about the listed party or repeat one read elsewhere:
internal ids and versions, US-person flags, a feature's primary flag, reliability and comments,
name parts (the formatted names are read), the inner bounds of a date period (its outer bounds
are read), a document's holder name, validity flag, issuing authority and location, and a
relationship's quality, dates and comments. A test checks this list against OFAC's schema,
shipped as `data/ofac-advanced/ENHANCED_XML.xsd`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

from watchlist.errors import ListFormatError
from watchlist.models.registry import EntityKind, NameKind, NationalityKind
from watchlist.sources import ofac_programs
from watchlist.sources.files import read_list_bytes
from watchlist.sources.ofac_csv import CONS_SOURCE, SDN_SOURCE
from watchlist.sources.ofac_remarks import label_kind
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
    ParsedRelation,
    SourceInfo,
)
from watchlist.sources.un_xml import detect_script
from watchlist.sources.values import iso_date, unique
from watchlist.sources.xml_input import check_unique_keys, parse_document, utc_timestamp

ENHANCED_XML_NAMESPACE = (
    "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ENHANCED_XML"
)
_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
FORMAT = "ofac-enhanced-xml"
ENHANCED_SDN_SOURCE = dataclasses.replace(
    SDN_SOURCE, url=_EXPORTS + "SDN_ENHANCED.XML", format=FORMAT
)
ENHANCED_CONS_SOURCE = dataclasses.replace(
    CONS_SOURCE, url=_EXPORTS + "CONS_ENHANCED.XML", format=FORMAT
)
# publicationInfo/filters/sanctionsLists/sanctionsList -> the source the file belongs to.
_LIST_SOURCES = {"SDN List": ENHANCED_SDN_SOURCE, "Consolidated List": ENHANCED_CONS_SOURCE}

_NS = "{" + ENHANCED_XML_NAMESPACE + "}"
_ROOT = _NS + "sanctionsData"

_KINDS = {
    "Individual": EntityKind.PERSON,
    "Entity": EntityKind.ORGANIZATION,
    "Vessel": EntityKind.VESSEL,
    "Aircraft": EntityKind.AIRCRAFT,
}
_ALIAS_KINDS = {"A.K.A.": NameKind.AKA, "F.K.A.": NameKind.FKA, "N.K.A.": NameKind.NKA}
# OFAC's SCRIPT reference values -> ISO 15924 codes, as the other importers store scripts; Latin
# script is not marked. A script OFAC adds later is told from the name's letters.
_SCRIPTS = {
    "Latin": None,
    "Arabic": "Arab",
    "Armenian": "Armn",
    "Chinese Simplified": "Hans",
    "Chinese Traditional": "Hant",
    "Cyrillic": "Cyrl",
    "Georgian": "Geor",
    "Greek": "Grek",
    "Hangul": "Hang",
    "Korean": "Kore",
    "Hebrew": "Hebr",
    "Japanese": "Jpan",
}
# Column widths of the registry: longer identifier values are kept as facts, kinds are cut.
_IDENTIFIER_MAX = 200
_KIND_MAX = 64

# Feature types read into their own fields rather than as facts or identifiers.
_BIRTH_DATE = "Birthdate"
_BIRTH_PLACE = "Place of Birth"
_GENDER = "Gender"
_TITLE = "Title"
_NATIONALITIES = {
    "Nationality Country": NationalityKind.NATIONALITY,
    "Citizenship Country": NationalityKind.CITIZENSHIP,
}
# Vessel features, named as the legacy formats name the same columns.
_VESSEL_FACTS = {
    "VESSEL TYPE": "vessel_type",
    "Vessel Flag": "vessel_flag",
    "Vessel Owner": "vessel_owner",
    "Vessel Tonnage": "tonnage",
    "Vessel Gross Registered Tonnage": "gross_registered_tonnage",
}
_VESSEL_IDENTIFIERS = {"Vessel Call Sign": "call_sign"}
_DIGITAL_CURRENCY = re.compile(r"Digital Currency Address - (\w+)", re.IGNORECASE)
_VESSEL_REGISTRATION = "Vessel Registration Identification"
_IMO = re.compile(r"IMO\s*:?\s*", re.IGNORECASE)

_STREET_PARTS = ("ADDRESS1", "ADDRESS2", "ADDRESS3")
_REGION_PARTS = ("STATE/PROVINCE", "REGION")


_PERIOD_INNER = ("fromDateEnd", "toDateBegin", "isDateRange")
_TRANSLATION = "names/name/translations/translation"
_DOCUMENT = "identityDocuments/identityDocument"
_RELATIONSHIP = "relationships/relationship"
# Element paths under `entity` that the parser deliberately leaves unread (see the docstring).
UNREAD_ELEMENTS = frozenset(
    {
        "generalInfo/identityId",
        "generalInfo/isUsCitizen",
        "generalInfo/isUsPerson",
        f"{_TRANSLATION}/formattedFirstName",
        f"{_TRANSLATION}/formattedLastName",
        f"{_TRANSLATION}/nameParts",
        f"{_TRANSLATION}/nameParts/namePart",
        f"{_TRANSLATION}/nameParts/namePart/type",
        f"{_TRANSLATION}/nameParts/namePart/value",
        "addresses/address/translations/country",
        "addresses/address/translations/translation/script",
        "features/feature/versionId",
        "features/feature/valueRefId",
        "features/feature/isPrimary",
        "features/feature/reliability",
        "features/feature/comments",
        *(f"features/feature/valueDate/{tag}" for tag in _PERIOD_INNER),
        *(f"{_DOCUMENT}/{tag}" for tag in ("name", "isValid", "issuingAuthority")),
        *(f"{_DOCUMENT}/{tag}" for tag in ("issuingLocation", "idFeatures")),
        f"{_DOCUMENT}/idFeatures/idFeature",
        *(
            f"{_DOCUMENT}/{period}/{tag}"
            for period in ("issueDate", "expirationDate")
            for tag in (*_PERIOD_INNER, "isApproximate")
        ),
        *(f"{_RELATIONSHIP}/{tag}" for tag in ("quality", "dateRange", "comments")),
        *(
            f"{_RELATIONSHIP}/dateRange/{tag}"
            for tag in (
                "fromDateBegin",
                "fromDateEnd",
                "toDateBegin",
                "toDateEnd",
                "isApproximate",
                "isDateRange",
            )
        ),
    }
)


@dataclasses.dataclass(frozen=True)
class _Tables:
    """The document's lookup tables: refId -> (type, value), featureTypeId -> type."""

    references: dict[str, tuple[str, str]]
    feature_types: dict[str, str]
    location: str


def read_ofac_enhanced_xml(path: Path) -> ParsedList:
    """Read and parse an OFAC Enhanced XML file, plain or gzip-compressed."""
    return parse_ofac_enhanced_xml(read_list_bytes(path), location=str(path))


def parse_ofac_enhanced_xml(data: bytes, *, location: str) -> ParsedList:
    """Parse the bytes of an OFAC Enhanced XML document; `location` names the file in errors."""
    root = _parse_root(data, location)
    tables = _Tables(_references(root, location), _feature_types(root, location), location)
    holder = root.find(_q("entities"))
    records = holder.findall(_q("entity")) if holder is not None else []
    if not records:
        raise ListFormatError(f"{location} holds no <entity> records: truncated or empty.")
    entities = tuple(_entity(record, tables) for record in records)
    check_unique_keys(entities, location, "entity id")
    return ParsedList(
        source=_source(root, location),
        entities=entities,
        programs=_programs(entities),
        published_at=_published_at(root, location),
    )


# --- document --------------------------------------------------------------------------------


def _q(tag: str) -> str:
    """A tag in the Enhanced XML namespace."""
    return _NS + tag


def _parse_root(data: bytes, location: str) -> Element:
    """The root element, refusing DTDs, entities, external references and other roots."""
    root = parse_document(data, location, list_name="an OFAC Enhanced XML list")
    if root.tag != _ROOT:
        raise ListFormatError(
            f"{location} is not an OFAC Enhanced XML list: its root is <{_plain(root.tag)}> "
            f"in namespace {_namespace(root.tag) or '(none)'}, not <sanctionsData> in "
            f"{ENHANCED_XML_NAMESPACE}."
        )
    return root


def _plain(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _references(root: Element, location: str) -> dict[str, tuple[str, str]]:
    """`referenceValues`: every refId with its type (ALIAS TYPE, COUNTRY, ...) and value."""
    table: dict[str, tuple[str, str]] = {}
    holder = root.find(_q("referenceValues"))
    for item in holder.findall(_q("referenceValue")) if holder is not None else []:
        ref_id, value = item.get("refId"), _text(item, "value")
        if not ref_id or value is None:
            raise ListFormatError(f"{location} has a referenceValue without refId or value.")
        table[ref_id] = (_text(item, "type") or "", value)
    if not table:
        raise ListFormatError(f"{location} has no referenceValues table.")
    return table


def _feature_types(root: Element, location: str) -> dict[str, str]:
    """`featureTypes`: featureTypeId -> the feature's label ("Birthdate", "SWIFT/BIC", ...)."""
    table: dict[str, str] = {}
    holder = root.find(_q("featureTypes"))
    for item in holder.findall(_q("featureType")) if holder is not None else []:
        type_id, label = item.get("featureTypeId"), _text(item, "type")
        if not type_id or label is None:
            raise ListFormatError(f"{location} has a featureType without id or type.")
        table[type_id] = label
    return table


def _source(root: Element, location: str) -> SourceInfo:
    """The source by the list the file was filtered to; by file name when it does not say."""
    lists = root.findall(f"{_q('publicationInfo')}/{_q('filters')}/{_q('sanctionsLists')}/*")
    names = {(item.text or "").strip() for item in lists}
    known = [_LIST_SOURCES[name] for name in sorted(names) if name in _LIST_SOURCES]
    if len(known) == 1 and len(names) == 1:
        return known[0]
    if names:
        raise ListFormatError(
            f"{location} holds the lists {', '.join(sorted(names))}; only a file of the SDN "
            "List or of the Consolidated List alone can be imported."
        )
    return ENHANCED_CONS_SOURCE if "cons" in Path(location).name.lower() else ENHANCED_SDN_SOURCE


def _published_at(root: Element, location: str) -> dt.datetime | None:
    """`publicationInfo/dataAsOf` as an aware UTC datetime."""
    info = root.find(_q("publicationInfo"))
    text = _text(info, "dataAsOf") if info is not None else None
    return utc_timestamp(text, location, "dataAsOf")


def _programs(entities: Iterable[ParsedEntity]) -> tuple[ParsedProgram, ...]:
    """OFAC's own description of every program tag the entities use (from the tag table)."""
    used = {d.program for entity in entities for d in entity.designations}
    return tuple(p for p in ofac_programs.read_program_tags() if p.code in used)


def _number(key: str) -> tuple[int, str]:
    return (int(key), key) if key.isdigit() else (0, key)


# --- entities --------------------------------------------------------------------------------


@dataclasses.dataclass
class FeatureValues:
    """What an entity's features hold, sorted into the fields they belong to (shared with the
    advanced XML importer, whose features carry the same OFAC labels)."""

    birth_dates: list[ParsedBirthDate] = dataclasses.field(default_factory=list)
    birth_places: list[ParsedBirthPlace] = dataclasses.field(default_factory=list)
    nationalities: list[ParsedNationality] = dataclasses.field(default_factory=list)
    identifiers: list[ParsedIdentifier] = dataclasses.field(default_factory=list)
    facts: list[ParsedFact] = dataclasses.field(default_factory=list)
    gender: str | None = None
    title: str | None = None


def _entity(record: Element, tables: _Tables) -> ParsedEntity:
    key = (record.get("id") or "").strip()
    where = f"{tables.location} entity {key or '(no id)'}"
    if not key.isdigit():
        raise ListFormatError(f"{where} has no numeric id.")
    info = _required(record, "generalInfo", where)
    entity_type = _reference(_required(info, "entityType", where), tables, where)
    kind = _KINDS.get(entity_type)
    if kind is None:
        raise ListFormatError(f"{where} has an unknown entity type {entity_type!r}.")
    primary, names = _names(record, tables, where)
    features = _features(record, tables, where)
    return ParsedEntity(
        source_key=key,
        kind=kind,
        primary_name=primary,
        names=unique(names),
        designations=unique(ParsedDesignation(p) for p in _programs_of(record, tables, where)),
        identifiers=unique([*_documents(record, tables, where), *features.identifiers]),
        addresses=unique(_addresses(record, tables, where)),
        birth_dates=unique(features.birth_dates),
        birth_places=unique(features.birth_places),
        nationalities=unique(features.nationalities),
        facts=unique([*features.facts, *_listing_facts(record, tables, where)]),
        relations=unique(_relations(record, tables, where)),
        title=_text(info, "title") or features.title,
        gender=features.gender,
        listing_date=_listing_date(record, where),
        remarks=_text(info, "remarks"),
    )


def _programs_of(record: Element, tables: _Tables, where: str) -> Iterator[str]:
    """The program tags of `sanctionsPrograms` (RUSSIA-EO14024, ...)."""
    for program in record.iterfind(f"{_q('sanctionsPrograms')}/{_q('sanctionsProgram')}"):
        yield _reference(program, tables, where)


def _listing_facts(record: Element, tables: _Tables, where: str) -> Iterator[ParsedFact]:
    """The lists, sanctions types and legal authorities an entity is listed under, and
    whether a person is known to be alive or dead."""
    for holder, kind in (
        ("sanctionsLists", "sanctions_list"),
        ("sanctionsTypes", "sanctions_type"),
        ("legalAuthorities", "legal_authority"),
    ):
        element = record.find(_q(holder))
        for item in element if element is not None else ():
            yield ParsedFact(kind, _reference(item, tables, where))
    living = record.find(f"{_q('generalInfo')}/{_q('livingStatus')}")
    if living is not None:
        yield ParsedFact("living_status", _reference(living, tables, where))


def _listing_date(record: Element, where: str) -> dt.date | None:
    """The earliest `sanctionsList/@datePublished`: when OFAC first listed the entity."""
    holder = record.find(_q("sanctionsLists"))
    items = holder.findall(_q("sanctionsList")) if holder is not None else []
    dates = [iso_date(item.get("datePublished"), where) for item in items]
    known = [day for day in dates if day is not None]
    return min(known) if known else None


# --- names -----------------------------------------------------------------------------------


def _names(record: Element, tables: _Tables, where: str) -> tuple[str, list[ParsedName]]:
    """The primary name and the aliases: every translation of every `names/name`."""
    primary: str | None = None
    aliases: list[ParsedName] = []
    for name in _required(record, "names", where).findall(_q("name")):
        is_primary = _flag(name, "isPrimary")
        kind = _alias_kind(name, tables, where)
        for translation in name.iterfind(f"{_q('translations')}/{_q('translation')}"):
            full = _text(translation, "formattedFullName")
            if full is None:
                continue
            script = _reference(_required(translation, "script", where), tables, where)
            main = _flag(translation, "isPrimary")
            if is_primary and main and primary is None:
                primary = full
                continue
            aliases.append(
                ParsedName(
                    name=full,
                    kind=kind,
                    script=script_code(script, full),
                    source_key=name.get("id") if main else None,
                )
            )
    if primary is None:
        raise ListFormatError(f"{where} has no primary name.")
    return primary, aliases


def script_code(name: str, text: str) -> str | None:
    """The ISO 15924 code of an OFAC script name; None for Latin."""
    if name in _SCRIPTS:
        return _SCRIPTS[name]
    detected = detect_script(text)
    return None if detected == "Latn" else detected


def _alias_kind(name: Element, tables: _Tables, where: str) -> NameKind:
    """A.K.A. / F.K.A. / N.K.A.; a low-quality name is weak whatever its type."""
    if _flag(name, "isLowQuality"):
        return NameKind.WEAK_AKA
    alias_type = name.find(_q("aliasType"))
    if alias_type is None:
        return NameKind.AKA
    return _ALIAS_KINDS.get(_reference(alias_type, tables, where), NameKind.AKA)


# --- features --------------------------------------------------------------------------------


def _features(record: Element, tables: _Tables, where: str) -> FeatureValues:
    out = FeatureValues()
    for feature in record.iterfind(f"{_q('features')}/{_q('feature')}"):
        _feature(feature, tables, where, out)
    return out


def _feature(feature: Element, tables: _Tables, where: str, out: FeatureValues) -> None:
    label = _feature_label(feature, tables, where)
    value = _text(feature, "value")
    if value is None:
        return
    birth = (
        _birth_date(value, feature.find(_q("valueDate")), where) if label == _BIRTH_DATE else None
    )
    add_feature(label, value, out, birth)


def add_feature(
    label: str, value: str, out: FeatureValues, birth: ParsedBirthDate | None = None
) -> None:
    """Sort one feature into birth dates, places, nationalities, identifiers or facts; a
    birth date's parts come in `birth` when the caller has read its date period."""
    if label == _BIRTH_DATE:
        out.birth_dates.append(birth or ParsedBirthDate(text=value))
    elif label == _BIRTH_PLACE:
        country = value.rpartition(",")[2].strip() if "," in value else None
        out.birth_places.append(ParsedBirthPlace(place=value, country=country or None))
    elif label in _NATIONALITIES:
        out.nationalities.append(ParsedNationality(value, _NATIONALITIES[label]))
    elif label == _GENDER:
        out.gender = out.gender or value.capitalize()
    elif label == _TITLE:
        out.title = out.title or value
    else:
        _fact_or_identifier(label, value, out)


def _feature_label(feature: Element, tables: _Tables, where: str) -> str:
    type_element = _required(feature, "type", where)
    type_id = type_element.get("featureTypeId")
    if type_id is None:
        return (type_element.text or "").strip()
    label = tables.feature_types.get(type_id)
    if label is None:
        raise ListFormatError(f"{where} has a feature of undefined featureTypeId {type_id}.")
    return label


def _fact_or_identifier(label: str, value: str, out: FeatureValues) -> None:
    """A feature by its label: an identifier (SWIFT/BIC, IMO, ...) or a fact (website, ...)."""
    currency = _DIGITAL_CURRENCY.fullmatch(label)
    if label in _VESSEL_FACTS:
        out.facts.append(ParsedFact(_VESSEL_FACTS[label], value))
    elif label in _VESSEL_IDENTIFIERS:
        out.identifiers.append(ParsedIdentifier(_VESSEL_IDENTIFIERS[label], value))
    elif currency is not None:
        kind = f"digital_currency_address_{currency.group(1).lower()}"
        out.identifiers.append(ParsedIdentifier(kind, value))
    elif label == _VESSEL_REGISTRATION and (imo := _IMO.match(value)) is not None:
        out.identifiers.append(ParsedIdentifier("imo", value[imo.end() :]))
    else:
        kind, is_identifier = label_kind(label)
        kind = kind[:_KIND_MAX]
        if is_identifier and len(value) <= _IDENTIFIER_MAX:
            out.identifiers.append(ParsedIdentifier(kind, value))
        else:
            out.facts.append(ParsedFact(kind, value))


def _birth_date(text: str, period: Element | None, where: str) -> ParsedBirthDate:
    """A date of birth: the listed text, with the parts its date period pins down (it runs
    from `fromDateBegin` to `toDateEnd`; `isApproximate` means circa)."""
    if period is None:
        return ParsedBirthDate(text=text)
    start = iso_date(_text(period, "fromDateBegin"), where)
    end = iso_date(_text(period, "toDateEnd"), where) or start
    return birth_date_in(text, start, end, circa=_flag(period, "isApproximate"))


def birth_date_in(
    text: str, start: dt.date | None, end: dt.date | None, *, circa: bool
) -> ParsedBirthDate:
    """A birth date known to lie between `start` and `end`: one day is a full date, a whole
    month a month, a whole year (or several) a year (or a range)."""
    if start is None or end is None or end < start:
        return ParsedBirthDate(text=text, circa=circa)
    if start == end:
        return ParsedBirthDate(text, start.year, start.month, start.day, circa=circa)
    whole_month = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    if whole_month and (start.year, start.month) == (end.year, end.month):
        return ParsedBirthDate(text, start.year, start.month, circa=circa)
    # A whole year, several years, or any other span: the years it covers.
    year_to = end.year if end.year != start.year else None
    return ParsedBirthDate(text, start.year, year_to=year_to, circa=circa)


# --- documents, addresses, relationships -----------------------------------------------------


def _documents(record: Element, tables: _Tables, where: str) -> Iterator[ParsedIdentifier]:
    """`identityDocuments`: passports, national IDs, registration and tax numbers."""
    for document in record.iterfind(f"{_q('identityDocuments')}/{_q('identityDocument')}"):
        number = _text(document, "documentNumber")
        if number is None:
            continue
        label = _reference(_required(document, "type", where), tables, where)
        kind = label_kind(label)[0][:_KIND_MAX]
        country = document.find(_q("issuingCountry"))
        yield ParsedIdentifier(
            kind=kind,
            value=number,
            country=_reference(country, tables, where) if country is not None else None,
            issued_on=_exact_date(document.find(_q("issueDate")), where),
            expires_on=_exact_date(document.find(_q("expirationDate")), where),
            remarks=_text(document, "comments"),
        )


def _addresses(record: Element, tables: _Tables, where: str) -> Iterator[ParsedAddress]:
    """`addresses`: the country and the primary translation's parts."""
    for address in record.iterfind(f"{_q('addresses')}/{_q('address')}"):
        country_element = address.find(_q("country"))
        country = (
            _reference(country_element, tables, where) if country_element is not None else None
        )
        parts = _address_parts(address, tables, where)
        street = ", ".join(parts[tag] for tag in _STREET_PARTS if tag in parts) or None
        region = next((parts[tag] for tag in _REGION_PARTS if tag in parts), None)
        if not (street or parts.get("CITY") or region or country):
            continue
        yield ParsedAddress(
            street=street,
            city=parts.get("CITY"),
            region=region,
            postal_code=parts.get("POSTAL CODE"),
            country=country,
            source_key=address.get("id"),
        )


def _address_parts(address: Element, tables: _Tables, where: str) -> dict[str, str]:
    """The primary translation's parts by type (ADDRESS1, CITY, POSTAL CODE, ...)."""
    for translation in address.iterfind(f"{_q('translations')}/{_q('translation')}"):
        if not _flag(translation, "isPrimary"):
            continue
        parts: dict[str, str] = {}
        for part in translation.iterfind(f"{_q('addressParts')}/{_q('addressPart')}"):
            part_type = _reference(_required(part, "type", where), tables, where)
            value = _text(part, "value")
            if value is not None:
                parts.setdefault(part_type, value)
        return parts
    return {}


def _relations(record: Element, tables: _Tables, where: str) -> Iterator[ParsedRelation]:
    """`relationships`: the related entity by its id, the relationship type in snake_case."""
    for relationship in record.iterfind(f"{_q('relationships')}/{_q('relationship')}"):
        related = _required(relationship, "relatedEntity", where)
        relation = _reference(_required(relationship, "type", where), tables, where)
        yield ParsedRelation(
            object_name=(related.text or "").strip(),
            relation=_snake(relation),
            object_key=related.get("entityId"),
        )


# --- values ----------------------------------------------------------------------------------


def _reference(element: Element, tables: _Tables, where: str) -> str:
    """The value an element's `refId` names in `referenceValues` (its text when it has none)."""
    ref_id = element.get("refId")
    if ref_id is None:
        text = (element.text or "").strip()
        if not text:
            raise ListFormatError(f"{where} has an empty <{_plain(element.tag)}>.")
        return text
    found = tables.references.get(ref_id)
    if found is None:
        raise ListFormatError(
            f"{where} refers to reference value {ref_id} (<{_plain(element.tag)}>), which the "
            "file does not define."
        )
    return found[1]


def _exact_date(period: Element | None, where: str) -> dt.date | None:
    """A date period's day when it is one known day; None when absent, partial or a range."""
    if period is None:
        return None
    start = iso_date(_text(period, "fromDateBegin"), where)
    end = iso_date(_text(period, "toDateEnd"), where) or start
    return start if start is not None and start == end else None


def _snake(text: str) -> str:
    """ "Owned or Controlled By" -> "owned_or_controlled_by"."""
    snake = re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")[:_KIND_MAX]
    return snake or "related_to"


# --- elements --------------------------------------------------------------------------------


def _text(element: Element, tag: str) -> str | None:
    """The stripped text of the first `tag` child, or None when absent or blank."""
    child = element.find(_q(tag))
    text = (child.text or "").strip() if child is not None else ""
    return text or None


def _flag(element: Element, tag: str) -> bool:
    return _text(element, tag) == "true"


def _required(element: Element, tag: str, where: str) -> Element:
    child = element.find(_q(tag))
    if child is None:
        raise ListFormatError(f"{where} has no <{tag}>.")
    return child
