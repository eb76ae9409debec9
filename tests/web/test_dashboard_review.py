"""The review queue, the hit view and decisions, articles and the export."""

from __future__ import annotations

import csv
import io
import re
import uuid

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.rewrites import rewrite, seed_text
from tests.web.dashboard import add_article, fresh_hit, post, sign_in, text
from watchlist.config import Settings
from watchlist.db import create_engine, session_factory
from watchlist.models import DISMISS_REASON_LABELS, Article, DismissReason, Hit
from watchlist.review import decisions as review

pytestmark = pytest.mark.usefixtures("dashboard_users")


@pytest.fixture
def analyst(client: FlaskClient) -> FlaskClient:
    sign_in(client, "analyst")
    return client


def open_hits(settings: Settings) -> int:
    engine = create_engine(settings.database)
    try:
        with session_factory(engine)() as session:
            return review.count_open(session)
    finally:
        engine.dispose()


def test_queue_groups_hits_by_story_and_entity_and_counts_them(
    analyst: FlaskClient, day_one: Settings
) -> None:
    page = text(analyst.get("/"))
    waiting = re.search(r'id="waiting-count">(\d+)<', page)
    assert waiting and int(waiting.group(1)) == open_hits(day_one)
    assert "MKRTYCHEV, Ashot" in page and "PRIVATE MILITARY COMPANY" in page
    assert "KIM, Jong Un" in page
    assert "(one story, one entity each)" in page


def test_queue_filters_by_program_authority_source_and_score(analyst: FlaskClient) -> None:
    dprk = text(analyst.get("/?program=DPRK3&status=any"))
    assert "KIM, Jong Un" in dprk and "PRIVATE MILITARY COMPANY" not in dprk
    assert "MKRTYCHEV" not in text(analyst.get("/?program=DPRK3&status=any"))
    assert "KIM, Jong Un" in text(analyst.get("/?authority=US+OFAC&status=any"))
    assert "No hits match" in text(analyst.get("/?source=nowhere&status=any"))
    assert "example news" in text(analyst.get("/"))  # the source filter offers it
    low = text(analyst.get("/?band=low&status=any"))
    assert "SHOIGU" in low and "KIM, Jong Un" not in low


def test_queue_filters_by_date_and_refuses_bad_input(analyst: FlaskClient) -> None:
    assert "No hits match" in text(analyst.get("/?from=2000-01-01&to=2000-01-02"))
    assert "MKRTYCHEV" in text(analyst.get("/?from=2000-01-01"))
    response = analyst.get("/?from=yesterday")
    assert response.status_code == 422
    assert "must be a date written YYYY-MM-DD" in text(response)
    assert analyst.get("/?status=maybe").status_code == 422
    assert analyst.get("/?sort=alphabetical").status_code == 422


def test_queue_sorts_and_pages(analyst: FlaskClient) -> None:
    first = text(analyst.get("/?sort=hits&per_page=1&status=any"))
    assert "Page 1 of" in first and 'rel="next"' in first
    second = text(analyst.get("/?sort=hits&per_page=1&page=2&status=any"))
    assert 'rel="prev"' in second
    by_score = text(analyst.get("/?view=hits&sort=score&status=any"))
    assert by_score.index("1.00") < by_score.index("0.80")


def test_one_group_lists_its_hits(analyst: FlaskClient) -> None:
    page = text(analyst.get("/?story=1&entity=12&status=any"))
    assert "Back to the grouped queue" in page


def test_hit_view_shows_the_mention_in_context(analyst: FlaskClient, day_one: Settings) -> None:
    hit_id = fresh_hit(day_one)
    page = text(analyst.get(f"/hits/{hit_id}"))
    assert '<mark class="mention current" id="mention">Ashot Mkrtychev</mark>' in page
    assert 'class="sentence"' in page and "Treasury sanctioned" in page
    assert "source URL" not in page  # the fresh article has no URL
    assert "matched listed “mkrtychev” exactly" in page
    assert "Score 1.00 of 1.00; an article mention is reported from 0.80." in page


def test_hit_view_shows_the_whole_entity_card(analyst: FlaskClient, day_one: Settings) -> None:
    page = text(analyst.get(f"/hits/{fresh_hit(day_one)}"))
    for fact in (
        "MKRTYCHEV, Ashot", "MKRTYCEV, Asot", "US OFAC DPRK", "Legal basis:", "2023-03-30",
        "Born 07 May 1966", "Baku, Azerbaijan", "Slovakia", "BD3843329", "Bratislava",
        "LIMITED LIABILITY COMPANY VERUS",
    ):  # fmt: skip
        assert fact in page, fact


def test_seed_hit_links_to_the_article_and_its_source(analyst: FlaskClient) -> None:
    page = text(analyst.get("/hits/3"))
    assert 'href="https://news.example/article-1"' in page
    assert 'href="/articles/1"' in page


def test_dismissing_with_a_note_is_appended_to_the_history(
    analyst: FlaskClient, day_one: Settings
) -> None:
    hit_id = fresh_hit(day_one)
    data = {"action": "dismiss", "note": "Another Ashot, a football coach.",
            "reason": "different_person"}  # fmt: skip
    response = post(analyst, f"/hits/{hit_id}/decisions", data, form=f"/hits/{hit_id}")
    assert response.status_code == 303
    assert "#" not in response.headers["Location"]  # the confirmation on top stays in view
    page = text(analyst.get(f"/hits/{hit_id}"))
    assert f"Hit {hit_id}: dismissed as false positive: a different person." in page
    assert "(False positive: a different person)" in page  # in the history
    assert "Another Ashot, a football coach." in page and "user:analyst" in page
    assert '<span class="badge badge-dismissed">dismissed</span>' in page
    post(analyst, f"/hits/{hit_id}/decisions", {"action": "reopen", "note": "Second look."},
         form=f"/hits/{hit_id}")  # fmt: skip
    page = text(analyst.get(f"/hits/{hit_id}"))
    assert page.index("Another Ashot") < page.index("Second look.")  # appended, oldest first
    assert "badge-open" in page


def test_confirm_and_escalate(analyst: FlaskClient, day_one: Settings) -> None:
    for action, status in (("confirm", "confirmed"), ("escalate", "escalated")):
        hit_id = fresh_hit(day_one)
        post(analyst, f"/hits/{hit_id}/decisions", {"action": action, "note": ""},
             form=f"/hits/{hit_id}")  # fmt: skip
        assert f"badge-{status}" in text(analyst.get(f"/hits/{hit_id}"))


def test_a_dismissal_can_silence_the_name(client: FlaskClient, day_one: Settings) -> None:
    sign_in(client, "analyst")
    hit_id = fresh_hit(day_one)
    data = {"action": "dismiss", "note": "Never this one.", "suppress": "yes",
            "reason": "different_person"}  # fmt: skip
    post(client, f"/hits/{hit_id}/decisions", data, form=f"/hits/{hit_id}")
    assert "will not be reported for this entity again" in text(client.get(f"/hits/{hit_id}"))
    rules = text(client.get("/suppressions"))
    assert "“Ashot Mkrtychev”" in rules and "Never this one." in rules
    assert "Remove" not in rules  # analysts cannot remove rules
    rule_id = re.findall(
        r"/suppressions/(\d+)/remove", text(_as_admin(client).get("/suppressions"))
    )
    assert rule_id
    removed = post(client, f"/suppressions/{rule_id[0]}/remove", {}, form="/suppressions")
    assert removed.status_code == 303
    assert "it will be reported again" in text(client.get("/suppressions"))
    assert "removed by user:admin" in text(client.get("/suppressions?removed=yes"))


def _as_admin(client: FlaskClient) -> FlaskClient:
    post(client, "/logout", {}, form="/")
    sign_in(client, "admin")
    return client


def test_silencing_goes_with_a_dismissal_only(analyst: FlaskClient, day_one: Settings) -> None:
    hit_id = fresh_hit(day_one)
    data = {"action": "confirm", "suppress": "yes"}
    post(analyst, f"/hits/{hit_id}/decisions", data, form=f"/hits/{hit_id}")
    page = text(analyst.get(f"/hits/{hit_id}"))
    assert "Nothing was recorded: only a dismissal can silence" in page
    assert "No decision yet." in page


def test_a_decision_can_cover_the_whole_group(analyst: FlaskClient, day_one: Settings) -> None:
    hits = add_article(
        day_one,
        "Ashot Mkrtychev met buyers. Later Mr. Mkrtychev denied it; Mkrtychev left. A-77.",
        title="Group article",
    )
    assert len(hits) >= 2
    data = {"action": "escalate", "note": "All of them.", "whole_group": "yes"}
    post(analyst, f"/hits/{hits[0]}/decisions", data, form=f"/hits/{hits[0]}")
    for hit_id in hits:
        assert "badge-escalated" in text(analyst.get(f"/hits/{hit_id}"))


def test_bad_decisions_are_refused(analyst: FlaskClient) -> None:
    assert post(analyst, "/hits/1/decisions", {"action": "approve"}, form="/").status_code == 422
    assert post(analyst, "/hits/1/decisions", {}, form="/").status_code == 422
    missing = post(analyst, "/hits/999999/decisions", {"action": "confirm"}, form="/")
    assert missing.status_code == 404
    assert analyst.get("/hits/999999").status_code == 404
    assert analyst.get("/hits/1/decisions").status_code == 405


def test_hostile_article_text_is_shown_as_text(analyst: FlaskClient, day_one: Settings) -> None:
    hits = add_article(
        day_one,
        "Ashot Mkrtychev <script>alert('x')</script> and <img src=x onerror=alert(1)> "
        "were in the wire copy.",
        title="<b>Hostile</b> title",
    )
    # Intake refuses such a URL now; one stored before that must still never become a link.
    engine = create_engine(day_one.database)
    try:
        with engine.begin() as connection:
            article = sa.select(Hit.article_id).where(Hit.id == hits[0]).scalar_subquery()
            connection.execute(
                sa.update(Article).where(Article.id == article).values(url="javascript:alert(3)")
            )
    finally:
        engine.dispose()
    page = text(analyst.get(f"/hits/{hits[0]}"))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b&gt;Hostile&lt;/b&gt;" in page
    assert 'href="javascript:' not in page
    article_id = re.search(r'href="/articles/(\d+)"', page)
    assert article_id
    article = text(analyst.get(f"/articles/{article_id.group(1)}"))
    assert "<script>alert" not in article and "&lt;script&gt;" in article


def test_article_page_highlights_every_hit(analyst: FlaskClient) -> None:
    page = text(analyst.get("/articles/2"))
    for name in ("Ashot Mkrtychev", "Wagner Group", "Kim Jong Un", "Vladimir Putin"):
        assert f"<mark>{name}</mark>" in page


def test_article_page_links_the_rewrites_of_its_report(
    analyst: FlaskClient, day_one: Settings
) -> None:
    title = f"Rewrite {uuid.uuid4().hex[:8]} of the second seed article"
    hits = add_article(day_one, rewrite(seed_text(2)), title=title)
    found = re.search(r'href="/articles/(\d+)"', text(analyst.get(f"/hits/{hits[0]}")))
    assert found
    rewritten = text(analyst.get(f"/articles/{found.group(1)}"))
    assert "Same story:" in rewritten and "Seed article-2" in rewritten
    assert "Seed article-1" not in rewritten and "Seed article-3" not in rewritten
    assert title in text(analyst.get("/articles/2"))


BROKER_REPORT = (
    "Bulletin {marker}. An arms broker with a Slovak passport, Ashot Mkrtychev, arranged "
    "shipments of shells through a trading house in Bratislava, court papers filed on Monday "
    "show. Prosecutors say the payments ran through three banks over two years. His lawyer "
    "said the papers misread ordinary commercial contracts and that he would contest them."
)


def queue_rows(page: str, marker: str) -> list[str]:
    """The grouped queue's rows that mention `marker` (in their label)."""
    return [row for row in page.split("<tr>")[1:] if marker in row]


def test_a_group_is_labelled_with_one_of_its_own_articles(
    analyst: FlaskClient, day_one: Settings
) -> None:
    marker = uuid.uuid4().hex[:8]
    report = BROKER_REPORT.format(marker=marker)
    add_article(day_one, report, title=f"Broker report {marker}")
    update = report + " Sergei Shoigu was said to have approved the shipments himself."
    assert add_article(day_one, update, title=f"Broker report, updated {marker}")
    rows = queue_rows(text(analyst.get("/?per_page=100")), marker)
    (broker,) = [row for row in rows if "MKRTYCHEV, Ashot" in row]
    (shoigu,) = [row for row in rows if "SHOIGU" in row]
    # One story of two articles; Shoigu is in the update only, and is labelled with it.
    assert f"Broker report {marker} <span" in broker and "(2 articles)" in broker
    assert f"Broker report, updated {marker} <span" in shoigu and "(1 article)" in shoigu


def test_a_whole_group_decision_stays_in_its_story(analyst: FlaskClient, day_one: Settings) -> None:
    # Two reports naming the same man and places, each in words of its own: two stories.
    marker = uuid.uuid4().hex[:8]
    hearing = (
        "Ashot Mkrtychev paid for a warehouse near the Danube through a shell company, judges "
        f"in Vienna heard on the second day of hearing {marker}. Mkrtychev did not attend, and "
        "two of his former employees are due to testify next month."
    )
    first = add_article(day_one, hearing, title="Hearing")
    interview = (
        f"Ashot Mkrtychev, named at hearing {marker} in Vienna this week, told a weekly that he "
        "had never traded arms. Mkrtychev said the warehouse near the Danube held farm machinery."
    )
    second = add_article(day_one, interview, title="Interview")
    data = {"action": "escalate", "note": "The hearing.", "whole_group": "yes"}
    post(analyst, f"/hits/{first[0]}/decisions", data, form=f"/hits/{first[0]}")
    assert all("badge-escalated" in text(analyst.get(f"/hits/{hit}")) for hit in first)
    assert all("badge-open" in text(analyst.get(f"/hits/{hit}")) for hit in second)


def test_export_gives_hits_with_their_decisions(analyst: FlaskClient, day_one: Settings) -> None:
    hit_id = fresh_hit(day_one)
    note = '=HYPERLINK("http://evil.example")'
    data = {"action": "dismiss", "note": note, "reason": "not_listed"}
    post(analyst, f"/hits/{hit_id}/decisions", data, form=f"/hits/{hit_id}")
    response = analyst.get("/export/hits.csv?from=2000-01-01")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = {row["hit_id"]: row for row in csv.DictReader(io.StringIO(text(response)))}
    row = rows[str(hit_id)]
    assert row["status"] == "dismissed" and row["last_action"] == "dismiss"
    assert row["last_dismiss_reason"] == "not_listed"
    assert row["last_decided_by"] == "user:analyst" and row["decisions"] == "1"
    assert row["last_note"] == "'" + note  # a spreadsheet will not run it
    assert row["entity_source_key"] == "41736" and "US OFAC DPRK" in row["programs"]
    empty = analyst.get("/export/hits.csv?from=2000-01-01&to=2000-01-31")
    assert text(empty).count("\n") == 1  # the header only
    assert analyst.get("/export/hits.csv?from=2000-02-01&to=2000-01-01").status_code == 422


def test_dismiss_and_next_records_the_reason_and_opens_the_next_open_hit(
    analyst: FlaskClient, day_one: Settings
) -> None:
    first, second = fresh_hit(day_one), fresh_hit(day_one)
    data = {"action": "dismiss", "reason": "not_listed", "note": ""}
    response = post(analyst, f"/hits/{first}/decisions?then=next", data, form=f"/hits/{first}")
    assert response.status_code == 303
    following = int(response.headers["Location"].rsplit("/", 1)[1])
    assert following != first and following <= second
    page = text(analyst.get(f"/hits/{following}"))
    assert f"Hit {first}: dismissed as not a listed party." in page  # confirmed on the next page
    assert "badge-dismissed" in text(analyst.get(f"/hits/{first}"))


def test_a_dismissal_without_a_reason_records_nothing(
    analyst: FlaskClient, day_one: Settings
) -> None:
    hit_id = fresh_hit(day_one)
    post(analyst, f"/hits/{hit_id}/decisions?then=next", {"action": "dismiss", "note": "x"},
         form=f"/hits/{hit_id}")  # fmt: skip
    page = text(analyst.get(f"/hits/{hit_id}"))
    assert "Nothing was recorded: a dismissal needs a reason" in page
    assert "badge-open" in page


def test_the_decision_form_comes_before_the_explanation_and_the_article(
    analyst: FlaskClient, day_one: Settings
) -> None:
    page = text(analyst.get(f"/hits/{fresh_hit(day_one)}"))
    assert page.index("Dismiss &amp; next") < page.index('id="why-h"')
    assert page.index('id="decide-h"') < page.index('id="why-h"') < page.index('id="entity-h"')
    for label in DISMISS_REASON_LABELS.values():
        assert label in page


def test_the_audit_log_counts_dismissals_by_reason(analyst: FlaskClient, day_one: Settings) -> None:
    def count(page: str, label: str) -> int:
        found = re.search(rf"<th scope=\"row\">{re.escape(label)}</th><td>(\d+)</td>", page)
        assert found, label
        return int(found[1])

    label = DISMISS_REASON_LABELS[DismissReason.DUPLICATE]
    before = count(text(analyst.get("/audit")), label)
    hit_id = fresh_hit(day_one)
    post(analyst, f"/hits/{hit_id}/decisions", {"action": "dismiss", "reason": "duplicate"},
         form=f"/hits/{hit_id}")  # fmt: skip
    assert count(text(analyst.get("/audit")), label) == before + 1
    only = text(analyst.get("/audit?reason=duplicate"))
    assert f"/hits/{hit_id}" in only and "Duplicate" in only
    assert analyst.get("/audit?reason=bored").status_code == 422
