"""yente compatibility: `POST /match/{dataset}` takes the OpenSanctions API's query-by-example
body and answers in its response shape, so tools written for that API (nomenklatura's
`YenteEnricher`, say) can point here; `web.api.yente_entities` serves the rest of what such a
client reads (`/entities/{id}`, `/search/{dataset}`, `/catalog`, `/algorithms`).

Results are FollowTheMoney entities (`web.api.yente_ftm`) with ids `SOURCE:KEY` (e.g.
`us_ofac_sdn:41736`, the list's own identifier); `features` holds each feature's score (0 to
1) and `explanations` the same with its detail. Datasets: `default` and `sanctions` search
every list; a list source code (`us_ofac_sdn`) only that list.

Identifiers take part in matching here, beside the names the matcher scores: a query's
passportNumber, idNumber, imoNumber, ... finds the entities listing that number (so a query
may give identifiers only), an equal number (of any kind) raises the score to at least
matching.identifier_match_score, and otherwise a different number of the same kind lowers it by
matching.identifier_mismatch_penalty; a conflicting gender lowers it as the matcher lowers a
conflicting kind (matching.kind_penalty). Each appears among the features, as does the
share of the query address's words the closest listed address has (explained, not scored).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from watchlist.db import Session
from watchlist.errors import InputError, NotFoundError
from watchlist.matching.matcher import Matcher
from watchlist.matching.model import MatchSettings, Query
from watchlist.models import Entity, Scope, number_key
from watchlist.registry import entities as registry
from watchlist.registry import parties, qualifiers
from watchlist.screening import audit
from web.api import yente_ftm
from web.api.blueprint import api
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
NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction")
NUMBER_PROPS = tuple(yente_ftm.IDENTIFIER_PROPS)
# FollowTheMoney may write a time after a whole date (`1966-05-07T00:00:00`); the date counts.
TIME_OF_DAY = re.compile(r"[0-9]{2}(:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?")
ADDRESS_WORD = re.compile(r"\w+")
SCREEN_FLOOR = 0.5  # yente's default cutoff: weaker candidates are not returned at all
ALGORITHM = "watchlist"
ALGORITHM_ALIASES = (ALGORITHM, "best", "default")

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
            description="At least one name (name, alias, previousName, weakAlias) or "
            "identifier (passportNumber, idNumber, taxNumber, innCode, registrationNumber, "
            "swiftBic, imoNumber, mmsi). birthDate (YYYY, YYYY-MM or YYYY-MM-DD, a real date; "
            "a time after a whole date is ignored) and nationality, citizenship, country or "
            "jurisdiction (ISO 3166 alpha-2 or alpha-3 codes, as FollowTheMoney writes them, "
            "or country names) help: the first of each counts; a date that is not one, or an "
            "unknown country, is a 422. gender (male, female, other) is compared; other "
            "properties are accepted and not scored; the first address is compared with "
            "the listed ones and explained (not scored)."
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
    """yente's query-by-example body; `weights` and `config` are accepted and ignored."""

    model_config = ConfigDict(allow_inf_nan=False, json_schema_extra={"examples": [EXAMPLE]})

    queries: Annotated[
        dict[str, EntityExample],
        Field(min_length=1, description="Examples by a key of your choice (web.max_batch)."),
        Limit("max_batch"),
    ]
    weights: dict[str, float] = Field(default_factory=dict)
    config: dict[str, str | int | float | bool | None] = Field(default_factory=dict)


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
        Text | None,
        Field(max_length=100, description="watchlist (or best, default): this service has one."),
    ] = None
    fuzzy: bool = Field(False, description="Accepted; names are always matched fuzzily.")


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
    properties: dict[str, list[str]] = Field(description="FollowTheMoney properties.")
    datasets: list[str]
    referents: list[str]
    target: bool
    score: float
    match: bool
    features: dict[str, float] = Field(description="Each feature's score, 0 to 1.")
    explanations: dict[str, FeatureResult]


class EntityMatches(BaseModel):
    status: int
    results: list[ScoredEntity]
    total: Total
    query: dict[str, Any]


class MatcherInfo(BaseModel):
    name: str
    description: str


class MatchAnswer(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: MatcherInfo
    limit: int


@dataclasses.dataclass(frozen=True)
class Example:
    """What a query example asks, read: kind, qualifiers and numbers by property."""

    kind: str | None
    names: list[str]
    birth: str | None
    country: str | None
    gender: str | None
    numbers: dict[str, dict[str, str]]  # property -> number key -> number as given
    addresses: list[str]


@dataclasses.dataclass
class Scored:
    """A candidate's score and features (name -> (score, detail)), as they are adjusted."""

    entity_id: int
    score: float
    features: dict[str, tuple[float, str]]


@api.route(
    "POST", "/match/{dataset}", summary="Match entities by example (yente-compatible)",
    tag="yente", scope=Scope.LOOKUP, query=MatchParams, body=MatchRequest,
    ok=Reply("Scored candidates per query, in yente's shape.", MatchAnswer),
    path_examples={"dataset": "default"},
)  # fmt: skip
def match(call: Call[MatchParams, MatchRequest], dataset: str) -> dict[str, Any]:
    """The OpenSanctions (yente) matching API: each query is a FollowTheMoney entity example
    (`{"schema": "Person", "properties": {"name": [...], "birthDate": [...],
    "nationality": [...], "passportNumber": [...]}}`); names and aliases are looked up with the
    birth date and country as qualifiers, and identifiers find, confirm or contradict
    candidates. Accepts `Authorization: ApiKey KEY` as well as Bearer. Each query is recorded
    in the screening audit log. A request that runs past web.request_budget_seconds is
    answered 503 (`over_budget`, with Retry-After)."""
    check_algorithm(call.query.algorithm)
    source = dataset_source(call.session, dataset)
    matcher, list_state = state().matchers.get(call.session)
    settings = state().settings.matching
    threshold = call.query.threshold if call.query.threshold is not None else settings.threshold
    responses, audited = {}, []
    deadline = request_deadline("Matching this batch")
    for key, example in call.body.queries.items():
        deadline.check()
        asked = _read_example(key, example)
        candidates = _lookup(call.session, matcher, asked, call.query, settings)
        results = _results(call.session, candidates, threshold, call.query, source)
        tops = [audit.TopResult(r["entity_id"], r["caption"], r["score"]) for r in results]
        found = (len(tops), max(tops, key=lambda top: top.score, default=None))
        detail = {"dataset": dataset, "query_id": key, "schema": example.schema_}
        audited.append((_audit_text(asked), found, detail))
        responses[key] = {
            "status": 200,
            "results": [{k: v for k, v in r.items() if k != "entity_id"} for r in results],
            "total": {"value": len(results), "relation": "eq"},
            "query": _echo(example),
        }
    for names, found, detail in audited:  # written last: the rows are the only write
        record(call, "match", names, list_state, found, detail)
    return {"responses": responses, "matcher": matcher_json(), "limit": call.query.limit}


def matcher_json() -> dict[str, str]:
    return {"name": ALGORITHM, "description": ALGORITHM_DESCRIPTION}


ALGORITHM_DESCRIPTION = (
    "Watchlist's name matcher (transliterations, other scripts, word order, initials, "
    "misspellings) with birth date, country and gender as qualifiers, and identifiers "
    "(passport, national ID, IMO, ...) as evidence for or against a candidate."
)


def check_algorithm(algorithm: str | None) -> None:
    """A 400 for an algorithm this service does not have."""
    if algorithm is not None and algorithm.lower() not in ALGORITHM_ALIASES:
        message = f"must be one of {', '.join(ALGORITHM_ALIASES)}"
        raise RequestError(
            400, "invalid_request", f"The algorithm {algorithm!r} is not known here: {message}.",
            [FieldProblem("algorithm", message)],
        )  # fmt: skip


def dataset_source(session: Session, dataset: str) -> str | None:
    """The list source a dataset restricts to (None: every list); 404 for an unknown one."""
    if dataset in ALL_DATASETS:
        return None
    if registry.list_source(session, dataset) is None:
        known = ", ".join(ALL_DATASETS)
        raise NotFoundError(f"there is no dataset {dataset!r}; use {known} or a list source code.")
    return dataset


def _read_example(key: str, example: EntityExample) -> Example:
    """The example read; a 422 naming the property for anything unreadable."""
    if example.schema_ not in SCHEMA_KINDS:
        message = f"must be one of {', '.join(SCHEMA_KINDS)}"
        raise RequestError(
            422, "invalid_request", f"The schema of query {key!r} {message}.",
            [FieldProblem(f"queries.{key}.schema", message)],
        )  # fmt: skip
    names = _values(example, NAME_PROPS)
    numbers = {
        prop: {number_key(v): v for v in _values(example, [prop]) if number_key(v)}
        for prop in NUMBER_PROPS
    }
    numbers = {prop: given for prop, given in numbers.items() if given}
    if not names and not numbers:
        message = "give at least one name, alias or identifier"
        raise RequestError(
            422, "invalid_request", f"Query {key!r}: {message}.",
            [FieldProblem(f"queries.{key}.properties.name", message)],
        )  # fmt: skip
    birth, country = _qualifiers(key, example)
    genders = [_read(key, "gender", _gender, g) for g in _values(example, ["gender"])]
    return Example(
        SCHEMA_KINDS[example.schema_], names, birth, country, next(iter(genders), None),
        numbers, _values(example, ["address"]),
    )  # fmt: skip


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


def _gender(value: str) -> str:
    gender = value.strip().lower()
    if gender not in yente_ftm.GENDERS:
        raise InputError(f"the gender {value!r} is not one of {', '.join(yente_ftm.GENDERS)}.")
    return gender


def _lookup(
    session: Session,
    matcher: Matcher,
    asked: Example,
    params: MatchParams,
    settings: MatchSettings,
) -> list[tuple[Scored, Entity]]:
    """Every candidate the names or the identifiers find, scored, with its full record."""
    best: dict[int, Scored] = {}
    for name in asked.names:
        for found in matcher.lookup(
            Query(name, kind=asked.kind, birth_date=asked.birth, country=asked.country),
            limit=params.limit * 4, threshold=params.cutoff,
        ):  # fmt: skip
            if found.entity_id not in best or found.score > best[found.entity_id].score:
                features = {
                    f.name: (min(1.0, max(0.0, f.value)), f.detail)
                    for f in found.explanation.features
                }
                best[found.entity_id] = Scored(found.entity_id, found.score, features)
    for entity_id in _numbered(session, asked):
        best.setdefault(entity_id, Scored(entity_id, 0.0, {}))
    entities = registry.load_entities(session, best)
    return [
        (_weigh(best[entity_id], entity, asked, settings), entity)
        for entity_id, entity in entities.items()
    ]


def _numbered(session: Session, asked: Example) -> list[int]:
    """The entities that list one of the example's numbers."""
    keys = {key for given in asked.numbers.values() for key in given}
    if not keys:
        return []
    return registry.entities_listing_numbers(session, keys, limit=200)


def _weigh(scored: Scored, entity: Entity, asked: Example, settings: MatchSettings) -> Scored:
    """The candidate's score with the example's identifiers and gender counted."""
    # A number listed under another kind (a passport number given as a national ID) counts too.
    every = {i.number_key: f"{i.value} ({i.kind})" for i in entity.identifiers}
    for prop, given in asked.numbers.items():
        listed = yente_ftm.listed_numbers(entity.identifiers, prop)
        equal = [listed.get(key) or every[key] for key in given if key in listed or key in every]
        if equal:
            scored.score = max(scored.score, settings.identifier_match_score)
            scored.features[prop] = (1.0, f"{equal[0]} is listed")
        elif listed:
            scored.score = max(0.0, scored.score - settings.identifier_mismatch_penalty)
            listed_text = ", ".join(listed.values())
            scored.features[prop] = (0.0, f"{', '.join(given.values())}; listed: {listed_text}")
    listed_gender = yente_ftm.gender_of(entity)
    if asked.gender and listed_gender:
        if asked.gender == listed_gender:
            scored.features["gender"] = (1.0, f"listed as {listed_gender}")
        else:
            scored.score *= 1 - settings.kind_penalty
            scored.features["gender"] = (0.0, f"{asked.gender}; listed as {listed_gender}")
    _explain_address(scored, entity, asked)
    scored.score = round(min(1.0, scored.score), 4)
    return scored


def _explain_address(scored: Scored, entity: Entity, asked: Example) -> None:
    """The share of the query address's words a listed address has, as a feature only."""
    listed = [yente_ftm.address_text(a) for a in entity.addresses]
    if not asked.addresses or not listed:
        return
    given = _words(asked.addresses[0])
    shares = [(len(given & _words(text)) / len(given), text) for text in listed if given]
    if shares:
        share, text = max(shares)
        scored.features["address"] = (share, f"closest listed address: {text}")


def _words(text: str) -> set[str]:
    return set(ADDRESS_WORD.findall(text.casefold()))


def _results(
    session: Session,
    candidates: list[tuple[Scored, Entity]],
    threshold: float,
    params: MatchParams,
    source: str | None,
) -> list[dict[str, Any]]:
    """Scored entities at or above the cutoff, best first (with their registry id under
    `entity_id`, for the audit log)."""
    kept = [
        (scored, entity)
        for scored, entity in candidates
        if scored.score >= params.cutoff and (source is None or entity.source.code == source)
    ]
    kept.sort(key=lambda pair: (-pair[0].score, pair[0].entity_id))
    members = parties.parties_of(session, [scored.entity_id for scored, _ in kept])
    if source is None:  # one result per party; a dataset's own listings are all its own
        first = {min(members[s.entity_id]): s.entity_id for s, _ in reversed(kept)}
        kept = [(s, e) for s, e in kept if first[min(members[s.entity_id])] == s.entity_id]
    kept = kept[: params.limit]
    others = _referents(session, {s.entity_id: members[s.entity_id] for s, _ in kept})
    return [
        _scored(s, e, threshold, others[s.entity_id]) | {"entity_id": s.entity_id} for s, e in kept
    ]


def _referents(session: Session, members: dict[int, frozenset[int]]) -> dict[int, list[str]]:
    """The ids (`SOURCE:KEY`) of each entity's other listings: yente's `referents`."""
    wanted = {other for party in members.values() for other in party}
    listed = registry.source_keys(session, wanted)
    ids = {entity_id: yente_ftm.entity_id(code, key) for entity_id, (code, key) in listed.items()}
    return {
        entity: sorted(ids[other] for other in party if other != entity and other in ids)
        for entity, party in members.items()
    }


def _scored(
    scored: Scored, entity: Entity, threshold: float, referents: list[str]
) -> dict[str, Any]:
    found = yente_ftm.entity_json(entity)
    return {
        **{k: found[k] for k in ("id", "caption", "schema", "properties", "datasets")},
        "referents": referents,
        "target": found["target"],
        "score": scored.score,
        "match": scored.score >= threshold,
        "features": {name: round(value, 4) for name, (value, _) in scored.features.items()},
        "explanations": {
            name: {"score": round(value, 4), "detail": detail}
            for name, (value, detail) in scored.features.items()
        },
    }


def _audit_text(asked: Example) -> str:
    numbers = [number for given in asked.numbers.values() for number in given.values()]
    return " | ".join([*asked.names, *numbers])


def _echo(example: EntityExample) -> dict[str, Any]:
    properties = {
        prop: [value] if isinstance(value, str) else value
        for prop, value in example.properties.items()
    }
    return {"id": example.id, "schema": example.schema_, "properties": properties}
