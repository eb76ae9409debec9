"""Request validation: query strings and JSON bodies checked against the endpoint's pydantic
models, every problem reported with the field it concerns; the service's size limits
(`[web]` settings) enforced as part of the same check."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sized
from typing import Any

from flask import request
from pydantic import (
    BaseModel,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ValidationError,
    ValidationInfo,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from watchlist.config import WebSettings
from web.errors import FieldProblem, RequestError

LIMIT_KEY = "x-watchlist-limit"  # marks a field's limit in its JSON schema (see openapi.py)
LIMIT_ERROR = "limit_exceeded"


@dataclasses.dataclass(frozen=True)
class Limit:
    """Annotation of a value capped by a `[web]` setting: validated against the running
    service's value and marked in the JSON schema, where openapi.py fills in the number.

    `Annotated[int, Field(ge=1), Limit("max_results")]`
    """

    setting: str

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.with_info_after_validator_function(
            at_most(self.setting), handler(source)
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        found = handler(schema)
        found[LIMIT_KEY] = self.setting
        return found


def at_most(setting: str) -> Callable[[Any, ValidationInfo], Any]:
    """A validator refusing a value (a number, or the length of a text, list or mapping)
    above the `[web]` setting `setting`, read from the validation context."""

    def check(value: Any, info: ValidationInfo) -> Any:
        limits = info.context.get("limits") if isinstance(info.context, dict) else None
        if limits is None:
            return value
        ceiling = getattr(limits, setting)
        size = len(value) if isinstance(value, Sized) else value
        if size > ceiling:
            raise PydanticCustomError(
                LIMIT_ERROR,
                "{what} is {size}; the limit is {ceiling} (web.{setting})",
                {"what": _what(value), "size": size, "ceiling": ceiling, "setting": setting},
            )
        return value

    return check


def _what(value: object) -> str:
    if isinstance(value, str):
        return "the text length"
    if isinstance(value, list | dict | tuple):
        return "the number of items"
    return "the value"


def parse_query(model: type[BaseModel] | None, limits: WebSettings) -> BaseModel | None:
    """The query string as `model`; repeated parameters become lists."""
    if model is None:
        return None
    data = {k: v if len(v) > 1 else v[0] for k, v in request.args.lists()}
    return validate(model, data, limits)


def parse_body(model: type[BaseModel] | None, limits: WebSettings) -> BaseModel | None:
    """The JSON body as `model`: 415 unless JSON, 400 unless well-formed, 422 unless valid."""
    if model is None:
        return None
    if request.mimetype and not _is_json(request.mimetype):
        raise RequestError(
            415, "unsupported_media_type", "Send the request body as application/json."
        )
    raw = request.get_data(cache=False)
    if not raw.strip():
        raise RequestError(400, "bad_request", "This request needs a JSON body.")
    return validate(model, _decode(raw), limits)


def _is_json(mimetype: str) -> bool:
    return mimetype == "application/json" or mimetype.endswith("+json")


def _decode(raw: bytes) -> object:
    try:
        return json.loads(raw, parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise RequestError(400, "malformed_json", "The request body is not UTF-8 text.") from None
    except RecursionError:
        raise RequestError(
            400, "malformed_json", "The request body is nested too deeply."
        ) from None
    except ValueError as error:
        raise RequestError(
            400, "malformed_json", f"The request body is not valid JSON: {error}."
        ) from None


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def validate(model: type[BaseModel], data: object, limits: WebSettings) -> BaseModel:
    """`data` as `model`, or a 422 naming each field in error."""
    try:
        return model.model_validate(data, context={"limits": limits})
    except ValidationError as error:
        problems = [_problem(item) for item in error.errors(include_url=False)]
        over = any(item["type"] == LIMIT_ERROR for item in error.errors(include_url=False))
        code = LIMIT_ERROR if over else "invalid_request"
        summary = "; ".join(f"{p.field}: {p.message}" for p in problems[:3])
        raise RequestError(422, code, f"The request is invalid: {summary}.", problems) from None


def _problem(item: Any) -> FieldProblem:
    field = ".".join(str(part) for part in item["loc"]) or "(body)"
    return FieldProblem(field=field, message=item["msg"])
