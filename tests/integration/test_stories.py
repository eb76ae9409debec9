"""Stories on a real database: rewrites of one report join its story, other reports do not."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tests.conftest import RunCli
from tests.rewrites import SEEDS, rewrite, seed_text
from watchlist.articles.store import ArticleInput, add_article
from watchlist.articles.stories import MARKS
from watchlist.config import load_settings
from watchlist.models import Article, Story, StoryMark

# The seed articles' people and places, in words of this report's own.
SAME_NAMES = (
    "Treasury adds arms broker to sanctions list\n\n"
    "Ashot Mkrtychev, the arms broker the Treasury sanctioned, is under scrutiny again. John "
    "Kirby told reporters that North Korea and Russia were still talking about weapons for the "
    "war in Ukraine, and that the Wagner Group had taken deliveries before. Vladimir Putin has "
    "not commented. Mr. Mkrtychev, who holds Slovak citizenship, could not be reached.\n"
)
INTAKE = load_settings({}).intake


@pytest.fixture
def seeded(run_cli: RunCli, migrated: Engine) -> Engine:
    assert run_cli("seed").exit_code == 0
    return migrated


def stories(engine: Engine) -> dict[str | None, int | None]:
    """Title -> story of every stored article."""
    with engine.connect() as connection:
        rows = connection.execute(sa.select(Article.title, Article.story_id))
        return {title: story for title, story in rows}


def test_a_rewrite_joins_its_story_and_a_report_on_the_same_names_does_not(
    run_cli: RunCli, seeded: Engine
) -> None:
    for number in range(1, 6):
        path = str(SEEDS / f"article-{number}.txt")
        assert run_cli("articles", "add", path, "--title", f"Seed {number}").exit_code == 0
    rewritten = run_cli("articles", "add", "-", "--title", "Rewrite", input=rewrite(seed_text(3)))
    assert rewritten.exit_code == 0, rewritten.output
    other = run_cli("articles", "add", "-", "--title", "Same names", input=SAME_NAMES)
    assert other.exit_code == 0, other.output
    found = stories(seeded)
    assert len({found[f"Seed {number}"] for number in range(1, 6)}) == 5
    assert found["Rewrite"] == found["Seed 3"]
    others = {story for title, story in found.items() if title != "Same names"}
    assert found["Same names"] not in others
    with seeded.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(Story)) == 6
        assert connection.scalar(sa.select(sa.func.count()).select_from(StoryMark)) == 7 * MARKS


def test_a_rewrite_is_found_however_many_articles_came_between(session: Session) -> None:
    original, _ = add_article(session, ArticleInput(text=seed_text(4), title="Original"), INTAKE)
    for number in range(400):
        words = " ".join(f"notice{number}x{word}" for word in range(12))
        add_article(session, ArticleInput(text=f"Notice {number}: {words}."), INTAKE)
    again, _ = add_article(session, ArticleInput(text=rewrite(seed_text(4))), INTAKE)
    assert again.story_id == original.story_id
    assert session.scalar(sa.select(sa.func.count()).select_from(Story)) == 401


def test_a_rewrite_published_weeks_apart_is_another_story(session: Session) -> None:
    march = dt.datetime(2023, 3, 30, tzinfo=dt.UTC)
    first, _ = add_article(session, ArticleInput(text=seed_text(1), published_at=march), INTAKE)
    later = march + dt.timedelta(days=INTAKE.story_window_days + 10)
    item = ArticleInput(text=rewrite(seed_text(1)), published_at=later)
    again, _ = add_article(session, item, INTAKE)
    assert again.story_id != first.story_id
    text = rewrite(seed_text(1), headline="Russia turns to North Korea for arms")
    item = ArticleInput(text=text, published_at=march + dt.timedelta(days=1))
    near, _ = add_article(session, item, INTAKE)
    assert near.story_id == first.story_id


def test_articles_stored_before_fingerprints_keep_their_story(session: Session) -> None:
    # An article stored before fingerprints: its proper nouns as signature, no story marks.
    old, _ = add_article(session, ArticleInput(text=seed_text(2)), INTAKE)
    session.execute(sa.delete(StoryMark).where(StoryMark.article_id == old.id))
    old.signature = ["kirby", "korea", "mkrtychev", "north", "pyongyang", "russia"]
    session.flush()
    story = old.story_id
    again, _ = add_article(session, ArticleInput(text=rewrite(seed_text(2))), INTAKE)
    assert old.story_id == story
    assert again.story_id != story


def test_story_marks_go_with_their_article(session: Session) -> None:
    article, _ = add_article(session, ArticleInput(text=seed_text(5)), INTAKE)
    session.commit()
    marks = sa.select(sa.func.count()).where(StoryMark.article_id == article.id)
    assert session.scalar(marks) == MARKS
    session.execute(sa.delete(Article).where(Article.id == article.id))
    assert session.scalar(marks) == 0
