"""Health checks for load balancers and orchestrators, and the API's own description."""

from __future__ import annotations

from typing import Any, Literal

from flask import current_app
from pydantic import BaseModel, Field

from watchlist.db import translate_errors
from watchlist.errors import DatabaseError
from watchlist.screening.matchers import list_state
from web.api.blueprint import api
from web.api.endpoint import Call, Reply
from web.api.openapi import build_document
from web.errors import RequestError
from web.state import state

OPENAPI_CACHE = "watchlist.openapi"


class Health(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    status: Literal["ready"]
    list_state: int = Field(description="The list state the match index was built from.")


@api.route(
    "GET", "/healthz", summary="Is the process up?", tag="Health", public=True,
    ok=Reply("The process is up.", Health),
)  # fmt: skip
def healthz(call: Call[None, None]) -> dict[str, Any]:
    """Answers as long as the process runs; touches neither the database nor the index."""
    return {"status": "ok"}


@api.route(
    "GET", "/readyz", summary="Can the process answer lookups?", tag="Health", public=True,
    ok=Reply("The database answers and a match index is loaded.", Readiness), errors=(503,),
)  # fmt: skip
def readyz(call: Call[None, None]) -> dict[str, Any]:
    """Ready when the database answers (with the schema in place) and this process has built
    its match index; 503 with the reason otherwise. A worker builds its index in the
    background when it starts, so it becomes ready without a request."""
    try:
        with translate_errors():
            current = list_state(call.session)
    except DatabaseError as error:
        raise RequestError(503, "not_ready", error.message) from None
    if not state().matchers.loaded:
        raise RequestError(503, "not_ready", "The match index is still being built.")
    return {"status": "ready", "list_state": current}


@api.route(
    "GET", "/api/v1/openapi.json", summary="This API's OpenAPI document", tag="Meta",
    public=True, ok=Reply("The OpenAPI 3.1 document describing every endpoint."),
)  # fmt: skip
def openapi_document(call: Call[None, None]) -> dict[str, Any]:
    """Generated from the endpoint declarations, with this deployment's limits filled in; the
    dashboard renders it for reading at /api-reference."""
    return current_document()


def current_document() -> dict[str, Any]:
    """This application's OpenAPI document, built on first use and kept."""
    cached = current_app.extensions.get(OPENAPI_CACHE)
    if cached is None:
        cached = build_document(api.endpoints, state().settings.web)
        current_app.extensions[OPENAPI_CACHE] = cached
    document: dict[str, Any] = cached
    return document
