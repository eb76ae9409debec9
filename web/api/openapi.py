"""The OpenAPI 3.1 document, derived from the endpoint declarations and their pydantic models,
with this deployment's limits (`[web]` settings) written in as maxima."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import TypeAdapter
from pydantic.json_schema import JsonSchemaMode

from watchlist.config import WebSettings
from watchlist.models import Scope
from web.api.endpoint import ID_MAX, Endpoint, Reply, adapter
from web.api.schemas import ErrorResponse
from web.api.validation import LIMIT_KEY

REF = "#/components/schemas/{model}"
Refs = dict[tuple[Any, str], dict[str, Any]]  # (model, mode) -> {"$ref": ...}
ERROR_TEXT = {
    400: "Malformed request: the body is not JSON, or is missing; or the path or query holds a "
    "NUL character.",
    401: "No API key, or an unknown or revoked one.",
    403: "The API key lacks the scope this endpoint needs.",
    404: "No such record.",
    409: "The request clashes with what is stored.",
    413: "The request body is larger than web.max_body_kb.",
    415: "The body is not application/json.",
    422: "Invalid request: `details` names each field in error (limits included).",
    500: "Unexpected failure (logged; no detail is given).",
    503: "The database is unavailable, the service is not ready or busy, or the request ran "
    "past its time budget (web.request_budget_seconds, code `over_budget`); retry after the "
    "Retry-After header's seconds.",
}
NUL_TEXT = "The path or query holds a NUL character."  # a 400 of a request without a body
DESCRIPTION = """\
Screen names and texts against the sanctions registry, review the hits found in the news and
browse the lists. Authenticate with an API key (`watchlist api-keys create NAME --scope ...`)
sent as `Authorization: Bearer KEY`. Every error is JSON:
`{"error": {"code", "message", "details"?}}`. Every lookup, screening and match request is
recorded in the screening audit log."""
# How the description of an operation says what opens it (its last paragraph); the same is
# said exactly in its `security`: the scopes, each an alternative to `admin`.
NO_KEY = "No API key needed."
KEY_NEEDED = "Needs an API key"


def build_document(endpoints: Sequence[Endpoint], limits: WebSettings) -> dict[str, Any]:
    """The whole document."""
    refs, schemas = _schemas(endpoints)
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Watchlist API", "version": "1", "description": DESCRIPTION},
        "paths": {},
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API key, sent as `Authorization: Bearer KEY` (/match "
                    "also accepts `Authorization: ApiKey KEY`). Each operation's `security` "
                    "lists the scopes that open it; any one of them is enough.",
                }
            },
        },
    }
    for endpoint in endpoints:
        path = document["paths"].setdefault(endpoint.path, {})
        path[endpoint.method.lower()] = _operation(endpoint, refs, schemas)
    _fill_limits(document, limits)
    return document


def _models(endpoints: Sequence[Endpoint]) -> Iterator[tuple[Any, JsonSchemaMode]]:
    yield ErrorResponse, "serialization"
    for endpoint in endpoints:
        for model in (endpoint.query, endpoint.body):
            if model is not None:
                yield model, "validation"
        for reply in endpoint.replies.values():
            if reply.model is not None:
                yield reply.model, "serialization"


def _schemas(
    endpoints: Sequence[Endpoint],
) -> tuple[Refs, dict[str, Any]]:
    unique = list(dict.fromkeys(_models(endpoints)))
    inputs = [(model, mode, adapter(model)) for model, mode in unique]
    refs, top = TypeAdapter.json_schemas(inputs, ref_template=REF)
    return {key: value for key, value in refs.items()}, dict(top.get("$defs", {}))


def _operation(
    endpoint: Endpoint,
    refs: Refs,
    schemas: dict[str, Any],
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": endpoint.operation_id,
        "summary": endpoint.summary,
        "description": _describe(endpoint),
        "tags": [endpoint.tag],
        "security": _security(endpoint),
        "parameters": list(_path_parameters(endpoint)),
        "responses": _responses(endpoint, refs),
    }
    if endpoint.query is not None:
        operation["parameters"] += _query_parameters(refs[(endpoint.query, "validation")], schemas)
    if endpoint.body is not None:
        schema = refs[(endpoint.body, "validation")]
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": schema}},
        }
    return operation


def _security(endpoint: Endpoint) -> list[dict[str, list[str]]]:
    """No key; any key; or a key with one of these scopes (OpenAPI 3.1 lets a bearer
    requirement name roles): the endpoint's own or `admin`, which opens everything."""
    if endpoint.public:
        return []
    if endpoint.scope is None:
        return [{"bearer": []}]
    scopes = dict.fromkeys((endpoint.scope.value, Scope.ADMIN.value))
    return [{"bearer": [scope]} for scope in scopes]


def _describe(endpoint: Endpoint) -> str:
    if endpoint.public:
        return f"{endpoint.description}\n\n{NO_KEY}"
    if endpoint.scope is None:
        return f"{endpoint.description}\n\n{KEY_NEEDED} (any scope)."
    scope = endpoint.scope.value
    alternative = "" if endpoint.scope is Scope.ADMIN else " (or `admin`)"
    return f"{endpoint.description}\n\n{KEY_NEEDED} with the `{scope}` scope{alternative}."


def _path_parameters(endpoint: Endpoint) -> Iterator[dict[str, Any]]:
    for name, kind in endpoint.path_params.items():
        if kind is int:
            schema: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": ID_MAX}
        else:
            schema = {"type": "string", "minLength": 1, "pattern": "^[^/]+$"}
        if name in endpoint.path_examples:
            schema["examples"] = [endpoint.path_examples[name]]
        yield {
            "name": name,
            "in": "path",
            "required": True,
            "schema": schema,
            "description": f"The {name.replace('_', ' ')}.",
        }


def _query_parameters(ref: dict[str, Any], schemas: dict[str, Any]) -> list[dict[str, Any]]:
    model = schemas[ref["$ref"].rsplit("/", 1)[1]]
    required = set(model.get("required", ()))
    parameters = []
    for name, schema in model.get("properties", {}).items():
        schema = _without_null(schema)
        parameter = {"name": name, "in": "query", "required": name in required, "schema": schema}
        if "description" in schema:
            parameter["description"] = schema["description"]
        parameters.append(parameter)
    return parameters


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter's schema without the `null` of an optional value: in a query string
    a missing parameter says that, and `null` cannot be written."""
    branches = [b for b in schema.get("anyOf", ()) if b.get("type") != "null"]
    if "anyOf" not in schema or len(branches) != 1:
        return schema
    rest = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
    return {**branches[0], **rest}


def _responses(endpoint: Endpoint, refs: Refs) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for status, reply in endpoint.replies.items():
        responses[str(status)] = _reply(reply, refs)
    error = {"application/json": {"schema": refs[(ErrorResponse, "serialization")]}}
    for status in sorted(error_statuses(endpoint)):
        text = NUL_TEXT if status == 400 and endpoint.body is None else ERROR_TEXT[status]
        responses[str(status)] = {"description": text, "content": error}
    return responses


def _reply(reply: Reply, refs: Refs) -> Any:
    json_schema = (
        refs[(reply.model, "serialization")] if reply.model is not None else {"type": "object"}
    )
    content: dict[str, Any] = {"application/json": {"schema": json_schema}}
    for media in reply.media:
        content[media] = {"schema": {"type": "string"}}
    return {"description": reply.description, "content": content}


def error_statuses(endpoint: Endpoint) -> set[int]:
    """Every error status the endpoint can answer with (400: any address may hold a NUL
    character, which no request may carry)."""
    statuses = {400, 500, *endpoint.errors}
    if not endpoint.public:
        statuses |= {401, 503} | ({403} if endpoint.scope is not None else set())
    if endpoint.query is not None:
        statuses.add(422)
    if endpoint.body is not None:
        statuses |= {413, 415, 422}
    if endpoint.path_params:
        statuses.add(404)
    return statuses


def _fill_limits(node: Any, limits: WebSettings) -> None:
    """Replace each limit marker with the deployment's value, as the keyword its type uses."""
    if isinstance(node, list):
        for item in node:
            _fill_limits(item, limits)
        return
    if not isinstance(node, dict):
        return
    setting = node.pop(LIMIT_KEY, None)
    if setting is not None:
        node[_limit_keyword(node)] = getattr(limits, setting)
    for value in node.values():
        _fill_limits(value, limits)


def _limit_keyword(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    return {"array": "maxItems", "object": "maxProperties", "string": "maxLength"}.get(
        str(kind), "maximum"
    )
