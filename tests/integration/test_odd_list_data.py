"""List data no database can store, or no parser can hold, is refused with one line: exit 65."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from tests.conftest import RunCli
from tests.integration.test_list_cli import counts, one_line_error


def ftm_line(name: str) -> str:
    record = {"id": "x-1", "schema": "Person", "properties": {"name": [name]}}
    return json.dumps(record)


@pytest.mark.parametrize(
    ("line", "fragments"),
    [
        ('{"id": "x-1", "schema": "Person", "properties": ' + "[" * 100_000 + "]" * 100_000
         + "}", ("line 1", "nested too deeply")),
        (ftm_line("Ivan \ud800 Petrov"), ("x-1", "not valid Unicode")),
        (ftm_line("Ivan\u0000Petrov"), ("x-1", "NUL")),
    ],
    ids=["deep", "lone-surrogate", "nul"],
)  # fmt: skip
def test_ftm_data_no_database_can_store_is_refused(
    run_cli: RunCli, migrated: Engine, tmp_path: Path, line: str, fragments: tuple[str, ...]
) -> None:
    path = tmp_path / "entities.ftm.json"
    path.write_text(line + "\n", encoding="utf-8")
    result = run_cli("lists", "import", "ftm", str(path), "--dataset", "odd")
    one_line_error(result, 65, str(path), *fragments)
    assert "SQL" not in result.stderr
    assert counts(migrated)["entities"] == 0
