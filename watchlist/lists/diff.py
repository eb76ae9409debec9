"""The before and after values of an entity's changed fields, as the change log shows them.

An import compares digests, not values (`watchlist.sources.parsed.field_hashes`), so it reads the
values of the entities it changes only, and only of their changed fields: the registry's record
before the import rewrites it against the parsed record that replaces it. Each value is written
as a person reads it ("MKRTYCEV, Asot (aka)", "passport BD5609822 (Slovakia), expires
2024-05-19"), and the diff of a field is stored as {"before": [...], "after": [...]}, bounded:
at most `MAX_VALUES` values a side (the removed and added ones first; the unchanged ones left
out are counted) and `MAX_TEXT` characters a value.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from watchlist.models import (
    Address,
    BirthDate,
    BirthPlace,
    Designation,
    Entity,
    EntityFact,
    EntityName,
    EntityRelation,
    Identifier,
    NameKind,
    Nationality,
    Program,
)
from watchlist.sources.parsed import COLLECTION_FIELDS, SCALAR_FIELDS, ParsedEntity
from watchlist.sources.values import unique

MAX_VALUES = 20
MAX_TEXT = 1000
CHUNK = 500

Row = Mapping[Any, Any]  # a row as column name -> value
Values = dict[str, list[str]]  # field -> its values as text


@dataclasses.dataclass(frozen=True)
class FieldChange:
    """One changed field of a change-log entry: its values before and after the import."""

    field: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    omitted_before: int = 0  # unchanged (or, past MAX_VALUES, removed) values not kept
    omitted_after: int = 0

    @property
    def removed(self) -> tuple[str, ...]:
        """Values the import took away."""
        after = set(self.after)
        return tuple(value for value in self.before if value not in after)

    @property
    def added(self) -> tuple[str, ...]:
        """Values the import brought."""
        before = set(self.before)
        return tuple(value for value in self.after if value not in before)


# --- values as text ----------------------------------------------------------------------------


def _words(value: object) -> str:
    """An enum or a code as words: weak_aka -> weak aka."""
    text = value.value if isinstance(value, enum.Enum) else str(value)
    return text.replace("_", " ")


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _name(row: Row) -> str:
    return f"{row['name']} ({_words(row['kind'])})"


def _designation(row: Row) -> str:
    on = row["designated_on"]
    return f"{row['program']}, designated {on.isoformat()}" if on else str(row["program"])


def _identifier(row: Row) -> str:
    text = f"{_words(row['kind'])} {row['value']}"
    if row["country"]:
        text += f" ({row['country']})"
    if row["issued_on"]:
        text += f", issued {_day(row['issued_on'])}"
    if row["expires_on"]:
        text += f", expires {_day(row['expires_on'])}"
    return text + (f" [{row['remarks']}]" if row["remarks"] else "")


def _address(row: Row) -> str:
    town = " ".join(part for part in (row["postal_code"], row["city"]) if part)
    parts = (row["street"], town, row["region"], row["country"])
    text = ", ".join(part for part in parts if part) or "no details"
    return text + (f" [{row['remarks']}]" if row["remarks"] else "")


def _birth_place(row: Row) -> str:
    place, country = str(row["place"]), row["country"]
    return f"{place} ({country})" if country and country not in place else place


def _nationality(row: Row) -> str:
    return f"{row['country']} ({_words(row['kind'])})"


def _fact(row: Row) -> str:
    return f"{_words(row['kind'])}: {row['value']}"


def _relation(row: Row) -> str:
    return f"{_words(row['relation'])} {row['object_name']}"


_TEXTS: dict[str, Callable[[Row], str]] = {
    "names": _name,
    "designations": _designation,
    "identifiers": _identifier,
    "addresses": _address,
    "birth_dates": lambda row: str(row["text"]),
    "birth_places": _birth_place,
    "nationalities": _nationality,
    "facts": _fact,
    "relations": _relation,
}


def _scalar(value: object) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, dt.date):
        return [value.isoformat()]
    return [_words(value) if isinstance(value, enum.Enum) else str(value)]


# --- the registry's record (before) and the parsed one (after) -----------------------------------


def stored_values(session: Session, changed: Mapping[int, Sequence[str]]) -> dict[int, Values]:
    """The registry's values of the changed fields of each entity: `changed` maps an entity id
    to the names of its changed fields. Read before the import rewrites the entities."""
    values: dict[int, Values] = {id_: {} for id_ in changed}
    for field in SCALAR_FIELDS + COLLECTION_FIELDS:
        ids = [id_ for id_, fields in changed.items() if field in fields]
        for id_ in ids:
            values[id_][field] = []
        for chunk in _chunks(ids):
            for row in _stored_rows(session, field, chunk):
                if field in SCALAR_FIELDS:
                    values[row["entity_id"]][field] = _scalar(row[field])
                else:
                    values[row["entity_id"]][field].append(_TEXTS[field](row))
    return values


def _stored_rows(session: Session, field: str, ids: Sequence[int]) -> Iterable[Row]:
    """The registry's rows of one field of some entities, each with its entity_id."""
    if field in SCALAR_FIELDS:
        column = getattr(Entity, field)
        return session.execute(
            sa.select(Entity.id.label("entity_id"), column).where(Entity.id.in_(ids))
        ).mappings()
    if field == "designations":
        return session.execute(
            sa.select(
                Designation.entity_id, Program.code.label("program"), Designation.designated_on
            )
            .join(Program, Program.id == Designation.program_id)
            .where(Designation.entity_id.in_(ids))
            .order_by(Designation.id)
        ).mappings()
    if field == "relations":
        return session.execute(
            sa.select(
                EntityRelation.subject_id.label("entity_id"),
                EntityRelation.relation,
                EntityRelation.object_name,
            )
            .where(EntityRelation.subject_id.in_(ids))
            .order_by(EntityRelation.id)
        ).mappings()
    model = _CHILD_MODELS[field]
    columns = [column for column in model.__table__.columns if column.key != "id"]
    query = sa.select(*columns).where(model.entity_id.in_(ids)).order_by(model.id)
    if model is EntityName:  # the primary name is a field of its own
        query = query.where(EntityName.kind != NameKind.PRIMARY)
    return session.execute(query).mappings()


_CHILD_MODELS: dict[str, Any] = {
    "names": EntityName,
    "identifiers": Identifier,
    "addresses": Address,
    "birth_dates": BirthDate,
    "birth_places": BirthPlace,
    "nationalities": Nationality,
    "facts": EntityFact,
}


def parsed_values(
    entity: ParsedEntity, fields: Iterable[str], kept_dates: Mapping[str, dt.date]
) -> Values:
    """The values of the changed fields as the import writes them; `kept_dates` are the
    designation dates (by program) the registry keeps when the list gives none."""
    values: Values = {}
    for field in fields:
        if field in SCALAR_FIELDS:
            values[field] = _scalar(getattr(entity, field))
        elif field == "designations":
            values[field] = [
                _designation({"program": d.program,
                              "designated_on": d.designated_on or kept_dates.get(d.program)})
                for d in entity.designations
            ]  # fmt: skip
        else:
            values[field] = [_TEXTS[field](vars(item)) for item in getattr(entity, field)]
    return values


# --- the stored diff ---------------------------------------------------------------------------


def entity_diff(fields: Sequence[str], before: Values, after: Values) -> dict[str, Any]:
    """The change-log diff of one entity: each changed field's values before and after."""
    return {field: field_diff(before.get(field, []), after.get(field, [])) for field in fields}


def field_diff(before: Sequence[str], after: Sequence[str]) -> dict[str, Any]:
    """{"before": [...], "after": [...]} of one field, bounded: past `MAX_VALUES` a side the
    unchanged values are left out first (from both sides alike), and counted."""
    old, new = _cut_once_each(before), _cut_once_each(after)
    old_set, new_set = set(old), set(new)
    removed = [value for value in old if value not in new_set][:MAX_VALUES]
    added = [value for value in new if value not in old_set][:MAX_VALUES]
    room = MAX_VALUES - max(len(removed), len(added))
    kept = [value for value in old if value in new_set][:room]
    shown = set(removed) | set(added) | set(kept)
    shown_old = [value for value in old if value in shown]
    shown_new = [value for value in new if value in shown]
    diff: dict[str, Any] = {"before": shown_old, "after": shown_new}
    if len(old) > len(shown_old):
        diff["omitted_before"] = len(old) - len(shown_old)
    if len(new) > len(shown_new):
        diff["omitted_after"] = len(new) - len(shown_new)
    return diff


def read_diff(fields: Sequence[str], diff: Mapping[str, Any] | None) -> tuple[FieldChange, ...]:
    """The stored diff of a change-log entry as field changes, in the order of its fields;
    none for an entry written before the change log kept values."""
    if not diff:
        return ()
    changes = []
    for field in fields:
        values = diff.get(field)
        if not isinstance(values, dict):
            continue
        changes.append(
            FieldChange(
                field,
                tuple(values.get("before", ())),
                tuple(values.get("after", ())),
                int(values.get("omitted_before", 0)),
                int(values.get("omitted_after", 0)),
            )
        )
    return tuple(changes)


def _cut_once_each(values: Iterable[str]) -> list[str]:
    """The values cut to `MAX_TEXT` characters, each once, in their order."""
    cut = (value if len(value) <= MAX_TEXT else value[: MAX_TEXT - 1] + "…" for value in values)
    return list(unique(cut))


def _chunks(items: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
