"""Articles (stored and screened), the hits found in them, and analysts' decisions on hits."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from watchlist.articles import reading
from watchlist.articles.intake import store_and_screen
from watchlist.articles.store import WEB_URL_PATTERN, ArticleInput
from watchlist.models import Action, Article, DismissReason, Hit, HitStatus, Scope
from watchlist.responses import DecisionOut, HitDetail, StoredHit, Timestamp
from watchlist.review import answers
from watchlist.review import decisions as review
from watchlist.screening.hits import make_screener
from watchlist.timestamps import rfc3339
from web.api.blueprint import api
from web.api.endpoint import Call, Reply
from web.api.schemas import Body, Moment, Page, Params, PerPage, RecordId, Text
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
    answer = dataclasses.asdict(stored) | {"hits": answers.hits_json(call.session, _hits(article))}
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
        "hits": answers.hits_json(call.session, _hits(article)),
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
        "hits": answers.hits_json(call.session, found.hits),
        "total": found.total,
        "page": found.page,
        "per_page": found.per_page,
    }


@api.route(
    "GET", "/api/v1/hits/{hit_id}", summary="One hit with its decisions", tag="Hits",
    scope=Scope.READ, ok=Reply("The hit and its decision history.", HitDetail),
)  # fmt: skip
def get_hit(call: Call[None, None], hit_id: int) -> HitDetail:
    """A hit: the mention and its sentence, the listed entity, the score and why, its status
    and every decision taken on it."""
    return answers.hit_detail(call.session, review.get_hit(call.session, hit_id))


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
    return {
        "decision": answers.decision_json(decision),
        "hit": answers.hit_detail(call.session, hit),
    }


def _hits(article: Article) -> list[Hit]:
    return sorted((h for m in article.mentions for h in m.hits), key=lambda h: h.id)
