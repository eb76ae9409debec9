"""The registry: entities (search and full record), sanctions programs, list sources and
their versions with the change log."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from pydantic import BaseModel, Field

from watchlist.errors import NotFoundError
from watchlist.lists import diff as list_diff
from watchlist.lists import updates
from watchlist.models import ChangeKind, EntityKind, ListVersion, Scope
from watchlist.registry import answers as registry_answers
from watchlist.registry import entities as registry
from watchlist.registry import search
from watchlist.responses import EntityRecord, Timestamp
from web.api.blueprint import api
from web.api.endpoint import Call, Reply
from web.api.schemas import Page, Params, PerPage, Text
from web.state import state

# --- models -----------------------------------------------------------------------------------

Row = dict[str, Any]


class EntitySearch(Params):
    q: Annotated[
        Text,
        Field(
            min_length=1, max_length=200, pattern=r"\S",
            description="A name or alias (any script, misspelt, in any word order), or an "
            "identifier: passport, national ID, tax or registration number, IMO, SWIFT/BIC "
            "(spaces, dashes, dots and case ignored).",
            examples=["Mkrtychev"],
        ),
    ]  # fmt: skip
    min_score: Annotated[
        float,
        Field(
            ge=search.LOWEST_MIN_SCORE, le=1.0,
            description="Names scoring below this are left out (0.5 finds more, 1.0 only "
            "exact names). Identifiers score 1.0; names found by a word beginning with the "
            "text have no score and always show, after the scored ones.",
        ),
    ] = search.DEFAULT_MIN_SCORE  # fmt: skip
    source: Annotated[
        str | None, Field(max_length=100, description="Only this list, e.g. us_ofac_sdn.")
    ] = None
    program: Annotated[
        str | None,
        Field(max_length=100, description="Only entities under this program tag, e.g. DPRK."),
    ] = None
    kind: Annotated[EntityKind | None, Field(description="Only this kind of entity.")] = None
    country: Annotated[
        str | None,
        Field(max_length=100, description="Only entities with a nationality, citizenship or "
              "address in this country: an ISO 3166 code (RU or RUS) or a name (Russia)."),
    ] = None  # fmt: skip
    include_delisted: bool = False
    page: Page = 1
    per_page: PerPage = 50


class EntitySummary(BaseModel):
    id: int
    kind: str
    primary_name: str
    matched_name: str = Field(
        description="The name or alias that matched, or the identifier (kind and number)."
    )
    matched_by: str = Field(
        description="identifier, name (scored by the matcher) or contains (a word of the name "
        "begins with the text)."
    )
    score: float | None = Field(
        description="How well the name answers the search (0..1): the matcher's score, or the "
        "share of the text the name holds when higher; 1.0 for identifiers; null for contains."
    )
    source: str
    source_key: str
    programs: list[str]
    delisted_on: str | None


class EntitySearchAnswer(BaseModel):
    results: list[EntitySummary] = Field(description="One page of the entities, best first.")
    total: int = Field(description="Entities found on every page.")
    page: int
    per_page: int


class ProgramOut(BaseModel):
    code: str
    name: str
    authority: str
    legal_basis: str | None
    description: str | None
    url: str | None


class ProgramList(BaseModel):
    programs: list[ProgramOut]


class SourceStatus(BaseModel):
    code: str
    name: str
    publisher: str
    versions: int
    active: int = Field(description="Entities listed now.")
    delisted: int
    latest_version: int | None
    latest_status: str | None
    last_update: Timestamp | None
    last_change: Timestamp | None
    refused: str | None = Field(
        description="Why the latest version was refused (a damaged or implausible list), "
        "when it was; the registry keeps the version before it."
    )


class SourceList(BaseModel):
    lists: list[SourceStatus]


class VersionOut(BaseModel):
    id: int
    status: str = Field(
        description="changed, unchanged, or refused: it would have removed more than "
        "lists.max_removal_percent of the source's entities or names, and was not applied."
    )
    refusal: str | None = Field(description="Why a refused version was refused.")
    location: str | None
    published_at: Timestamp | None
    imported_at: Timestamp
    checksum: str | None
    entity_count: int
    added_count: int
    changed_count: int
    delisted_count: int
    relisted_count: int


class VersionList(BaseModel):
    source: str
    versions: list[VersionOut]


class ChangeQuery(Params):
    kind: ChangeKind | None = None
    q: Annotated[
        Text | None,
        Field(
            max_length=200,
            description="Text the entity's primary name contains (any case), or its whole key "
            "in the list.",
            # Said in the document too: a query holding a NUL character is refused.
            json_schema_extra={"pattern": "^[^\\x00]*$"},
        ),
    ] = None
    page: Page = 1
    per_page: PerPage = 100


class FieldChangeOut(BaseModel):
    """One changed field of an entity, with its values before and after the version."""

    field: str = Field(
        description="The field: primary_name, names (aliases), designations, identifiers, "
        "addresses, birth_dates, birth_places, nationalities, facts, relations, title, "
        "gender, remarks, kind or listing_date."
    )
    before: list[str] = Field(
        description="Its values before, as text (a name with its kind, a program with its "
        "designation date, an identifier with its country and dates, ...); the values "
        "missing from `after` were removed. Empty when the field had no value."
    )
    after: list[str] = Field(
        description="Its values after; the values missing from `before` were added. Empty "
        "when the version removed every value."
    )
    omitted_before: int = Field(
        description=f"Values of `before` left out: past {list_diff.MAX_VALUES} values a side, "
        "the unchanged ones are left out first."
    )
    omitted_after: int = Field(description="Values of `after` left out, likewise.")


class ChangeOut(BaseModel):
    change: str = Field(description="added, changed, delisted or relisted.")
    entity_id: int
    source_key: str = Field(description="The entity's key in the list (OFAC's ent_num).")
    name: str = Field(description="The entity's primary name.")
    fields: list[str] = Field(description="The fields that changed (changed and relisted).")
    diff: list[FieldChangeOut] = Field(
        description="Each changed field with its values before and after. Empty for "
        "additions and delistings, and for entries imported before the change log kept "
        "values (their `fields` still name what changed)."
    )


class VersionChanges(BaseModel):
    version: VersionOut
    changes: list[ChangeOut]
    total: int
    page: int
    per_page: int


# --- views ------------------------------------------------------------------------------------


@api.route(
    "GET", "/api/v1/entities", summary="Search the registry", tag="Registry",
    scope=Scope.READ, query=EntitySearch, ok=Reply("One page of entities, best first.",
                                                   EntitySearchAnswer),
)  # fmt: skip
def search_entities(call: Call[EntitySearch, None]) -> dict[str, Any]:
    """Entities by name (read as the matcher reads names: misspellings, transliterations,
    other scripts, word order) or by identifier, ranked by score, with filters for list,
    program, kind and country, paged. To screen a name with birth date and country as
    qualifiers, use /api/v1/lookup."""
    query = call.query
    matcher, _ = state().matchers.get(call.session)
    found = search.search_registry(
        call.session,
        matcher,
        search.SearchQuery(
            text=query.q,
            min_score=query.min_score,
            source=query.source,
            program=query.program,
            kind=query.kind.value if query.kind else None,
            country=query.country,
            include_delisted=query.include_delisted,
            page=query.page,
            per_page=query.per_page,
        ),
    )
    return {
        "results": [dataclasses.asdict(item) for item in found.results],
        "total": found.total,
        "page": found.page,
        "per_page": found.per_page,
    }


@api.route(
    "GET", "/api/v1/entities/{entity_id}", summary="An entity's full record", tag="Registry",
    scope=Scope.READ, ok=Reply("The entity.", EntityRecord),
)  # fmt: skip
def get_entity(call: Call[None, None], entity_id: int) -> EntityRecord:
    """Names and aliases, programs with designation dates, identifiers, addresses, dates and
    places of birth, nationalities, other facts, links to other listed entities, remarks, and
    the party's listings on other lists."""
    return registry_answers.entity_record(
        call.session, registry.get_entity(call.session, entity_id)
    )


@api.route(
    "GET", "/api/v1/programs", summary="Sanctions programs", tag="Registry",
    scope=Scope.READ, ok=Reply("Every program.", ProgramList),
)  # fmt: skip
def list_programs(call: Call[None, None]) -> dict[str, Any]:
    """Every sanctions program with its authority, legal basis and description."""
    programs = registry.programs(call.session)
    fields = ("code", "name", "authority", "legal_basis", "description", "url")
    return {"programs": [registry_answers.row(program, fields) for program in programs]}


@api.route(
    "GET", "/api/v1/lists", summary="List sources and their state", tag="Registry",
    scope=Scope.READ, ok=Reply("Every list source.", SourceList),
)  # fmt: skip
def list_sources(call: Call[None, None]) -> dict[str, Any]:
    """Each list source: versions, listed and delisted counts, last update and last change."""
    return {"lists": [dataclasses.asdict(s) for s in updates.status(call.session)]}


@api.route(
    "GET", "/api/v1/lists/{source}/versions", summary="A source's versions", tag="Registry",
    scope=Scope.READ, ok=Reply("The versions, newest first.", VersionList),
    path_examples={"source": "us_ofac_sdn"},
)  # fmt: skip
def list_versions(call: Call[None, None], source: str) -> dict[str, Any]:
    """Every import of a list source, newest first, with its checksum and counts."""
    found = registry.list_source(call.session, source)
    if found is None:
        raise NotFoundError(f"there is no list source {source!r}.")
    versions = updates.versions_of(call.session, found)
    return {"source": source, "versions": [version_json(v) for v in versions]}


@api.route(
    "GET", "/api/v1/lists/{source}/versions/{version_id}", summary="A version's change log",
    tag="Registry", scope=Scope.READ, query=ChangeQuery,
    ok=Reply("The version and one page of its changes.", VersionChanges),
    path_examples={"source": "us_ofac_sdn"},
)  # fmt: skip
def version_changes(call: Call[ChangeQuery, None], source: str, version_id: int) -> dict[str, Any]:
    """What a version added, changed, delisted and relisted: for a changed or relisted entity,
    each changed field with its values before and after. `q` keeps the entities whose primary
    name contains it or whose list key it is."""
    version = updates.get_version(call.session, version_id, None)
    if version.source.code != source:
        raise NotFoundError(f"list source {source!r} has no version {version_id}.")
    query = call.query
    where = updates.ChangeFilter(kinds=[query.kind] if query.kind else [], text=query.q)
    lines = updates.changes(
        call.session,
        version,
        where,
        limit=query.per_page,
        offset=(query.page - 1) * query.per_page,
    )
    return {
        "version": version_json(version),
        "changes": [dataclasses.asdict(line) for line in lines],
        "total": updates.count_changes(call.session, version, where),
        "page": query.page,
        "per_page": query.per_page,
    }


# --- JSON -------------------------------------------------------------------------------------

VERSION_FIELDS = (
    "id", "status", "refusal", "location", "published_at", "imported_at", "checksum",
    "entity_count", "added_count", "changed_count", "delisted_count", "relisted_count",
)  # fmt: skip


def version_json(version: ListVersion) -> dict[str, Any]:
    return registry_answers.row(version, VERSION_FIELDS)
