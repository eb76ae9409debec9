"""Commands to browse the registry."""

from __future__ import annotations

import json
from collections.abc import Iterator

import click
from sqlalchemy.orm import Session

from watchlist import locks
from watchlist.cli.app import AppContext, WatchlistGroup, cli, pass_app
from watchlist.db import transaction
from watchlist.models import (
    Address,
    BirthDate,
    Entity,
    EntityKind,
    Identifier,
)
from watchlist.registry import answers, parties, search
from watchlist.registry import entities as registry
from watchlist.screening import matchers


@cli.group(cls=WatchlistGroup)
def entities() -> None:
    """Browse the registry of listed entities."""


@entities.command("search")
@click.argument("text")
@click.option("--min-score", type=click.FloatRange(search.LOWEST_MIN_SCORE, 1.0),
              default=search.DEFAULT_MIN_SCORE, show_default=True,
              help="Leave out names scoring below this.")  # fmt: skip
@click.option("--list", "source", metavar="SOURCE", help="Only this list, e.g. us_ofac_sdn.")
@click.option("--program", help="Only entities designated under this program tag.")
@click.option("--kind", type=click.Choice([k.value for k in EntityKind]), help="Only this kind.")
@click.option(
    "--country",
    help="Only entities with a nationality or address in this country (RU, RUS, Russia).",
)
@click.option("--include-delisted", is_flag=True, help="Also show delisted entities.")
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--per-page", type=click.IntRange(1, 500), default=20, show_default=True)
@pass_app
def entities_search(
    app: AppContext,
    text: str,
    min_score: float,
    source: str | None,
    program: str | None,
    kind: str | None,
    country: str | None,
    include_delisted: bool,
    page: int,
    per_page: int,
) -> None:
    """Search the registry for TEXT: a name or alias (misspelt, in another script or word
    order: ranked by the matcher's score) or an identifier (passport, national ID, tax or
    registration number, IMO, SWIFT/BIC; spaces, dashes and case ignored)."""
    if not text.strip():
        raise click.BadParameter("give a name or an identifier to search for", param_hint="TEXT")
    query = search.SearchQuery(text, min_score, source, program, kind, country,
                               include_delisted, page, per_page)  # fmt: skip
    with transaction(app.sessions) as session:
        matcher = matchers.build_matcher(session, app.settings.matching)
        found = search.search_registry(session, matcher, query)
    if not found.results:
        click.echo(f"Nothing in the registry matches {text!r} at a score of {min_score:.2f}.")
        return
    for item in found.results:
        how = f"{item.score:.2f}" if item.score is not None else "word"
        alias = "" if item.matched_name == item.primary_name else f"  (as {item.matched_name})"
        delisted = f"  DELISTED {item.delisted_on}" if item.delisted_on else ""
        programs = ", ".join(item.programs) or "-"
        click.echo(
            f"{item.id:>7}  {how:>5}  {item.kind:<12} {item.primary_name}{alias}  [{programs}]  "
            f"{item.source}:{item.source_key}{delisted}"
        )
    shown = (page - 1) * per_page + len(found.results)
    if found.total > shown:
        click.echo(f"{shown} of {found.total} shown; --page {page + 1} for more.")


@entities.command("show")
@click.argument("reference", metavar="ID")
@click.option(
    "--json", "as_json", is_flag=True,
    help="Print the record as JSON, as GET /api/v1/entities/{id} gives it.",
)  # fmt: skip
@pass_app
def entities_show(app: AppContext, reference: str, as_json: bool) -> None:
    """Show everything the registry holds about an entity.

    ID is the registry's id (as `entities search` prints it) or SOURCE:KEY, the list's own
    identifier, e.g. us_ofac_sdn:41736 for OFAC entity number 41736.
    """
    with transaction(app.sessions) as session:
        entity = _find_entity(session, reference)
        if as_json:
            click.echo(json.dumps(answers.entity_record(session, entity), ensure_ascii=False))
            return
        for line in describe_entity(entity):
            click.echo(line)


@entities.command("links")
@click.argument("reference", metavar="ID")
@pass_app
def entities_links(app: AppContext, reference: str) -> None:
    """Show the listings of ID's party on other lists, with each link's evidence.

    Links are made by the linker after every import (the same passport or national ID, or
    the same name and full birth date), or by an admin (`entities link`); rejected links are
    shown too, as the record of who undid them.
    """
    with transaction(app.sessions) as session:
        entity = _find_entity(session, reference)
        found = parties.listings(
            session, [entity.id], lambda ids: registry.entity_cards(session, list(ids))
        )
        label = parties.party_label(found[entity.id])
        click.echo(f"{entity.primary_name} (id {entity.id}) is listed by {label}")
        for link in parties.links_of(session, entity.id):
            other = link.other if link.entity_id == entity.id else link.entity
            decided = (
                f", by {link.decided_by} on {link.decided_at:%Y-%m-%d}"
                if link.decided_by and link.decided_at
                else ""
            )
            note = f": {link.note}" if link.note else ""
            where = f"id {other.id}, {other.source.code}:{other.source_key}"
            click.echo(f"  {link.status.value}{decided}{note}: {other.primary_name} ({where})")
            for line in link.evidence:
                click.echo(f"    - {line}")


@entities.command("link")
@click.argument("one", metavar="ID")
@click.argument("other", metavar="OTHER_ID")
@click.option("--by", "actor", required=True, help="Who decides (recorded with the link).")
@click.option("--note", default="", help="Why (recorded with the link).")
@pass_app
def entities_link(app: AppContext, one: str, other: str, actor: str, note: str) -> None:
    """Link two listings on different lists as one party (or confirm the linker's link).

    ID and OTHER_ID are registry ids or SOURCE:KEY (e.g. us_ofac_sdn:41736).
    """
    with transaction(app.sessions) as session:
        a, b = _find_entity(session, one), _find_entity(session, other)
        parties.confirm_link(session, a.id, b.id, actor=f"cli:{actor}", note=note)
    click.echo(
        f"Linked {a.primary_name} (id {a.id}) and {b.primary_name} (id {b.id}) as one party."
    )


@entities.command("unlink")
@click.argument("one", metavar="ID")
@click.argument("other", metavar="OTHER_ID")
@click.option("--by", "actor", required=True, help="Who decides (recorded with the link).")
@click.option("--note", default="", help="Why (recorded with the link).")
@pass_app
def entities_unlink(app: AppContext, one: str, other: str, actor: str, note: str) -> None:
    """Undo a wrong link: the two listings are different parties. The link is kept as
    rejected, so the linker never makes it again."""
    with transaction(app.sessions) as session:
        a, b = _find_entity(session, one), _find_entity(session, other)
        parties.reject_link(session, a.id, b.id, actor=f"cli:{actor}", note=note)
    click.echo(f"Unlinked {a.primary_name} (id {a.id}) and {b.primary_name} (id {b.id}).")


@entities.command("relink")
@pass_app
def entities_relink(app: AppContext) -> None:
    """Run the linker over the whole registry now (it runs after every import that changes
    a list; run it once after upgrading to link lists imported before)."""
    with (
        locks.exclusive(app.engine, "lists", what="linking listings"),
        transaction(app.sessions) as session,
    ):
        report = parties.link_listings(session)
    click.echo(
        f"Links: {report.added} added, {report.removed} removed, {report.kept} kept; "
        f"{report.proposed} pairs with doubtful evidence proposed for review "
        "(see `entities proposed-links`)."
    )


@entities.command("proposed-links")
@pass_app
def entities_proposed_links(app: AppContext) -> None:
    """List the pairs of listings the linker proposes as one party but did not link: they
    share a number but no name word or birth date, or one of them matches two listings of the
    other's list. Decide each with `entities link` or `entities unlink`."""
    with transaction(app.sessions) as session:
        proposals = parties.proposed_links(session)
        for link in proposals:
            one, other = link.entity, link.other
            click.echo(
                f"{one.primary_name} ({one.source.code}:{one.source_key}, id {one.id}) ~ "
                f"{other.primary_name} ({other.source.code}:{other.source_key}, id {other.id})"
            )
            for line in link.evidence:
                click.echo(f"    - {line}")
    if not proposals:
        click.echo("No proposed link awaits review.")


def _find_entity(session: Session, reference: str) -> Entity:
    source, _, key = reference.partition(":")
    if key:
        return registry.find_by_source_key(session, source, key)
    if not reference.strip().isdigit():
        raise click.BadParameter("give a number or SOURCE:KEY", param_hint="ID")
    return registry.get_entity(session, int(reference))


def describe_entity(entity: Entity) -> Iterator[str]:
    """A plain-text record of one entity, section by section."""
    yield f"{entity.primary_name}"
    yield f"  id:            {entity.id}"
    yield f"  kind:          {entity.kind.value}"
    yield f"  source:        {entity.source.name} ({entity.source.code}), key {entity.source_key}"
    status = f"delisted on {entity.delisted_on}" if entity.delisted_on else "listed"
    yield f"  status:        {status}"
    for label, value in (
        ("title", entity.title),
        ("gender", entity.gender),
        ("listing date", entity.listing_date),
    ):
        if value:
            yield f"  {label + ':':<14} {value}"
    yield from _section("names", [f"{n.name} ({_label(n.kind.value)})" for n in entity.names])
    yield from _section(
        "programs",
        [
            f"{d.program.code}: {d.program.name} — {d.program.authority}; "
            f"{d.program.legal_basis or 'legal basis unknown'}"
            + (f"; designated {d.designated_on}" if d.designated_on else "")
            for d in entity.designations
        ],
    )
    yield from _section("born", [_birth_date(b) for b in entity.birth_dates])
    yield from _section("birth places", [b.place for b in entity.birth_places])
    yield from _section(
        "nationalities", [f"{n.country} ({n.kind.value})" for n in entity.nationalities]
    )
    yield from _section("identifiers", [_identifier(i) for i in entity.identifiers])
    yield from _section("addresses", [_address(a) for a in entity.addresses])
    yield from _section("facts", [f"{_label(f.kind)}: {f.value}" for f in entity.facts])
    yield from _section(
        "related",
        [_relation(r.relation, r.object_name, r.object_id) for r in entity.relations],
    )
    yield from _section(
        "linked from",
        [
            f"{r.subject.primary_name} (id {r.subject_id}): {_label(r.relation)} this entity"
            for r in entity.linked_from
        ],
    )
    if entity.remarks:
        yield "  remarks:"
        yield f"    {entity.remarks}"


def _section(title: str, lines: list[str]) -> Iterator[str]:
    if lines:
        yield f"  {title}:"
        for line in lines:
            yield f"    - {line}"


def _relation(relation: str, name: str, entity_id: int | None) -> str:
    return f"{_label(relation)} {name}" + (f" (id {entity_id})" if entity_id else "")


def _label(kind: str) -> str:
    return kind.replace("_", " ")


def _birth_date(birth: BirthDate) -> str:
    return birth.text  # the listed text already says "circa" where the list does


def _identifier(identifier: Identifier) -> str:
    parts = [f"{_label(identifier.kind)} {identifier.value}"]
    if identifier.country:
        parts.append(f"({identifier.country})")
    if identifier.issued_on:
        parts.append(f"issued {identifier.issued_on}")
    if identifier.expires_on:
        parts.append(f"expires {identifier.expires_on}")
    if identifier.remarks:
        parts.append(f"[{identifier.remarks}]")
    return " ".join(parts)


def _address(address: Address) -> str:
    city = " ".join(part for part in (address.postal_code, address.city) if part)
    parts = [address.street, city, address.region, address.country]
    return ", ".join(part for part in parts if part)
