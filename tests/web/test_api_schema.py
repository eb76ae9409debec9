"""Property-based tests of the whole API against its own OpenAPI document (schemathesis):
no request the document allows may get a 5xx, and every answer must match its documented
schema. Runs against a database of its own (seed and seed articles), since it writes
articles and decisions at random."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import fresh_database
from tests.web.conftest import load_small, make_key, web_settings
from web import create_app

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, dict[str, str]]]:
    folder: Path = tmp_path_factory.mktemp("schemathesis")
    with fresh_database(folder) as url:
        settings = web_settings(url)
        load_small(settings)
        app = create_app(settings)
        app.config["TESTING"] = True
        headers = {"Authorization": f"Bearer {make_key(settings, 'admin')}"}
        yield app, headers
        app.extensions["watchlist"].engine.dispose()


@pytest.fixture(scope="module")
def api_schema(fuzzed: tuple[Flask, dict[str, str]]) -> schemathesis.BaseSchema:
    app, headers = fuzzed
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, headers=headers)


def test_the_api_keeps_its_documented_promises(
    api_schema: schemathesis.BaseSchema, fuzzed: tuple[Flask, dict[str, str]]
) -> None:
    # One hypothesis run per operation (schemathesis' pytest plugin does not support this
    # pytest version's node ids, so its Python API drives the runs).
    _app, headers = fuzzed
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 18
    for operation in operations:
        run_operation(operation, headers)


def run_operation(operation: schemathesis.APIOperation, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()
