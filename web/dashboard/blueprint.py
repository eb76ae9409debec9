"""The dashboard blueprint: request hooks (sign-in, CSRF, headers), error pages, filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from watchlist import errors, timestamps
from watchlist.models import DISMISS_REASON_LABELS, Role
from web import errors as web_errors
from web.dashboard import security

bp = Blueprint(
    "dashboard",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/assets",
)

# Endpoints open without signing in.
PUBLIC = {
    "dashboard.login",
    "dashboard.login_submit",
    "dashboard.static",
    "dashboard.api_reference",
}

# The status codes are web/errors.py's; the dashboard shows them as pages in its own layout.
TITLES = {400: "Bad request", 401: "Not signed in", 403: "Not allowed", 404: "Not found",
          405: "Method not allowed", 409: "Conflict", 413: "Too large",
          422: "Cannot use this input", 503: "Unavailable"}  # fmt: skip


@bp.record_once
def _configure(state: BlueprintSetupState) -> None:
    app = state.app
    security.configure_sessions(app, app.config["WATCHLIST_SETTINGS"])
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["utc_time"] = utc_time
    app.jinja_env.filters["day"] = day
    app.jinja_env.tests["web_link"] = web_link
    app.jinja_env.globals.update(csrf_token=security.csrf_token, may=security.may, Role=Role,
                                 reason_labels=DISMISS_REASON_LABELS)  # fmt: skip


@bp.before_request
def _sign_in_and_csrf() -> ResponseReturnValue | None:
    if request.endpoint == "dashboard.static":
        return None
    g.user = security.load_user()
    security.refuse_bad_csrf()
    if g.user is None and request.endpoint not in PUBLIC:
        return redirect(url_for("dashboard.login", next=request.full_path.rstrip("?")))
    return None


@bp.app_template_global()
def page_url(**changes: Any) -> str:
    """This page's URL with some query parameters changed (pagination, sorting)."""
    values: dict[str, Any] = {**(request.view_args or {}), **request.args.to_dict()}
    values.update({key: str(value) for key, value in changes.items()})
    return url_for(str(request.endpoint), **values)


@bp.errorhandler(errors.WatchlistError)
def _core_error(error: errors.WatchlistError) -> ResponseReturnValue:
    status = next((code for kind, code, _ in web_errors.STATUS if isinstance(error, kind)), 500)
    message = error.message if status != 500 else "Something went wrong on our side."
    return error_page(status, message)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> ResponseReturnValue:
    return error_page(error.code or 500, error.description or "")


def error_page(status: int, message: str) -> ResponseReturnValue:
    """A readable error page with the dashboard's layout."""
    title = TITLES.get(status, "Error")
    page = render_template("dashboard/error.html", status=status, title=title, message=message)
    return page, status


def when(moment: dt.datetime | str | None) -> str:
    """A stored time (or one written in RFC 3339) as `2026-11-02 07:15 UTC`."""
    if moment is None:
        return "—"
    return timestamps.readable(_moment(moment))


def utc_time(moment: dt.datetime | str | None) -> Markup:
    """A time as `<time datetime="2026-11-02T07:15:09Z">2026-11-02 07:15 UTC</time>`: readable,
    and exact for programs; a dash when there is none."""
    if moment is None:
        return Markup("—")
    exact = timestamps.rfc3339(_moment(moment))
    return Markup('<time datetime="{}">{}</time>').format(exact, when(moment))


def _moment(moment: dt.datetime | str) -> dt.datetime:
    return dt.datetime.fromisoformat(moment) if isinstance(moment, str) else moment


def web_link(url: object) -> bool:
    """Only http(s) URLs become links (never `javascript:` and the like)."""
    return isinstance(url, str) and url.lower().startswith(("https://", "http://"))


def day(moment: dt.date | dt.datetime | None) -> str:
    if moment is None:
        return "—"
    return moment.strftime("%Y-%m-%d")
