"""The one place errors become HTTP answers: a status code and a JSON problem body for API
clients (`{"error": {"code", "message", "details"?}}`), a small HTML page for browsers.

Core errors (`WatchlistError` and subclasses), werkzeug's HTTP errors (404, 405, 413, ...) and
anything unexpected all end here; no traceback ever reaches a client.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from watchlist.errors import (
    AuthenticationError,
    BusyError,
    ConfigError,
    ConflictError,
    DatabaseError,
    FetchError,
    InputError,
    NotFoundError,
    OverBudgetError,
    PermissionDeniedError,
    WatchlistError,
)

log = logging.getLogger(__name__)

# Paths whose clients are programs: they always get JSON, never HTML.
JSON_PREFIXES = ("/api/", "/match/", "/readyz", "/healthz")


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one field of a request: `queries.0.name`, and why."""

    field: str
    message: str


class RequestError(InputError):
    """A request the API cannot take as sent; carries its HTTP status and error code."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Sequence[FieldProblem] = (),
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.details = tuple(details)


# Most specific first: the first class an error is an instance of decides.
STATUS: tuple[tuple[type[WatchlistError], int, str], ...] = (
    (AuthenticationError, 401, "unauthorized"),
    (PermissionDeniedError, 403, "forbidden"),
    (NotFoundError, 404, "not_found"),
    (ConflictError, 409, "conflict"),
    (InputError, 422, "invalid_request"),
    (BusyError, 503, "busy"),
    (OverBudgetError, 503, "over_budget"),
    (DatabaseError, 503, "database_unavailable"),
    (FetchError, 502, "upstream_failed"),
    (ConfigError, 500, "misconfigured"),
)
HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}
HTTP_MESSAGES = {
    404: "There is nothing at this address.",
    405: "This address does not accept the {method} method.",
    413: "The request body is larger than the limit of {limit} KB (web.max_body_kb).",
}
GENERIC_MESSAGE = "The server failed to answer this request; the failure was logged."


def wants_json(path: str) -> bool:
    """Whether the client at this path is a program (API, yente, health checks)."""
    return path.startswith(JSON_PREFIXES)


def error_body(code: str, message: str, details: Sequence[FieldProblem] = ()) -> dict[str, object]:
    """The JSON problem body every API error has."""
    error: dict[str, object] = {"code": code, "message": message}
    if details:
        error["details"] = [{"field": d.field, "message": d.message} for d in details]
    return {"error": error}


def json_error(
    status: int, code: str, message: str, details: Sequence[FieldProblem] = ()
) -> Response:
    response = jsonify(error_body(code, message, details))
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="watchlist"'
    if status == 503:
        response.headers["Retry-After"] = "5"
    return response


def html_error(status: int, message: str) -> Response:
    """A minimal error page for browsers; the message is escaped."""
    text = html.escape(message)
    page = (
        "<!doctype html><html lang=en><meta charset=utf-8>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="stylesheet" href="/assets/dashboard.css">'
        f"<title>{status} · Watchlist</title><main id=main><h1>{status}</h1><p>{text}</p>"
        '<p><a href="/">Back to the dashboard</a></p></main></html>'
    )
    return Response(page, status=status, mimetype="text/html")


def _answer(status: int, code: str, message: str, details: Sequence[FieldProblem] = ()) -> Response:
    if wants_json(request.path):
        return json_error(status, code, message, details)
    return html_error(status, message)


def handle_watchlist_error(error: WatchlistError) -> Response:
    if isinstance(error, RequestError):
        return _answer(error.status, error.code, error.message, error.details)
    for cls, status, code in STATUS:
        if isinstance(error, cls):
            if status >= 500:
                log.error("%s %s failed: %s", request.method, request.path, error.message)
            return _answer(status, code, error.message)
    log.exception("unmapped error on %s %s", request.method, request.path)
    return _answer(500, "internal_error", GENERIC_MESSAGE)


def handle_http_error(error: HTTPException) -> Response:
    status = error.code or 500
    code = HTTP_CODES.get(status, "http_error")
    template = HTTP_MESSAGES.get(status)
    if template is not None:
        limit = (request.max_content_length or 0) // 1024
        message = template.format(method=request.method, limit=limit)
    else:
        message = error.description or error.name
    response = _answer(status, code, message)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def handle_unexpected(error: Exception) -> Response:
    log.exception("unexpected failure on %s %s", request.method, request.path, exc_info=error)
    return _answer(500, "internal_error", GENERIC_MESSAGE)


def refuse_nul_characters() -> None:
    """Refuse a path, query or form holding a NUL character: no database stores one, and
    PostgreSQL refuses it outright."""
    values = [request.path, *request.args.values(), *request.args.keys()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += [*request.form.values(), *request.form.keys()]
    if any("\x00" in value for value in values):
        raise RequestError(400, "bad_request", "The request holds a NUL character.")


def register(app: Flask) -> None:
    """Install the handlers on an application."""
    app.register_error_handler(WatchlistError, handle_watchlist_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
