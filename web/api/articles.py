"""Articles (stored and screened), the hits found in them, and analysts' decisions on hits."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from watchlist.articles import reading
from watchlist.articles.intake import store_and_screen
from watchlist.articles.store import WEB_URL_PATTERN, ArticleInput
from watchlist.db import Session
from watchlist.models import Action, Article, Decision, DismissReason, Hit, HitStatus, Scope
from watchlist.registry import entities, parties
from watchlist.responses import EntityCard, Explanation, Listing
from watchlist.review import decisions as review
from watchlist.screening.hits import make_screener
from watchlist.timestamps import rfc3339
from web.api.blueprint import api
from web.api.endpoint import Call, Reply
from web.api.schemas import Body, Moment, Page, Params, PerPage, RecordId, Text, Timestamp
from web.api.validation import Limit
from web.state import request_deadline, state

# --- models -----------------------------------------------------------------------------------


class ArticleRequest(Body):
    text: Annotated[
        Text,
        Field(
            min_length=1,
            description="Plain text (at most web.max_text_chars characters).",
            examples=["Ashot Mkrtychev was seen in Minsk on Tuesday."],
        ),
        Limit("max_text_chars"),
    ]
    title: Annotated[Text | None, Field(max_length=1000)] = None
    url: Annotated[
        Text | None,
        Field(max_length=2000, pattern=WEB_URL_PATTERN, description="Where it was published."),
    ] = None
    source: Annotated[Text | None, Field(max_length=500, description="The outlet.")] = None
    published_at: Moment | None = None


class StoredHit(BaseModel):
    """A hit as stored: the mention, the listed entity it matched, and where review stands."""

    id: int
    article_id: int
    story_id: int | None
    status: str = Field(description="open, confirmed, dismissed, escalated or delisted.")
    created_at: Timestamp
    list_state: int = Field(description="The list state the hit was made with.")
    start: int
    end: int
    text: str
    sentence: str
    score: float
    matched_name: str
    route: str
    explanation: Explanation
    entity: EntityCard
    listed_as: str = Field(
        description="Every listing of the entity's party, e.g. `OFAC SDN (DPRK, 2023-03-30) · "
        "UK (RUSSIA, 2023-08-08)`."
    )
    listings: list[Listing] = Field(description="The party's listings, the hit's entity first.")


class ArticleOut(BaseModel):
    id: int
    url: str | None
    title: str | None
    source: str | None
    story_id: int | None
    published_at: Timestamp | None
    fetched_at: Timestamp
    language: str | None
    screened_state: int | None
    hits: list[StoredHit]


class StoredArticle(BaseModel):
    """What became of a submitted article."""

    article_id: int
    story_id: int | None
    new: bool = Field(description="False when the same URL or text was stored before.")
    new_hits: int
    hits: list[StoredHit] = Field(description="Every hit of the article, new or not.")


class HitQuery(Params):
    status: HitStatus | None = None
    program: Annotated[Text | None, Field(max_length=64, description="Program code.")] = None
    authority: Annotated[Text | None, Field(max_length=100, description="e.g. OFAC.")] = None
    source: Annotated[Text | None, Field(max_length=500, description="Article source.")] = None
    entity_id: RecordId | None = None
    article_id: RecordId | None = None
    story_id: RecordId | None = None
    since: Annotated[Moment | None, Field(description="Created at or after (UTC).")] = None
    until: Annotated[Moment | None, Field(description="Created before (UTC).")] = None
    min_score: Annotated[float | None, Field(ge=0, le=1)] = None
    max_score: Annotated[float | None, Field(ge=0, le=1)] = None
    sort: Literal["newest", "oldest", "score"] = "newest"
    page: Page = 1
    per_page: PerPage = 50


class HitList(BaseModel):
    hits: list[StoredHit]
    total: int
    page: int
    per_page: int


class DecisionOut(BaseModel):
    id: int
    action: str
    reason: str | None = Field(
        description="Why a hit was dismissed: different_person (a false positive: someone "
        "else of that name), not_listed (not a listed party), duplicate, or other (the note "
        "says why). Null for other actions, and for dismissals recorded before reasons."
    )
    note: str
    actor: str = Field(description="user:NAME or api-key:NAME.")
    created_at: Timestamp


class HitDetail(StoredHit):
    decisions: list[DecisionOut] = Field(description="The decisions, oldest first.")


class DecisionRequest(Body):
    action: Action
    reason: DismissReason | None = Field(
        default=None,
        description="Required with a dismissal, refused with any other action: "
        "different_person (a false positive: someone else of that name), not_listed (the "
        "mention is not a listed party), duplicate, or other (then the note says why).",
    )
    note: Annotated[Text, Field(max_length=review.MAX_NOTE)] = ""
    suppress: bool = Field(
        default=False,
        description="With a dismissal: never report this name for this entity again.",
    )


class DecisionAnswer(BaseModel):
    decision: DecisionOut
    hit: HitDetail


# --- views ------------------------------------------------------------------------------------


@api.route(
    "POST", "/api/v1/articles", summary="Store and screen an article", tag="Articles",
    scope=Scope.WRITE, body=ArticleRequest, status=201,
    ok=Reply("Stored and screened.", StoredArticle),
    also={200: Reply("Stored before (same URL or text); screened again if the lists changed.",
                     StoredArticle)},
)  # fmt: skip
def add_article(call: Call[None, ArticleRequest]) -> tuple[dict[str, Any], int]:
    """Store an article once (the same URL or text is recognised), group it into its story and
    screen it; its hits enter the review queue. Screening runs within
    web.request_budget_seconds: past it the answer is 503 (`over_budget`, with Retry-After) and
    nothing is stored; while the server screens as many texts at once as it takes, 503
    (`busy`)."""
    web = state()
    screener = make_screener(call.session, web.settings.matching, web.matchers)
    item = ArticleInput(**call.body.model_dump())
    with web.heavy.hold():
        deadline = request_deadline("Screening this article")
        stored = store_and_screen(call.session, item, screener, web.settings, deadline)
    article = reading.get_article(call.session, stored.article_id)
    answer = dataclasses.asdict(stored) | {"hits": hits_json(call.session, _hits(article))}
    return answer, 201 if stored.new else 200


@api.route(
    "GET", "/api/v1/articles/{article_id}", summary="One article with its hits",
    tag="Articles", scope=Scope.READ, ok=Reply("The article.", ArticleOut),
)  # fmt: skip
def get_article(call: Call[None, None], article_id: int) -> dict[str, Any]:
    """An article's provenance, screening state and hits (its text is not repeated)."""
    article = reading.get_article(call.session, article_id)
    return {
        "id": article.id,
        "url": article.url,
        "title": article.title,
        "source": article.source,
        "story_id": article.story_id,
        "published_at": rfc3339(article.published_at),
        "fetched_at": rfc3339(article.fetched_at),
        "language": article.language,
        "screened_state": article.screened_state,
        "hits": hits_json(call.session, _hits(article)),
    }


@api.route(
    "GET", "/api/v1/hits", summary="Find hits", tag="Hits", scope=Scope.READ,
    query=HitQuery, ok=Reply("One page of hits and the total.", HitList),
)  # fmt: skip
def list_hits(call: Call[HitQuery, None]) -> dict[str, Any]:
    """Hits filtered by status, program, authority, article source, entity, article, story,
    time and score; newest first unless sorted otherwise; paginated."""
    params = call.query.model_dump(exclude={"sort", "page", "per_page"})
    found = review.find_hits(
        call.session,
        review.HitFilter(**params),
        sort=call.query.sort,
        page=call.query.page,
        per_page=call.query.per_page,
    )
    return {
        "hits": hits_json(call.session, found.hits),
        "total": found.total,
        "page": found.page,
        "per_page": found.per_page,
    }


@api.route(
    "GET", "/api/v1/hits/{hit_id}", summary="One hit with its decisions", tag="Hits",
    scope=Scope.READ, ok=Reply("The hit and its decision history.", HitDetail),
)  # fmt: skip
def get_hit(call: Call[None, None], hit_id: int) -> dict[str, Any]:
    """A hit: the mention and its sentence, the listed entity, the score and why, its status
    and every decision taken on it."""
    return hit_detail(call.session, review.get_hit(call.session, hit_id))


@api.route(
    "POST", "/api/v1/hits/{hit_id}/decisions", summary="Decide on a hit", tag="Hits",
    scope=Scope.WRITE, body=DecisionRequest, status=201,
    ok=Reply("The decision was recorded; the hit's new status.", DecisionAnswer),
)  # fmt: skip
def decide(call: Call[None, DecisionRequest], hit_id: int) -> dict[str, Any]:
    """Confirm, dismiss, escalate or reopen a hit. Decisions are appended, never changed; the
    hit's status is the outcome of its latest one. A dismissal with `suppress` silences this
    name for this entity in future screening."""
    decision = review.decide(
        call.session,
        hit_id,
        call.body.action,
        actor=call.actor,
        note=call.body.note,
        suppress=call.body.suppress,
        reason=call.body.reason,
    )
    hit = review.get_hit(call.session, hit_id)
    return {"decision": decision_json(decision), "hit": hit_detail(call.session, hit)}


# --- JSON -------------------------------------------------------------------------------------


def hits_json(session: Session, hits: Sequence[Hit]) -> list[dict[str, Any]]:
    """Stored hits as the API shows them, with their entity cards and their party's listings."""
    ids = [hit.entity_id for hit in hits]
    cards = entities.entity_cards(session, ids)
    found = parties.listings(session, ids, lambda more: entities.entity_cards(session, list(more)))
    return [hit_json(hit, cards[hit.entity_id], found.get(hit.entity_id, ())) for hit in hits]


def hit_json(
    hit: Hit, card: entities.EntityCard, party: Sequence[parties.Listing] = ()
) -> dict[str, Any]:
    mention, article = hit.mention, hit.article
    listed = party or (parties.Listing(card),)
    return {
        "id": hit.id,
        "article_id": hit.article_id,
        "story_id": article.story_id,
        "status": hit.status.value,
        "created_at": rfc3339(hit.created_at),
        "list_state": hit.list_state,
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "sentence": article.text[mention.sentence_start : mention.sentence_end],
        "score": hit.score,
        "matched_name": hit.matched_name,
        "route": hit.route,
        "explanation": hit.explanation,
        "entity": dataclasses.asdict(card),
        "listed_as": parties.party_label(listed),
        "listings": [parties.listing_json(listing) for listing in listed],
    }


def hit_detail(session: Session, hit: Hit) -> dict[str, Any]:
    decisions = review.history(session, hit.id)
    [found] = hits_json(session, [hit])
    return found | {"decisions": [decision_json(d) for d in decisions]}


def decision_json(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.id,
        "action": decision.action.value,
        "reason": decision.reason.value if decision.reason else None,
        "note": decision.note,
        "actor": decision.actor,
        "created_at": rfc3339(decision.created_at),
    }


def _hits(article: Article) -> list[Hit]:
    return sorted((h for m in article.mentions for h in m.hits), key=lambda h: h.id)
