"""Name lookup (one name, or a batch) and text screening; each request is written to the
screening audit log in the transaction that answers it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from watchlist import responses
from watchlist.budget import Deadline
from watchlist.errors import InputError
from watchlist.matching.matcher import Matcher
from watchlist.matching.model import Match, Query
from watchlist.models import Scope
from watchlist.registry import qualifiers
from watchlist.registry.parties import listings
from watchlist.responses import MatchResult, TextHit
from watchlist.screening import audit
from watchlist.screening.answers import match_json
from watchlist.screening.hits import make_screener, screen_to_json
from watchlist.screening.matchers import PARTY_SLACK, one_per_party
from web.api.blueprint import api
from web.api.endpoint import Call, Reply
from web.api.schemas import Body, Name, Params, Text
from web.api.validation import Limit
from web.state import request_deadline, state

Kind = Literal["person", "organization", "vessel", "aircraft"]


def _qualifier(read: Callable[[str], str]) -> Callable[[str | None], str | None]:
    """A validator reading a qualifier as the CLI and /match read it
    (`watchlist.registry.qualifiers`); its one-sentence error becomes the field's problem in
    the usual 422 answer."""

    def check(value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return read(value)
        except InputError as error:
            message = error.message.removesuffix(".")
            raise PydanticCustomError("qualifier", "{message}", {"message": message}) from None

    return check


BirthDate = Annotated[
    str | None,
    Field(
        default=None,
        max_length=100,
        description="Date of birth: YYYY, YYYY-MM or YYYY-MM-DD, a real date (anything else is "
        "a 422 saying why). A match that disagrees scores lower, one that agrees higher.",
        json_schema_extra={"pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"},
        examples=["1966-05-07"],
    ),
    AfterValidator(_qualifier(qualifiers.birth_date)),
]
Country = Annotated[
    Text | None,
    Field(
        default=None,
        max_length=100,
        description="Nationality or country: an ISO 3166 alpha-2 or alpha-3 code (SK, SVK) or "
        "a country's name (Slovakia, as the lists write it too: 'Korea, North'); an unknown "
        "country is a 422. Echoed as the country's name (SK -> Slovakia).",
        examples=["SK"],
    ),
    AfterValidator(_qualifier(qualifiers.country)),
]
KindField = Annotated[
    Kind | None,
    Field(default=None, description="What the name is; entities of other kinds score lower."),
]
ResultLimit = Annotated[
    int,
    Field(ge=1, description="At most this many candidates (at most web.max_results)."),
    Limit("max_results"),
]
Threshold = Annotated[
    float | None,
    Field(
        default=None,
        ge=0,
        le=1,
        description="Report candidates scoring at least this (default: matching.threshold).",
    ),
]


class LookupQuery(Params):
    """One name to look up, with optional qualifiers."""

    name: Name
    kind: KindField = None
    birth_date: BirthDate = None
    country: Country = None
    limit: ResultLimit = 10
    threshold: Threshold = None


class BatchQuery(LookupQuery):
    """One query of a batch (unknown fields are refused)."""

    model_config = ConfigDict(extra="forbid")


class BatchLookup(Body):
    queries: Annotated[
        list[BatchQuery],
        Field(min_length=1, description="Names to look up (at most web.max_batch)."),
        Limit("max_batch"),
    ]


class EchoedQuery(BaseModel):
    name: str
    kind: str | None
    birth_date: str | None
    country: str | None
    limit: int
    threshold: float | None


class LookupAnswer(BaseModel):
    """Ranked candidates for one name."""

    query: EchoedQuery
    list_state: int = Field(description="The list state (newest list version) matched against.")
    results: list[MatchResult]


class BatchAnswerItem(BaseModel):
    query: EchoedQuery
    results: list[MatchResult]


class BatchAnswer(BaseModel):
    """One response per query, in the order of the queries."""

    list_state: int
    responses: list[BatchAnswerItem]


class ScreenRequest(Body):
    text: Annotated[
        Text,
        Field(
            min_length=1,
            description="Plain text (at most web.max_text_chars characters).",
            examples=["Ashot Mkrtychev was seen in Minsk."],
        ),
        Limit("max_text_chars"),
    ]
    title: Annotated[Text | None, Field(default=None, max_length=1000)] = None


class ScreenAnswer(BaseModel):
    """Every listed name found in the text, in reading order; nothing is stored."""

    list_state: int
    hits: list[TextHit]


@api.route(
    "GET",
    "/api/v1/lookup",
    summary="Look up one name",
    tag="Lookup",
    scope=Scope.LOOKUP,
    query=LookupQuery,
    ok=Reply("Candidates, best first.", LookupAnswer),
)
def lookup_name(call: Call[LookupQuery, None]) -> dict[str, Any]:
    """Which listed entities could this name be? Ranked, scored 0..1 and explained: the token
    alignment and each feature's contribution. Recorded in the screening audit log."""
    matcher, list_state = state().matchers.get(call.session)
    [(query, results)] = run_lookups(call, matcher, list_state, [call.query])
    return {"query": query, "list_state": list_state, "results": results}


@api.route(
    "POST",
    "/api/v1/lookup",
    summary="Look up a batch of names",
    tag="Lookup",
    scope=Scope.LOOKUP,
    body=BatchLookup,
    ok=Reply("One list of candidates per query, in order.", BatchAnswer),
)
def lookup_batch(call: Call[None, BatchLookup]) -> dict[str, Any]:
    """Look up several names at once (at most web.max_batch); each query is recorded in the
    screening audit log on its own. A batch that runs past web.request_budget_seconds is
    answered 503 (`over_budget`, with Retry-After) and recorded nowhere."""
    matcher, list_state = state().matchers.get(call.session)
    deadline = request_deadline("Looking up this batch")
    answers = run_lookups(call, matcher, list_state, call.body.queries, deadline)
    return {
        "list_state": list_state,
        "responses": [{"query": query, "results": results} for query, results in answers],
    }


def run_lookups(
    call: Call[Any, Any],
    matcher: Matcher,
    list_state: int,
    queries: Sequence[LookupQuery],
    deadline: Deadline | None = None,
) -> list[tuple[dict[str, Any], list[responses.MatchResult]]]:
    """Look each query up (all before `deadline`, when given), record it in the audit log,
    and give (echoed query, results)."""
    kept = state().matchers.parties  # as of the matcher the caller got
    found = []
    for query in queries:
        if deadline is not None:
            deadline.check()
        found.append(one_per_party(_match(matcher, query), kept, query.limit))
    ids = [m.entity_id for ms in found for m in ms]
    cards = state().matchers.cards(call.session, ids)
    parties = listings(
        call.session, ids, lambda more: state().matchers.cards(call.session, more), kept
    )
    answers = []
    for index, (query, matches) in enumerate(zip(queries, found, strict=True)):
        results = [
            match_json(m, cards[m.entity_id], parties.get(m.entity_id, ()))
            for m in matches
            if m.entity_id in cards
        ]
        echoed = query.model_dump()
        detail = {k: v for k, v in echoed.items() if k != "name" and v is not None}
        if len(queries) > 1:
            detail["batch_index"] = index
        record(call, "lookup", query.name, list_state, audit.summary(results), detail)
        answers.append((echoed, results))
    return answers


def _match(matcher: Matcher, query: LookupQuery) -> list[Match]:
    return matcher.lookup(
        Query(query.name, kind=query.kind, birth_date=query.birth_date, country=query.country),
        limit=query.limit + PARTY_SLACK,
        threshold=query.threshold,
    )


def record(
    call: Call[Any, Any],
    kind: str,
    text: str,
    list_state: int,
    found: tuple[int, audit.TopResult | None],
    detail: dict[str, Any],
) -> None:
    """Write one screening request to the audit log, with how many results it had and the best
    of them (and count it)."""
    state().metrics.screened(kind)
    audit.record(
        call.session,
        actor=call.actor,
        kind=kind,
        query=text,
        list_state=list_state,
        result_count=found[0],
        top=found[1],
        detail=detail,
    )


@api.route(
    "POST",
    "/api/v1/screen",
    summary="Screen a text",
    tag="Lookup",
    scope=Scope.SCREEN,
    body=ScreenRequest,
    ok=Reply("The hits, in reading order.", ScreenAnswer),
)
def screen(call: Call[None, ScreenRequest]) -> dict[str, Any]:
    """Find every listed name in a text without storing it. Each hit gives the character
    offsets of the mention (`text == submitted[start:end]`), its sentence, the listed name
    that matched, the score and why. Recorded in the screening audit log. Screening runs within
    web.request_budget_seconds: past it the answer is 503 (`over_budget`, with Retry-After);
    while the server screens as many texts at once as it takes, 503 (`busy`)."""
    web = state()
    screener = make_screener(call.session, web.settings.matching, web.matchers)
    with web.heavy.hold():
        deadline = request_deadline("Screening this text")
        hits = screen_to_json(call.session, call.body.text, screener.matcher, deadline)
    detail = {"title": call.body.title} if call.body.title else {}
    record(call, "screen", call.body.text, screener.list_state, audit.summary(hits), detail)
    return {"list_state": screener.list_state, "hits": hits}
