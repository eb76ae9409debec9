"""yente compatibility: `POST /match/{dataset}` takes the OpenSanctions API's query-by-example
body and answers in its response shape, so tools written for that API can point here.

Result ids are `SOURCE:KEY` (e.g. `us_ofac_sdn:41736`, the list's own identifier); `features`
and `explanations` carry our matcher's features. Datasets: `default` and `sanctions` search
every list; a list source code (`us_ofac_sdn`) only that list.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict
from sqlalchemy.orm import Session

from watchlist import qualifiers, registry
from watchlist.errors import InputError, NotFoundError
from watchlist.matching.matcher import Matcher
from watchlist.matching.model import Match
from watchlist.models import (
    BirthDate,
    Designation,
    EntityName,
    ListSource,
    NameKind,
    Nationality,
    Program,
    Scope,
)
from web.api import api
from web.api.endpoint import Call, Reply
from web.api.lookup import record
from web.api.schemas import Text
from web.api.validation import Limit
from web.errors import FieldProblem, RequestError
from web.state import request_deadline, state

ALL_DATASETS = ("default", "sanctions")
SCHEMA_KINDS: dict[str, str | None] = {
    "Person": "person",
    "Organization": "organization",
    "Company": "organization",
    "PublicBody": "organization",
    "LegalEntity": None,  # a person or an organisation: no kind preference
    "Vessel": "vessel",
    "Airplane": "aircraft",
}
KIND_SCHEMAS = {"person": "Person", "organization": "Organization", "vessel": "Vessel",
                "aircraft": "Airplane"}  # fmt: skip
NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction")
# FollowTheMoney may write a time after a whole date (`1966-05-07T00:00:00`); the date counts.
TIME_OF_DAY = re.compile(r"[0-9]{2}(:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?")
SCREEN_FLOOR = 0.5  # yente's default cutoff: weaker candidates are not returned at all

Values = Annotated[list[Annotated[Text, Field(max_length=500)]], Field(max_length=50)]


class EntityExample(BaseModel):
    """An entity described as FollowTheMoney does: a schema and property values."""

    model_config = ConfigDict(populate_by_name=True, allow_inf_nan=False)

    id: Annotated[Text | None, Field(max_length=200)] = None
    schema_: str = Field(
        alias="schema", description="Person, Organization, Company, LegalEntity, Vessel, Airplane."
    )
    properties: Annotated[
        dict[str, Values | Annotated[Text, Field(max_length=500)]],
        Field(
            description="At least one of name or alias. birthDate (YYYY, YYYY-MM or "
            "YYYY-MM-DD, a real date; a time after a whole date is ignored) and nationality, "
            "citizenship, country or jurisdiction (ISO 3166 alpha-2 or alpha-3 codes, as "
            "FollowTheMoney writes them, or country names) help: the first of each counts; "
            "a date that is not one, or an unknown country, is a 422."
        ),
    ]


EXAMPLE: JsonDict = {  # the body of a request, shown in the document
    "queries": {
        "q1": {
            "schema": "Person",
            "properties": {"name": ["Ashot Mkrtychev"], "birthDate": ["1966-05-07"]},
        }
    }
}


class MatchRequest(BaseModel):
    """yente's query-by-example body; `weights` is accepted and ignored."""

    model_config = ConfigDict(allow_inf_nan=False, json_schema_extra={"examples": [EXAMPLE]})

    queries: Annotated[
        dict[str, EntityExample],
        Field(min_length=1, description="Examples by a key of your choice (web.max_batch)."),
        Limit("max_batch"),
    ]
    weights: dict[str, float] = Field(default_factory=dict)


class MatchParams(BaseModel):
    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)

    limit: Annotated[int, Field(ge=1, description="Results per query."), Limit("max_results")] = 5
    threshold: Annotated[
        float | None,
        Field(ge=0, le=1, description="Results at or above it have match=true "
              "(default: matching.threshold)."),
    ] = None  # fmt: skip
    cutoff: Annotated[
        float, Field(ge=0, le=1, description="Results below it are not returned.")
    ] = SCREEN_FLOOR
    algorithm: Annotated[
        Text | None, Field(max_length=100, description="Accepted; this service has one.")
    ] = None


class FeatureResult(BaseModel):
    score: float
    detail: str | None


class Total(BaseModel):
    value: int
    relation: str


class ScoredEntity(BaseModel):
    id: str = Field(description="SOURCE:KEY, the list's own identifier.")
    caption: str
    schema_: str = Field(alias="schema")
    properties: dict[str, list[str]]
    datasets: list[str]
    referents: list[str]
    target: bool
    score: float
    match: bool
    features: dict[str, float]
    explanations: dict[str, FeatureResult]


class EntityMatches(BaseModel):
    status: int
    results: list[ScoredEntity]
    total: Total
    query: dict[str, Any]


class MatchAnswer(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: dict[str, Any]
    limit: int


@api.route(
    "POST", "/match/{dataset}", summary="Match entities by example (yente-compatible)",
    tag="yente", scope=Scope.LOOKUP, query=MatchParams, body=MatchRequest,
    ok=Reply("Scored candidates per query, in yente's shape.", MatchAnswer),
    path_examples={"dataset": "default"},
)  # fmt: skip
def match(call: Call[MatchParams, MatchRequest], dataset: str) -> dict[str, Any]:
    """The OpenSanctions (yente) matching API: each query is an entity example
    (`{"schema": "Person", "properties": {"name": [...], "birthDate": [...],
    "nationality": [...]}}`); names and aliases are looked up with the birth date and
    country as qualifiers. Accepts `Authorization: ApiKey KEY` as well as Bearer. Each query
    is recorded in the screening audit log. A request that runs past web.request_budget_seconds
    is answered 503 (`over_budget`, with Retry-After)."""
    source = _dataset_source(call.session, dataset)
    matcher, list_state = state().matchers.get(call.session)
    threshold = (
        call.query.threshold
        if call.query.threshold is not None
        else state().settings.matching.threshold
    )
    responses, audited = {}, []
    deadline = request_deadline("Matching this batch")
    for key, example in call.body.queries.items():
        deadline.check()
        kind = _kind(key, example)
        birth, country = _qualifiers(key, example)
        matches = _lookup(matcher, example, kind, birth, country, call.query, source)
        results = _results(call.session, matches, threshold, source)[: call.query.limit]
        tops = [{"entity": {"id": r["entity_id"], "name": r["caption"]}, "score": r["score"]}
                for r in results]  # fmt: skip
        detail = {"dataset": dataset, "query_id": key, "schema": example.schema_}
        audited.append((" | ".join(_values(example, NAME_PROPS)), tops, detail))
        responses[key] = {
            "status": 200,
            "results": [{k: v for k, v in r.items() if k != "entity_id"} for r in results],
            "total": {"value": len(results), "relation": "eq"},
            "query": _echo(example),
        }
    for names, tops, detail in audited:  # written last: the rows are the only write
        record(call, "match", names, list_state, tops, detail)
    return {"responses": responses, "matcher": {}, "limit": call.query.limit}


def _dataset_source(session: Session, dataset: str) -> str | None:
    """The list source a dataset restricts to (None: every list); 404 for an unknown one."""
    if dataset in ALL_DATASETS:
        return None
    if session.scalar(sa.select(ListSource.id).where(ListSource.code == dataset)) is None:
        known = ", ".join(ALL_DATASETS)
        raise NotFoundError(f"there is no dataset {dataset!r}; use {known} or a list source code.")
    return dataset


def _kind(key: str, example: EntityExample) -> str | None:
    if example.schema_ not in SCHEMA_KINDS:
        message = f"must be one of {', '.join(SCHEMA_KINDS)}"
        raise RequestError(
            422, "invalid_request", f"The schema of query {key!r} {message}.",
            [FieldProblem(f"queries.{key}.schema", message)],
        )  # fmt: skip
    if not _values(example, NAME_PROPS):
        message = "give at least one name or alias"
        raise RequestError(
            422, "invalid_request", f"Query {key!r}: {message}.",
            [FieldProblem(f"queries.{key}.properties.name", message)],
        )  # fmt: skip
    return SCHEMA_KINDS[example.schema_]


def _values(example: EntityExample, props: Iterable[str]) -> list[str]:
    found: list[str] = []
    for prop in props:
        value = example.properties.get(prop, [])
        found += [v for v in ([value] if isinstance(value, str) else value) if v.strip()]
    return found


def _qualifiers(key: str, example: EntityExample) -> tuple[str | None, str | None]:
    """The example's first birth date and first country, read as the API's lookup reads them;
    any value that is no date or no known country is a 422 naming it."""
    births = [_read(key, "birthDate", _ftm_date, d) for d in _values(example, ["birthDate"])]
    countries = [
        _read(key, prop, qualifiers.country, value)
        for prop in COUNTRY_PROPS
        for value in _values(example, [prop])
    ]
    return next(iter(births), None), next(iter(countries), None)


def _read(key: str, prop: str, read: Callable[[str], str], value: str) -> str:
    try:
        return read(value)
    except InputError as error:
        message = error.message.removesuffix(".")
        raise RequestError(
            422, "invalid_request", f"Query {key!r}: {message}.",
            [FieldProblem(f"queries.{key}.properties.{prop}", message)],
        ) from None  # fmt: skip


def _ftm_date(value: str) -> str:
    """A FollowTheMoney date as a birth date: its date, when a time follows a whole date."""
    day, separator, time = value.strip().partition("T")
    if separator and len(day) == 10 and TIME_OF_DAY.fullmatch(time):
        return qualifiers.birth_date(day)
    return qualifiers.birth_date(value)


def _lookup(
    matcher: Matcher,
    example: EntityExample,
    kind: str | None,
    birth: str | None,
    country: str | None,
    params: MatchParams,
    source: str | None,
) -> list[Match]:
    """The best match per entity over every name of the example, best first."""
    # A restricted dataset filters afterwards, so ask for more to fill the page.
    wanted = params.limit * (4 if source else 1)
    best: dict[int, Match] = {}
    for name in _values(example, NAME_PROPS):
        for found in matcher.lookup(
            name, kind=kind, birth_date=birth, country=country, limit=wanted,
            threshold=params.cutoff,
        ):  # fmt: skip
            if found.entity_id not in best or found.score > best[found.entity_id].score:
                best[found.entity_id] = found
    return sorted(best.values(), key=lambda m: (-m.score, m.entity_id))


def _results(
    session: Session, matches: Sequence[Match], threshold: float, source: str | None
) -> list[dict[str, Any]]:
    """Scored entities (with their registry id under `entity_id`, for the audit log)."""
    cards = state().matchers.cards(session, [m.entity_id for m in matches])
    kept = [m for m in matches if m.entity_id in cards]
    if source is not None:
        kept = [m for m in kept if cards[m.entity_id].source == source]
    props = _properties(session, [m.entity_id for m in kept])
    return [
        _scored(m, cards[m.entity_id], props[m.entity_id], threshold) | {"entity_id": m.entity_id}
        for m in kept
    ]


def _scored(
    match: Match, card: registry.EntityCard, properties: dict[str, list[str]], threshold: float
) -> dict[str, Any]:
    features = match.explanation.features
    return {
        "id": f"{card.source}:{card.source_key}",
        "caption": card.name,
        "schema": KIND_SCHEMAS.get(card.kind, "LegalEntity"),
        "properties": properties,
        "datasets": [card.source],
        "referents": [],
        "target": True,
        "score": match.score,
        "match": match.score >= threshold,
        "features": {f.name: round(f.contribution, 4) for f in features},
        "explanations": {
            f.name: {"score": round(f.value, 4), "detail": f.detail} for f in features
        },
    }


def _properties(session: Session, ids: list[int]) -> dict[int, dict[str, list[str]]]:
    """FollowTheMoney-style properties of some entities, in one query per table."""
    props: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    if not ids:
        return props
    names = sa.select(EntityName.entity_id, EntityName.kind, EntityName.name).where(
        EntityName.entity_id.in_(ids)
    )
    for entity_id, kind, name in session.execute(names.order_by(EntityName.id)):
        prop = {NameKind.PRIMARY: "name", NameKind.WEAK_AKA: "weakAlias",
                NameKind.FKA: "previousName"}.get(kind, "alias")  # fmt: skip
        props[entity_id][prop].append(name)
    births = sa.select(BirthDate.entity_id, BirthDate.text).where(BirthDate.entity_id.in_(ids))
    countries = sa.select(Nationality.entity_id, Nationality.country).where(
        Nationality.entity_id.in_(ids)
    )
    programs = (
        sa.select(Designation.entity_id, Program.code)
        .join(Program, Program.id == Designation.program_id)
        .where(Designation.entity_id.in_(ids))
    )
    for prop, query in (("birthDate", births), ("nationality", countries), ("programId", programs)):
        for entity_id, value in session.execute(query):
            props[entity_id][prop].append(value)
    for entity_id in ids:
        props[entity_id]["topics"] = ["sanction"]
    return props


def _echo(example: EntityExample) -> dict[str, Any]:
    properties = {
        prop: [value] if isinstance(value, str) else value
        for prop, value in example.properties.items()
    }
    return {"id": example.id, "schema": example.schema_, "properties": properties}
