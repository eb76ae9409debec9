"""The seed: programs and entities written by hand in `config/seed/*.toml`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import tomllib
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from watchlist.errors import ListFormatError
from watchlist.sources.parsed import ParsedEntity, ParsedList, ParsedProgram, SourceInfo

PROGRAMS_FILE = "programs.toml"
ENTITIES_FILE = "entities.toml"


def read_programs(seed_dir: Path) -> tuple[ParsedProgram, ...]:
    """The programs of `programs.toml`."""
    path = seed_dir / PROGRAMS_FILE
    data = _read(path)
    return tuple(
        _build(ParsedProgram, item, f"{path.name} program {index}")
        for index, item in enumerate(data.get("program", []), start=1)
    )


def read_entities(seed_dir: Path) -> ParsedList:
    """The source and entities of `entities.toml`."""
    path = seed_dir / ENTITIES_FILE
    data = _read(path)
    if "source" not in data:
        raise ListFormatError(f"Seed file {path} has no [source] table.")
    source = _build(SourceInfo, data["source"], f"{path.name} [source]")
    entities = tuple(
        _build(ParsedEntity, item, f"{path.name} entity {index}")
        for index, item in enumerate(data.get("entity", []), start=1)
    )
    return ParsedList(source=source, entities=entities)


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ListFormatError(f"Seed file {path} cannot be read: {exc.strerror}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ListFormatError(f"Seed file {path} is not valid TOML: {exc}.") from None


def _build(cls: type[Any], data: Any, where: str) -> Any:
    """Build a frozen dataclass from a TOML table, refusing unknown keys and wrong types."""
    if not isinstance(data, Mapping):
        raise ListFormatError(f"{where} must be a table.")
    hints = typing.get_type_hints(cls)
    fields = {field.name: field for field in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ListFormatError(f"{where} has unknown field {unknown[0]!r}.")
    values = {
        key: _value(hints[key], value, f"{where} field {key!r}") for key, value in data.items()
    }
    try:
        return cls(**values)
    except TypeError as exc:
        raise ListFormatError(f"{where} is incomplete: {exc}.") from None


def _value(hint: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is tuple:
        if not isinstance(value, list):
            raise ListFormatError(f"{where} must be a list.")
        return tuple(_value(args[0], item, where) for item in value)
    if origin in (typing.Union, types.UnionType):
        inner = next(arg for arg in args if arg is not type(None))
        return None if value is None else _value(inner, value, where)
    if dataclasses.is_dataclass(hint):
        return _build(typing.cast(type, hint), value, where)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(value)
        except ValueError:
            raise ListFormatError(f"{where} has an unknown value {value!r}.") from None
    if hint is dt.date and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(hint, type) and isinstance(value, hint) and not isinstance(value, bool | dt.date):
        return value
    if hint is bool and isinstance(value, bool):
        return value
    raise ListFormatError(f"{where} has a value of the wrong type: {value!r}.")
