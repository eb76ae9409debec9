"""The API reference page at /api-reference: the OpenAPI document rendered on the server for
people to read, open to anyone (like the document itself).

The page is plain HTML under the dashboard's Content-Security-Policy, which allows no script:
operations grouped by tag, each with what opens it, its parameters, request body, answers and
an example `curl` command; then every schema. All of it is read from the document, so the page
says what the document says. A `$ref` becomes a link to the schema's section.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from flask import render_template, request
from flask.typing import ResponseReturnValue

from web.api.examples import KEY_VARIABLE, Schema, curl, json_schema, ref_name, resolve
from web.api.health import current_document
from web.api.openapi import KEY_NEEDED, NO_KEY
from web.dashboard.blueprint import bp

_CODE = re.compile(r"`([^`]+)`")  # code in the document's prose


@dataclasses.dataclass(frozen=True)
class Span:
    """A piece of prose: text, or code (written `like this` in the document)."""

    text: str
    code: bool = False


Paragraph = tuple[Span, ...]


@dataclasses.dataclass(frozen=True)
class Token:
    """A piece of a type: text, or the name of the schema it links to."""

    text: str
    schema: str | None = None


@dataclasses.dataclass(frozen=True)
class Rule:
    """A constraint or a hint on a value: `at most 500 characters`, `default` `10`."""

    label: str
    values: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Field:
    """A parameter (in the path or the query) or a property of a schema."""

    name: str
    where: str  # path, query; "" for a property
    type: tuple[Token, ...]
    required: bool
    description: tuple[Paragraph, ...]
    rules: tuple[Rule, ...]


@dataclasses.dataclass(frozen=True)
class Answer:
    """One documented status of an operation."""

    status: str
    description: tuple[Paragraph, ...]
    type: tuple[Token, ...]  # of the JSON answer; empty when there is none
    media: tuple[str, ...]  # every media type it comes in


@dataclasses.dataclass(frozen=True)
class Operation:
    id: str
    method: str
    path: str
    summary: str
    description: tuple[Paragraph, ...]
    scopes: tuple[str, ...] | None  # None: no key needed; (): any key; else any one of them
    parameters: tuple[Field, ...]
    body: tuple[Token, ...]  # the request body's type; empty when there is none
    body_fields: tuple[Field, ...]
    answers: tuple[Answer, ...]
    errors: tuple[Answer, ...]
    curl: str


@dataclasses.dataclass(frozen=True)
class Group:
    """The operations of one tag."""

    name: str
    id: str
    operations: tuple[Operation, ...]


@dataclasses.dataclass(frozen=True)
class ScopeUse:
    """A scope and the operations it opens."""

    name: str
    operations: tuple[Operation, ...]
    everything: bool  # it opens every operation that needs a key


@dataclasses.dataclass(frozen=True)
class SchemaEntry:
    name: str
    description: tuple[Paragraph, ...]
    type: tuple[Token, ...]
    rules: tuple[Rule, ...]
    fields: tuple[Field, ...]


@dataclasses.dataclass(frozen=True)
class Reference:
    title: str
    version: str
    openapi: str
    description: tuple[Paragraph, ...]
    authentication: tuple[Paragraph, ...]
    groups: tuple[Group, ...]
    scopes: tuple[ScopeUse, ...]
    schemas: tuple[SchemaEntry, ...]


@bp.get("/api-reference")
def api_reference() -> ResponseReturnValue:
    """The API's reference, readable without signing in."""
    page = reference(current_document(), request.host_url.rstrip("/"))
    return render_template("dashboard/api_reference.html", ref=page, key_variable=KEY_VARIABLE)


def reference(document: Mapping[str, Any], base_url: str) -> Reference:
    """The page's content, read from an OpenAPI 3.1 document; `base_url` for the examples."""
    schemas: Mapping[str, Schema] = document.get("components", {}).get("schemas", {})
    operations = list(_operations(document, schemas, base_url))
    info = document.get("info", {})
    schemes = document.get("components", {}).get("securitySchemes", {})
    return Reference(
        title=info.get("title", "API"),
        version=str(info.get("version", "")),
        openapi=str(document.get("openapi", "")),
        description=prose(info.get("description", "")),
        authentication=tuple(p for s in schemes.values() for p in prose(s.get("description", ""))),
        groups=tuple(_groups(operations)),
        scopes=tuple(_scope_uses(operations)),
        schemas=tuple(_schema_entry(name, schemas[name]) for name in sorted(schemas)),
    )


# --- operations ------------------------------------------------------------------------------


def _operations(
    document: Mapping[str, Any], schemas: Mapping[str, Schema], base_url: str
) -> Iterator[tuple[str, Operation]]:
    """(tag, operation) in the document's order."""
    for path, methods in document.get("paths", {}).items():
        for method, spec in methods.items():
            tag = (spec.get("tags") or ["Other"])[0]
            yield tag, _operation(path, method, spec, schemas, base_url)


def _operation(
    path: str, method: str, spec: Mapping[str, Any], schemas: Mapping[str, Schema], base_url: str
) -> Operation:
    body = json_schema(spec.get("requestBody", {}))
    answers = [_answer(status, answer) for status, answer in spec.get("responses", {}).items()]
    return Operation(
        id=str(spec.get("operationId") or f"{method}-{path}"),
        method=method.upper(),
        path=path,
        summary=spec.get("summary", ""),
        description=_without_key_note(prose(spec.get("description", ""))),
        scopes=_scopes(spec.get("security")),
        parameters=tuple(_parameter(p) for p in spec.get("parameters", ())),
        body=type_tokens(body) if body is not None else (),
        body_fields=_fields(resolve(body, schemas)) if body is not None else (),
        answers=tuple(a for a in answers if not a.status.startswith(("4", "5"))),
        errors=tuple(a for a in answers if a.status.startswith(("4", "5"))),
        curl=curl(method, path, spec, schemas, base_url),
    )


def _scopes(security: Sequence[Mapping[str, Sequence[str]]] | None) -> tuple[str, ...] | None:
    if not security:
        return None
    return tuple(dict.fromkeys(scope for need in security for s in need.values() for scope in s))


def _without_key_note(paragraphs: tuple[Paragraph, ...]) -> tuple[Paragraph, ...]:
    """The description without its last paragraph when that says what key is needed: the page
    shows that from the operation's security."""
    if paragraphs and "".join(s.text for s in paragraphs[-1]).startswith((NO_KEY, KEY_NEEDED)):
        return paragraphs[:-1]
    return paragraphs


def _parameter(spec: Mapping[str, Any]) -> Field:
    schema = spec.get("schema", {})
    return Field(
        name=spec["name"],
        where=spec.get("in", ""),
        type=type_tokens(schema),
        required=bool(spec.get("required")),
        description=prose(spec.get("description") or schema.get("description", "")),
        rules=rules(schema),
    )


def _answer(status: str, spec: Mapping[str, Any]) -> Answer:
    schema = json_schema(spec)
    return Answer(
        status=status,
        description=prose(spec.get("description", "")),
        type=type_tokens(schema) if schema is not None else (),
        media=tuple(spec.get("content", {})),
    )


def _groups(operations: Sequence[tuple[str, Operation]]) -> Iterator[Group]:
    tags = dict.fromkeys(tag for tag, _ in operations)
    for tag in tags:
        found = tuple(op for t, op in operations if t == tag)
        yield Group(name=tag, id="tag-" + _slug(tag), operations=found)


def _scope_uses(operations: Sequence[tuple[str, Operation]]) -> list[ScopeUse]:
    keyed = [op for _, op in operations if op.scopes is not None]
    names = dict.fromkeys(scope for op in keyed for scope in op.scopes or ())
    uses = [
        ScopeUse(
            name=name,
            operations=tuple(op for op in keyed if name in (op.scopes or ())),
            everything=all(not op.scopes or name in op.scopes for op in keyed),
        )
        for name in names
    ]
    return sorted(uses, key=lambda use: use.everything)  # the one opening everything last


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# --- schemas ---------------------------------------------------------------------------------


def _schema_entry(name: str, schema: Schema) -> SchemaEntry:
    return SchemaEntry(
        name=name,
        description=prose(schema.get("description", "")),
        type=type_tokens(schema),
        rules=rules(schema),
        fields=_fields(schema),
    )


def _fields(schema: Schema) -> tuple[Field, ...]:
    required = set(schema.get("required", ()))
    return tuple(
        Field(
            name=name,
            where="",
            type=type_tokens(spec),
            required=name in required,
            description=prose(spec.get("description", "")),
            rules=rules(spec),
        )
        for name, spec in schema.get("properties", {}).items()
    )


def type_tokens(schema: Schema) -> tuple[Token, ...]:
    """A schema's type as words and schema links: `array of` [TextHit], `string or null`."""
    if "$ref" in schema:
        return (Token(ref_name(schema["$ref"]), schema=ref_name(schema["$ref"])),)
    for keyword, joiner in (("anyOf", " or "), ("oneOf", " or "), ("allOf", " and ")):
        if keyword in schema:
            return _joined([type_tokens(branch) for branch in schema[keyword]], joiner)
    if "const" in schema:
        return (Token(_shown(schema["const"], quoted=True)),)
    kind = schema.get("type")
    if isinstance(kind, list):
        return _joined([type_tokens({**schema, "type": k}) for k in kind], " or ")
    if kind == "array" and "items" in schema:
        return (Token("array of "), *_grouped(schema["items"]))
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return (Token("object of "), *_grouped(schema["additionalProperties"]))
    text = str(kind) if kind else "any"
    return (Token(f"{text} ({schema['format']})" if "format" in schema else text),)


def _grouped(schema: Schema) -> tuple[Token, ...]:
    """A type inside another, in brackets when it is a choice."""
    tokens = type_tokens(schema)
    if any(keyword in schema for keyword in ("anyOf", "oneOf", "allOf")):
        return (Token("("), *tokens, Token(")"))
    return tokens


def _joined(parts: Sequence[tuple[Token, ...]], joiner: str) -> tuple[Token, ...]:
    tokens: list[Token] = []
    for index, part in enumerate(parts):
        if index:
            tokens.append(Token(joiner))
        tokens.extend(part)
    return tuple(tokens)


def rules(schema: Schema) -> tuple[Rule, ...]:
    """What a value must be, and its default and example, in words."""
    found: list[Rule] = []
    for part in (schema, *_non_null_branches(schema)):
        found += _constraints(part)
    if schema.get("additionalProperties") is False:
        found.append(Rule("unknown fields are refused"))
    if schema.get("default") is not None:
        found.append(Rule("default", (_shown(schema["default"]),)))
    if schema.get("examples"):
        found.append(Rule("example", (_shown(schema["examples"][0]),)))
    return tuple(found)


def _non_null_branches(schema: Schema) -> list[Schema]:
    branches = schema.get("anyOf", ())
    return [b for b in branches if b.get("type") != "null" and "$ref" not in b]


def _constraints(schema: Schema) -> Iterator[Rule]:
    if "enum" in schema:
        yield Rule("one of", tuple(_shown(value) for value in schema["enum"]))
    for low, high, unit in (
        ("minimum", "maximum", ""),
        ("minLength", "maxLength", " characters"),
        ("minItems", "maxItems", " items"),
        ("minProperties", "maxProperties", " entries"),
    ):
        bound = _bounds(schema.get(low), schema.get(high), unit)
        if bound:
            yield Rule(bound)
    if "exclusiveMinimum" in schema:
        yield Rule(f"above {_number(schema['exclusiveMinimum'])}")
    if "exclusiveMaximum" in schema:
        yield Rule(f"below {_number(schema['exclusiveMaximum'])}")
    if "pattern" in schema:
        yield Rule("pattern", (schema["pattern"],))


def _bounds(low: float | None, high: float | None, unit: str) -> str:
    if low is not None and high is not None:
        return f"{_number(low)} to {_number(high)}{unit}"
    if high is not None:
        return f"at most {_number(high)}{unit}"
    if low is not None:
        return f"at least {_number(low)}{unit}"
    return ""


def _number(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def _shown(value: object, *, quoted: bool = False) -> str:
    """A value as written in JSON; a text without quotes unless `quoted` or empty."""
    if isinstance(value, str) and value and not quoted:
        return value
    return json.dumps(value, ensure_ascii=False)


def prose(text: str) -> tuple[Paragraph, ...]:
    """Paragraphs (split at blank lines), each a run of text and `code` spans."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        block = " ".join(block.split())
        if not block:
            continue
        pieces = _CODE.split(block)  # text, code, text, code, ...
        spans = (Span(piece, code=bool(index % 2)) for index, piece in enumerate(pieces))
        paragraphs.append(tuple(span for span in spans if span.text))
    return tuple(paragraphs)
