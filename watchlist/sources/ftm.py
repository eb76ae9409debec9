"""OpenSanctions FollowTheMoney entities: one JSON object per line.

Every Person, Organization, Company, LegalEntity, PublicBody, Vessel and Airplane record becomes
an entity, targeted or not (such records are the only ones an entity can be made of). The other
schemata only feed them:
Sanction records become designations (and programs), Ownership, Directorship, Family and a few
other link records become relations, Passport records become identifiers of their holder and
Address records become addresses of the entities that reference them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from watchlist.errors import InputError, ListFormatError
from watchlist.models.registry import EntityKind, NameKind, NationalityKind
from watchlist.sources.files import decode_text, read_list_bytes
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
from watchlist.sources.values import unique

FTM_SOURCE = SourceInfo(
    code="opensanctions",
    name="OpenSanctions (FollowTheMoney entities)",
    publisher="OpenSanctions",
    authority="OpenSanctions (aggregated)",
    url=None,
    format="ftm",
    label="OpenSanctions",
)
# OpenSanctions names datasets in lower snake case (`eu_fsf`, `us_ofac_sdn`, `sanctions`).
DATASET_NAME = re.compile(r"[a-z0-9][a-z0-9_]{0,47}")
# OpenSanctions names every dataset's export alike: such a file name says nothing.
_GENERIC_FILE_NAMES = frozenset({"entities", "targets", "statements", "index", "data"})
# https://data.opensanctions.org/datasets/latest/<dataset>/entities.ftm.json
_DATASET_URL = re.compile(r"/datasets/[^/]+/(?P<dataset>[a-z0-9_]+)/[^/]+$")


def dataset_source(dataset: str) -> SourceInfo:
    """The source of one FtM dataset: each dataset is versioned and diffed on its own, so
    loading a second dataset never delists the first one's entities."""
    return dataclasses.replace(
        FTM_SOURCE,
        code=f"opensanctions_{dataset}",
        name=f"OpenSanctions dataset {dataset} (FollowTheMoney entities)",
        label=f"OpenSanctions {dataset}",
    )


def check_dataset(name: str) -> str:
    """A dataset name as OpenSanctions writes them, or a one-sentence error."""
    if not DATASET_NAME.fullmatch(name):
        raise InputError(
            f"Dataset name {name!r} is not an OpenSanctions dataset name "
            "(lower-case letters, digits and underscores, at most 48)."
        )
    return name


def dataset_of_url(url: str) -> str | None:
    """The dataset an OpenSanctions download URL names (`.../latest/eu_fsf/entities.ftm.json`)."""
    found = _DATASET_URL.search(url.split("?", 1)[0])
    return found.group("dataset") if found else None


PROGRAM_DESCRIPTION = "Program as named by OpenSanctions; legal basis not given."

_KINDS = {
    "Person": EntityKind.PERSON,
    "Organization": EntityKind.ORGANIZATION,
    "Company": EntityKind.ORGANIZATION,
    "LegalEntity": EntityKind.ORGANIZATION,
    "PublicBody": EntityKind.ORGANIZATION,
    "Vessel": EntityKind.VESSEL,
    "Airplane": EntityKind.AIRCRAFT,
}

# Alias properties in order of strength: a name listed both ways keeps its strongest kind.
_NAME_PROPS = (
    ("name", NameKind.AKA),
    ("alias", NameKind.AKA),
    ("previousName", NameKind.FKA),
    ("weakAlias", NameKind.WEAK_AKA),
)

_IDENTIFIER_PROPS = {
    "passportNumber": "passport",
    "idNumber": "national_id",
    "taxNumber": "tax_id",
    "registrationNumber": "registration_number",
    "innCode": "inn",
    "ogrnCode": "ogrn",
    "swiftBic": "swift_bic",
    "imoNumber": "imo",
    "mmsi": "mmsi",
    "leiCode": "lei",
}

_FACT_PROPS = {
    "position": "position",
    "website": "website",
    "email": "email",
    "phone": "phone",
    "incorporationDate": "incorporation_date",
    "topics": "topic",
}

# Link schemata: (subject property, object property, relation on the subject).
_LINKS = {
    "Ownership": (("owner", "asset", "owner_of"), ("asset", "owner", "owned_by")),
    "Directorship": (("director", "organization", "director_of"),),
    "Family": (("person", "relative", "family"), ("relative", "person", "family")),
    "Associate": (("person", "associate", "associate"), ("associate", "person", "associate")),
    "Membership": (("member", "organization", "member_of"),),
    "UnknownLink": (("subject", "object", "linked_to"),),
}

# Identity documents: schema -> identifier kind, attached to the `holder`.
_DOCUMENTS = {"Passport": "passport", "Identification": "identification"}


_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_PROGRAM_CODE_MAX = 64
_PROGRAM_NAME_MAX = 300
_AUTHORITY_MAX = 100


@dataclasses.dataclass(frozen=True)
class _Record:
    """One line of the file, checked for shape."""

    id: str
    schema: str
    caption: str | None
    props: dict[str, tuple[str, ...]]
    first_seen: str | None
    last_change: str | None
    line: int
    datasets: tuple[str, ...] = ()

    def values(self, prop: str) -> tuple[str, ...]:
        """The non-blank values of `prop`, stripped."""
        return tuple(v.strip() for v in self.props.get(prop, ()) if v.strip())

    def first(self, prop: str) -> str | None:
        """The first non-blank value of `prop`."""
        values = self.values(prop)
        return values[0] if values else None


@dataclasses.dataclass(frozen=True)
class _Sanction:
    """One Sanction record, reduced to what a designation needs."""

    program: ParsedProgram
    start: dt.date | None


@dataclasses.dataclass
class _Links:
    """What the non-entity records say about entities, by entity id."""

    records: dict[str, _Record]
    sanctions: dict[str, list[_Sanction]] = dataclasses.field(
        default_factory=lambda: defaultdict(list)
    )
    relations: dict[str, list[ParsedRelation]] = dataclasses.field(
        default_factory=lambda: defaultdict(list)
    )
    documents: dict[str, list[ParsedIdentifier]] = dataclasses.field(
        default_factory=lambda: defaultdict(list)
    )


def read_ftm(path: Path, dataset: str | None = None) -> ParsedList:
    """Parse a FollowTheMoney JSON-lines file (plain or gzip-compressed)."""
    return parse_ftm(read_list_bytes(path), location=str(path), dataset=dataset)


def parse_ftm(data: bytes, *, location: str, dataset: str | None = None) -> ParsedList:
    """Parse FollowTheMoney JSON lines into a `ParsedList` of the file's dataset: `dataset`
    when given, else the one dataset every record names (see `file_dataset`)."""
    text = decode_text(data, location=location).removeprefix("\ufeff")
    records = _refuse_repeated_ids(list(_records(text, location)), location)
    if not records:
        raise ListFormatError(f"{location} holds no entities.")
    links = _links(records)
    entities = tuple(
        _entity(record, links, location) for record in records if record.schema in _KINDS
    )
    if not entities:
        raise ListFormatError(
            f"{location} holds no entities (no person, organization, vessel or aircraft)."
        )
    name = check_dataset(dataset) if dataset is not None else file_dataset(records, location)
    return ParsedList(
        source=dataset_source(name),
        entities=entities,
        programs=_programs(links),
        published_at=_published_at(records),
    )


# --- reading lines ---------------------------------------------------------------------------


def _records(text: str, location: str) -> Iterator[_Record]:
    # Split on newlines only: JSON strings may hold U+2028 and other line separators.
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield _record(line, number, location)


def file_dataset(records: Iterable[_Record], location: str) -> str:
    """The dataset a file is: the one dataset every record names; else the file's own name
    (`yente_zala.entities.ftm.json` is `yente_zala`), unless that is OpenSanctions' generic
    `entities`, which names nothing; else a one-sentence error asking for `--dataset`. (An
    export of several datasets, such as the `sanctions` collection, lists each entity's
    sources, not the file's own name.)"""
    shared: set[str] | None = None
    for record in records:
        shared = set(record.datasets) if shared is None else shared & set(record.datasets)
    names = sorted(shared or ())
    if len(names) == 1 and DATASET_NAME.fullmatch(names[0]):
        return names[0]
    named = _file_name_dataset(location)
    if named is not None:
        return named
    raise ListFormatError(
        f"{location} names no one dataset, and its file name names none; "
        "give the dataset this file is with --dataset."
    )


def _file_name_dataset(location: str) -> str | None:
    """A dataset name made of a file's name, up to its first dot; None for a generic name."""
    base = location.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    stem = re.sub(r"[^a-z0-9_]+", "_", base.split(".", 1)[0].lower()).strip("_")[:48]
    if stem in _GENERIC_FILE_NAMES or not DATASET_NAME.fullmatch(stem):
        return None
    return stem


def _record(line: str, number: int, location: str) -> _Record:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ListFormatError(f"{location} line {number} is not valid JSON: {exc.msg}.") from None
    except RecursionError:
        raise ListFormatError(f"{location} line {number} is nested too deeply.") from None
    if not (isinstance(data, dict) and _text(data.get("id")) and _text(data.get("schema"))):
        raise ListFormatError(
            f"{location} line {number} is not a FollowTheMoney entity "
            "(a JSON object with an id and a schema)."
        )
    return _Record(
        id=data["id"].strip(),
        schema=data["schema"].strip(),
        caption=_text(data.get("caption")),
        props=_properties(data.get("properties", {}), number, location),
        first_seen=_text(data.get("first_seen")),
        last_change=_text(data.get("last_change")),
        line=number,
        datasets=_datasets(data.get("datasets")),
    )


def _properties(value: Any, number: int, location: str) -> dict[str, tuple[str, ...]]:
    if isinstance(value, dict) and all(
        isinstance(items, list) and all(isinstance(item, str) for item in items)
        for items in value.values()
    ):
        return {str(key): tuple(items) for key, items in value.items()}
    raise ListFormatError(
        f"{location} line {number} has malformed properties (expected lists of strings)."
    )


def _datasets(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item.strip() for item in value if isinstance(item, str) and item.strip())


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _refuse_repeated_ids(records: list[_Record], location: str) -> list[_Record]:
    """The records, once no id is given twice: a repeated id is refused naming both lines (it
    is not a plain repeat to drop, as the two records may say different things)."""
    seen: dict[str, int] = {}
    for record in records:
        if record.id in seen:
            raise ListFormatError(
                f"{location} line {record.line} repeats entity id {record.id!r} "
                f"(first on line {seen[record.id]})."
            )
        seen[record.id] = record.line
    return records


# --- link records ----------------------------------------------------------------------------


def _links(records: Iterable[_Record]) -> _Links:
    """Index the records and collect sanctions, relations and documents by entity id."""
    links = _Links(records={record.id: record for record in records})
    for record in links.records.values():
        if record.schema == "Sanction":
            _add_sanction(links, record)
        elif record.schema in _LINKS:
            _add_relations(links, record)
        elif record.schema in _DOCUMENTS:
            _add_document(links, record)
    return links


def _add_sanction(links: _Links, record: _Record) -> None:
    start = _earliest(record.values("startDate"))
    for program in _sanction_programs(record):
        for target in record.values("entity"):
            links.sanctions[target].append(_Sanction(program, start))


def _sanction_programs(record: _Record) -> list[ParsedProgram]:
    """One program per programId; failing that, one per program name, or the authority."""
    names = record.values("program")
    authority = record.first("authority")
    url = record.first("sourceUrl")
    codes = record.values("programId")
    if codes:
        pairs = [(code, names[0] if names else code) for code in codes]
    elif names:
        pairs = [(_slug_code(name), name) for name in names]
    else:
        code = _slug_code(authority or "unknown")
        pairs = [(code, code)]
    return [
        ParsedProgram(
            code=code,
            name=name[:_PROGRAM_NAME_MAX],
            authority=(authority or "unknown")[:_AUTHORITY_MAX],
            legal_basis=None,
            description=PROGRAM_DESCRIPTION,
            url=url,
        )
        for code, name in pairs
    ]


def _slug_code(label: str) -> str:
    """`FTM-` plus an upper-case ASCII-folded slug, hashed down when too long for a code."""
    plain = _fold(label)
    slug = "-".join("".join(c if c.isalnum() else " " for c in plain).upper().split())
    code = f"FTM-{slug or 'UNKNOWN'}"
    if len(code) <= _PROGRAM_CODE_MAX:
        return code
    digest = hashlib.sha256(label.encode()).hexdigest()[:8]
    return f"{code[: _PROGRAM_CODE_MAX - 9].rstrip('-')}-{digest}"


def _fold(text: str) -> str:
    """Drop accents from Latin letters (é -> e), leaving other scripts whole."""
    kept: list[str] = []
    for char in unicodedata.normalize("NFKD", text):
        if not (unicodedata.combining(char) and kept and kept[-1].isascii()):
            kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _add_relations(links: _Links, record: _Record) -> None:
    for subject_prop, object_prop, relation in _LINKS[record.schema]:
        for subject in record.values(subject_prop):
            for other in record.values(object_prop):
                name = _caption(links.records.get(other)) or other
                links.relations[subject].append(ParsedRelation(name, relation, other))


def _add_document(links: _Links, record: _Record) -> None:
    number = record.first("number") or record.first("passportNumber")
    if number is None:
        return
    identifier = ParsedIdentifier(
        kind=_DOCUMENTS[record.schema],
        value=number,
        country=record.first("country"),
        issued_on=_earliest(record.values("startDate")),
        expires_on=_earliest(record.values("endDate")),
    )
    for holder in record.values("holder"):
        links.documents[holder].append(identifier)


def _programs(links: _Links) -> tuple[ParsedProgram, ...]:
    """Every program named by a sanction, once per code, filling gaps from later mentions."""
    merged: dict[str, ParsedProgram] = {}
    for sanctions in links.sanctions.values():
        for sanction in sanctions:
            program = sanction.program
            known = merged.get(program.code)
            merged[program.code] = program if known is None else _merge(known, program)
    return tuple(merged.values())


def _merge(known: ParsedProgram, other: ParsedProgram) -> ParsedProgram:
    name = known.name if known.name != known.code else other.name
    authority = known.authority if known.authority != "unknown" else other.authority
    return dataclasses.replace(known, name=name, authority=authority, url=known.url or other.url)


# --- entities --------------------------------------------------------------------------------


def _entity(record: _Record, links: _Links, location: str) -> ParsedEntity:
    kind = _KINDS[record.schema]
    primary = _caption(record)
    if primary is None:
        raise ListFormatError(
            f"{location} line {record.line} entity {record.id!r} has no caption or name."
        )
    person = kind is EntityKind.PERSON
    sanctions = links.sanctions.get(record.id, [])
    return ParsedEntity(
        source_key=record.id,
        kind=kind,
        primary_name=primary,
        names=_names(record, primary),
        designations=_designations(record, sanctions),
        identifiers=_identifiers(record, links.documents.get(record.id, [])),
        addresses=_addresses(record, links.records),
        birth_dates=tuple(_birth_date(text) for text in unique(record.values("birthDate"))),
        birth_places=tuple(ParsedBirthPlace(p) for p in unique(record.values("birthPlace"))),
        nationalities=_nationalities(record) if person else (),
        facts=_facts(record, person=person),
        relations=unique(links.relations.get(record.id, [])),
        title=record.first("title"),
        gender=record.first("gender"),
        listing_date=_earliest(s.start for s in sanctions if s.start)
        or _earliest(_values(record.first_seen)),
        remarks="\n".join(unique(record.values("notes") + record.values("summary"))) or None,
    )


def _caption(record: _Record | None) -> str | None:
    if record is None:
        return None
    return record.caption or record.first("name")


def _names(record: _Record, primary: str) -> tuple[ParsedName, ...]:
    seen = {primary}
    names: list[ParsedName] = []
    for prop, kind in _NAME_PROPS:
        for name in record.values(prop):
            if name not in seen:
                seen.add(name)
                names.append(ParsedName(name=name, kind=kind))
    return tuple(names)


def _designations(record: _Record, sanctions: list[_Sanction]) -> tuple[ParsedDesignation, ...]:
    """One designation per program, dated by its earliest sanction start.

    Programs the entity names in its own `programId` without a Sanction record are kept too,
    undated.
    """
    dates: dict[str, dt.date | None] = {}
    for sanction in sanctions:
        code, start = sanction.program.code, sanction.start
        current = dates.get(code)
        dates[code] = min(current, start) if current and start else current or start
    for code in record.values("programId"):
        dates.setdefault(code, None)
    return tuple(ParsedDesignation(code, on) for code, on in dates.items())


def _identifiers(
    record: _Record, documents: list[ParsedIdentifier]
) -> tuple[ParsedIdentifier, ...]:
    found = [
        ParsedIdentifier(kind=kind, value=value)
        for prop, kind in _IDENTIFIER_PROPS.items()
        for value in record.values(prop)
    ]
    listed = {(item.kind, item.value) for item in found}
    found += [doc for doc in documents if (doc.kind, doc.value) not in listed]
    return unique(found)


def _addresses(record: _Record, records: dict[str, _Record]) -> tuple[ParsedAddress, ...]:
    """Address records referenced by the entity first, then its plain-text addresses."""
    found = [
        _address_record(records[key])
        for key in record.values("addressEntity")
        if key in records and records[key].schema == "Address"
    ]
    countries = unique(record.values("country") or record.values("jurisdiction"))
    # A text address only gets a country when the entity has just the one.
    country = countries[0] if len(countries) == 1 else None
    found += [ParsedAddress(street=text, country=country) for text in record.values("address")]
    seen: set[str] = set()
    distinct: list[ParsedAddress] = []
    for address in found:
        key = _address_key(address)
        if key not in seen:
            seen.add(key)
            distinct.append(address)
    return tuple(distinct)


def _address_record(record: _Record) -> ParsedAddress:
    """An Address record: its full text when given, else its parts."""
    full = record.first("full")
    if full is not None:
        return ParsedAddress(street=full, country=record.first("country"), source_key=record.id)
    street = ", ".join(record.values("street") + record.values("postOfficeBox")) or None
    return ParsedAddress(
        street=street,
        city=record.first("city"),
        region=record.first("region"),
        postal_code=record.first("postalCode"),
        country=record.first("country"),
        source_key=record.id,
    )


def _address_key(address: ParsedAddress) -> str:
    parts = (address.street, address.city, address.region, address.postal_code)
    return " ".join(" ".join(p for p in parts if p).casefold().split())


def _nationalities(record: _Record) -> tuple[ParsedNationality, ...]:
    """Nationality and citizenship; the plain `country` stands in when neither is given."""
    nationality = NationalityKind.NATIONALITY
    pairs = [(c, nationality) for c in record.values("nationality")]
    pairs += [(c, NationalityKind.CITIZENSHIP) for c in record.values("citizenship")]
    if not pairs:
        countries = record.values("country") + record.values("jurisdiction")
        pairs = [(c, nationality) for c in countries]
    return tuple(ParsedNationality(country, kind) for country, kind in unique(pairs))


def _facts(record: _Record, *, person: bool) -> tuple[ParsedFact, ...]:
    facts = [
        ParsedFact(kind, value)
        for prop, kind in _FACT_PROPS.items()
        for value in record.values(prop)
    ]
    explicit = record.values("nationality") + record.values("citizenship")
    if not person or explicit:
        countries = record.values("country") + record.values("jurisdiction")
        facts += [ParsedFact("country", country) for country in countries]
    return unique(facts)


# --- values ----------------------------------------------------------------------------------


def _birth_date(text: str) -> ParsedBirthDate:
    """A FollowTheMoney date (YYYY, YYYY-MM or YYYY-MM-DD) as birth-date parts."""
    match = _DATE.fullmatch(text[:10])
    if match is None:
        return ParsedBirthDate(text=text)
    year, month, day = (int(part) if part else None for part in match.groups())
    return ParsedBirthDate(text=text, year=year, month=month, day=day)


def _full_day(text: str) -> dt.date | None:
    """The date part of a full FollowTheMoney date or timestamp; None when only partial."""
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _earliest(texts: Iterable[str | dt.date]) -> dt.date | None:
    dates = [t if isinstance(t, dt.date) else _full_day(t) for t in texts]
    known = [d for d in dates if d is not None]
    return min(known) if known else None


def _values(text: str | None) -> tuple[str, ...]:
    return (text,) if text else ()


def _published_at(records: Iterable[_Record]) -> dt.datetime | None:
    stamps = [_timestamp(r.last_change) for r in records if r.last_change]
    known = [stamp for stamp in stamps if stamp is not None]
    return max(known) if known else None


def _timestamp(text: str) -> dt.datetime | None:
    """An ISO timestamp as an aware UTC datetime (naive ones are taken to be UTC)."""
    try:
        stamp = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if stamp.tzinfo is None:
        return stamp.replace(tzinfo=dt.UTC)
    return stamp.astimezone(dt.UTC)
