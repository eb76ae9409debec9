"""A party on two lists in the dashboard and the API: the OFAC SDN list and the OpenSanctions
`zala` dataset, whose Zakharov family members OFAC lists too."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import ROOT, fresh_database
from tests.web.conftest import load_day_one, make_key, new_user, web_settings
from tests.web.dashboard import add_article, post, sign_in, text
from watchlist.config import Settings
from watchlist.db import create_engine, session_factory
from watchlist.lists import updates
from watchlist.models import LinkStatus, PartyLink, Role
from watchlist.registry import entities as registry
from watchlist.sources import formats
from web import create_app

ZALA = ROOT / "data/opensanctions/yente_zala.entities.ftm.json"


@pytest.fixture(scope="module")
def two_lists(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with fresh_database(tmp_path_factory.mktemp("parties-web")) as url:
        settings = web_settings(url)
        load_day_one(settings)
        engine = create_engine(settings.database)
        try:
            with session_factory(engine)() as session, session.begin():
                list_file = formats.read_local("ftm", ZALA, "zala")
                updates.import_parsed(session, list_file, formats.parse(list_file))
        finally:
            engine.dispose()
        yield settings


@pytest.fixture(scope="module")
def parties_app(two_lists: Settings) -> Iterator[Flask]:
    application = create_app(two_lists)
    application.config["TESTING"] = True
    yield application
    application.extensions["watchlist"].engine.dispose()


def ids(settings: Settings) -> tuple[int, int]:
    """Registry ids of Lavrentii Zakharov on the SDN list and in the zala dataset."""
    engine = create_engine(settings.database)
    try:
        with session_factory(engine)() as session:
            ofac = registry.find_by_source_key(session, "us_ofac_sdn", "46004").id
            zala = registry.find_by_source_key(
                session, "opensanctions_zala", "NK-hUAjuiA3vTKXF6v2X6MYnS"
            ).id
            return ofac, zala
    finally:
        engine.dispose()


def listed_by(page: str) -> str:
    found = re.search(r'<p class="listed-by">(.*?)</p>', page, re.S)
    assert found, "no 'Listed by' line"
    return found.group(1)


def signed_in(app: Flask, settings: Settings, role: Role) -> FlaskClient:
    client = app.test_client()
    assert sign_in(client, new_user(settings, role)).status_code == 303
    return client


def test_the_entity_page_shows_every_listing_and_the_evidence(
    parties_app: Flask, two_lists: Settings
) -> None:
    ofac, zala = ids(two_lists)
    client = signed_in(parties_app, two_lists, Role.ANALYST)
    page = text(client.get(f"/entities/{ofac}"))
    assert "Listed by" in page and "OpenSanctions zala" in page and "OFAC SDN" in page
    assert "passport 089132114" in page
    assert f'href="/entities/{zala}"' in page
    assert "Not the same party" not in page  # only admins decide links


def test_an_admin_undoes_a_link_and_confirms_it_again(
    parties_app: Flask, two_lists: Settings
) -> None:
    ofac, zala = ids(two_lists)
    admin = signed_in(parties_app, two_lists, Role.ADMIN)
    page = f"/entities/{ofac}"
    assert "Not the same party" in text(admin.get(page))
    answer = post(admin, f"{page}/links", {"other": str(zala), "decision": "reject",
                                           "note": "different man"}, form=page)  # fmt: skip
    assert answer.status_code == 303
    after = text(admin.get(page))
    assert "Unlinked entity" in after and "rejected" in after and "different man" in after
    assert "zala" not in listed_by(after)
    assert lookup_parties(parties_app, two_lists) == [{ofac}, {zala}]  # the API sees it at once
    post(admin, f"{page}/links", {"other": str(zala), "decision": "confirm"}, form=page)
    assert "OpenSanctions zala" in listed_by(text(admin.get(page)))
    assert lookup_parties(parties_app, two_lists) == [{ofac, zala}]


def lookup_parties(app: Flask, settings: Settings) -> list[set[int]]:
    """The parties (their listings' ids) a lookup of Lavrentii Zakharov answers, best first."""
    key = make_key(settings, "lookup")
    answer = app.test_client().post(
        "/api/v1/lookup",
        json={"queries": [{"name": "Lavrentii Zakharov", "birth_date": "1999-02-26"}]},
        headers={"Authorization": f"Bearer {key}"},
    )
    results = answer.get_json()["responses"][0]["results"]
    found = [{x["entity_id"] for x in result["listings"]} for result in results]
    return sorted((party for party in found if party & set(ids(settings))), key=min)


def test_analysts_cannot_decide_links(parties_app: Flask, two_lists: Settings) -> None:
    ofac, zala = ids(two_lists)
    analyst = signed_in(parties_app, two_lists, Role.ANALYST)
    page = f"/entities/{ofac}"
    answer = post(analyst, f"{page}/links", {"other": str(zala), "decision": "reject"}, form=page)
    assert answer.status_code == 403


def test_a_hit_shows_the_party_and_the_api_answers_it_once(
    parties_app: Flask, two_lists: Settings
) -> None:
    ofac, zala = ids(two_lists)
    [hit] = add_article(two_lists, "Lavrentii Zakharov was seen in Moscow on Monday.",
                        title="Zakharov")  # fmt: skip
    client = signed_in(parties_app, two_lists, Role.ANALYST)
    page = text(client.get(f"/hits/{hit}"))
    assert "Listed by" in page and "OpenSanctions zala" in page
    export = text(client.get("/export/hits.csv?from=2000-01-01"))
    [row] = [r for r in csv.DictReader(io.StringIO(export)) if r["hit_id"] == str(hit)]
    assert "OFAC SDN" in row["listed_by"] and "OpenSanctions zala" in row["listed_by"]
    key = make_key(two_lists, "lookup")
    answer = parties_app.test_client().post(
        "/api/v1/lookup",
        json={"queries": [{"name": "Lavrentii Zakharov", "limit": 3}]},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert answer.status_code == 200
    results = answer.get_json()["responses"][0]["results"]
    found = [r for r in results if {ofac, zala} & {x["entity_id"] for x in r["listings"]}]
    assert len(found) == 1  # one party, not one result per list
    assert {listing["entity_id"] for listing in found[0]["listings"]} == {ofac, zala}
    assert found[0]["listed_as"].count(" · ") == 1


def test_the_entity_record_and_yentes_match_carry_the_party(
    parties_app: Flask, two_lists: Settings
) -> None:
    ofac, zala = ids(two_lists)
    client = parties_app.test_client()
    read = {"Authorization": f"Bearer {make_key(two_lists, 'read')}"}
    record = client.get(f"/api/v1/entities/{zala}", headers=read).get_json()
    assert [x["entity_id"] for x in record["listings"]] == [zala, ofac]
    assert record["listings"][1]["link"] in ("automatic", "confirmed")
    assert "passport 089132114" in record["listings"][1]["evidence"]
    lookup = {"Authorization": f"Bearer {make_key(two_lists, 'lookup')}"}
    body = {"queries": {"q": {"schema": "Person", "properties": {
        "name": ["Lavrentii Zakharov"], "birthDate": ["1999-02-26"]}}}}  # fmt: skip
    results = client.post("/match/default", json=body, headers=lookup).get_json()
    found = results["responses"]["q"]["results"]
    both = {"us_ofac_sdn:46004", "opensanctions_zala:NK-hUAjuiA3vTKXF6v2X6MYnS"}
    [party] = [result for result in found if result["id"] in both]  # one result, not two
    assert party["referents"] == sorted(both - {party["id"]})


def test_the_links_to_review_page_lists_the_proposals(
    parties_app: Flask, two_lists: Settings
) -> None:
    # Two listings these lists give the linker no doubtful evidence about: the proposal is
    # written here as the linker writes one.
    engine = create_engine(two_lists.database)
    try:
        with session_factory(engine)() as session, session.begin():
            one = registry.find_by_source_key(session, "us_ofac_sdn", "45992").id
            other = registry.find_by_source_key(
                session, "opensanctions_zala", "NK-2Tbri3s6GgNtAwsSXh4qpL"
            ).id
            doubt = "passport 000000001, but no name word in common"
            pair = {"entity_id": min(one, other), "other_id": max(one, other)}
            session.add(PartyLink(**pair, status=LinkStatus.PROPOSED, evidence=[doubt], note=""))
    finally:
        engine.dispose()
    viewer = signed_in(parties_app, two_lists, Role.VIEWER)
    page = text(viewer.get("/links"))
    assert "passport 000000001, but no name word in common" in page
    assert 'value="reject"' not in page  # only admins decide
    admin = signed_in(parties_app, two_lists, Role.ADMIN)
    answer = post(admin, f"/entities/{min(one, other)}/links",
                  {"other": str(max(one, other)), "decision": "reject", "then": "links"},
                  form="/links")  # fmt: skip
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/links")
    assert "No proposed link awaits review." in text(admin.get("/links"))
