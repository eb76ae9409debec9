"""The screening audit log over HTTP: who screened what, when, against which list state, and
what came back; a page at a time, or exported whole as CSV or JSON lines."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from flask import Response
from pydantic import BaseModel, Field

from watchlist.models import Scope
from watchlist.responses import Timestamp
from watchlist.screening import audit
from web.api.blueprint import api
from web.api.endpoint import Call, Reply
from web.api.schemas import Moment, Page, Params, PerPage, Text

EXPORTS = {
    "csv": ("text/csv", "csv", audit.export_csv),
    "json": ("application/x-ndjson", "jsonl", audit.export_json),
}


class AuditQuery(Params):
    since: Annotated[Moment | None, Field(description="From this time (UTC), inclusive.")] = None
    until: Annotated[Moment | None, Field(description="Up to this time (UTC), exclusive.")] = None
    actor: Annotated[
        Text | None, Field(max_length=120, description="e.g. api-key:kyc-service.")
    ] = None
    kind: Literal["lookup", "screen", "match"] | None = None
    query: Annotated[
        Text | None,
        Field(max_length=500, description="Only requests whose name or text contains this."),
    ] = None
    page: Page = 1
    per_page: PerPage = 50
    format: Annotated[
        Literal["csv", "json"] | None,
        Field(
            description="Export every matching record (not a page) as a download: csv (with "
            "a header) or json (JSON lines, one record each)."
        ),
    ] = None


class AuditRecord(BaseModel):
    id: int
    created_at: Timestamp
    actor: str
    kind: str = Field(description="lookup, screen or match.")
    query: str = Field(description="The name, or the first 2,000 characters of the text.")
    query_detail: dict[str, Any] = Field(
        description="Qualifiers and options of the request, and the query's full length."
    )
    list_state: int
    result_count: int
    top_entity_id: int | None
    top_name: str | None
    top_score: float | None


class AuditPage(BaseModel):
    records: list[AuditRecord] = Field(description="Newest first.")
    total: int
    page: int
    per_page: int


@api.route(
    "GET", "/api/v1/audit", summary="The screening audit log", tag="Audit",
    scope=Scope.ADMIN, query=AuditQuery,
    ok=Reply("One page of records, or (with `format`) the export as a download.", AuditPage,
             media=("text/csv", "application/x-ndjson")),
)  # fmt: skip
def audit_log(call: Call[AuditQuery, None]) -> dict[str, Any] | Response:
    """Every lookup, screen and match request: the API key, the time, the query, the list
    state, the number of results and the best one. Filter by time, key, kind and query text."""
    query = call.query
    where = audit.AuditFilter(
        since=query.since, until=query.until, actor=query.actor, kind=query.kind, query=query.query
    )
    if query.format is not None:
        return _export(call, where, query.format)
    entries, total = audit.find(
        call.session, where, limit=query.per_page, offset=(query.page - 1) * query.per_page
    )
    return {
        "records": [audit.as_dict(entry) for entry in entries],
        "total": total,
        "page": query.page,
        "per_page": query.per_page,
    }


def _export(call: Call[AuditQuery, None], where: audit.AuditFilter, fmt: str) -> Response:
    media, extension, write = EXPORTS[fmt]
    entries, _total = audit.find(call.session, where)
    body = "".join(write(entries))
    response = Response(body, mimetype=media)
    response.headers["Content-Disposition"] = f'attachment; filename="audit.{extension}"'
    return response
