"""yente compatibility, beyond /match: what a yente client reads besides match results.

- `GET /entities/{id}`: the entity a match result names (`us_ofac_sdn:41736`), as yente's
  EntityResponse; `nested` is accepted (relations between listed entities are not nested);
- `GET /search/{dataset}`: entities by name or identifier (the registry search), paged with
  `limit` and `offset`;
- `GET /catalog`: the datasets (`default`, `sanctions` and each list source);
- `GET /algorithms`: the one matching algorithm, with its features.

Every endpoint takes the same key as /match (scope lookup).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from watchlist.errors import InputError
from watchlist.lists import updates
from watchlist.models import Scope
from watchlist.registry import entities as registry
from watchlist.registry import qualifiers, search
from web.api import yente, yente_ftm
from web.api.blueprint import api
from web.api.endpoint import Call, Reply
from web.api.schemas import Text
from web.errors import FieldProblem, RequestError
from web.state import state

MAX_SEARCH_WINDOW = 500  # offset + limit
# The features /match explains, with what each one weighs (yente's FeatureDocs).
FEATURES: dict[str, tuple[str, float]] = {
    "name": ("How alike the names are, token by token (transliterations, initials, "
             "misspellings, word order).", 1.0),
    "birth date": ("Whether the listed birth date agrees with the query's.", 0.05),
    "country": ("Whether a listed country agrees with the query's.", 0.03),
    "kind": ("Whether the listed entity is of the schema asked for.", 0.5),
    "gender": ("Whether the listed gender agrees with the query's.", 0.5),
    **{
        prop: (f"Whether a listed {prop} equals the query's: equal raises the score to a "
               "strong match, a different one lowers it.", 0.3)
        for prop in yente_ftm.IDENTIFIER_PROPS
    },
}  # fmt: skip


class EntityParams(BaseModel):
    model_config = ConfigDict(extra="ignore")

    nested: bool = Field(True, description="Accepted; relations are not nested.")


class EntityResponse(BaseModel):
    id: str = Field(description="SOURCE:KEY, the list's own identifier.")
    caption: str
    schema_: str = Field(alias="schema")
    properties: dict[str, list[str]] = Field(description="FollowTheMoney properties.")
    datasets: list[str]
    referents: list[str]
    target: bool
    first_seen: str | None
    last_seen: str | None
    last_change: str | None


@api.route(
    "GET", "/entities/{entity_id}", summary="An entity (yente-compatible)", tag="yente",
    scope=Scope.LOOKUP, query=EntityParams, ok=Reply("The entity, in yente's shape.",
                                                     EntityResponse),
    path_examples={"entity_id": "us_ofac_sdn:41736"},
)  # fmt: skip
def fetch_entity(call: Call[EntityParams, None], entity_id: str) -> dict[str, Any]:
    """The entity a /match or /search result names by its id (`us_ofac_sdn:41736`), as a
    FollowTheMoney entity: what nomenklatura's YenteEnricher reads when it expands a match."""
    return yente_ftm.entity_json(yente_ftm.find_entity(call.session, entity_id))


class SearchParams(BaseModel):
    model_config = ConfigDict(extra="ignore")

    q: Annotated[
        Text,
        Field(min_length=1, max_length=200, pattern=r"\S",
              description="A name or alias, or an identifier (passport, IMO, ...)."),
    ]  # fmt: skip
    schema_: Annotated[
        str, Field(alias="schema", description="Person, Organization, Vessel, ... or Thing.")
    ] = "Thing"
    countries: Annotated[
        Text | None, Field(max_length=100, description="Only entities of this country (sk).")
    ] = None
    limit: Annotated[int, Field(ge=1, le=100)] = 10
    offset: Annotated[int, Field(ge=0, le=MAX_SEARCH_WINDOW)] = 0


class TotalSpec(BaseModel):
    value: int
    relation: str


class SearchResponse(BaseModel):
    limit: int
    offset: int
    total: TotalSpec
    results: list[EntityResponse]
    facets: dict[str, Any]


@api.route(
    "GET", "/search/{dataset}", summary="Search entities (yente-compatible)", tag="yente",
    scope=Scope.LOOKUP, query=SearchParams, ok=Reply("One page of entities, best first.",
                                                     SearchResponse),
    path_examples={"dataset": "default"},
)  # fmt: skip
def search_dataset(call: Call[SearchParams, None], dataset: str) -> dict[str, Any]:
    """Entities by name or identifier, as the registry search finds them, in yente's shape;
    `schema` (a FollowTheMoney schema) and `countries` (an ISO code) filter."""
    params = call.query
    source = yente.dataset_source(call.session, dataset)
    kind = _search_kind(params.schema_)
    country = _search_country(params.countries)
    if params.offset + params.limit > MAX_SEARCH_WINDOW:
        message = f"offset + limit may be at most {MAX_SEARCH_WINDOW}"
        raise RequestError(400, "invalid_request", f"The page asked: {message}.",
                           [FieldProblem("offset", message)])  # fmt: skip
    matcher, _ = state().matchers.get(call.session)
    query = search.SearchQuery(
        text=params.q, min_score=search.DEFAULT_MIN_SCORE, source=source, kind=kind,
        country=country, page=1, per_page=params.offset + params.limit,
    )  # fmt: skip
    try:
        page = search.search_registry(call.session, matcher, query)
    except InputError as error:
        raise RequestError(400, "invalid_request", error.message) from None
    shown = [r.id for r in page.results[params.offset :]]
    entities = registry.load_entities(call.session, shown)
    return {
        "limit": params.limit,
        "offset": params.offset,
        "total": {"value": page.total, "relation": "eq"},
        "results": [yente_ftm.entity_json(entities[i]) for i in shown if i in entities],
        "facets": {},
    }


def _search_kind(schema: str) -> str | None:
    if schema in ("Thing", "LegalEntity"):
        return None
    if schema not in yente.SCHEMA_KINDS:
        message = f"must be Thing or one of {', '.join(yente.SCHEMA_KINDS)}"
        raise RequestError(400, "invalid_request", f"The schema {schema!r} {message}.",
                           [FieldProblem("schema", message)])  # fmt: skip
    return yente.SCHEMA_KINDS[schema]


def _search_country(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return qualifiers.country(text)
    except InputError as error:
        message = error.message.removesuffix(".")
        raise RequestError(400, "invalid_request", f"{message[:1].upper()}{message[1:]}.",
                           [FieldProblem("countries", message)]) from None  # fmt: skip


class Dataset(BaseModel):
    name: str
    title: str
    summary: str | None
    publisher: dict[str, str] | None
    url: str | None
    version: str | None
    updated_at: str | None
    last_change: str | None
    entity_count: int
    children: list[str]
    load: bool
    index_version: str | None
    index_current: bool


class Catalog(BaseModel):
    datasets: list[Dataset]
    current: list[str]
    outdated: list[str]
    index_stale: bool


@api.route(
    "GET", "/catalog", summary="Datasets (yente-compatible)", tag="yente",
    scope=Scope.LOOKUP, ok=Reply("The datasets, in yente's shape.", Catalog),
)  # fmt: skip
def yente_catalog(call: Call[None, None]) -> dict[str, Any]:
    """The datasets /match and /search take: each list source (by its code), and `default`
    and `sanctions`, every list."""
    lists = [_list_dataset(s) for s in updates.status(call.session)]
    codes = [d["name"] for d in lists]
    total = sum(d["entity_count"] for d in lists)
    collections = [
        _collection("default", "Every list", codes, total),
        _collection("sanctions", "Every sanctions list", codes, total),
    ]
    datasets = [*collections, *lists]
    return {
        "datasets": datasets,
        "current": [d["name"] for d in datasets],
        "outdated": [],
        "index_stale": False,
    }


def _list_dataset(status: updates.SourceStatus) -> dict[str, Any]:
    version = str(status.latest_version) if status.latest_version is not None else None
    return {
        "name": status.code,
        "title": status.name,
        "summary": None,
        "publisher": {"name": status.publisher},
        "url": None,
        "version": version,
        "updated_at": status.last_update,
        "last_change": status.last_change,
        "entity_count": status.active,
        "children": [],
        "load": True,
        "index_version": version,
        "index_current": True,
    }


def _collection(name: str, title: str, children: list[str], count: int) -> dict[str, Any]:
    return {
        "name": name, "title": title, "summary": None, "publisher": None, "url": None,
        "version": None, "updated_at": None, "last_change": None, "entity_count": count,
        "children": children, "load": True, "index_version": None, "index_current": True,
    }  # fmt: skip


class FeatureDoc(BaseModel):
    description: str
    coefficient: float
    url: str


class AlgorithmDocs(BaseModel):
    name: str
    description: str
    config: dict[str, Any]
    features: dict[str, FeatureDoc]


class Algorithm(BaseModel):
    name: str
    description: str
    features: dict[str, FeatureDoc]
    docs: AlgorithmDocs


class Algorithms(BaseModel):
    algorithms: list[Algorithm]
    default: str
    best: str


@api.route(
    "GET", "/algorithms", summary="Matching algorithms (yente-compatible)", tag="yente",
    scope=Scope.LOOKUP, ok=Reply("The algorithm /match uses, in yente's shape.", Algorithms),
)  # fmt: skip
def yente_algorithms(call: Call[None, None]) -> dict[str, Any]:
    """The one algorithm /match uses (`watchlist`; `best` and `default` name it too) and the
    features its results explain."""
    features = {
        name: {"description": text, "coefficient": weight, "url": "/api/v1/openapi.json"}
        for name, (text, weight) in FEATURES.items()
    }
    described = yente.matcher_json()
    docs = {**described, "config": {}, "features": features}
    return {
        "algorithms": [{**described, "features": features, "docs": docs}],
        "default": yente.ALGORITHM,
        "best": yente.ALGORITHM,
    }
