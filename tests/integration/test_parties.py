"""One party, several listings, on the real lists: the OFAC SDN, UN and UK lists linked,
lookups and screening showing a party once, an admin undoing a wrong link."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.conftest import ROOT, migrated_session
from watchlist.config import CONFIG_DIR, load_settings
from watchlist.lists import apply, updates
from watchlist.matching.model import Query
from watchlist.models import Article, Entity, LinkStatus, ListSource, PartyLink
from watchlist.registry import entities as registry
from watchlist.registry import parties
from watchlist.review import decisions
from watchlist.screening import hits as screening
from watchlist.screening import matchers
from watchlist.sources import formats

SETTINGS = load_settings({})


def load(session: Session, list_format: str, path: str) -> None:
    list_file = formats.read_local(list_format, ROOT / path)
    updates.import_parsed(session, list_file, formats.parse(list_file))
    session.commit()


@pytest.fixture(scope="module")
def registry_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    with migrated_session(tmp_path_factory.mktemp("parties")) as session:
        apply.load_seed(session, CONFIG_DIR / "seed")
        load(session, "ofac-csv", "data/ofac/sdn_legacy_csv")
        load(session, "un-xml", "data/un/consolidated.xml.gz")
        load(session, "uk-conlist", "data/uk/ConList_2025-04-14.xlsx.gz")
        yield session


def entity(session: Session, source: str, key: str) -> Entity:
    return registry.find_by_source_key(session, source, key)


def link_between(session: Session, one: Entity, other: Entity) -> PartyLink | None:
    a, b = sorted((one.id, other.id))
    return session.scalar(
        sa.select(PartyLink).where(PartyLink.entity_id == a, PartyLink.other_id == b)
    )


def listing_of(session: Session, name: str) -> tuple[int, ...]:
    """The registry ids of the entities whose primary name is `name`, by list."""
    return tuple(session.scalars(sa.select(Entity.id).where(Entity.primary_name == name)))


def test_the_imports_link_the_same_parties_across_the_lists(registry_session: Session) -> None:
    session = registry_session
    links = session.scalars(
        sa.select(PartyLink).where(PartyLink.status == LinkStatus.AUTOMATIC)
    ).all()
    sources = dict(session.execute(sa.select(Entity.id, ListSource.code).join(ListSource)).all())
    pairs = Counter(tuple(sorted((sources[link.entity_id], sources[link.other_id])))
                    for link in links)  # fmt: skip
    # The UN list's al-Qaida and Taliban entries are on the SDN list; the UK lists most of
    # OFAC's Russia designations.
    assert pairs[("un_sc_consolidated", "us_ofac_sdn")] > 250
    assert pairs[("uk_ofsi_conlist", "us_ofac_sdn")] > 1_000
    assert pairs[("uk_ofsi_conlist", "un_sc_consolidated")] > 250
    assert all(link.evidence for link in links)
    zawahiri = link_between(
        session,
        entity(session, "us_ofac_sdn", "2676"),
        entity(session, "un_sc_consolidated", "QDi.006"),
    )
    assert zawahiri is not None
    assert "passport 1084010" in zawahiri.evidence


@pytest.mark.parametrize(
    ("ofac_key", "uk_key", "evidence"),
    [
        ("41736", "16067", "passport BD3843329"),  # MKRTYCHEV, Ashot
        ("35096", "14196", "name putin vladimir vladimirovich and birth date 1952-10-07"),
        ("35173", "14640", "name kuzhugetovich sergei shoigu and birth date 1955-05-21"),
    ],
)
def test_mkrtychev_putin_and_shoigu_are_one_party_on_the_sdn_and_uk_lists(
    registry_session: Session, ofac_key: str, uk_key: str, evidence: str
) -> None:
    session = registry_session
    ofac = entity(session, "us_ofac_sdn", ofac_key)
    uk = entity(session, "uk_ofsi_conlist", uk_key)
    link = link_between(session, ofac, uk)
    assert link is not None and evidence in link.evidence


def test_mkrtychev_is_one_party_with_two_listings(registry_session: Session) -> None:
    session = registry_session
    matcher = matchers.build_matcher(session, SETTINGS.matching)
    matches = matchers.one_per_party(
        matcher.lookup(Query("Ashot Mkrtychev"), limit=5 + matchers.PARTY_SLACK),
        parties.party_map(session),
        5,
    )
    top = matches[0].entity_id
    found = parties.listings(session, [top], lambda ids: registry.entity_cards(session, list(ids)))
    assert parties.party_label(found[top]) == (
        "OFAC SDN (DPRK, 2023-03-30) · UK (RUSSIA, 2023-08-08)"
    )
    others = {m.entity_id for m in matches[1:]}
    assert not others & {listing.card.id for listing in found[top]}


def test_the_seed_articles_mkrtychev_hits_show_both_listings(registry_session: Session) -> None:
    session = registry_session
    matcher = matchers.build_matcher(session, SETTINGS.matching)
    text = (ROOT / "tests/fixtures/articles/article-1.txt").read_text(encoding="utf-8")
    hits = screening.screen_to_json(session, text, matcher)
    ashot = [hit for hit in hits if "MKRTYCHEV" in str(hit["matched_name"])]
    assert ashot
    for hit in ashot:
        listings = hit["listings"]
        assert isinstance(listings, list)
        assert {(x["source"], x["source_key"]) for x in listings} == {
            ("us_ofac_sdn", "41736"),
            ("uk_ofsi_conlist", "16067"),
        }


def test_linked_people_share_a_name_word_and_agree_on_full_birth_dates(
    registry_session: Session,
) -> None:
    """An independent check of every link: what the linker demands of a shared number, asked
    of every pair whatever its evidence."""
    session = registry_session
    facts = {f.entity_id: f for f in parties.listing_facts(session)}
    for link in session.scalars(sa.select(PartyLink).where(PartyLink.status.in_(parties.JOINING))):
        one, other = facts[link.entity_id], facts[link.other_id]
        words = {w for name in one.names for w in parties.name_words(name)}
        assert words & {w for name in other.names for w in parties.name_words(name)}, link.evidence
        if one.birth_dates and other.birth_dates:
            assert one.birth_dates & other.birth_dates, link.evidence


def test_no_two_linked_listings_are_of_different_kinds_or_one_list(
    registry_session: Session,
) -> None:
    session = registry_session
    one, other = sa.orm.aliased(Entity), sa.orm.aliased(Entity)
    rows = session.execute(
        sa.select(one.kind, other.kind, one.source_id, other.source_id)
        .select_from(PartyLink)
        .where(PartyLink.status.in_(parties.JOINING))
        .join(one, one.id == PartyLink.entity_id)
        .join(other, other.id == PartyLink.other_id)
    ).all()
    assert rows and all(a == b and s != t for a, b, s, t in rows)


def test_a_lookup_returns_a_party_once_with_both_listings(registry_session: Session) -> None:
    session = registry_session
    matcher = matchers.build_matcher(session, SETTINGS.matching)
    matches = matcher.lookup(Query("Ayman al-Zawahiri"), limit=5 + matchers.PARTY_SLACK)
    assert len({m.entity_id for m in matches[:2]}) == 2  # both lists' listings match alone
    kept = matchers.one_per_party(matches, parties.party_map(session), 5)
    ids = [m.entity_id for m in kept]
    found = parties.listings(session, ids, lambda more: registry.entity_cards(session, list(more)))
    top = found[ids[0]]
    assert {listing.card.source for listing in top} == {
        "us_ofac_sdn",
        "un_sc_consolidated",
        "uk_ofsi_conlist",
    }
    assert all(listing.link == "automatic" and listing.evidence for listing in top[1:])
    assert parties.party_label(top).count(" · ") == 2
    party = parties.party_keys(session, ids)
    assert len(set(party.values())) == len(ids)  # no party twice


def test_screening_shows_a_party_once(registry_session: Session) -> None:
    session = registry_session
    matcher = matchers.build_matcher(session, SETTINGS.matching)
    text = "Ayman al-Zawahiri, the leader of al-Qaida, was killed in Kabul."
    hits = screening.screen_to_json(session, text, matcher)
    zawahiri = [hit for hit in hits if "ZAWAHIRI" in str(hit["matched_name"]).upper()]
    assert len(zawahiri) == 1
    listings = zawahiri[0]["listings"]
    assert isinstance(listings, list)
    assert {listing["source"] for listing in listings} == {
        "us_ofac_sdn",
        "un_sc_consolidated",
        "uk_ofsi_conlist",
    }
    assert str(zawahiri[0]["listed_as"]).count(" · ") == 2


def test_an_admin_undoes_a_wrong_link_and_the_linker_leaves_it_undone(
    registry_session: Session,
) -> None:
    session = registry_session
    ofac = entity(session, "us_ofac_sdn", "19488")  # YU, Chol U: listed by OFAC and the UN
    un = entity(session, "un_sc_consolidated", "KPi.028")
    parties.reject_link(session, ofac.id, un.id, actor="user:admin", note="test")
    session.flush()
    assert parties.party_keys(session, [ofac.id])[ofac.id] == ofac.id  # alone again
    report = parties.link_listings(session)
    assert report.added == 0
    link = link_between(session, ofac, un)
    assert link is not None and link.status is LinkStatus.REJECTED
    assert (link.decided_by, link.note) == ("user:admin", "test")
    parties.confirm_link(session, ofac.id, un.id, actor="user:admin")
    session.flush()
    assert parties.party_keys(session, [un.id])[un.id] == min(ofac.id, un.id)
    session.rollback()


def test_links_are_only_between_lists(registry_session: Session) -> None:
    from watchlist.errors import InputError, NotFoundError

    session = registry_session
    one, other = entity(session, "us_ofac_sdn", "2676"), entity(session, "us_ofac_sdn", "41736")
    with pytest.raises(InputError, match="same list"):
        parties.confirm_link(session, one.id, other.id, actor="user:admin")
    with pytest.raises(NotFoundError, match="not linked"):
        parties.reject_link(session, one.id, entity(session, "un_sc_consolidated", "CDe.001").id,
                            actor="user:admin")  # fmt: skip
    session.rollback()


def test_a_rescreen_raises_no_second_hit_for_another_listing_of_the_party(
    registry_session: Session,
) -> None:
    session = registry_session
    text = "Ayman al-Zawahiri, the leader of al-Qaida, was killed in Kabul."
    article = Article(text=text, content_hash="parties-rescreen", title="test")
    session.add(article)
    session.flush()
    matcher = matchers.build_matcher(session, SETTINGS.matching)
    hits = screening.find_hits(text, matcher)
    stored = screening.store_hits(session, article, hits, list_state=1, settings="test")
    [zawahiri] = [h for h in hits if h.entity_id in _zawahiri(session)]
    assert stored == len(screening.one_per_party(session, hits))
    other = next(e for e in _zawahiri(session) if e != zawahiri.entity_id)
    again = dataclasses.replace(zawahiri, entity_id=other, score=1.0)
    assert screening.store_hits(session, article, [again], list_state=2, settings="test") == 0
    session.rollback()


def _zawahiri(session: Session) -> set[int]:
    return {entity(session, "us_ofac_sdn", "2676").id,
            entity(session, "un_sc_consolidated", "QDi.006").id,
            entity(session, "uk_ofsi_conlist", _uk_key(session, "QDi.006")).id}  # fmt: skip


def _uk_key(session: Session, un_key: str) -> str:
    """The UK group of the party the UN lists as `un_key`."""
    un = entity(session, "un_sc_consolidated", un_key)
    [party] = parties.parties_of(session, [un.id]).values()
    keys = session.scalars(
        sa.select(Entity.source_key).join(ListSource)
        .where(Entity.id.in_(party), ListSource.code == "uk_ofsi_conlist")
    ).all()  # fmt: skip
    assert len(keys) == 1
    return keys[0]


def test_queue_authority_filters_follow_a_partys_listings(registry_session: Session) -> None:
    session = registry_session
    text = "Ashot Mkrtychev brokered the deal, prosecutors said."
    article = Article(text=text, content_hash="parties-authority", title="test")
    session.add(article)
    session.flush()
    matcher = matchers.build_matcher(session, SETTINGS.matching)
    screening.store_hits(session, article, screening.find_hits(text, matcher), list_state=1,
                         settings="test")  # fmt: skip
    session.flush()

    def found(authority: str) -> int:
        where = decisions.HitFilter(article_id=article.id, authority=authority)
        return decisions.find_hits(session, where).total

    # One hit, on one listing; the UK's programs reach it through the link.
    assert (found("US OFAC"), found("UK (FCDO / OFSI)")) == (1, 1)
    assert (found("European Union"), found("UN Security Council")) == (0, 0)
    session.rollback()


def test_doubtful_evidence_is_proposed_for_review_and_joins_nothing(
    registry_session: Session,
) -> None:
    session = registry_session
    proposals = parties.proposed_links(session)
    assert proposals
    for link in proposals:
        assert link.status is LinkStatus.PROPOSED and " but " in " ".join(link.evidence)
        assert parties.party_keys(session, [link.entity_id, link.other_id]) != {
            link.entity_id: link.entity_id,
            link.other_id: link.entity_id,
        }
    reasons = " ".join(line for link in proposals for line in link.evidence)
    assert "born on different dates" in reasons and "another listing" in reasons
