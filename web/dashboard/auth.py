"""Signing in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from watchlist import access
from watchlist.errors import AuthenticationError, InputError
from web.dashboard import security
from web.dashboard.blueprint import bp
from web.state import session_scope

FAILED = "Unknown user name or wrong password."


@bp.get("/login")
def login() -> ResponseReturnValue:
    """The sign-in form (or the queue, when already signed in)."""
    if g.user is not None:
        return redirect(url_for("dashboard.queue"))
    return render_template("dashboard/login.html", next=_safe_next(), error=None)


@bp.post("/login")
def login_submit() -> ResponseReturnValue:
    """Check the password; the same answer whether the name is unknown or the password wrong."""
    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    try:
        with session_scope() as db:
            user = access.authenticate_user(db, name, password)
            token = access.start_session(db, user)
    except AuthenticationError:
        page = render_template("dashboard/login.html", next=_safe_next(), error=FAILED, name=name)
        return page, 401
    security.log_in(token)
    return redirect(_safe_next() or url_for("dashboard.queue"), 303)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """End the session on the server: a copy of the cookie opens nothing afterwards."""
    security.log_out()
    flash("You are signed out.")
    return redirect(url_for("dashboard.login"), 303)


@bp.get("/account/password")
def password() -> ResponseReturnValue:
    """The form to change one's own password."""
    return render_template("dashboard/password.html")


@bp.post("/account/password")
def change_password() -> ResponseReturnValue:
    """Change one's own password; every session of the account ends, and this browser gets a
    new one."""
    form = request.form
    if form.get("password", "") != form.get("again", ""):
        flash("Nothing was changed: the two new passwords differ.", "error")
        return redirect(url_for("dashboard.password"), 303)
    try:
        with session_scope() as db:
            user = db.merge(security.current_user())
            access.change_own_password(db, user, form.get("current", ""), form.get("password", ""))
            token = access.start_session(db, user)
    except (AuthenticationError, InputError) as error:
        flash(f"Nothing was changed: {error.message}", "error")
        return redirect(url_for("dashboard.password"), 303)
    security.log_in(token)
    flash("Your password is changed; you were signed out everywhere else.", "success")
    return redirect(url_for("dashboard.queue"), 303)


def _safe_next() -> str | None:
    """Where to go after signing in: a path on this site only, never another host."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        return None
    if "\\" in target:
        return None
    return target
