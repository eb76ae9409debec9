"""A version's change log on the dashboard and over the API: before and after values, pages and
filters, on two real SDN lists twenty months apart."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import ROOT, fresh_database
from tests.web.conftest import DASHBOARD_PASSWORD, make_key, web_settings
from tests.web.dashboard import sign_in, text
from watchlist import access, migrate
from watchlist.config import Settings
from watchlist.db import create_engine, session_factory
from watchlist.lists import updates
from watchlist.models import Entity, ListChange, Role
from watchlist.sources import formats

LISTS = (
    ROOT / "data/ofac/sdn_legacy_csv_2021-07_consistent",
    ROOT / "data/ofac/sdn_legacy_csv_history/sdn_2023-03-30.csv.gz",
)


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, int]]:
    """A database holding the July 2021 SDN list, then the list of 30 March 2023 (7,138
    entities changed), and a viewer: the settings and the second version's id."""
    with fresh_database(tmp_path_factory.mktemp("change-log")) as url:
        settings = web_settings(url)
        engine = create_engine(settings.database)
        migrate.upgrade(engine)
        with session_factory(engine)() as session, session.begin():
            for path in LISTS:
                list_file = formats.read_local("ofac-csv", path)
                version = updates.import_parsed(session, list_file, formats.parse(list_file))
            access.create_user(session, "viewer", Role.VIEWER, DASHBOARD_PASSWORD)
            version_id = version.id
        engine.dispose()
        yield settings, version_id


@pytest.fixture(scope="module")
def history_app(two_years: tuple[Settings, int]) -> Iterator[Flask]:
    application = create_app_for(two_years[0])
    yield application
    application.extensions["watchlist"].engine.dispose()


def create_app_for(settings: Settings) -> Flask:
    from web import create_app

    application = create_app(settings)
    application.config["TESTING"] = True
    return application


@pytest.fixture
def viewer(history_app: Flask) -> FlaskClient:
    client = history_app.test_client()
    sign_in(client, "viewer")
    return client


def row_of(page: str, key: str) -> str:
    """The change-log row of the entity with this list key."""
    found = re.search(rf"<tr><td>\w+</td><th scope=\"row\">.*?<td>{key}</td>.*?</tr>", page, re.S)
    assert found, f"no row for {key}"
    return found.group(0)


def keys(page: str) -> list[str]:
    """The list keys of the entities of the change log, in order."""
    return re.findall(r"</a></th><td>(\d+)</td>", page)


def test_a_changed_row_shows_each_field_before_and_after(
    viewer: FlaskClient, two_years: tuple[Settings, int]
) -> None:
    page = text(viewer.get(f"/lists?version={two_years[1]}&q=marin+arango"))
    assert "1 change for “marin arango”" in page
    row = row_of(page, "8159")
    assert "MARIN ARANGO, Luciano" in row
    # Moved from SDNTK to SDGT: the old program struck through, the new one underlined, each
    # said in words for a screen reader.
    designations = re.search(r"<dt>designations</dt>\s*<dd>(.*?)</dd>", row, re.S)
    assert designations
    before, after = designations.group(1).split('<br><span aria-hidden="true">→ </span>')
    assert '<del title="removed"><span class="visually-hidden">removed: </span>SDNTK</del>' in (
        before
    )
    assert '<ins title="added"><span class="visually-hidden">added: </span>SDGT</ins>' in after
    births = re.search(r"<dt>birth dates</dt>\s*<dd>(.*?)</dd>", row, re.S)
    assert births
    # The date kept is plain on both sides; only the new one is marked.
    assert births.group(1).count("16 Jun 1955") == 2 and "<del" not in births.group(1)
    assert "added: </span>06 Jun 1955</ins>" in births.group(1)
    assert "<dt>gender</dt>" in row and '<span class="muted">none</span>' in row


def test_the_log_pages_in_its_own_pages_and_filters_by_kind_and_key(
    viewer: FlaskClient, two_years: tuple[Settings, int]
) -> None:
    version = two_years[1]
    first = text(viewer.get(f"/lists?version={version}&kind=changed"))
    assert "7138 changes; 1–50 shown." in first
    assert 'aria-label="Change log pages"' in first and "Page 1 of 143" in first
    assert f"/lists?version={version}&amp;kind=changed&amp;log_page=2" in first
    last = text(viewer.get(f"/lists?version={version}&kind=changed&log_page=143"))
    assert "7138 changes; 7101–7138 shown." in last and "Page 143 of 143" in last
    assert last.count("<tr><td>changed</td>") == 38
    assert len(keys(first)) == 50 and not set(keys(first)) & set(keys(last))
    by_key = text(viewer.get(f"/lists?version={version}&q=8237"))
    assert "1 change for “8237”" in by_key and "JUAREZ CARTEL" in by_key
    assert "CARRILLO FUENTES ORGANIZATION</del>" in row_of(by_key, "8237")
    nothing = text(viewer.get(f"/lists?version={version}&kind=delisted&q=8237"))
    assert "0 changes for “8237”" in nothing
    assert viewer.get(f"/lists?version={version}&log_page=0").status_code == 422


def test_an_entry_without_values_names_its_fields(
    viewer: FlaskClient, two_years: tuple[Settings, int]
) -> None:
    """Entries imported before the change log kept values show the fields that changed."""
    settings, version = two_years
    engine = create_engine(settings.database)
    with session_factory(engine)() as session, session.begin():
        entity_id = session.scalar(sa.select(Entity.id).where(Entity.source_key == "815"))
        session.execute(
            sa.update(ListChange)
            .where(ListChange.version_id == version, ListChange.entity_id == entity_id)
            .values(diff=None)
        )
    engine.dispose()
    row = row_of(text(viewer.get(f"/lists?version={version}&q=815")), "815")
    assert "<dl" not in row and "names, addresses" in row


def test_the_api_pages_in_sql_and_returns_the_values(
    history_app: Flask, two_years: tuple[Settings, int]
) -> None:
    settings, version = two_years
    client = history_app.test_client()
    headers = {"Authorization": f"Bearer {make_key(settings, 'read')}"}
    url = f"/api/v1/lists/us_ofac_sdn/versions/{version}"
    answer = client.get(f"{url}?q=marin%20arango", headers=headers).get_json()
    assert answer["total"] == 1
    (marin,) = answer["changes"]
    diff = {change["field"]: change for change in marin["diff"]}
    assert diff["designations"] == {
        "field": "designations",
        "before": ["SDNTK"],
        "after": ["SDGT"],
        "omitted_before": 0,
        "omitted_after": 0,
    }
    assert diff["birth_dates"]["after"] == ["06 Jun 1955", "16 Jun 1955"]
    page = client.get(f"{url}?kind=changed&per_page=40&page=179", headers=headers).get_json()
    assert (page["total"], page["page"], len(page["changes"])) == (7_138, 179, 18)
    added = client.get(f"{url}?kind=added&per_page=1", headers=headers).get_json()
    assert added["changes"][0]["diff"] == [] and added["changes"][0]["fields"] == []
    assert client.get(f"{url}?q=", headers=headers).get_json()["total"] > 10_000


def test_the_openapi_document_describes_the_values(
    history_app: Flask, two_years: tuple[Settings, int]
) -> None:
    client = history_app.test_client()
    headers = {"Authorization": f"Bearer {make_key(two_years[0], 'read')}"}
    document = client.get("/api/v1/openapi.json", headers=headers).get_json()
    values = document["components"]["schemas"]["FieldChangeOut"]["properties"]
    assert {"field", "before", "after", "omitted_before", "omitted_after"} == set(values)
    assert all(value["description"] for value in values.values())
    operation = document["paths"]["/api/v1/lists/{source}/versions/{version_id}"]["get"]
    (q,) = (p for p in operation["parameters"] if p["name"] == "q")
    assert "primary name" in q["description"]
