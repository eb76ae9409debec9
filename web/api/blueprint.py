"""The API's blueprint and its endpoint registry, which every route module declares its
endpoints on (and the OpenAPI document is built from). Kept apart from `web.api` so route
modules import it without importing each other through the package."""

from __future__ import annotations

from flask import Blueprint, request

from watchlist.db import translate_errors
from web.api.auth import authenticate
from web.api.endpoint import Api
from web.state import state

bp = Blueprint("api", __name__)
api = Api(bp)


@bp.before_app_request
def _key_before_unknown_addresses() -> None:
    """An address under /api/ that does not exist asks for a key like the ones that do, so
    the API's shape is told only to key holders (then it is a 404)."""
    if request.url_rule is None and request.path.startswith("/api/"):
        with translate_errors(), state().sessions() as session:
            authenticate(session, None)
