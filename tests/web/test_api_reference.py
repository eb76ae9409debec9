"""The API reference page (/api-reference): open to anyone like the OpenAPI document, plain
HTML under the no-script policy, every operation and schema of the document on it, and
examples that work as printed."""

from __future__ import annotations

import html
import re
import shlex
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import fresh_database
from tests.web.conftest import load_small, make_key, web_settings
from tests.web.dashboard import sign_in, text
from web import create_app
from web.api.examples import sample
from web.dashboard.reference import Span, Token, prose, rules, type_tokens
from web.dashboard.security import CSP


def page(client: FlaskClient) -> str:
    response = client.get("/api-reference")
    assert response.status_code == 200
    return text(response)


def document(client: FlaskClient) -> Any:
    return client.get("/api/v1/openapi.json").get_json()


def operation_html(reference: str, operation_id: str) -> str:
    found = re.search(rf'<article id="op-{operation_id}".*?</article>', reference, re.S)
    assert found, operation_id
    return found.group(0)


def plain(fragment: str) -> str:
    """The text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_anyone_reads_it_without_signing_in_and_it_runs_no_script(client: FlaskClient) -> None:
    response = client.get("/api-reference")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Content-Security-Policy"] == CSP  # as strict as every page
    assert response.headers["Cache-Control"] == "no-store"
    reference = text(response)
    assert "<script" not in reference and " on" not in re.sub(r">[^<]*<", "><", reference)
    assert 'href="/api/v1/openapi.json"' in reference
    assert 'href="/login"' in reference  # and a way to sign in
    assert "Sign out" not in reference


@pytest.mark.usefixtures("dashboard_users")
def test_the_dashboard_links_to_it_on_every_page(client: FlaskClient) -> None:
    login = text(client.get("/login"))
    assert '<a href="/api-reference">API reference</a>' in login
    sign_in(client, "viewer")
    for path in ("/", "/overview", "/search", "/api-reference"):
        assert 'href="/api-reference"' in text(client.get(path)), path
    signed_in = page(client)
    assert "Sign out" in signed_in and 'aria-current="page">API reference' in signed_in


def test_every_operation_and_schema_of_the_document_is_on_it(client: FlaskClient) -> None:
    doc, reference = document(client), page(client)
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            section = plain(operation_html(reference, operation["operationId"]))
            assert section.startswith(f"{method.upper()} {path} {operation['summary']}"), section
            for parameter in operation["parameters"]:
                assert parameter["name"] in section
            for status in operation["responses"]:
                assert status in section
    for tag in {op["tags"][0] for ops in doc["paths"].values() for op in ops.values()}:
        assert f">{tag}</h2>" in reference
    for name in doc["components"]["schemas"]:
        assert f'<article id="schema-{name}"' in reference
    ids = set(re.findall(r'id="([^"]+)"', reference))
    targets = set(re.findall(r'href="#([^"]+)"', reference))
    assert targets and targets <= ids, targets - ids  # every link inside the page lands


def test_an_operation_says_what_opens_it_what_it_takes_and_what_it_answers(
    client: FlaskClient,
) -> None:
    reference = page(client)
    lookup = plain(operation_html(reference, "lookup_name"))
    assert "Authentication: An API key with the lookup or admin scope." in lookup
    assert "Needs an API key" not in lookup  # said once, from the document's security
    assert "name required query string A name, in any script." in lookup
    assert "1 to 500 characters" in lookup and "example Ashot Mkrtychev" in lookup
    assert "limit query integer" in lookup
    assert "1 to 50 default 10" in lookup  # web.max_results, this deployment's limit
    assert "one of person , organization , vessel , aircraft" in lookup
    assert 'href="#schema-LookupAnswer"' in operation_html(reference, "lookup_name")
    assert "Authentication: An API key with the admin scope." in plain(
        operation_html(reference, "audit_log")
    )
    for public in ("healthz", "readyz", "openapi_document"):
        assert "Authentication: No API key needed." in plain(operation_html(reference, public))
    batch = plain(operation_html(reference, "lookup_batch"))
    assert "Request body (application/json) : BatchLookup" in batch
    assert "queries required array of BatchQuery" in batch and "1 to 100 items" in batch
    audit = plain(operation_html(reference, "audit_log"))
    assert "As application/json , text/csv , application/x-ndjson ." in audit


def test_the_schemas_show_their_fields_and_rules(client: FlaskClient) -> None:
    reference = page(client)
    decision = re.search(r'<article id="schema-DecisionRequest".*?</article>', reference, re.S)
    assert decision
    words = plain(decision.group(0))
    assert "action required Action" in words and "unknown fields are refused" in words
    assert "reason DismissReason or null" in words and 'default ""' in words
    status = re.search(r'<article id="schema-HitStatus".*?</article>', reference, re.S)
    assert status and "one of open , confirmed , dismissed , escalated , delisted" in plain(
        status.group(0)
    )
    screen = operation_html(reference, "screen")  # code in the prose is code on the page
    assert "<code>text == submitted[start:end]</code>" in screen


def words(tokens: tuple[Token, ...]) -> str:
    return "".join(token.text for token in tokens)


def test_types_rules_and_samples_read_any_json_schema() -> None:
    ref = {"$ref": "#/components/schemas/Hit"}
    assert type_tokens(ref) == (Token("Hit", schema="Hit"),)
    assert words(type_tokens({"type": ["string", "null"]})) == "string or null"
    choice = {"type": "array", "items": {"anyOf": [ref, {"type": "null"}]}}
    assert words(type_tokens(choice)) == "array of (Hit or null)"
    assert words(type_tokens({"oneOf": [ref, {"type": "integer"}]})) == "Hit or integer"
    assert words(type_tokens({"type": "object", "additionalProperties": ref})) == "object of Hit"
    assert words(type_tokens({"const": "ready"})) == '"ready"' and words(type_tokens({})) == "any"
    assert words(type_tokens({"type": "string", "format": "date-time"})) == "string (date-time)"
    bounds = rules({"type": "number", "exclusiveMinimum": 0, "maximum": 1, "default": 0.5})
    assert [(r.label, r.values) for r in bounds] == [
        ("at most 1", ()), ("above 0", ()), ("default", ("0.5",))
    ]  # fmt: skip
    properties = {
        "next": {"$ref": "#/components/schemas/Node"},
        "n": {"type": "integer", "minimum": 3},
        "x": {"type": "string"},
    }
    node = {"type": "object", "required": ["next", "n"], "properties": properties}
    nested = sample({"$ref": "#/components/schemas/Node"}, {"Node": node})
    assert nested["n"] == 3 and "x" not in nested  # required properties only
    depth = 0
    while isinstance(nested, dict):  # a schema that refers to itself ends
        nested, depth = nested["next"], depth + 1
    assert nested is None and depth < 10
    assert prose("One `code`\nwrapped.\n\nTwo.") == (
        (Span("One "), Span("code", code=True), Span(" wrapped.")), (Span("Two."),)
    )  # fmt: skip


# --- the examples, run as printed ----------------------------------------------------------


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """A service of its own holding the seed and the seed articles (the examples write), and
    an admin key."""
    with fresh_database(tmp_path_factory.mktemp("reference")) as url:
        settings = web_settings(url)
        load_small(settings)
        app = create_app(settings)
        app.config["TESTING"] = True
        yield app, make_key(settings, "admin")
        app.extensions["watchlist"].engine.dispose()


def examples(reference: str) -> dict[str, str]:
    """Each operation's curl command as the page prints it."""
    found = re.findall(
        r'<article id="op-([^"]+)".*?<pre class="example"><code>(.*?)</code></pre>', reference, re.S
    )
    return {operation: html.unescape(command) for operation, command in found}


def run(client: FlaskClient, command: str, key: str) -> Any:
    """A curl command sent through the test client (the shell's line continuations read)."""
    words = shlex.split(command.replace("\\\n", " "))
    assert words[0] == "curl"
    headers: dict[str, str] = {}
    method, data, url = "GET", None, words[-1]
    options = iter(words[1:-1])
    for option in options:
        value = next(options)
        if option == "-H":
            name, _, header = value.partition(": ")
            headers[name] = header.replace("$WATCHLIST_API_KEY", key)
        elif option == "--data":
            method, data = "POST", value
        elif option == "-X":
            method = value
        else:
            raise AssertionError(f"unexpected curl option {option}")
    assert url.startswith("http://localhost/")
    return client.open(url.removeprefix("http://localhost"), method=method, data=data,
                       headers=headers)  # fmt: skip


def test_every_example_works_as_printed(small_site: tuple[Flask, str]) -> None:
    app, key = small_site
    client = app.test_client()
    doc = document(client)
    printed = examples(page(client))
    operations = {op["operationId"]: op for ops in doc["paths"].values() for op in ops.values()}
    assert set(printed) == set(operations)
    for operation_id, command in printed.items():
        needs_key = bool(operations[operation_id]["security"])
        assert ("$WATCHLIST_API_KEY" in command) == needs_key, operation_id
        response = run(client, command, key)
        documented = {int(s) for s in operations[operation_id]["responses"] if s < "400"}
        if operation_id == "readyz":
            documented.add(503)  # the index may still be building
        assert response.status_code in documented, (operation_id, response.get_json())
    screened = run(client, printed["screen"], key).get_json()
    assert [hit["text"] for hit in screened["hits"]] == ["Ashot Mkrtychev"]
