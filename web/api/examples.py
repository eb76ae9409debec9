"""Example requests read from the OpenAPI document: a value for a schema and a `curl` command
for an operation, with the required parameters and body filled in (from the schemas'
`examples` where they give one). The API reference page shows them."""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

Schema = Mapping[str, Any]
KEY_VARIABLE = "WATCHLIST_API_KEY"  # the shell variable the curl commands read the key from
DEPTH = 8  # how deep an example follows references and nesting
PLACEHOLDERS = {"date-time": "2026-12-05T16:01:28Z", "date": "2026-12-05"}  # strings by format


def curl(
    method: str,
    path: str,
    operation: Mapping[str, Any],
    schemas: Mapping[str, Schema],
    base_url: str,
) -> str:
    """A shell command making the request: the key from $WATCHLIST_API_KEY when one is
    needed, example values in the path, the required query parameters and the body."""
    parameters = operation.get("parameters", ())
    url = base_url + path
    for parameter in parameters:
        if parameter.get("in") == "path":
            value = _text(sample(parameter.get("schema", {}), schemas))
            url = url.replace("{" + parameter["name"] + "}", value)
    query = [
        (p["name"], _text(sample(p.get("schema", {}), schemas)))
        for p in parameters
        if p.get("in") == "query" and p.get("required")
    ]
    if query:
        url += "?" + urlencode(query)
    options = []
    body = json_schema(operation.get("requestBody", {}))
    if method.upper() not in ("GET", "POST") or (method.upper() == "POST" and body is None):
        options.append(f"-X {method.upper()}")
    if operation.get("security"):
        options.append(f'-H "Authorization: Bearer ${KEY_VARIABLE}"')
    if body is not None:
        data = json.dumps(sample(body, schemas), ensure_ascii=False)
        options.append("-H " + shlex.quote("Content-Type: application/json"))
        options.append("--data " + shlex.quote(data))
    if len(options) < 2:
        return " ".join(["curl", *options, shlex.quote(url)])
    first, *rest = options
    return " \\\n  ".join([f"curl {first}", *rest, shlex.quote(url)])  # a line each


def sample(schema: Schema, schemas: Mapping[str, Schema], depth: int = 0) -> Any:
    """An example value of a schema: its first example, else its first allowed value or its
    default, else something of its type (an object with its required properties)."""
    if depth > DEPTH:
        return None
    if "$ref" in schema:
        return sample(resolve(schema, schemas), schemas, depth + 1)
    for keyword in ("examples", "enum"):
        if schema.get(keyword):
            return schema[keyword][0]
    if "const" in schema:
        return schema["const"]
    if schema.get("default") is not None:
        return schema["default"]
    choices = schema.get("anyOf", schema.get("oneOf", ()))
    branches = [branch for branch in choices if branch.get("type") != "null"]
    if branches:
        return sample(branches[0], schemas, depth + 1)
    return _of_type(schema, schemas, depth)


def _of_type(schema: Schema, schemas: Mapping[str, Schema], depth: int) -> Any:
    kind = schema.get("type")
    if kind == "object":
        return _object(schema, schemas, depth)
    if kind == "array":
        wanted = schema.get("minItems", 0) > 0 and "items" in schema
        return [sample(schema["items"], schemas, depth + 1)] if wanted else []
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    if kind == "string":
        return PLACEHOLDERS.get(schema.get("format", ""), "text")
    return None


def _object(schema: Schema, schemas: Mapping[str, Schema], depth: int) -> dict[str, Any]:
    required = schema.get("required", ())
    properties = schema.get("properties", {})
    value = {
        name: sample(spec, schemas, depth + 1)
        for name, spec in properties.items()
        if name in required
    }
    extra = schema.get("additionalProperties")
    if not value and isinstance(extra, dict) and schema.get("minProperties", 0) > 0:
        value = {"key": sample(extra, schemas, depth + 1)}
    return value


def _text(value: object) -> str:
    """A value as a path segment or query parameter writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def json_schema(spec: Mapping[str, Any]) -> Schema | None:
    """The JSON schema of a request body or an answer (None when it has no JSON form)."""
    content = spec.get("content", {})
    return next((content[m]["schema"] for m in content if is_json(m)), None)


def is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def resolve(schema: Schema, schemas: Mapping[str, Schema]) -> Schema:
    """The schema a `$ref` points to (the schema itself when it is not a reference)."""
    ref = schema.get("$ref")
    return schemas.get(ref_name(ref), {}) if isinstance(ref, str) else schema


def ref_name(ref: str) -> str:
    """`#/components/schemas/TextHit` -> `TextHit`."""
    return ref.rsplit("/", 1)[-1]
