"""Signing in and out."""

from __future__ import annotations

import datetime as dt
import logging
import math
from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from watchlist import access
from watchlist.errors import AuthenticationError, InputError
from web.dashboard import security
from web.dashboard.blueprint import bp
from web.state import session_scope, state

FAILED = "Unknown user name or wrong password."
THROTTLED = (
    "Too many failed sign-ins for this account or from this address; try again in "
    "{minutes} minute{s}."
)
log = logging.getLogger(__name__)


@bp.get("/login")
def login() -> ResponseReturnValue:
    """The sign-in form (or the queue, when already signed in)."""
    if g.user is not None:
        return redirect(url_for("dashboard.queue"))
    return render_template("dashboard/login.html", next=_safe_next(), error=None)


@bp.post("/login")
def login_submit() -> ResponseReturnValue:
    """Check the password; the same answer whether the name is unknown or the password wrong.
    Too many failures for the account or from the address are answered 429 unchecked."""
    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    address = request.remote_addr or "unknown"
    with session_scope() as db:
        attempt = access.sign_in(db, name, password, address, _throttle())
        token = access.start_session(db, attempt.user) if attempt.user else None
    if attempt.wait is not None:
        log.warning("sign-in throttled: user %r from %s", name, address)
        minutes = math.ceil(attempt.wait.total_seconds() / 60)
        error = THROTTLED.format(minutes=minutes, s="" if minutes == 1 else "s")
        page = render_template("dashboard/login.html", next=_safe_next(), error=error, name=name)
        return page, 429, {"Retry-After": str(math.ceil(attempt.wait.total_seconds()))}
    if token is None:
        page = render_template("dashboard/login.html", next=_safe_next(), error=FAILED, name=name)
        return page, 401
    security.log_in(token)
    return redirect(_safe_next() or url_for("dashboard.queue"), 303)


def _throttle() -> access.Throttle:
    web = state().settings.web
    window = dt.timedelta(minutes=web.sign_in_window_minutes)
    return access.Throttle(web.sign_in_failures, web.sign_in_address_failures, window)


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
