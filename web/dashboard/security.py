"""Sessions, CSRF protection, security headers and role checks for the dashboard.

The session cookie is Flask's signed cookie: HttpOnly, SameSite=Lax, Secure unless the
settings say plain HTTP. It holds a random session token and a random CSRF token; every POST
must carry the CSRF token in a hidden `csrf_token` field. The session itself lives on the
server (`access.start_session`): each request checks it has not ended and is younger than
`web.session_hours`, so signing out, a password change or disabling the account ends it for
every copy of the cookie.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import Response, abort, g, request, session
from flask.sansio.app import App

from watchlist import access
from watchlist.config import Settings
from watchlist.models import Role, User
from web.state import session_scope, state

CSRF_FIELD = "csrf_token"
SESSION_TOKEN = "session"
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}

P = ParamSpec("P")
R = TypeVar("R")


def configure_sessions(app: App, settings: Settings) -> None:
    """Session cookie settings from `[web]`."""
    app.secret_key = settings.web.secret_key
    app.config.update(
        SESSION_COOKIE_NAME="watchlist_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.web.secure_cookies,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=settings.web.session_hours),
    )


def csrf_token() -> str:
    """This session's CSRF token, made on first use."""
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return token


def csrf_valid() -> bool:
    """Whether the submitted form carries this session's token (compared in constant time)."""
    expected = session.get(CSRF_FIELD)
    sent = request.form.get(CSRF_FIELD, "")
    if not isinstance(expected, str) or not sent:
        return False
    return hmac.compare_digest(expected.encode(), sent.encode())


def log_in(token: str) -> None:
    """Carry a new server-side session's token in the cookie (with a new CSRF token)."""
    session.clear()
    session.permanent = True
    session[SESSION_TOKEN] = token
    csrf_token()


def log_out() -> None:
    """End this browser's session on the server, and forget the cookie."""
    token = session.get(SESSION_TOKEN)
    if isinstance(token, str):
        with session_scope() as db:
            access.end_session(db, token)
    session.clear()


def load_user() -> User | None:
    """The user of this request's session, or None when it has ended, expired or was never
    started (or the account is disabled)."""
    token = session.get(SESSION_TOKEN)
    if not isinstance(token, str):
        return None
    max_age = dt.timedelta(hours=state().settings.web.session_hours)
    with session_scope() as db:
        user = access.session_user(db, token, max_age)
    if user is None:
        session.clear()
    return user


def current_user() -> User:
    """The signed-in user; views behind the login check only."""
    user: User = g.user
    return user


def may(role: Role) -> bool:
    """Whether the signed-in user has `role` or above (for showing or hiding controls)."""
    user: User | None = g.get("user")
    if user is None:
        return False
    order = list(Role)
    return order.index(user.role) >= order.index(role)


def requires(role: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Refuse the view (403) unless the user has `role` or above."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            access.require_role(current_user(), role)
            return view(*args, **kwargs)

        return guarded

    return decorate


def add_headers(response: Response) -> Response:
    """Security headers on every response of the service; pages are never cached."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        response.headers["Cache-Control"] = "no-store"
    return response


def refuse_bad_csrf() -> None:
    if request.method == "POST" and not csrf_valid():
        abort(400, "The form was out of date or did not come from this site.")
