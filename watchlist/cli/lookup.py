"""`watchlist lookup`: screen one name against the registry."""

from __future__ import annotations

import json

import click

from watchlist import responses
from watchlist.cli.app import AppContext, cli, pass_app
from watchlist.db import transaction
from watchlist.matching.model import Query
from watchlist.registry import entities as registry
from watchlist.registry import parties, qualifiers
from watchlist.screening import answers, matchers


@cli.command("lookup")
@click.argument("name")
@click.option(
    "--kind",
    type=click.Choice(["person", "organization", "vessel", "aircraft"]),
    help="What the name is; other kinds score lower.",
)
@click.option(
    "--birth-date",
    metavar="YYYY[-MM[-DD]]",
    help="Date of birth, to confirm or rule out: YYYY, YYYY-MM or YYYY-MM-DD.",
)
@click.option(
    "--country",
    help="Nationality or country, to confirm or rule out: an ISO 3166 code (SK, SVK) or a "
    "name (Slovakia, 'Korea, North').",
)
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    help="Report matches scoring at least this (default: matching.threshold).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_app
def lookup_command(
    app: AppContext,
    name: str,
    kind: str | None,
    birth_date: str | None,
    country: str | None,
    limit: int,
    threshold: float | None,
    as_json: bool,
) -> None:
    """Which listed entities could NAME be? Ranked, scored 0..1 and explained.

    The score says how alike the names are (token by token, weighing rare name parts more),
    adjusted by the qualifiers given. A birth date that is no real date, or a country this
    service does not know, is an error (exit code 65). Exit code 0 whether or not anything
    matched.
    """  # fmt: skip
    if not name.strip():
        raise click.BadParameter("give a name to look up", param_hint="NAME")
    birth_date = qualifiers.birth_date(birth_date) if birth_date is not None else None
    country = qualifiers.country(country) if country is not None else None
    with transaction(app.sessions) as session:
        matcher = matchers.build_matcher(session, app.settings.matching)
        matches = matcher.lookup(
            Query(name, kind=kind, birth_date=birth_date, country=country),
            limit=limit + matchers.PARTY_SLACK, threshold=threshold,
        )  # fmt: skip
        matches = matchers.one_per_party(
            matches, parties.parties_of(session, [m.entity_id for m in matches]), limit
        )
        ids = [m.entity_id for m in matches]
        cards = registry.entity_cards(session, ids)
        found = parties.listings(
            session, ids, lambda more: registry.entity_cards(session, list(more))
        )
    results = [
        answers.match_json(m, cards[m.entity_id], found.get(m.entity_id, ())) for m in matches
    ]
    if as_json:
        query = {"name": name, "kind": kind, "birth_date": birth_date, "country": country}
        click.echo(json.dumps({"query": query, "results": results}))
        return
    if not results:
        click.echo(f"No listed entity matches {name!r}.")
        return
    for result in results:
        click.echo(_describe(result))


def _describe(result: responses.MatchResult) -> str:
    entity = result["entity"]
    explanation = result["explanation"]
    programs = ", ".join(entity["programs"]) or "-"
    lines = [
        f"{result['score']:.2f}  {entity['name']}  ({entity['kind']}, {programs}, "
        f"{entity['source']}:{entity['source_key']}, id {entity['id']})",
        f"      matched {result['matched_name']!r} ({result['name_kind']})",
        f"      listed by {result['listed_as']}",
    ]
    pairs = [f"{p['query']}~{p['listed']} ({p['how']})" for p in explanation["alignment"]]
    if pairs:
        lines.append("      tokens: " + ", ".join(pairs))
    for feature in explanation["features"]:
        if feature["contribution"]:
            lines.append(
                f"      {feature['name']}: {feature['contribution']:+.2f} {feature['detail']}"
            )
    return "\n".join(lines)
