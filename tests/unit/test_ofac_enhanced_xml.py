"""The OFAC Enhanced XML importer, on OFAC's complete Consolidated list of 2026-01-08.

Damaged and edited documents are made from the real file: its XML is parsed with the standard
library (the file is trusted here), edited, and serialised again.
"""

from __future__ import annotations

import copy
import datetime as dt
import gzip
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from watchlist.errors import ListFormatError
from watchlist.lists.updates import read_sources
from watchlist.models.registry import EntityKind, NameKind, NationalityKind
from watchlist.sources import formats
from watchlist.sources.ofac_enhanced_xml import (
    ENHANCED_CONS_SOURCE,
    ENHANCED_SDN_SOURCE,
    ENHANCED_XML_NAMESPACE,
    UNREAD_ELEMENTS,
    parse_ofac_enhanced_xml,
    read_ofac_enhanced_xml,
    script_code,
)
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
)

DATA = Path(__file__).resolve().parents[2] / "data"
ENHANCED = DATA / "ofac-advanced" / "cons_enhanced_2026-01-08.xml.gz"
SCHEMA = DATA / "ofac-advanced" / "ENHANCED_XML.xsd"
LEGACY_CONS = DATA / "ofac" / "nonsdn_consolidated_legacy_csv"
NS = "{" + ENHANCED_XML_NAMESPACE + "}"
ET.register_namespace("", ENHANCED_XML_NAMESPACE)


@pytest.fixture(scope="module")
def raw() -> bytes:
    return gzip.decompress(ENHANCED.read_bytes())


@pytest.fixture(scope="module")
def cons() -> ParsedList:
    return read_ofac_enhanced_xml(ENHANCED)


def by_key(parsed: ParsedList) -> dict[str, ParsedEntity]:
    return {entity.source_key: entity for entity in parsed.entities}


def q(path: str) -> str:
    """A slash-separated path with every step in the Enhanced XML namespace."""
    return "/".join(NS + step for step in path.split("/"))


def edited(raw: bytes, edit: Callable[[ET.Element], None]) -> bytes:
    """The real document after `edit` changed its tree."""
    root = ET.fromstring(raw)
    edit(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def entity_of(root: ET.Element, key: str) -> ET.Element:
    found = root.find(f"{q('entities/entity')}[@id='{key}']")
    assert found is not None, key
    return found


def keep_only(root: ET.Element, keys: set[str]) -> None:
    holder = root.find(q("entities"))
    assert holder is not None
    for entity in list(holder):
        if entity.get("id") not in keys:
            holder.remove(entity)


def parse(data: bytes, location: str = "CONS_ENHANCED.XML") -> ParsedList:
    return parse_ofac_enhanced_xml(data, location=location)


# --- the real list -------------------------------------------------------------------------


def test_whole_consolidated_list(cons: ParsedList) -> None:
    assert len(cons.entities) == 442
    kinds = Counter(entity.kind for entity in cons.entities)
    assert kinds == {EntityKind.ORGANIZATION: 363, EntityKind.PERSON: 79}
    # The same source as the legacy consolidated CSV, so either format updates the other.
    assert cons.source.code == "us_ofac_cons"
    assert cons.source.label == "OFAC Consolidated"
    assert cons.source.format == "ofac-enhanced-xml"
    assert cons.source.url is not None and cons.source.url.endswith("/CONS_ENHANCED.XML")
    assert cons.published_at == dt.datetime(2026, 1, 8, tzinfo=dt.UTC)


def test_program_counts_and_descriptions(cons: ParsedList) -> None:
    programs = Counter(d.program for entity in cons.entities for d in entity.designations)
    assert programs["UKRAINE-EO13662"] == 286
    assert programs["RUSSIA-EO14024"] == 93
    assert programs["NS-PLC"] == 78
    assert programs["CMIC-EO13959"] == 68
    assert (programs["SDGT"], programs["VENEZUELA-EO13850"]) == (2, 2)
    # Every tag used is described from OFAC's program tag table.
    described = {program.code: program for program in cons.programs}
    assert set(described) == set(programs)
    assert all(program.authority == "US OFAC" for program in cons.programs)
    assert "14024" in (described["RUSSIA-EO14024"].legal_basis or "")


def test_haniya(cons: ParsedList) -> None:
    haniya = by_key(cons)["9639"]
    assert haniya.kind is EntityKind.PERSON
    assert haniya.primary_name == "HANIYA, Ismail Abdul Salah"
    assert {(n.name, n.kind, n.source_key) for n in haniya.names} == {
        ("HANIYA, Ismail", NameKind.AKA, "9150"),
        ("HANIYYA, Ismaeel", NameKind.AKA, "9151"),
    }
    assert haniya.birth_dates == (ParsedBirthDate(text="1962", year=1962),)
    assert haniya.birth_places == (ParsedBirthPlace("Shati"),)
    assert haniya.designations == (ParsedDesignation("NS-PLC"),)
    assert haniya.listing_date == dt.date(2006, 4, 12)
    assert ParsedFact("sanctions_list", "Non-SDN Palestinian Legislative Council List") in (
        haniya.facts
    )
    assert haniya.relations == ()


def test_relation_to_an_entity_of_another_list(cons: ParsedList) -> None:
    # HAMAS is an SDN entity, not in this file: the relation keeps its key and name.
    zahar = by_key(cons)["9647"]
    assert zahar.relations == (
        ParsedRelation("HAMAS", relation="acting_for_or_on_behalf_of", object_key="4695"),
    )


def test_gazprombank(cons: ParsedList) -> None:
    bank = by_key(cons)["17016"]
    assert bank.kind is EntityKind.ORGANIZATION
    assert bank.primary_name == "GAZPROMBANK JOINT STOCK COMPANY"
    assert ParsedName("ГАЗПРОМБАНК АКЦИОНЕРНОЕ ОБЩЕСТВО", NameKind.AKA, script="Cyrl") in (
        bank.names
    )
    assert ParsedName("GAZPROMBANK OPEN JOINT STOCK COMPANY", NameKind.FKA, source_key="26095") in (
        bank.names
    )
    assert ParsedName("BANK GPB JSC", NameKind.AKA, source_key="54916") in bank.names
    assert ParsedIdentifier("swift_bic", "GAZPRUMM") in bank.identifiers
    assert ParsedIdentifier("tax_id", "7744001497", country="Russia") in bank.identifiers
    assert ParsedFact("website", "www.gazprombank.ru") in bank.facts
    assert ParsedFact(
        "executive_order_13662_directive_determination", "Subject to Directive 1"
    ) in (bank.facts)
    assert [d.program for d in bank.designations] == ["UKRAINE-EO13662", "RUSSIA-EO14024"]
    assert bank.addresses[0] == ParsedAddress(
        street="16 Nametkina Street, Bldg. 1",
        city="Moscow",
        postal_code="117420",
        country="Russia",
        source_key="25807",
    )
    assert len(bank.addresses) == 5
    assert bank.listing_date == dt.date(2014, 7, 16)  # the Sectoral Sanctions list, first


def test_huawei(cons: ParsedList) -> None:
    huawei = by_key(cons)["30947"]
    assert huawei.primary_name == "HUAWEI TECHNOLOGIES CO., LTD."
    assert ParsedName("HUAWEI INVESTMENT & HOLDING CO LTD", NameKind.AKA, source_key="48664") in (
        huawei.names
    )
    assert huawei.designations == (ParsedDesignation("CMIC-EO13959"),)
    assert ParsedFact("listing_date_cmic", "03 Jun 2021") in huawei.facts


def test_birth_dates_nationality_gender_documents(cons: ParsedList) -> None:
    births = [b for entity in cons.entities for b in entity.birth_dates]
    assert len(births) == 74
    assert all(b.year is not None and not b.circa and b.year_to is None for b in births)
    assert sum(b.day is not None for b in births) == 1
    martelly = by_key(cons)["50476"]
    assert martelly.primary_name == "MARTELLY, Michel Joseph"
    assert martelly.birth_dates == (ParsedBirthDate("12 Feb 1961", 1961, 2, 12),)
    assert martelly.birth_places == (ParsedBirthPlace("Port-au-Prince, Haiti", "Haiti"),)
    assert martelly.nationalities == (ParsedNationality("Haiti", NationalityKind.NATIONALITY),)
    assert martelly.gender == "Male"
    assert ParsedIdentifier("national_id", "0032768386", country="Haiti") in martelly.identifiers


def test_relations_keep_the_related_entity_id(cons: ParsedList) -> None:
    relations = [r for entity in cons.entities for r in entity.relations]
    assert Counter(r.relation for r in relations) == {
        "owned_or_controlled_by": 278,
        "owns_controls_or_operates": 4,
        "acting_for_or_on_behalf_of": 1,
    }
    assert all(r.object_key and r.object_key.isdigit() and r.object_name for r in relations)


def test_scripts_are_iso_15924_codes(cons: ParsedList) -> None:
    scripts = Counter(n.script for entity in cons.entities for n in entity.names)
    assert scripts == {None: scripts[None], "Cyrl": 41, "Hans": 5, "Hant": 1}


def test_a_script_ofac_adds_later_is_told_from_the_letters() -> None:
    assert script_code("Cyrillic", "ГАЗПРОМБАНК") == "Cyrl"
    assert script_code("Thai script", "กรุงเทพ") == "Thai"
    assert script_code("Latin (extended)", "Łódź") is None


def test_weak_names(cons: ParsedList) -> None:
    weak = [n for entity in cons.entities for n in entity.names if n.kind is NameKind.WEAK_AKA]
    # 72 low-quality names; one of them also comes in a second script.
    assert len({n.source_key for n in weak if n.source_key}) == 72
    assert len(weak) == 73


def test_kind_words_agree_with_the_legacy_csv(cons: ParsedList) -> None:
    """Where the CSV's remarks and the XML give an entity the same identifier or fact value,
    they give it the same kind (the cross-list linker and the dashboard compare by kind)."""
    csv = formats.parse(formats.read_local("ofac-cons-csv", LEGACY_CONS))
    old = by_key(csv)
    compared = Counter[str]()
    for entity in cons.entities:
        before = old.get(entity.source_key)
        if before is None:
            continue
        pairs = [
            (
                {i.value: i.kind for i in before.identifiers},
                {i.value: i.kind for i in entity.identifiers},
            ),
            ({f.value: f.kind for f in before.facts}, {f.value: f.kind for f in entity.facts}),
        ]
        for kinds_before, kinds_after in pairs:
            for value in kinds_before.keys() & kinds_after.keys():
                assert kinds_before[value] == kinds_after[value], (entity.source_key, value)
                compared[kinds_after[value]] += 1
    assert {"tax_id", "registration_id", "swift_bic", "isin", "website", "email"} <= set(compared)
    assert {"secondary_sanctions_risk", "target_type", "listing_date_cmic"} <= set(compared)
    assert sum(compared.values()) > 1_000


def test_read_as_a_format(cons: ParsedList) -> None:
    list_file = formats.read_local("ofac-enhanced-xml", ENHANCED)
    assert formats.parse(list_file) == cons


def test_official_urls_are_configured_but_disabled() -> None:
    """The shipped sources file names both Enhanced XML exports, disabled beside the CSVs."""
    sources = read_sources(DATA.parent / "config" / "sources.toml")
    enhanced = {s.url: s.enabled for s in sources if s.format == "ofac-enhanced-xml"}
    assert enhanced == {ENHANCED_SDN_SOURCE.url: False, ENHANCED_CONS_SOURCE.url: False}
    assert {s.format for s in sources if s.enabled} >= {"ofac-csv", "ofac-cons-csv"}


# --- edited versions of the real file ------------------------------------------------------


def test_sdn_list_file_belongs_to_the_sdn_source(raw: bytes) -> None:
    def to_sdn(root: ET.Element) -> None:
        listed = root.find(q("publicationInfo/filters/sanctionsLists/sanctionsList"))
        assert listed is not None
        listed.text = "SDN List"
        keep_only(root, {"9639"})

    parsed = parse(edited(raw, to_sdn), location="SDN_ENHANCED.XML")
    assert parsed.source.code == "us_ofac_sdn"
    assert parsed.source.label == "OFAC SDN"


def test_circa_and_ranges_follow_the_date_period(raw: bytes) -> None:
    def periods(root: ET.Element) -> None:
        keep_only(root, {"9639", "50476"})
        haniya = entity_of(root, "9639").find(q("features/feature/valueDate"))
        assert haniya is not None
        haniya.find(q("toDateEnd")).text = "1965-12-31"  # type: ignore[union-attr]
        haniya.find(q("isApproximate")).text = "true"  # type: ignore[union-attr]
        martelly = entity_of(root, "50476").find(q("features/feature/valueDate"))
        assert martelly is not None
        martelly.find(q("fromDateBegin")).text = "1961-02-01"  # type: ignore[union-attr]
        martelly.find(q("toDateEnd")).text = "1961-02-28"  # type: ignore[union-attr]

    entities = by_key(parse(edited(raw, periods)))
    assert entities["9639"].birth_dates == (
        ParsedBirthDate("1962", 1962, year_to=1965, circa=True),
    )
    assert entities["50476"].birth_dates == (ParsedBirthDate("12 Feb 1961", 1961, 2),)


def add_period(parent: ET.Element, tag: str, day: str) -> None:
    period = ET.SubElement(parent, NS + tag)
    for part, text in (
        ("fromDateBegin", day),
        ("toDateEnd", day),
        ("isApproximate", "false"),
        ("isDateRange", "false"),
    ):
        ET.SubElement(period, NS + part).text = text


def test_document_dates_title_living_status_and_comments(raw: bytes) -> None:
    def add(root: ET.Element) -> None:
        keep_only(root, {"50476"})
        martelly = entity_of(root, "50476")
        info = martelly.find(q("generalInfo"))
        assert info is not None
        ET.SubElement(info, NS + "title").text = "President"
        ET.SubElement(info, NS + "livingStatus").text = "Deceased"
        document = martelly.find(q("identityDocuments/identityDocument"))
        assert document is not None
        add_period(document, "issueDate", "2012-03-04")
        add_period(document, "expirationDate", "2022-03-03")
        ET.SubElement(document, NS + "comments").text = "replaced"

    (martelly,) = parse(edited(raw, add)).entities
    assert martelly.title == "President"
    assert ParsedFact("living_status", "Deceased") in martelly.facts
    assert (
        ParsedIdentifier(
            "national_id",
            "0032768386",
            country="Haiti",
            issued_on=dt.date(2012, 3, 4),
            expires_on=dt.date(2022, 3, 3),
            remarks="replaced",
        )
        in martelly.identifiers
    )


VESSEL_FEATURES = {
    "VESSEL TYPE": "Crude Oil Tanker",
    "Vessel Flag": "Panama",
    "Vessel Call Sign": "3FZX9",
    "Vessel Registration Identification": "IMO 9187629",
    "MMSI": "352001234",
    "Vessel Year of Build": "1999",
    "Phone Number": "+1 555 0100",
    "Digital Currency Address - XBT": "1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
    "Citizenship Country": "Panama",
}


def test_vessel_and_contact_features(raw: bytes) -> None:
    """Features the Consolidated list does not use but the SDN list does, on an edited copy:
    the same kind words as the CSV remarks and `sdn.xml` give them."""

    def vessel(root: ET.Element) -> None:
        keep_only(root, {"30947"})
        types = root.find(q("featureTypes"))
        entity = entity_of(root, "30947")
        entity_type = entity.find(q("generalInfo/entityType"))
        features = entity.find(q("features"))
        assert types is not None and entity_type is not None and features is not None
        entity_type.set("refId", "602")  # SDN TYPE Vessel
        for number, (label, value) in enumerate(VESSEL_FEATURES.items(), 9000):
            kind = ET.SubElement(types, NS + "featureType", featureTypeId=str(number))
            ET.SubElement(kind, NS + "type").text = label
            feature = ET.SubElement(features, NS + "feature", id=str(number))
            ET.SubElement(feature, NS + "type", featureTypeId=str(number)).text = label
            ET.SubElement(feature, NS + "versionId").text = "1"
            ET.SubElement(feature, NS + "value").text = value
            ET.SubElement(feature, NS + "isPrimary").text = "true"

    (ship,) = parse(edited(raw, vessel)).entities
    assert ship.kind is EntityKind.VESSEL
    assert {
        ParsedIdentifier("call_sign", "3FZX9"),
        ParsedIdentifier("imo", "9187629"),
        ParsedIdentifier("mmsi", "352001234"),
        ParsedIdentifier("digital_currency_address_xbt", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"),
    } <= set(ship.identifiers)
    assert {
        ParsedFact("vessel_type", "Crude Oil Tanker"),
        ParsedFact("vessel_flag", "Panama"),
        ParsedFact("vessel_year_of_build", "1999"),
        ParsedFact("phone", "+1 555 0100"),
    } <= set(ship.facts)
    assert ship.nationalities == (ParsedNationality("Panama", NationalityKind.CITIZENSHIP),)


# --- damaged input -------------------------------------------------------------------------


def refused(data: bytes, location: str = "CONS_ENHANCED.XML") -> str:
    with pytest.raises(ListFormatError) as caught:
        parse(data, location)
    message = str(caught.value)
    assert location in message and "\n" not in message and "Traceback" not in message
    return message


def test_truncated_file_is_refused(raw: bytes) -> None:
    message = refused(raw[: len(raw) // 2])
    assert "cannot be parsed as XML" in message and "truncated" in message


def test_file_cut_after_a_whole_entity_is_refused(raw: bytes) -> None:
    cut = raw.rindex(b"</entity>") + len(b"</entity>")
    assert "cannot be parsed as XML" in refused(raw[:cut])


def test_wrong_root_and_wrong_namespace_are_refused(raw: bytes) -> None:
    legacy = (DATA / "ofac" / "xml" / "consolidated.xml.gz").read_bytes()
    assert "not an OFAC Enhanced XML list: its root is <sdnList>" in refused(
        gzip.decompress(legacy)
    )
    advanced = gzip.decompress(
        (DATA / "ofac" / "xml" / "cons_advanced_2020-03-17.xml.gz").read_bytes()
    )
    assert "http://www.un.org/sanctions/1.0" in refused(advanced)
    other = raw.replace(ENHANCED_XML_NAMESPACE.encode(), b"urn:example")
    assert "namespace urn:example" in refused(other)


def test_dtd_and_entity_bomb_are_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE sanctionsData [\n<!ENTITY a "aaaaaaaaaa">\n'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n'
        b'<sanctionsData xmlns="' + ENHANCED_XML_NAMESPACE.encode() + b'">&b;</sanctionsData>'
    )
    assert "declares a DTD" in refused(bomb)


def test_duplicate_entity_id_is_refused(raw: bytes) -> None:
    def duplicate(root: ET.Element) -> None:
        holder = root.find(q("entities"))
        assert holder is not None
        holder.append(copy.deepcopy(entity_of(root, "17016")))

    assert "lists entity id 17016 more than once" in refused(edited(raw, duplicate))


def test_bad_date_is_refused(raw: bytes) -> None:
    def bad(root: ET.Element) -> None:
        listed = entity_of(root, "9639").find(q("sanctionsLists/sanctionsList"))
        assert listed is not None
        listed.set("datePublished", "2006-04-31")

    assert "entity 9639 has an invalid date '2006-04-31'" in refused(edited(raw, bad))


def test_undefined_reference_value_is_refused(raw: bytes) -> None:
    def undefined(root: ET.Element) -> None:
        alias_type = entity_of(root, "17016").find(q("names/name/aliasType"))
        assert alias_type is not None
        alias_type.set("refId", "999999")

    message = refused(edited(raw, undefined))
    assert "entity 17016 refers to reference value 999999 (<aliasType>)" in message


def test_entity_without_primary_name_is_refused(raw: bytes) -> None:
    def no_primary(root: ET.Element) -> None:
        for flag in entity_of(root, "30947").iterfind(q("names/name/isPrimary")):
            flag.text = "false"

    assert "entity 30947 has no primary name" in refused(edited(raw, no_primary))


def test_file_of_several_lists_is_refused(raw: bytes) -> None:
    def both(root: ET.Element) -> None:
        lists = root.find(q("publicationInfo/filters/sanctionsLists"))
        assert lists is not None
        ET.SubElement(lists, NS + "sanctionsList", refId="1550").text = "SDN List"

    assert "only a file of the SDN List or of the Consolidated List" in refused(edited(raw, both))


def test_empty_entities_are_refused(raw: bytes) -> None:
    assert "holds no <entity> records" in refused(edited(raw, lambda root: keep_only(root, set())))


# --- OFAC's schema -------------------------------------------------------------------------


def test_shipped_file_validates_against_ofac_schema(raw: bytes) -> None:
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(SCHEMA))
    errors = list(schema.iter_errors(raw.decode()))
    assert errors == []


_PERIOD = ("fromDateBegin", "fromDateEnd", "toDateBegin", "toDateEnd", "isApproximate")
# Elements the schema declares that the 2026-01-08 Consolidated list never uses.
ABSENT_FROM_THE_FILE = {
    "generalInfo/isUsCitizen",
    "generalInfo/isUsPerson",
    "generalInfo/livingStatus",
    "generalInfo/title",
    "addresses/address/translations/country",
    "identityDocuments/identityDocument/comments",
    "identityDocuments/identityDocument/idFeatures",
    "identityDocuments/identityDocument/idFeatures/idFeature",
    "relationships/relationship/comments",
    *(
        f"{parent}{tag}"
        for parent in (
            "identityDocuments/identityDocument/issueDate",
            "identityDocuments/identityDocument/expirationDate",
            "relationships/relationship/dateRange",
        )
        for tag in ("", *(f"/{part}" for part in (*_PERIOD, "isDateRange")))
    ),
}


def schema_entity_paths() -> set[str]:
    """Every element path under `entity` the XSD declares ("names/name/isPrimary", ...)."""
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(SCHEMA))
    (entities,) = (e for e in schema.elements["sanctionsData"] if e.local_name == "entities")
    (entity,) = entities
    paths: set[str] = set()

    def walk(element: Any, prefix: str) -> None:
        for child in element:
            path = f"{prefix}/{child.local_name}" if prefix else child.local_name
            paths.add(path)
            walk(child, path)

    walk(entity, "")
    return paths


def mutate(entity: ET.Element, path: str) -> bool:
    """Change the elements at `path` in one entity: flip a flag, break a reference, alter a
    text, or drop a container. False when the entity has no such element."""
    parent_path, _, tag = path.rpartition("/")
    parents = entity.findall(q(parent_path)) if parent_path else [entity]
    changed = False
    for parent in parents:
        for element in parent.findall(NS + tag):
            changed = True
            text = (element.text or "").strip()
            if len(element):
                parent.remove(element)
            elif text in ("true", "false"):
                element.text = "false" if text == "true" else "true"
            elif element.get("refId") is not None:
                element.set("refId", "1")
            elif element.get("featureTypeId") is not None:
                element.set("featureTypeId", "1")
            else:
                element.text = text + "7"
    return changed


def samples(root: ET.Element, path: str, limit: int = 12) -> Iterator[ET.Element]:
    found = 0
    for entity in root.iterfind(q("entities/entity")):
        if entity.find(q(path)) is not None:
            found += 1
            yield entity
            if found == limit:
                return


def small_document(root: ET.Element, entities: list[ET.Element]) -> bytes:
    """The real document's tables with copies of a few of its entities."""
    small = ET.Element(root.tag, root.attrib)
    small.extend(child for child in root if child.tag != NS + "entities")
    holder = ET.SubElement(small, NS + "entities")
    holder.extend(copy.deepcopy(entity) for entity in entities)
    return ET.tostring(small, encoding="utf-8")


def test_parser_reads_every_element_the_schema_declares(raw: bytes) -> None:
    """Each element the XSD declares for an entity, changed in the entities of the real file
    that have it, changes what the parser makes of them (or makes it refuse the file) — except
    the elements the module lists as deliberately unread, and only those."""
    declared = schema_entity_paths()
    assert UNREAD_ELEMENTS <= declared, UNREAD_ELEMENTS - declared
    root = ET.fromstring(raw)
    read: set[str] = set()
    absent: set[str] = set()
    for path in sorted(declared):
        entities = list(samples(root, path))
        if not entities:
            absent.add(path)
            continue
        before = parse(small_document(root, entities))
        changed = [copy.deepcopy(entity) for entity in entities]
        for entity in changed:
            mutate(entity, path)
        try:
            after = parse(small_document(root, changed))
        except ListFormatError:
            read.add(path)
            continue
        if after != before:
            read.add(path)
    assert read == declared - absent - UNREAD_ELEMENTS, (
        f"read but listed as unread: {sorted(read & UNREAD_ELEMENTS)}; "
        f"unread but not listed: {sorted(declared - absent - UNREAD_ELEMENTS - read)}"
    )
    # Declared elements this file never uses; the parser's handling of the ones it reads
    # (title, living status, document dates and comments) is tested on edited copies above.
    assert absent == ABSENT_FROM_THE_FILE
