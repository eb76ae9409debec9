"""Operations and oversight: scan runs, the decision log, the screening audit log,
suppression rules and accounts."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from watchlist import access
from watchlist.errors import InputError
from watchlist.models import DISMISS_REASON_LABELS, Action, Role
from watchlist.review import decision_log
from watchlist.review import decisions as review
from watchlist.scan import batches
from watchlist.screening import audit
from web.dashboard import forms, security
from web.dashboard.blueprint import bp
from web.state import session_scope, state


@bp.get("/runs")
def runs() -> ResponseReturnValue:
    """Scan runs with their counts and errors."""
    paging = forms.paging(request.args, state().settings.web.max_page_size, default=20)
    with session_scope() as db:
        found, total = batches.scan_runs(db, limit=paging.per_page, offset=paging.offset)
        return render_template("dashboard/runs.html", runs=found, total=total, paging=paging)


@bp.get("/audit")
def decisions() -> ResponseReturnValue:
    """The decision log: every decision on every hit, newest first."""
    paging = forms.paging(request.args, state().settings.web.max_page_size)
    where = forms.decision_filter(request.args)
    with session_scope() as db:
        found, total = decision_log.decision_log(db, where, limit=paging.per_page,
                                            offset=paging.offset)  # fmt: skip
        return render_template("dashboard/audit.html", decisions=found, total=total,
                               paging=paging, where=where, actions=list(Action),
                               reasons=DISMISS_REASON_LABELS,
                               by_reason=decision_log.dismissals_by_reason(db, where))  # fmt: skip


@bp.get("/audit/screening")
@security.requires(Role.ADMIN)
def screening_log() -> ResponseReturnValue:
    """The screening audit log: what was screened through the API, by whom, with what result."""
    paging = forms.paging(request.args, state().settings.web.max_page_size)
    since, until = forms.date_range(request.args)
    where = audit.AuditFilter(since=since, until=until, actor=forms.text(request.args, "actor"),
                              kind=forms.text(request.args, "kind"),
                              query=forms.text(request.args, "q"))  # fmt: skip
    with session_scope() as db:
        found, total = audit.find(db, where, limit=paging.per_page, offset=paging.offset)
        return render_template("dashboard/screening.html", records=found, total=total,
                               paging=paging, where=where)  # fmt: skip


@bp.get("/suppressions")
def suppressions() -> ResponseReturnValue:
    """Rules that silence a name for an entity; removed ones stay on record."""
    include_removed = request.args.get("removed") == "yes"
    with session_scope() as db:
        rules = review.suppressions(db, include_removed=include_removed)
        return render_template("dashboard/suppressions.html", rules=rules,
                               include_removed=include_removed)  # fmt: skip


@bp.post("/suppressions/<int:rule_id>/remove")
@security.requires(Role.ADMIN)
def remove_suppression(rule_id: int) -> ResponseReturnValue:
    user = security.current_user()
    with session_scope() as db:
        rule = review.remove_suppression(db, rule_id, actor=f"user:{user.name}")
        flash(f"Removed the rule silencing “{rule.name}”; it will be reported again.", "success")
    return redirect(url_for("dashboard.suppressions"), 303)


@bp.get("/users")
@security.requires(Role.ADMIN)
def users() -> ResponseReturnValue:
    """Accounts and their roles."""
    with session_scope() as db:
        return render_template("dashboard/users.html", users=access.list_users(db),
                               roles=list(Role))  # fmt: skip


@bp.post("/users")
@security.requires(Role.ADMIN)
def add_user() -> ResponseReturnValue:
    form = request.form
    role = forms.choice(form, "role", Role)
    try:
        if role is None:
            raise InputError("choose a role.")
        with session_scope() as db:
            created = access.create_user(db, form.get("name", "").strip(), role,
                                         form.get("password", ""))  # fmt: skip
            flash(f"Created the {created.role.value} account “{created.name}”.", "success")
    except InputError as error:
        flash(f"No account was created: {error.message}", "error")
    return redirect(url_for("dashboard.users"), 303)


@bp.post("/users/<name>/<any(disable, enable):change>")
@security.requires(Role.ADMIN)
def set_user_state(name: str, change: str) -> ResponseReturnValue:
    if name == security.current_user().name and change == "disable":
        flash("You cannot disable your own account.", "error")
        return redirect(url_for("dashboard.users"), 303)
    with session_scope() as db:
        changed = access.set_user_disabled(db, name, change == "disable")
        flash(f"The account “{changed.name}” is {change}d.", "success")
    return redirect(url_for("dashboard.users"), 303)
