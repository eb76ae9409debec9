"""Signing in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from watchlist import access
from watchlist.errors import AuthenticationError
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
    except AuthenticationError:
        page = render_template("dashboard/login.html", next=_safe_next(), error=FAILED, name=name)
        return page, 401
    security.log_in(user)
    return redirect(_safe_next() or url_for("dashboard.queue"), 303)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    security.log_out()
    flash("You are signed out.")
    return redirect(url_for("dashboard.login"), 303)


def _safe_next() -> str | None:
    """Where to go after signing in: a path on this site only, never another host."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        return None
    if "\\" in target:
        return None
    return target
