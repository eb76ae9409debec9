from __future__ import annotations

import click
import pytest

from tests.conftest import RunCli
from web.cli import cli


def all_command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            paths += all_command_paths(command, prefix + (name,))
        else:
            paths.append(prefix + (name,))
    return paths


@pytest.mark.parametrize("path", all_command_paths(cli), ids=lambda p: " ".join(p) or "watchlist")
def test_every_command_has_help(run_cli: RunCli, path: tuple[str, ...]) -> None:
    result = run_cli(*path, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage: watchlist" in result.output
    summary = result.output.split("\n\n")[1].strip()
    assert len(summary) > 10


def test_make_run_flow_prints_mkrtychev(run_cli: RunCli) -> None:
    assert run_cli("db", "upgrade").exit_code == 0
    first = run_cli("seed")
    assert first.exit_code == 0 and "4 added" in first.output
    second = run_cli("seed")
    assert second.exit_code == 0 and "nothing changed" in second.output
    search = run_cli("entities", "search", "mkrtychev")
    assert search.exit_code == 0
    entity_id = search.output.split()[0]
    shown = run_cli("entities", "show", entity_id)
    assert shown.exit_code == 0
    for expected in (
        "MKRTYCHEV, Ashot",
        "MKRTYCEV, Asot (aka)",
        "DPRK: North Korea Sanctions (E.O. 13551)",
        "07 May 1966",
        "Baku, Azerbaijan",
        "Slovakia (citizenship)",
        "passport BD3843329 (Slovakia) expires 2029-04-08",
        "Hana Melichkova Street 3448/37, 84105 Bratislava, Slovakia",
        "LIMITED LIABILITY COMPANY VERUS",
    ):
        assert expected in shown.output


def test_db_current_reports_state(run_cli: RunCli) -> None:
    assert "base (empty)" in run_cli("db", "current").output
    run_cli("db", "upgrade")
    assert "up to date" in run_cli("db", "current").output
    result = run_cli("db", "downgrade", "base")
    assert result.exit_code == 0 and "base (empty)" in result.output


def assert_one_line_error(result: click.testing.Result, code: int, fragment: str) -> None:
    assert result.exit_code == code, (result.output, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and fragment in lines[0]
    assert "Traceback" not in result.output + result.stderr


def test_bad_database_url_is_one_line(run_cli: RunCli) -> None:
    result = run_cli("entities", "search", "x", env={"WATCHLIST_DATABASE_URL": "nosuchdb://x"})
    assert_one_line_error(result, 78, "database.url")


def test_unreachable_database_is_one_line(run_cli: RunCli) -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2"
    result = run_cli("db", "current", env={"WATCHLIST_DATABASE_URL": url})
    assert_one_line_error(result, 69, "cannot be used")


def test_unknown_config_key_is_one_line(run_cli: RunCli) -> None:
    result = run_cli("seed", env={"WATCHLIST_DATABASE_PASSWORD": "x"})
    assert_one_line_error(result, 78, "database.password")


def test_missing_schema_says_what_to_run(run_cli: RunCli) -> None:
    result = run_cli("entities", "search", "putin")
    assert_one_line_error(result, 69, "watchlist db upgrade")


def test_unknown_entity_is_not_found(run_cli: RunCli) -> None:
    run_cli("db", "upgrade")
    result = run_cli("entities", "show", "424242")
    assert_one_line_error(result, 3, "no entity with id 424242")


def test_lookup_finds_seeded_mkrtychev_with_an_explanation(run_cli: RunCli) -> None:
    import json

    run_cli("db", "upgrade")
    run_cli("seed")
    result = run_cli("lookup", "Mr. Ashot Mkrtyčev", "--json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.output)
    (best, *_) = payload["results"]
    assert best["entity"]["source_key"] == "41736"
    assert best["entity"]["programs"] == ["DPRK"]
    assert best["score"] >= 0.9
    assert best["explanation"]["alignment"]
    text = run_cli("lookup", "Verus LLC")
    assert "LIMITED LIABILITY COMPANY VERUS" in text.output
    assert "No listed entity" in run_cli("lookup", "Janet Yellen").output


def country_feature(result: click.testing.Result) -> tuple[float, float]:
    """The best match's score and what the country added to it, from `lookup --json`."""
    import json

    assert result.exit_code == 0, result.stderr
    best = json.loads(result.output)["results"][0]
    assert best["entity"]["source_key"] == "41736"
    feature = next(f for f in best["explanation"]["features"] if f["name"] == "country")
    return best["score"], feature["contribution"]


def test_lookup_reads_a_country_code_and_its_name_alike(run_cli: RunCli) -> None:
    run_cli("db", "upgrade")
    run_cli("seed")
    found = {
        country: country_feature(run_cli("lookup", "Ashot Mkrtychev", "--country", country,
                                          "--json"))
        for country in ("SK", "svk", "Slovakia")
    }  # fmt: skip
    assert len(set(found.values())) == 1
    (score, contribution), *_ = found.values()
    assert contribution > 0
    other_score, other = country_feature(
        run_cli("lookup", "Ashot Mkrtychev", "--country", "JP", "--threshold", "0", "--json")
    )
    assert other < 0 and other_score < score
    echoed = run_cli("lookup", "Ashot Mkrtychev", "--country", "SVK", "--json").output
    assert '"country": "Slovakia"' in echoed


def test_lookup_refuses_an_unknown_country_and_a_date_that_is_none(run_cli: RunCli) -> None:
    run_cli("db", "upgrade")
    run_cli("seed")
    unknown = run_cli("lookup", "Ashot Mkrtychev", "--country", "Narnia")
    assert_one_line_error(unknown, 65, "'Narnia' is not a country known here")
    dotted = run_cli("lookup", "Ashot Mkrtychev", "--birth-date", "07.10.1952")
    assert_one_line_error(dotted, 65, "'07.10.1952' is not of the form YYYY, YYYY-MM or YYYY-MM-DD")
    unreal = run_cli("lookup", "Ashot Mkrtychev", "--birth-date", "1952-02-30")
    assert_one_line_error(unreal, 65, "'1952-02-30' is not a real date")
    born = run_cli("lookup", "Ashot Mkrtychev", "--birth-date", "1966-05-07", "--json")
    assert born.exit_code == 0 and '"birth_date": "1966-05-07"' in born.output
