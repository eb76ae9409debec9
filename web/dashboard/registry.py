"""Registry views: an entity with every hit on it, name search, the lists and their changes."""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from watchlist.errors import InputError, NotFoundError
from watchlist.lists import updates
from watchlist.models import ChangeKind, LinkStatus, Role
from watchlist.registry import entities as registry
from watchlist.registry import parties
from watchlist.registry import search as search_registry
from watchlist.review import counts, decisions
from web.dashboard import charts, forms, security
from web.dashboard.blueprint import bp
from web.dashboard.review import list_changes_chart, party_listings
from web.state import session_scope, state

SEARCH_PAGE = 50
LOG_PAGE = 50  # change-log entries a page


@bp.get("/entities/<int:entity_id>")
def entity(entity_id: int) -> ResponseReturnValue:
    """Everything the registry holds about an entity, and every hit on it over time."""
    paging = forms.paging(request.args, state().settings.web.max_page_size)
    today = dt.datetime.now(dt.UTC).date()
    where = decisions.HitFilter(entity_id=entity_id)
    with session_scope() as db:
        found = registry.get_entity(db, entity_id)
        hits = decisions.find_hits(db, where, page=paging.page, per_page=paging.per_page)
        per_day = counts.hits_per_day(db, where, days=90, today=today)
        points = [(day.strftime("%m-%d"), [count]) for day, count in per_day]
        return render_template(
            "dashboard/entity.html",
            entity=found,
            party=party_listings(db, entity_id),
            links=parties.links_of(db, entity_id),
            hits=hits,
            paging=paging,
            chart=charts.columns("Hits per day, last 90 days", points, ["hits"], label_every=15),
        )


@bp.post("/entities/<int:entity_id>/links")
@security.requires(Role.ADMIN)
def link_entity(entity_id: int) -> ResponseReturnValue:
    """An admin's decision on a link between this listing and another list's: `confirm`
    (link them, or confirm the linker's link) or `reject` (not the same party: undone, and
    never linked again automatically)."""
    form = request.form
    decision = form.get("decision")
    user = security.current_user()
    try:
        other = forms.number(form, "other")
        if other is None:
            raise InputError("give the registry id of the other listing.")
        if decision not in ("confirm", "reject"):
            raise InputError("choose confirm or reject.")
        decide = parties.confirm_link if decision == "confirm" else parties.reject_link
        with session_scope() as db:
            link = decide(db, entity_id, other, actor=f"user:{user.name}",
                          note=form.get("note", "")[:2_000])  # fmt: skip
            flash(_link_message(link.status, other), "success")
    except (InputError, NotFoundError) as error:
        flash(f"Nothing changed: {error.message}", "error")
    if form.get("then") == "links":
        return redirect(url_for("dashboard.proposed_links"), 303)
    return redirect(url_for("dashboard.entity", entity_id=entity_id) + "#party-h", 303)


@bp.get("/links")
def proposed_links() -> ResponseReturnValue:
    """Pairs of listings the linker proposes as one party but did not link, for an admin."""
    with session_scope() as db:
        return render_template("dashboard/links.html", links=parties.proposed_links(db))


def _link_message(status: LinkStatus, other: int) -> str:
    if status is LinkStatus.REJECTED:
        return (
            f"Unlinked entity {other}: the two listings are shown as different parties, "
            "and the linker will not link them again."
        )
    return f"Linked entity {other}: the two listings are shown as one party."


@bp.get("/search")
def search() -> ResponseReturnValue:
    """The registry searched as the matcher reads names, and by identifier, with filters."""
    args = request.args
    paging = forms.paging(args, state().settings.web.max_page_size, default=SEARCH_PAGE)
    query = search_registry.SearchQuery(
        text=args.get("q", "").strip(),
        min_score=forms.score(args, "min_score", search_registry.DEFAULT_MIN_SCORE),
        source=forms.text(args, "list"),
        program=forms.text(args, "program"),
        kind=forms.text(args, "kind"),
        country=forms.text(args, "country"),
        include_delisted=args.get("delisted") == "yes",
        page=paging.page,
        per_page=paging.per_page,
    )
    with session_scope() as db:
        found = None
        if query.text:
            matcher, _ = state().matchers.get(db)
            found = search_registry.search_registry(db, matcher, query)
        return render_template(
            "dashboard/search.html",
            query=query,
            found=found,
            paging=paging,
            choices=search_registry.filter_choices(db),
            lowest_score=search_registry.LOWEST_MIN_SCORE,
        )


@bp.get("/lists")
def lists() -> ResponseReturnValue:
    """Sources, their versions, and the change log of one version, a page at a time."""
    max_page_size = state().settings.web.max_page_size
    paging = forms.paging(request.args, max_page_size, default=20)
    log_paging = forms.paging(request.args, max_page_size, default=LOG_PAGE, prefix="log_")
    version_id = forms.number(request.args, "version")
    kind = forms.choice(request.args, "kind", ChangeKind)
    where = updates.ChangeFilter(kinds=[kind] if kind else (), text=forms.text(request.args, "q"))
    with session_scope() as db:
        versions, total = updates.list_versions(db, limit=paging.per_page, offset=paging.offset)
        try:
            chosen = updates.get_version(db, version_id, None)
        except NotFoundError:
            if version_id is not None:
                raise
            chosen = None
        log: list[updates.ChangeLine] = []
        log_total = 0
        if chosen:
            log = updates.changes(db, chosen, where, limit=log_paging.per_page,
                                       offset=log_paging.offset)  # fmt: skip
            log_total = updates.count_changes(db, chosen, where)
        return render_template(
            "dashboard/lists.html",
            sources=updates.status(db),
            versions=versions,
            total=total,
            paging=paging,
            chosen=chosen,
            kind=kind,
            kinds=list(ChangeKind),
            q=where.text or "",
            log=log,
            log_total=log_total,
            log_paging=log_paging,
            chart=list_changes_chart(updates.list_changes_over_time(db)),
        )
