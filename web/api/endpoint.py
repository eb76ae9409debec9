"""The API's endpoint registry. Each view declares its method, path, scope, summary and models;
authentication, request validation and the OpenAPI document are all derived from that one
declaration, so the document cannot drift from what the code does."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import json
import re
import typing
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from flask import Blueprint, Response, current_app
from pydantic import BaseModel, TypeAdapter

from watchlist.access import KeyHolder
from watchlist.db import Session, translate_errors
from watchlist.models import Scope
from watchlist.timestamps import rfc3339
from web.api import validation
from web.api.auth import authenticate
from web.state import state

Q = TypeVar("Q")
B = TypeVar("B")
ID_MAX = 2**31 - 1  # the largest id the databases hold; larger ones cannot exist
_PARAM = re.compile(r"\{(\w+)\}")


@dataclasses.dataclass(frozen=True)
class Reply:
    """One documented answer of an endpoint: a JSON model (a pydantic model, or one of the
    shapes in `watchlist.responses`), or text in other media types."""

    description: str
    model: type[Any] | None = None
    media: tuple[str, ...] = ()  # non-JSON media types the answer may come in (text/csv)


@dataclasses.dataclass(frozen=True)
class Call(Generic[Q, B]):
    """What a view is given: the caller's key, its validated query and body, and the session
    of the request's transaction (committed after the view returns)."""

    key: KeyHolder | None
    session: Session
    query: Q
    body: B

    @property
    def actor(self) -> str:
        """Who made the request, as decisions and the audit log record it."""
        return f"api-key:{self.key.name}" if self.key is not None else "anonymous"


View = Callable[..., object]


@dataclasses.dataclass(frozen=True)
class Endpoint:
    """One operation of the API as declared."""

    method: str
    path: str  # in OpenAPI form: /api/v1/hits/{hit_id}
    view: View
    summary: str
    description: str
    tag: str
    scope: Scope | None  # None: any valid key (or none at all when public)
    public: bool
    query: type[BaseModel] | None
    body: type[BaseModel] | None
    replies: Mapping[int, Reply]
    path_params: Mapping[str, type]
    path_examples: Mapping[str, str | int]  # example values of path parameters, for the document
    errors: tuple[int, ...]  # statuses the view itself may answer with, beyond the usual ones

    @property
    def operation_id(self) -> str:
        return self.view.__name__


class Api:
    """A registry of endpoints on one blueprint."""

    def __init__(self, blueprint: Blueprint) -> None:
        self.blueprint = blueprint
        self.endpoints: list[Endpoint] = []

    def route(
        self,
        method: str,
        path: str,
        *,
        summary: str,
        tag: str,
        ok: Reply,
        scope: Scope | None = None,
        public: bool = False,
        query: type[BaseModel] | None = None,
        body: type[BaseModel] | None = None,
        status: int = 200,
        also: Mapping[int, Reply] | None = None,
        errors: tuple[int, ...] = (),
        path_examples: Mapping[str, str | int] | None = None,
    ) -> Callable[[View], View]:
        """Declare and register a view; its docstring is the operation's description.

        The view answers `ok` with `status`, or returns `(payload, other_status)` for one of
        the replies in `also`. `path_examples` gives the document an example value for path
        parameters (the reference page's curl examples use them).
        """

        def register(view: View) -> View:
            hints = typing.get_type_hints(view)
            endpoint = Endpoint(
                method=method,
                path=path,
                view=view,
                summary=summary,
                description=inspect.cleandoc(view.__doc__ or summary),
                tag=tag,
                scope=scope,
                public=public,
                query=query,
                body=body,
                replies={status: ok, **(also or {})},
                path_params={name: hints[name] for name in _PARAM.findall(path)},
                path_examples=path_examples or {},
                errors=errors,
            )
            self.endpoints.append(endpoint)
            self.blueprint.add_url_rule(
                _flask_rule(endpoint),
                endpoint=view.__name__,
                view_func=_handler(endpoint),
                methods=[method],
            )
            return view

        return register


def _flask_rule(endpoint: Endpoint) -> str:
    def converter(match: re.Match[str]) -> str:
        name = match.group(1)
        if endpoint.path_params[name] is int:
            return f"<int(min=1, max={ID_MAX}):{name}>"
        return f"<string:{name}>"

    return _PARAM.sub(converter, endpoint.path)


def _handler(endpoint: Endpoint) -> Callable[..., Response]:
    def handle(**path: Any) -> Response:
        web = state()
        with translate_errors(), web.sessions() as session:
            key = None if endpoint.public else authenticate(session, endpoint.scope)
            query = validation.parse_query(endpoint.query, web.settings.web)
            body = validation.parse_body(endpoint.body, web.settings.web)
            result = endpoint.view(Call(key, session, query, body), **path)
            with web.writes.hold():  # the answer and its audit record, or neither
                session.commit()
        return _respond(endpoint, result)

    handle.__name__ = endpoint.view.__name__
    return handle


def _respond(endpoint: Endpoint, result: object) -> Response:
    if isinstance(result, Response):
        return result
    status = next(iter(endpoint.replies))
    if isinstance(result, tuple):
        result, status = result
    reply = endpoint.replies[status]
    if reply.model is not None and current_app.testing:
        adapter(reply.model).validate_python(result)  # the answer must match its documented shape
    return json_response(result, status)


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def adapter(model: Any) -> TypeAdapter[Any]:
    """The pydantic reader of a documented model (a class), built once."""
    found = _ADAPTERS.get(model)
    if found is None:
        found = _ADAPTERS[model] = TypeAdapter(model)
    return found


def json_response(data: object, status: int = 200) -> Response:
    """A JSON answer (dates as ISO 8601 text, times as RFC 3339 in UTC)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_json_default)
    return Response(text, status=status, mimetype="application/json")


def _json_default(value: object) -> object:
    if isinstance(value, dt.datetime):
        return rfc3339(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
