"""One party, several listings.

Each list keeps its own entities: what OFAC says of a person stays OFAC's record. When two
lists list the same party, a link joins their two entities, with the evidence that says so. A
party is a set of entities joined by automatic or confirmed links; lookups and screening show a
party once, with every listing.

The linker (`link_listings`) links entities of different lists on strong evidence only:

- the same passport or national identity number (or, for vessels, IMO number; for banks,
  SWIFT/BIC), when the two also share a name word and no full birth dates disagree;
- the same name (the same words, in any order, accents and case aside) and the same full
  birth date, for people.

Evidence with a doubt is only proposed, for an admin to confirm or reject: a shared number
with no shared name word or with different birth dates, and an entity that would join two
entities of one other list. The linker never remakes a link an admin rejected and never
touches one an admin confirmed; its own links and proposals go when their evidence does (a
list corrected a passport number).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from itertools import combinations
from typing import Protocol, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from watchlist import responses
from watchlist.errors import InputError, NotFoundError
from watchlist.models import (
    BirthDate,
    Entity,
    EntityKind,
    EntityName,
    Identifier,
    LinkStatus,
    NameKind,
    PartyLink,
)
from watchlist.models.base import utcnow
from watchlist.registry.entities import EntityCard
from watchlist.sources.values import full_date

# A number shared by more listings than this is no one party's (a placeholder, a typo'd
# default): it links nothing.
MAX_SHARED = 6
_WORD = re.compile(r"\w+")
# Program codes of other authorities carry a prefix that a listing's label leaves out.
_PROGRAM_PREFIXES = ("UN-", "UK-", "EU-")


# ---------------------------------------------------------------------------------------------
# The linker's pure core: listings' facts in, evidence-backed pairs out.


@dataclasses.dataclass(frozen=True)
class ListingFacts:
    """What the linker compares of one listed entity."""

    entity_id: int
    source_id: int
    kind: str
    names: tuple[str, ...]
    birth_dates: frozenset[dt.date] = frozenset()
    # (document class, number key, number as listed): ("passport", "BD3843329", "BD3843329").
    documents: tuple[tuple[str, str, str], ...] = ()


@dataclasses.dataclass(frozen=True)
class FoundLink:
    """Two listings of one party (`entity_id < other_id`) and what they share."""

    entity_id: int
    other_id: int
    evidence: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Findings:
    """What the linker found: links it makes, and pairs with evidence and a doubt, which it
    proposes for an admin's review instead."""

    links: tuple[FoundLink, ...]
    proposals: tuple[FoundLink, ...] = ()


def document_class(kind: str) -> str | None:
    """The class of an identifier kind the linker compares, or None: `passport`,
    `national ID`, `IMO number` or `SWIFT/BIC`."""
    folded = kind.casefold().replace("_", " ")
    if "passport" in folded:
        return "passport"
    if "national id" in folded or "national identification" in folded or "identity card" in folded:
        return "national ID"
    if folded.startswith("imo") or "maritime organization" in folded:
        return "IMO number"
    if "swift" in folded or folded == "bic":
        return "SWIFT/BIC"
    return None


def usable_number(document: str, key: str) -> bool:
    """Whether a number can tell one party from another: long enough, and with a digit (a
    SWIFT/BIC code is letters and may have none)."""
    if document == "SWIFT/BIC":
        return len(key) in (8, 11)
    return len(key) >= 6 and any(char.isdigit() for char in key)


def name_words(name: str) -> tuple[str, ...]:
    """A name's words, accents and case aside, sorted (word order differs between lists)."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return tuple(sorted(_WORD.findall(plain.casefold())))


def find_links(listings: Iterable[ListingFacts]) -> Findings:
    """Pairs of listings, on different lists, of one party, with their evidence; and the
    pairs whose evidence has a doubt (a shared number but no shared name word or other birth
    dates; an entity that would join two listings of one list), to review."""
    facts = {listing.entity_id: listing for listing in listings}
    evidence: dict[tuple[int, int], list[str]] = defaultdict(list)
    doubted: dict[tuple[int, int], list[str]] = defaultdict(list)
    for line, pair in _shared_documents(facts.values()):
        one, other = facts[pair[0]], facts[pair[1]]
        if one.source_id == other.source_id or one.kind != other.kind:
            continue
        doubt = _document_doubt(one, other)
        if doubt is None:
            evidence[pair].append(line)
        else:
            doubted[pair].append(f"{line}, but {doubt}")
    for line, pair in _shared_name_and_birth(facts.values()):
        evidence[pair].append(line)
    pairs = {pair: tuple(dict.fromkeys(lines)) for pair, lines in evidence.items()}
    linked = _unambiguous(pairs, facts)
    ambiguous = {
        pair: (*lines, "but another listing on one of the two lists shares this evidence")
        for pair, lines in pairs.items()
        if pair not in linked and facts[pair[0]].source_id != facts[pair[1]].source_id
    }
    doubts = {pair: tuple(lines) for pair, lines in doubted.items() if pair not in pairs}
    return Findings(
        links=tuple(FoundLink(a, b, pairs[(a, b)]) for a, b in sorted(linked)),
        proposals=tuple(
            FoundLink(a, b, lines) for (a, b), lines in sorted({**doubts, **ambiguous}.items())
        ),
    )


def _shared_documents(listings: Iterable[ListingFacts]) -> Iterator[tuple[str, tuple[int, int]]]:
    holders: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
    for listing in listings:
        for document, key, shown in listing.documents:
            holders[(document, key)].setdefault(listing.entity_id, shown)
    for (document, _), held in holders.items():
        if 1 < len(held) <= MAX_SHARED:
            shown = next(iter(held.values()))
            yield from ((f"{document} {shown}", pair) for pair in _pairs(held))


def _shared_name_and_birth(
    listings: Iterable[ListingFacts],
) -> Iterator[tuple[str, tuple[int, int]]]:
    """Pairs of people sharing a name and a full birth date: one line per pair and date,
    naming the longest name they share (a list of aliases would make dozens)."""
    holders: dict[tuple[tuple[str, ...], dt.date], set[int]] = defaultdict(set)
    for listing in listings:
        if listing.kind != EntityKind.PERSON.value:
            continue
        for words in {name_words(name) for name in listing.names}:
            if len(words) >= 2:
                for born in listing.birth_dates:
                    holders[(words, born)].add(listing.entity_id)
    shared: dict[tuple[tuple[int, int], dt.date], tuple[str, ...]] = {}
    for (words, born), held in holders.items():
        if 1 < len(held) <= MAX_SHARED:
            for pair in _pairs(held):
                known = shared.get((pair, born), ())
                if (len(words), words) > (len(known), known):
                    shared[(pair, born)] = words
    for (pair, born), words in sorted(shared.items()):
        yield f"name {' '.join(words)} and birth date {born.isoformat()}", pair


def _pairs(ids: Iterable[int]) -> Iterator[tuple[int, int]]:
    return combinations(sorted(ids), 2)


def _document_doubt(one: ListingFacts, other: ListingFacts) -> str | None:
    """Why a number two listings share may not make them one party: they share no name
    word, or both give full birth dates and none in common. None when nothing says so."""
    words = {word for name in one.names for word in name_words(name) if len(word) > 1}
    if not words & {word for name in other.names for word in name_words(name)}:
        return "no name word in common"
    if one.birth_dates and other.birth_dates and not one.birth_dates & other.birth_dates:
        dates = (
            ", ".join(sorted(d.isoformat() for d in facts.birth_dates)) for facts in (one, other)
        )
        return "born on different dates ({})".format(" / ".join(dates))
    return None


def _unambiguous(
    pairs: Mapping[tuple[int, int], object], facts: Mapping[int, ListingFacts]
) -> set[tuple[int, int]]:
    """The pairs, less those joining an entity to two entities of one other list."""
    partners: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for a, b in pairs:
        partners[(a, facts[b].source_id)].append((a, b))
        partners[(b, facts[a].source_id)].append((a, b))
    doubtful = {pair for found in partners.values() if len(found) > 1 for pair in found}
    kept = {pair for pair in pairs if pair not in doubtful}
    return {(a, b) for a, b in kept if facts[a].source_id != facts[b].source_id}


# ---------------------------------------------------------------------------------------------
# The linker against the registry.


@dataclasses.dataclass(frozen=True)
class LinkReport:
    """What one run of the linker changed, and how many pairs await an admin's review."""

    added: int = 0
    removed: int = 0
    kept: int = 0
    proposed: int = 0  # pairs to review (status proposed), new or not


# The links that join two listings into one party; proposed and rejected ones do not.
JOINING = (LinkStatus.AUTOMATIC, LinkStatus.CONFIRMED)


def link_listings(session: Session) -> LinkReport:
    """Bring the linker's links in line with the registry: add links with new evidence and
    proposals with doubtful evidence, update their evidence and status, remove those whose
    evidence is gone. Links an admin confirmed or rejected stay as they are."""
    sources = session.scalar(sa.select(sa.func.count(sa.distinct(Entity.source_id)))) or 0
    stored = {
        (link.entity_id, link.other_id): link for link in session.scalars(sa.select(PartyLink))
    }
    if sources < 2 and not stored:
        return LinkReport()
    findings = find_links(listing_facts(session))
    wanted = {(f.entity_id, f.other_id): (LinkStatus.PROPOSED, f) for f in findings.proposals}
    wanted |= {(f.entity_id, f.other_id): (LinkStatus.AUTOMATIC, f) for f in findings.links}
    added = removed = kept = 0
    for pair, link in stored.items():
        if link.status in (LinkStatus.CONFIRMED, LinkStatus.REJECTED):
            continue
        if pair not in wanted:
            session.delete(link)
            removed += 1
            continue
        status, found = wanted[pair]
        link.status, link.evidence = status, list(found.evidence)
        kept += status is LinkStatus.AUTOMATIC
    for pair, (status, found) in wanted.items():
        if pair not in stored:
            session.add(
                PartyLink(
                    entity_id=pair[0],
                    other_id=pair[1],
                    status=status,
                    evidence=list(found.evidence),
                    note="",
                )
            )
            added += status is LinkStatus.AUTOMATIC
    session.flush()
    return LinkReport(added, removed, kept, len(findings.proposals))


def listing_facts(session: Session) -> list[ListingFacts]:
    """Every listed entity's names, full birth dates and comparable documents."""
    names: dict[int, list[str]] = defaultdict(list)
    for entity_id, name in session.execute(sa.select(Entity.id, Entity.primary_name)):
        names[entity_id].append(name)
    for entity_id, name in session.execute(
        sa.select(EntityName.entity_id, EntityName.name).where(EntityName.kind != NameKind.WEAK_AKA)
    ):
        names[entity_id].append(name)
    births: dict[int, set[dt.date]] = defaultdict(set)
    for entity_id, year, month, day in session.execute(
        sa.select(BirthDate.entity_id, BirthDate.year, BirthDate.month, BirthDate.day).where(
            BirthDate.year.is_not(None), BirthDate.month.is_not(None), BirthDate.day.is_not(None)
        )
    ):
        born = full_date(year, month, day)
        if born is not None:
            births[entity_id].add(born)
    documents: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for entity_id, kind, key, value in session.execute(
        sa.select(Identifier.entity_id, Identifier.kind, Identifier.number_key, Identifier.value)
    ):
        document = document_class(kind)
        if document is not None and usable_number(document, key):
            documents[entity_id].append((document, key, value))
    rows = session.execute(sa.select(Entity.id, Entity.source_id, Entity.kind))
    return [
        ListingFacts(
            entity_id=entity_id,
            source_id=source_id,
            kind=kind.value,
            names=tuple(names[entity_id]),
            birth_dates=frozenset(births[entity_id]),
            documents=tuple(documents[entity_id]),
        )
        for entity_id, source_id, kind in rows
    ]


# ---------------------------------------------------------------------------------------------
# Parties: who is linked to whom, and how a party's listings are shown.


def parties_of(session: Session, ids: Iterable[int]) -> dict[int, frozenset[int]]:
    """Each entity's party: the entities joined to it by links not rejected (itself included)."""
    wanted = set(ids)
    neighbours: dict[int, set[int]] = defaultdict(set)
    seen: set[int] = set()
    frontier = set(wanted)
    while frontier:
        seen |= frontier
        for a, b in session.execute(_links_touching(frontier)):
            neighbours[a].add(b)
            neighbours[b].add(a)
        frontier = {other for entity in frontier for other in neighbours[entity]} - seen
    return {entity: frozenset(_component(entity, neighbours)) for entity in wanted}


def _links_touching(ids: set[int]) -> sa.Select[int, int]:
    return sa.select(PartyLink.entity_id, PartyLink.other_id).where(
        PartyLink.status.in_(JOINING),
        sa.or_(PartyLink.entity_id.in_(ids), PartyLink.other_id.in_(ids)),
    )


def _component(start: int, neighbours: Mapping[int, set[int]]) -> set[int]:
    found, todo = {start}, [start]
    while todo:
        for other in neighbours.get(todo.pop(), ()):
            if other not in found:
                found.add(other)
                todo.append(other)
    return found


def party_keys(session: Session, ids: Iterable[int]) -> dict[int, int]:
    """Each entity's party, named by its lowest entity id (the same for all its listings)."""
    return {entity: min(party) for entity, party in parties_of(session, ids).items()}


# Every linked entity's party (entities in no party are not in it), as a service keeps it.
PartyMap = Mapping[int, frozenset[int]]


def party_map(session: Session) -> dict[int, frozenset[int]]:
    """The party of every entity that has one, from all joining links in one query: what a
    web worker keeps beside its matcher, so a lookup asks the database nothing more."""
    neighbours: dict[int, set[int]] = defaultdict(set)
    for a, b in session.execute(
        sa.select(PartyLink.entity_id, PartyLink.other_id).where(PartyLink.status.in_(JOINING))
    ):
        neighbours[a].add(b)
        neighbours[b].add(a)
    found: dict[int, frozenset[int]] = {}
    for entity in neighbours:
        if entity not in found:
            party = frozenset(_component(entity, neighbours))
            found.update(dict.fromkeys(party, party))
    return found


def links_state(session: Session) -> tuple[int, dt.datetime | None]:
    """A marker that changes whenever a link is made, removed or decided."""
    row = session.execute(
        sa.select(
            sa.func.count(PartyLink.id),
            sa.func.max(sa.func.coalesce(PartyLink.decided_at, PartyLink.created_at)),
        )
    ).one()
    return row[0], row[1]


def keys_of(parties: PartyMap, ids: Iterable[int]) -> dict[int, int]:
    """`party_keys` from a kept party map."""
    return {entity: min(parties.get(entity, (entity,))) for entity in ids}


class Scored(Protocol):
    """A match or a hit: an entity and how well it matched."""

    @property
    def entity_id(self) -> int: ...

    @property
    def score(self) -> float: ...


S = TypeVar("S", bound=Scored)


def best_per_party(
    items: Sequence[S], parties: Mapping[int, int], slot: Callable[[S], Hashable] | None = None
) -> list[S]:
    """The best-scoring item of each party (per slot, such as a mention's span), in the
    items' order; ties go to the lowest entity id, so a re-screen picks the same listing."""
    best: dict[tuple[Hashable, int], S] = {}
    for item in items:
        key = (slot(item) if slot else None, parties.get(item.entity_id, item.entity_id))
        held = best.get(key)
        if held is None or (item.score, -item.entity_id) > (held.score, -held.entity_id):
            best[key] = item
    kept = {id(item) for item in best.values()}
    return [item for item in items if id(item) in kept]


CardReader = Callable[[Iterable[int]], Mapping[int, EntityCard]]


@dataclasses.dataclass(frozen=True)
class Listing:
    """One list's listing of a party: what the list calls it, under which programs, since when."""

    card: EntityCard
    # How this listing is joined to the one asked about: None for that one itself;
    # automatic, confirmed, or mixed (joined through other listings by links of both kinds).
    link: str | None = None
    evidence: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """ "OFAC SDN (DPRK, 2023-03-30)": the list, its programs and the listing date."""
        card = self.card
        programs = sorted({_short_program(code) for code in card.programs})
        parts = [", ".join(programs)] if programs else []
        if card.listed_on is not None:
            parts.append(card.listed_on)
        if card.delisted_on is not None:
            parts.append(f"delisted {card.delisted_on}")
        return f"{card.source_label} ({', '.join(parts)})" if parts else card.source_label


def listings(
    session: Session, ids: Iterable[int], cards: CardReader, kept: PartyMap | None = None
) -> dict[int, tuple[Listing, ...]]:
    """Every listing of each entity's party: the entity's own first, then the others by
    listing date. `cards` reads entity cards (a cache, or `registry.entity_cards`); `kept`
    is a party map kept by the caller (else the parties are read from the database)."""
    if kept is None:
        parties = parties_of(session, ids)
    else:
        parties = {entity: kept.get(entity, frozenset({entity})) for entity in ids}
    members = set().union(*parties.values()) if parties else set()
    known = cards(members)
    linked = {m for party in parties.values() if len(party) > 1 for m in party}
    links = _link_rows(session, linked)
    found: dict[int, tuple[Listing, ...]] = {}
    for entity, party in parties.items():
        if entity not in known:
            continue
        others = sorted((Listing(known[m]) for m in party if m != entity and m in known),
                        key=_listing_order)  # fmt: skip
        found[entity] = (
            Listing(known[entity]),
            *(_joined(o, entity, party, links) for o in others),
        )
    return found


def party_label(found: Sequence[Listing]) -> str:
    """ "OFAC SDN (DPRK, 2023-03-30) · UK (RUSSIA, 2023-08-08)"."""
    return " · ".join(listing.label for listing in found)


def listing_json(listing: Listing) -> responses.Listing:
    """A listing as the API shows it."""
    card = listing.card
    return {
        "entity_id": card.id,
        "source": card.source,
        "source_label": card.source_label,
        "source_key": card.source_key,
        "name": card.name,
        "programs": list(card.programs),
        "listed_on": card.listed_on,
        "delisted_on": card.delisted_on,
        "link": listing.link,
        "evidence": list(listing.evidence),
        "label": listing.label,
    }


def _listing_order(listing: Listing) -> tuple[bool, str, str]:
    card = listing.card
    return (card.listed_on is None, card.listed_on or "", card.source_label)


def _joined(
    listing: Listing, entity: int, party: frozenset[int], links: Mapping[tuple[int, int], PartyLink]
) -> Listing:
    """The listing with how it is joined to `entity`: the direct link when there is one, else
    the links that join it to the rest of the party."""
    other = listing.card.id
    direct = links.get((min(entity, other), max(entity, other)))
    chain = [direct] if direct is not None else _chain(other, party, links)
    statuses = {link.status.value for link in chain}
    status = next(iter(statuses)) if len(statuses) == 1 else "mixed"
    evidence = tuple(dict.fromkeys(line for link in chain for line in link.evidence))
    return dataclasses.replace(listing, link=status, evidence=evidence)


def _chain(
    entity: int, party: frozenset[int], links: Mapping[tuple[int, int], PartyLink]
) -> list[PartyLink]:
    return [
        link
        for (a, b), link in links.items()
        if entity in (a, b) and a in party and b in party and link.status in JOINING
    ]


def _link_rows(session: Session, ids: set[int]) -> dict[tuple[int, int], PartyLink]:
    if not ids:
        return {}
    rows = session.scalars(
        sa.select(PartyLink).where(
            PartyLink.entity_id.in_(ids), PartyLink.other_id.in_(ids), PartyLink.status.in_(JOINING)
        )
    )
    return {(link.entity_id, link.other_id): link for link in rows}


def _short_program(code: str) -> str:
    for prefix in _PROGRAM_PREFIXES:
        if code.startswith(prefix):
            return code.removeprefix(prefix)
    return code


# ---------------------------------------------------------------------------------------------
# An admin's decisions on links.


def confirm_link(
    session: Session, one: int, other: int, *, actor: str, note: str = ""
) -> PartyLink:
    """Link two listings as one party (or confirm the linker's link), by an admin."""
    link = _link(session, one, other, create=True)
    _decide(link, LinkStatus.CONFIRMED, actor, note)
    if not link.evidence:
        link.evidence = [f"linked by {actor}"]
    session.flush()
    return link


def reject_link(session: Session, one: int, other: int, *, actor: str, note: str = "") -> PartyLink:
    """Undo a link: the two listings are not one party, and the linker never links them again."""
    link = _link(session, one, other, create=False)
    _decide(link, LinkStatus.REJECTED, actor, note)
    session.flush()
    return link


def _decide(link: PartyLink, status: LinkStatus, actor: str, note: str) -> None:
    link.status = status
    link.decided_by = actor
    link.decided_at = utcnow()
    link.note = note.strip()


def _link(session: Session, one: int, other: int, *, create: bool) -> PartyLink:
    if one == other:
        raise InputError("A listing cannot be linked to itself.")
    a, b = sorted((one, other))
    entities = {e.id: e for e in session.scalars(sa.select(Entity).where(Entity.id.in_((a, b))))}
    for entity_id in (a, b):
        if entity_id not in entities:
            raise NotFoundError(f"There is no entity with id {entity_id}.")
    if entities[a].source_id == entities[b].source_id:
        raise InputError(
            f"Entities {a} and {b} are on the same list; "
            "only listings on different lists are linked."
        )
    link = session.scalar(
        sa.select(PartyLink).where(PartyLink.entity_id == a, PartyLink.other_id == b)
    )
    if link is None:
        if not create:
            raise NotFoundError(f"Entities {a} and {b} are not linked.")
        link = PartyLink(entity_id=a, other_id=b, status=LinkStatus.CONFIRMED, evidence=[], note="")
        session.add(link)
    return link


def proposed_links(session: Session) -> list[PartyLink]:
    """The links the linker proposes for review, with both entities and their lists loaded."""
    return list(
        session.scalars(
            sa.select(PartyLink)
            .where(PartyLink.status == LinkStatus.PROPOSED)
            .options(
                selectinload(PartyLink.entity).selectinload(Entity.source),
                selectinload(PartyLink.other).selectinload(Entity.source),
            )
            .order_by(PartyLink.id)
        )
    )


def links_of(session: Session, entity_id: int) -> list[PartyLink]:
    """Every link of one entity, rejected ones included (the entity page shows them)."""
    return list(
        session.scalars(
            sa.select(PartyLink)
            .where(sa.or_(PartyLink.entity_id == entity_id, PartyLink.other_id == entity_id))
            .order_by(PartyLink.id)
        )
    )
