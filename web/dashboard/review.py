"""Review views: the queue, one hit in its article with its decisions, an article, exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from flask import Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask.typing import ResponseReturnValue

from watchlist.articles import reading
from watchlist.articles.highlight import Span, segments
from watchlist.db import Session
from watchlist.errors import InputError
from watchlist.lists import updates
from watchlist.models import DISMISS_REASON_LABELS, Action, DismissReason, Hit, HitStatus, Role
from watchlist.registry import entities, parties
from watchlist.review import counts, export
from watchlist.review import decisions as review
from watchlist.review import queue as hit_queue
from watchlist.screening import explanations
from web.dashboard import charts, forms, security
from web.dashboard.blueprint import bp
from web.state import session_scope, state

HIT_SORTS = tuple(review.SORTS)
DONE = {
    Action.CONFIRM: "Confirmed",
    Action.DISMISS: "Dismissed",
    Action.ESCALATE: "Escalated",
    Action.REOPEN: "Reopened",
}


@bp.get("/")
def queue() -> ResponseReturnValue:
    """Hits waiting for review, grouped by story and entity (or one group's hits)."""
    args = request.args
    where = forms.hit_filter(args, default_status=HitStatus.OPEN)
    paging = forms.paging(args, state().settings.web.max_page_size)
    grouped = where.story_id is None and where.entity_id is None and args.get("view") != "hits"
    sort = args.get("sort", "newest")
    with session_scope() as db:
        if grouped:
            page = hit_queue.queue_groups(db, where, sort=sort, page=paging.page,
                                        per_page=paging.per_page)  # fmt: skip
            total = page.total_groups
        else:
            hits = review.find_hits(db, where, sort=sort, page=paging.page,
                                    per_page=paging.per_page)  # fmt: skip
            total = hits.total
        return render_template(
            "dashboard/queue.html",
            grouped=grouped,
            page=page if grouped else None,
            hits=None if grouped else hits,
            total=total,
            paging=paging,
            sort=sort,
            sorts=hit_queue.GROUP_SORTS if grouped else HIT_SORTS,
            where=where,
            choices=hit_queue.filter_choices(db),
            waiting=review.count_open(db),
            statuses=list(HitStatus),
            bands=forms.SCORE_BANDS,
        )


@bp.get("/hits/<int:hit_id>")
def hit(hit_id: int) -> ResponseReturnValue:
    """One hit: the article with the mention highlighted, the entity, why, and decisions."""
    threshold = state().settings.matching.text_threshold
    with session_scope() as db:
        found = review.get_hit(db, hit_id)
        article = found.article
        others = reading.article_hits(db, article.id)
        mention = found.mention
        sentence = article.text[mention.sentence_start : mention.sentence_end]
        return render_template(
            "dashboard/hit.html",
            hit=found,
            article=article,
            entity=entities.get_entity(db, found.entity_id),
            party=party_listings(db, found.entity_id),
            sentence=segments(
                sentence, [_span(found, current=True)], offset=mention.sentence_start
            ),  # fmt: skip
            text=segments(article.text, [_span(h, current=h.id == hit_id) for h in others]),
            why=explanations.describe(
                found.explanation,
                mention=mention.text,
                matched_name=found.matched_name,
                score=found.score,
                threshold=threshold,
            ),  # fmt: skip
            history=review.history(db, hit_id),
            group=hit_queue.group_open_hits(db, found),
            next_hit=hit_queue.next_open_hit(db, hit_id),
            story=reading.story_articles(db, article.story_id, article.id),
        )


def party_listings(db: Session, entity_id: int) -> tuple[parties.Listing, ...]:
    """Every listing of the entity's party, its own first."""
    found = parties.listings(db, [entity_id], lambda ids: entities.entity_cards(db, list(ids)))
    return found.get(entity_id, ())


def _span(hit: Hit, *, current: bool = False) -> Span:
    return Span(hit.mention.start, hit.mention.end, hit.id, current)


@bp.post("/hits/<int:hit_id>/decisions")
@security.requires(Role.ANALYST)
def decide(hit_id: int) -> ResponseReturnValue:
    """Append a decision (with its reason and note) to the hit, or to its whole open group;
    then show the hit again, or the next open hit (`?then=next`), its confirmation on top."""
    form = request.form
    action = forms.choice(form, "action", Action)
    if action is None:
        raise InputError("choose confirm, dismiss, escalate or reopen.")
    reason = forms.choice(form, "reason", DismissReason) if action is Action.DISMISS else None
    user = security.current_user()
    suppress = form.get("suppress") == "yes"
    try:
        with session_scope() as db:
            targets = [hit_id]
            if form.get("whole_group") == "yes":
                targets += [i for i in hit_queue.group_open_hits(db, review.get_hit(db, hit_id))
                            if i != hit_id]  # fmt: skip
            for target in targets:
                review.decide(db, target, action, actor=f"user:{user.name}", user_id=user.id,
                              note=form.get("note", ""), reason=reason,
                              suppress=suppress and target == hit_id)  # fmt: skip
            wants_next = request.args.get("then") == "next"
            onward = hit_queue.next_open_hit(db, hit_id) if wants_next else None
    except InputError as error:
        flash(f"Nothing was recorded: {error.message}", "error")
        return redirect(url_for("dashboard.hit", hit_id=hit_id), 303)
    many = f" ({len(targets)} hits)" if len(targets) > 1 else ""
    why = f" as {DISMISS_REASON_LABELS[reason].lower()}" if reason else ""
    silenced = "; this name will not be reported for this entity again" if suppress else ""
    flash(f"Hit {hit_id}: {DONE[action].lower()}{why}{many}{silenced}.", "success")
    if request.args.get("then") == "next":
        if onward is None:
            flash("No open hit is left in the queue.", "success")
            return redirect(url_for("dashboard.queue"), 303)
        return redirect(url_for("dashboard.hit", hit_id=onward), 303)
    return redirect(url_for("dashboard.hit", hit_id=hit_id), 303)


@bp.get("/articles/<int:article_id>")
def article(article_id: int) -> ResponseReturnValue:
    """An article with every hit highlighted."""
    with session_scope() as db:
        found = reading.get_article(db, article_id)
        hits = reading.article_hits(db, article_id)
        return render_template(
            "dashboard/article.html",
            article=found,
            hits=hits,
            text=segments(found.text, [_span(h) for h in hits]),
            story=reading.story_articles(db, found.story_id, found.id),
        )


@bp.get("/overview")
def overview() -> ResponseReturnValue:
    """Counts and charts: hits per day, hits by program, list changes; the export form."""
    today = dt.datetime.now(dt.UTC).date()
    everything = review.HitFilter()
    with session_scope() as db:
        per_day = counts.hits_per_day(db, everything, days=30, today=today)
        by_program = counts.hits_by_program(db, everything)
        changes = updates.list_changes_over_time(db)
        return render_template(
            "dashboard/overview.html",
            counts=counts.status_counts(db),
            per_day=hits_per_day_chart(per_day),
            by_program=charts.bars("Hits by program", by_program, "hits"),
            changes=list_changes_chart(changes),
            today=today,
        )


def hits_per_day_chart(days: list[tuple[dt.date, int]]) -> charts.Chart:
    points = [(day.strftime("%m-%d"), [count]) for day, count in days]
    return charts.columns("Hits per day", points, ["hits"], label_every=5)


def list_changes_chart(changes: list[updates.VersionChanges]) -> charts.Chart:
    points = [
        (f"{c.imported_at:%Y-%m-%d} #{c.version_id}", [c.added, c.changed, c.delisted, c.relisted])
        for c in changes
    ]
    every = max(1, len(points) // 6)
    series = ["added", "changed", "delisted", "relisted"]
    return charts.columns("List changes per version", points, series, label_every=every)


@bp.get("/export/hits.csv")
def export_hits() -> ResponseReturnValue:
    """CSV of the hits found in a date range, with their decisions."""
    since, until = forms.date_range(request.args)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")

    def lines() -> Iterator[str]:
        with session_scope() as db:
            yield from export.export_hits_csv(db, since, until)

    return Response(
        stream_with_context(lines()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="watchlist-hits-{stamp}.csv"'},
    )
