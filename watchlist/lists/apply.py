"""List updates: apply a parsed list to the registry as one diffed, versioned change.

`apply_list` compares the parsed entities with what the registry holds for the same source,
writes only what changed (added, changed, delisted, relisted), and records a list version with
its counts and a change log. It never commits: the caller owns the transaction, so a failure
anywhere leaves the previous list in place.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from watchlist.errors import ListFormatError
from watchlist.lists import diff as list_diff
from watchlist.lists.plausibility import RemovalGuard, removals
from watchlist.models import (
    Address,
    BirthDate,
    BirthPlace,
    ChangeKind,
    Designation,
    Entity,
    EntityFact,
    EntityName,
    EntityRelation,
    Identifier,
    ListChange,
    ListSource,
    ListVersion,
    NameKind,
    Nationality,
    Program,
    VersionStatus,
)
from watchlist.models.base import utcnow
from watchlist.registry.parties import link_listings
from watchlist.sources import ofac_programs, seed
from watchlist.sources.parsed import (
    ParsedEntity,
    ParsedList,
    ParsedProgram,
    SourceInfo,
    changed_fields,
    content_hash,
    field_hashes,
    merged_hashes,
)

log = logging.getLogger(__name__)

CHUNK = 500
UNKNOWN_PROGRAM_NOTE = (
    "Program tag described neither in the seed nor in OFAC's program tag table: "
    "legal basis unknown."
)


@dataclasses.dataclass(frozen=True)
class VersionInfo:
    """Provenance of one import: where the file came from and what it was."""

    location: str | None = None
    checksum: str | None = None
    fetched_at: dt.datetime | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclasses.dataclass(frozen=True)
class _Stored:
    id: int
    hashes: dict[str, str]
    digest: str
    delisted_on: dt.date | None


@dataclasses.dataclass
class _Plan:
    added: list[ParsedEntity] = dataclasses.field(default_factory=list)
    changed: list[tuple[int, ParsedEntity, list[str]]] = dataclasses.field(default_factory=list)
    relisted: list[tuple[int, ParsedEntity, list[str]]] = dataclasses.field(default_factory=list)
    delisted: list[int] = dataclasses.field(default_factory=list)
    hashes: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)
    stripped: int = 0  # changed entities that lose a whole field (all aliases, all addresses)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.relisted or self.delisted)


def apply_list(
    session: Session,
    parsed: ParsedList,
    info: VersionInfo,
    *,
    complete: bool = True,
    record_unchanged: bool = True,
    guard: RemovalGuard | None = None,
) -> ListVersion | None:
    """Bring the registry in line with `parsed`; return the version recorded, if any.

    `complete` lists hold every active entity of their source, so entities missing from them are
    delisted; partial lists (the seed) only add and update. Under a `guard`, a version that would
    remove too much is recorded as refused and nothing else is written.
    """
    _check_unique_keys(parsed.entities)
    source = ensure_source(session, parsed.source)
    stored = _stored_entities(session, source.id)
    plan = _plan(parsed.entities, stored, complete=complete)
    refusal = _refusal(session, source, parsed, plan, guard) if guard else None
    if refusal is not None:
        return _record_version(session, source, parsed, info, plan, VersionStatus.REFUSED, refusal)
    upsert_programs(session, parsed.programs)
    programs = ensure_program_codes(session, _program_codes(parsed.entities), parsed.source)
    if plan.is_empty:
        if not record_unchanged:
            return None
        return _record_version(session, source, parsed, info, plan, VersionStatus.UNCHANGED)
    version = _record_version(session, source, parsed, info, plan, VersionStatus.CHANGED)
    _write_plan(session, source, version, plan, programs, _version_date(parsed, info))
    linked = link_listings(session)
    log.info("linked listings across lists after importing %s: %s", source.code, linked)
    return version


def load_seed(session: Session, seed_dir: Path) -> tuple[int, ListVersion | None]:
    """Load the seed programs and entities; return programs written and the version, if any.

    The programs are every tag of OFAC's program tag table and the hand-written programs of
    `programs.toml`, which win where both describe a tag; a tag an earlier import created as
    'legal basis unknown' gets its name and basis here. Idempotent: a second run finds nothing
    to change and writes nothing. Once a real list of the seed's source has been imported,
    that list is the authority on its entities and the seed leaves them as the list has them.
    """
    written = upsert_programs(session, _seed_programs(seed_dir))
    parsed = seed.read_entities(seed_dir)
    info = VersionInfo(location=str(seed_dir / seed.ENTITIES_FILE))
    if _list_imported(session, parsed.source.code):
        return written, None
    version = apply_list(session, parsed, info, complete=False, record_unchanged=False)
    return written, version


def _seed_programs(seed_dir: Path) -> tuple[ParsedProgram, ...]:
    """OFAC's program tag table, overlaid by the hand-written programs of `programs.toml`."""
    hand_written = seed.read_programs(seed_dir)
    codes = {program.code for program in hand_written}
    table = ofac_programs.read_program_tags()
    return tuple(p for p in table if p.code not in codes) + hand_written


def _refusal(
    session: Session, source: ListSource, parsed: ParsedList, plan: _Plan, guard: RemovalGuard
) -> str | None:
    """Why this version is implausible, if it is; the first list after the seed never is."""
    if not _list_imported(session, source.code):
        return None
    found = removals(session, source.id, parsed.entities,
                     delisted=len(plan.delisted), stripped=plan.stripped)  # fmt: skip
    return found.refusal(source.code, guard)


def _list_imported(session: Session, source_code: str) -> bool:
    """Whether a version of this source came from a list rather than from a seed file."""
    from_seed = ListVersion.location.endswith("/" + seed.ENTITIES_FILE)
    query = (
        sa.select(ListVersion.id)
        .join(ListSource, ListSource.id == ListVersion.source_id)
        .where(ListSource.code == source_code, sa.or_(ListVersion.location.is_(None), ~from_seed))
        .limit(1)
    )
    return session.scalar(query) is not None


def ensure_source(session: Session, info: SourceInfo) -> ListSource:
    """The source row for `info`, created or brought up to date."""
    source = session.scalar(sa.select(ListSource).where(ListSource.code == info.code))
    if source is None:
        source = ListSource(code=info.code)
        session.add(source)
    source.name, source.publisher = info.name, info.publisher
    source.url, source.format, source.label = info.url, info.format, info.label
    session.flush()
    return source


def upsert_programs(session: Session, programs: Iterable[ParsedProgram]) -> int:
    """Create or update programs by code; return how many rows were written."""
    existing = {p.code: p for p in session.scalars(sa.select(Program))}
    written = 0
    for parsed in programs:
        program = existing.get(parsed.code) or Program(code=parsed.code)
        # A list that does not describe a program never erases what the seed says of it.
        values = {k: v for k, v in dataclasses.asdict(parsed).items() if v is not None}
        if all(getattr(program, key, None) == value for key, value in values.items()):
            continue
        for key, value in values.items():
            setattr(program, key, value)
        session.add(program)
        written += 1
    session.flush()
    return written


def ensure_program_codes(
    session: Session, codes: Iterable[str], source: SourceInfo
) -> dict[str, int]:
    """Ids of the programs named by `codes`, creating any tag the database does not hold: from
    OFAC's program tag table for an OFAC list, else as 'legal basis unknown'."""
    known = {code: id_ for code, id_ in session.execute(sa.select(Program.code, Program.id))}
    missing = sorted(set(codes) - known.keys())
    described = _described_tags(source) if missing else {}
    for code in missing:
        program = _new_program(code, source, described.get(code))
        session.add(program)
        session.flush()
        known[code] = program.id
    return known


def _described_tags(source: SourceInfo) -> dict[str, ParsedProgram]:
    """The programs a list's tags are looked up in: OFAC's table for OFAC's lists only."""
    if source.authority != ofac_programs.AUTHORITY:
        return {}
    return {program.code: program for program in ofac_programs.read_program_tags()}


def _new_program(code: str, source: SourceInfo, described: ParsedProgram | None) -> Program:
    if described is not None:
        return Program(**dataclasses.asdict(described))
    return Program(
        code=code,
        name=code,
        authority=source.authority,
        legal_basis=None,
        description=f"{UNKNOWN_PROGRAM_NOTE} Seen in {source.name}.",
    )


def _check_unique_keys(entities: Sequence[ParsedEntity]) -> None:
    seen: set[str] = set()
    for entity in entities:
        if entity.source_key in seen:
            raise ListFormatError(f"The list holds record {entity.source_key} twice.")
        seen.add(entity.source_key)


def _program_codes(entities: Iterable[ParsedEntity]) -> set[str]:
    return {d.program for entity in entities for d in entity.designations}


def _stored_entities(session: Session, source_id: int) -> dict[str, _Stored]:
    rows = session.execute(
        sa.select(
            Entity.source_key,
            Entity.id,
            Entity.field_hashes,
            Entity.content_hash,
            Entity.delisted_on,
        ).where(Entity.source_id == source_id)
    )
    return {key: _Stored(id_, dict(hashes), digest, off) for key, id_, hashes, digest, off in rows}


def _plan(entities: Sequence[ParsedEntity], stored: dict[str, _Stored], *, complete: bool) -> _Plan:
    """Sort parsed entities into added, changed, relisted; find the delisted ones."""
    plan = _Plan()
    for entity in entities:
        hashes = field_hashes(entity)
        current = stored.get(entity.source_key)
        if current is None:
            plan.added.append(entity)
            plan.hashes[entity.source_key] = hashes
            continue
        merged = merged_hashes(current.hashes, hashes)
        plan.hashes[entity.source_key] = merged
        fields = (
            [] if content_hash(merged) == current.digest else changed_fields(current.hashes, hashes)
        )
        if current.delisted_on is not None:
            plan.relisted.append((current.id, entity, fields))
        elif fields:
            plan.changed.append((current.id, entity, fields))
            plan.stripped += bool(current.hashes.keys() - merged.keys())
    if complete:
        listed = {entity.source_key for entity in entities}
        plan.delisted = [
            s.id for key, s in stored.items() if key not in listed and s.delisted_on is None
        ]
    return plan


def _version_date(parsed: ParsedList, info: VersionInfo) -> dt.date:
    moment = parsed.published_at or info.fetched_at or utcnow()
    return moment.date()


def _record_version(
    session: Session,
    source: ListSource,
    parsed: ParsedList,
    info: VersionInfo,
    plan: _Plan,
    status: VersionStatus,
    refusal: str | None = None,
) -> ListVersion:
    version = ListVersion(
        source=source,
        status=status,
        location=info.location,
        published_at=parsed.published_at,
        fetched_at=info.fetched_at,
        checksum=info.checksum,
        etag=info.etag,
        last_modified=info.last_modified,
        entity_count=len(parsed.entities),
        name_count=sum(1 + len(entity.names) for entity in parsed.entities),
        added_count=len(plan.added),
        changed_count=len(plan.changed),
        delisted_count=len(plan.delisted),
        relisted_count=len(plan.relisted),
        refusal=refusal,
    )
    session.add(version)
    session.flush()
    return version


def _write_plan(
    session: Session,
    source: ListSource,
    version: ListVersion,
    plan: _Plan,
    programs: dict[str, int],
    on: dt.date,
) -> None:
    updated = plan.changed + plan.relisted
    before = list_diff.stored_values(session, {id_: f for id_, _, f in updated if f})
    added_ids = _insert_entities(session, source.id, version.id, plan)
    _update_entities(session, version.id, updated, plan.hashes)
    kept_dates = _designation_dates(session, [id_ for id_, _, _ in updated])
    _delete_children(session, [id_ for id_, _, _ in updated])
    written = list(zip(added_ids, plan.added, strict=True)) + [(i, e) for i, e, _ in updated]
    _insert_children(session, written, programs, kept_dates)
    _delist(session, plan.delisted, on)
    diffs = _diffs(updated, before, programs, kept_dates)
    _log_changes(session, version.id, plan, added_ids, diffs)
    resolve_relations(session, source.id)


def _diffs(
    updated: Sequence[tuple[int, ParsedEntity, list[str]]],
    before: dict[int, list_diff.Values],
    programs: dict[str, int],
    kept_dates: dict[tuple[int, int], dt.date],
) -> dict[int, dict[str, Any]]:
    """The before and after values of the changed fields of each changed or relisted entity."""
    diffs: dict[int, dict[str, Any]] = {}
    for id_, entity, fields in updated:
        if not fields:
            continue
        kept = {
            d.program: kept_dates[(id_, programs[d.program])]
            for d in entity.designations
            if (id_, programs[d.program]) in kept_dates
        }
        after = list_diff.parsed_values(entity, fields, kept)
        diffs[id_] = list_diff.entity_diff(fields, before[id_], after)
    return diffs


def _entity_values(entity: ParsedEntity, hashes: dict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "kind": entity.kind,
        "primary_name": entity.primary_name,
        "title": entity.title,
        "gender": entity.gender,
        "remarks": entity.remarks,
        "field_hashes": hashes,
        "content_hash": content_hash(hashes),
        "delisted_on": None,
        "updated_at": utcnow(),
    }
    if entity.listing_date is not None:
        values["listing_date"] = entity.listing_date
    return values


def _insert_entities(session: Session, source_id: int, version_id: int, plan: _Plan) -> list[int]:
    rows = [
        {
            **_entity_values(entity, plan.hashes[entity.source_key]),
            "source_id": source_id,
            "source_key": entity.source_key,
            "first_seen_version_id": version_id,
            "last_changed_version_id": version_id,
            "created_at": utcnow(),
        }
        for entity in plan.added
    ]
    ids: list[int] = []
    for chunk in _chunks(rows):
        statement = sa.insert(Entity).returning(Entity.id, sort_by_parameter_order=True)
        ids.extend(session.scalars(statement, chunk).all())
    return ids


def _update_entities(
    session: Session,
    version_id: int,
    updated: Sequence[tuple[int, ParsedEntity, list[str]]],
    hashes: dict[str, dict[str, str]],
) -> None:
    rows = [
        {
            **_entity_values(entity, hashes[entity.source_key]),
            "id": id_,
            "last_changed_version_id": version_id,
        }
        for id_, entity, _ in updated
    ]
    for chunk in _chunks(rows):
        session.execute(sa.update(Entity), chunk)


_CHILD_MODELS: tuple[type[Any], ...] = (
    EntityName,
    Designation,
    Identifier,
    Address,
    BirthDate,
    BirthPlace,
    Nationality,
    EntityFact,
)


def _designation_dates(session: Session, ids: Sequence[int]) -> dict[tuple[int, int], dt.date]:
    """Known designation dates of entities about to be rewritten (a list may omit them)."""
    dates: dict[tuple[int, int], dt.date] = {}
    for chunk in _chunks(list(ids)):
        rows = session.execute(
            sa.select(Designation.entity_id, Designation.program_id, Designation.designated_on)
            .where(Designation.entity_id.in_(chunk))
            .where(Designation.designated_on.is_not(None))
        )
        dates.update({(entity_id, program_id): on for entity_id, program_id, on in rows if on})
    return dates


def _delete_children(session: Session, ids: Sequence[int]) -> None:
    for chunk in _chunks(list(ids)):
        for model in _CHILD_MODELS:
            session.execute(sa.delete(model).where(model.entity_id.in_(chunk)))
        session.execute(sa.delete(EntityRelation).where(EntityRelation.subject_id.in_(chunk)))


def _insert_children(
    session: Session,
    written: Sequence[tuple[int, ParsedEntity]],
    programs: dict[str, int],
    kept_dates: dict[tuple[int, int], dt.date],
) -> None:
    rows: dict[type[Any], list[dict[str, Any]]] = {model: [] for model in _CHILD_MODELS}
    rows[EntityRelation] = []
    for id_, entity in written:
        for model, values in _child_rows(id_, entity, programs, kept_dates):
            rows[model].append(values)
    for model, model_rows in rows.items():
        for chunk in _chunks(model_rows):
            session.execute(sa.insert(model), chunk)


def _child_rows(
    id_: int,
    entity: ParsedEntity,
    programs: dict[str, int],
    kept_dates: dict[tuple[int, int], dt.date],
) -> Iterator[tuple[type[Any], dict[str, Any]]]:
    yield EntityName, {"entity_id": id_, "name": entity.primary_name, "kind": NameKind.PRIMARY}
    for name in entity.names:
        yield EntityName, {"entity_id": id_, **dataclasses.asdict(name)}
    for designation in entity.designations:
        program_id = programs[designation.program]
        on = designation.designated_on or kept_dates.get((id_, program_id))
        yield Designation, {"entity_id": id_, "program_id": program_id, "designated_on": on}
    simple: tuple[tuple[type[Any], Sequence[Any]], ...] = (
        (Identifier, entity.identifiers),
        (Address, entity.addresses),
        (BirthDate, entity.birth_dates),
        (BirthPlace, entity.birth_places),
        (Nationality, entity.nationalities),
        (EntityFact, entity.facts),
    )
    for model, items in simple:
        for item in items:
            yield model, {"entity_id": id_, **dataclasses.asdict(item)}
    for relation in entity.relations:
        yield (
            EntityRelation,
            {
                "subject_id": id_,
                "object_name": relation.object_name,
                "object_key": relation.object_key,
                "relation": relation.relation,
                "object_id": None,
            },
        )


def _delist(session: Session, ids: Sequence[int], on: dt.date) -> None:
    for chunk in _chunks(list(ids)):
        session.execute(
            sa.update(Entity)
            .where(Entity.id.in_(chunk))
            .values(delisted_on=on, updated_at=utcnow())
        )


def _log_changes(
    session: Session,
    version_id: int,
    plan: _Plan,
    added_ids: list[int],
    diffs: dict[int, dict[str, Any]],
) -> None:
    rows: list[dict[str, Any]] = []
    rows += [{"entity_id": i, "change": ChangeKind.ADDED, "fields": []} for i in added_ids]
    rows += [
        {"entity_id": i, "change": ChangeKind.CHANGED, "fields": f} for i, _, f in plan.changed
    ]
    rows += [
        {"entity_id": i, "change": ChangeKind.RELISTED, "fields": f} for i, _, f in plan.relisted
    ]
    rows += [{"entity_id": i, "change": ChangeKind.DELISTED, "fields": []} for i in plan.delisted]
    for row in rows:
        row["version_id"] = version_id
        row["diff"] = diffs.get(row["entity_id"])
    for chunk in _chunks(rows):
        session.execute(sa.insert(ListChange), chunk)


def resolve_relations(session: Session, source_id: int) -> int:
    """Point unresolved relations of a source at the entity they name; return how many."""
    subject = sa.orm.aliased(Entity)
    pending = session.execute(
        sa.select(EntityRelation.id, EntityRelation.object_key, EntityRelation.object_name)
        .join(subject, subject.id == EntityRelation.subject_id)
        .where(subject.source_id == source_id, EntityRelation.object_id.is_(None))
    ).all()
    if not pending:
        return 0
    by_key, by_name = _entity_ids(session, source_id)
    updates = []
    for relation_id, key, name in pending:
        object_id = by_key.get(key) if key else by_name.get(_name_key(name))
        if object_id is not None:
            updates.append({"id": relation_id, "object_id": object_id})
    for chunk in _chunks(updates):
        session.execute(sa.update(EntityRelation), chunk)
    return len(updates)


def _entity_ids(session: Session, source_id: int) -> tuple[dict[str, int], dict[str, int]]:
    rows = session.execute(
        sa.select(Entity.source_key, Entity.primary_name, Entity.id).where(
            Entity.source_id == source_id
        )
    ).all()
    return {key: id_ for key, _, id_ in rows}, {_name_key(name): id_ for _, name, id_ in rows}


def _name_key(name: str) -> str:
    """OFAC writes "Linked To: MKRTYCHEV, Ashot." with a closing full stop."""
    return " ".join(name.strip().rstrip(".").casefold().split())


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
