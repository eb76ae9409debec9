"""Decisions on hits, suppression rules and the hit filters, on a real database."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from tests.conftest import ROOT
from watchlist.articles.intake import store_and_screen
from watchlist.articles.store import ArticleInput
from watchlist.config import load_settings
from watchlist.errors import ConflictError, InputError, NotFoundError
from watchlist.lists import apply
from watchlist.models import Action, Decision, DismissReason, Hit, HitStatus
from watchlist.review import decisions
from watchlist.screening.hits import Screener, make_screener

TEXT = "Ashot Mkrtychev, a Slovak citizen, brokered the talks, officials said. {tail}"


@pytest.fixture
def seeded(session: Session) -> Session:
    apply.load_seed(session, ROOT / "config/seed")
    session.commit()
    return session


def add(session: Session, screener: Screener, tail: str, source: str = "wire") -> list[Hit]:
    item = ArticleInput(text=TEXT.format(tail=tail), source=source)
    stored = store_and_screen(session, item, screener, load_settings({}))
    session.flush()
    return list(
        decisions.find_hits(session, decisions.HitFilter(article_id=stored.article_id)).hits
    )


def test_decisions_are_appended_and_set_the_status(seeded: Session) -> None:
    screener = make_screener(seeded, load_settings({}).matching)
    (hit,) = add(seeded, screener, "First.")
    assert hit.status is HitStatus.OPEN
    decisions.decide(seeded, hit.id, Action.ESCALATE, actor="user:ann", note="check DOB")
    decisions.decide(seeded, hit.id, Action.CONFIRM, actor="user:bob", note=" same person ")
    assert decisions.get_hit(seeded, hit.id).status is HitStatus.CONFIRMED
    decisions.decide(seeded, hit.id, Action.REOPEN, actor="user:ann")
    trail = decisions.history(seeded, hit.id)
    assert [(d.action, d.actor, d.note) for d in trail] == [
        (Action.ESCALATE, "user:ann", "check DOB"),
        (Action.CONFIRM, "user:bob", "same person"),
        (Action.REOPEN, "user:ann", ""),
    ]
    assert decisions.get_hit(seeded, hit.id).status is HitStatus.OPEN
    assert decisions.count_open(seeded) == 1


def test_bad_decisions_are_refused_and_write_nothing(seeded: Session) -> None:
    screener = make_screener(seeded, load_settings({}).matching)
    (hit,) = add(seeded, screener, "Second.")
    with pytest.raises(InputError, match="only a dismissal"):
        decisions.decide(seeded, hit.id, Action.CONFIRM, actor="user:ann", suppress=True)
    with pytest.raises(InputError, match="at most"):
        decisions.decide(seeded, hit.id, Action.DISMISS, actor="user:ann", note="x" * 10_001)
    with pytest.raises(NotFoundError, match="no hit with id 999999"):
        decisions.decide(seeded, 999_999, Action.DISMISS, actor="user:ann",
                      reason=DismissReason.NOT_LISTED)  # fmt: skip
    with pytest.raises(InputError, match="a dismissal needs a reason"):
        decisions.decide(seeded, hit.id, Action.DISMISS, actor="user:ann")
    with pytest.raises(InputError, match="only a dismissal takes a reason"):
        decisions.decide(seeded, hit.id, Action.CONFIRM, actor="user:ann",
                      reason=DismissReason.DUPLICATE)  # fmt: skip
    with pytest.raises(InputError, match="needs a note"):
        decisions.decide(seeded, hit.id, Action.DISMISS, actor="user:ann",
                      reason=DismissReason.OTHER, note="  ")  # fmt: skip
    assert seeded.query(Decision).count() == 0
    assert hit.status is HitStatus.OPEN


def test_a_suppressed_name_is_never_a_hit_again_until_the_rule_goes(seeded: Session) -> None:
    screener = make_screener(seeded, load_settings({}).matching)
    (hit,) = add(seeded, screener, "Third.")
    decisions.decide(seeded, hit.id, Action.DISMISS, actor="user:ann", note="namesake",
                  suppress=True, reason=DismissReason.DIFFERENT_PERSON)  # fmt: skip
    (rule,) = decisions.suppressions(seeded)
    assert (rule.entity_id, rule.name_key, rule.actor) == (
        hit.entity_id, "ashot mkrtychev", "user:ann"
    )  # fmt: skip
    assert add(seeded, screener, "Fourth.") == []  # the same name, another article
    with pytest.raises(ConflictError):
        decisions.add_suppression(seeded, hit.entity_id, "ASHOT  MKRTYCHEV", actor="user:bob")

    decisions.remove_suppression(seeded, rule.id, actor="user:bob")
    assert decisions.suppressions(seeded) == []
    assert [r.removed_by for r in decisions.suppressions(seeded, include_removed=True)] == [
        "user:bob"
    ]
    assert len(add(seeded, screener, "Fifth.")) == 1
    with pytest.raises(NotFoundError):
        decisions.remove_suppression(seeded, rule.id, actor="user:bob")


def test_hit_filters_select_and_count(seeded: Session) -> None:
    screener = make_screener(seeded, load_settings({}).matching)
    (first,) = add(seeded, screener, "Sixth.", source="wire")
    (second,) = add(seeded, screener, "Seventh, in other words.", source="daily")
    decisions.decide(seeded, first.id, Action.CONFIRM, actor="user:ann")

    def ids(**where: object) -> set[int]:
        page = decisions.find_hits(seeded, decisions.HitFilter(**where))  # type: ignore[arg-type]
        assert page.total == len(page.hits)
        return {hit.id for hit in page.hits}

    both = {first.id, second.id}
    assert ids() == both
    assert ids(status=HitStatus.OPEN) == {second.id}
    assert ids(source="daily") == {second.id}
    assert ids(program="DPRK") == both
    assert ids(program="IRAN") == set()
    assert ids(authority="US OFAC") == both
    assert ids(min_score=1.01) == set()
    assert ids(since=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)) == set()
    page = decisions.find_hits(seeded, decisions.HitFilter(), sort="oldest", per_page=1, page=2)
    assert ([hit.id for hit in page.hits], page.total) == ([second.id], 2)
    with pytest.raises(InputError, match="unknown sort"):
        decisions.find_hits(seeded, decisions.HitFilter(), sort="random")
