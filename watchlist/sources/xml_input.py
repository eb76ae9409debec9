"""What every XML list importer does alike: parse the document safely, read its timestamp,
and refuse two records with one key. Each importer checks its own root element."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import ErrorString

import defusedxml.ElementTree as safe_xml
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from watchlist.errors import ListFormatError
from watchlist.sources.parsed import ParsedEntity

_REFUSED = {
    DTDForbidden: "declares a DTD",
    EntitiesForbidden: "declares XML entities",
    ExternalReferenceForbidden: "references an external resource",
}


def parse_document(data: bytes, location: str, *, list_name: str) -> Element:
    """The document's root element. A DTD, entity declarations and external references are
    refused outright (no sanctions list uses them; they are how entity-expansion bombs and
    external-entity reads work), and so is a document that is not well-formed XML (cut short
    or damaged), naming the line."""
    try:
        root: Element = safe_xml.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as exc:
        raise ListFormatError(
            f"{location} {_REFUSED[type(exc)]}, which {list_name} never does; refused."
        ) from None
    except ParseError as exc:
        line, _column = exc.position
        raise ListFormatError(
            f"{location} cannot be parsed as XML at line {line}: {ErrorString(exc.code)} "
            "(truncated or damaged)."
        ) from None
    return root


def utc_timestamp(value: str | None, location: str, field: str) -> dt.datetime | None:
    """An ISO 8601 timestamp of the document (its generation date) as an aware UTC datetime;
    one without a zone is taken as UTC."""
    if not value:
        return None
    try:
        stamp = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise ListFormatError(f"{location} has an invalid {field} {value!r}.") from None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.astimezone(dt.UTC)


def check_unique_keys(entities: Iterable[ParsedEntity], location: str, record: str) -> None:
    """Refuse a list that gives two of its records (`record`: what the list calls one, with
    its key's name) the same key."""
    counts = Counter(entity.source_key for entity in entities)
    twice = sorted(key for key, count in counts.items() if count > 1)
    if twice:
        raise ListFormatError(f"{location} lists {record} {twice[0]} more than once.")
