"""The REST API (/api/v1), the yente-compatible /match endpoint and the health checks, on one
blueprint whose endpoint registry also yields the OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, request

from watchlist.db import translate_errors
from web.api.auth import authenticate
from web.api.endpoint import Api
from web.state import state

blueprint = Blueprint("api", __name__)
api = Api(blueprint)


@blueprint.before_app_request
def _key_before_unknown_addresses() -> None:
    """An address under /api/ that does not exist asks for a key like the ones that do, so
    the API's shape is told only to key holders (then it is a 404)."""
    if request.url_rule is None and request.path.startswith("/api/"):
        with translate_errors(), state().sessions() as session:
            authenticate(session, None)


from web.api import (  # noqa: E402, F401  (registers the endpoints)
    articles,
    audit,
    entities,
    health,
    lookup,
    yente,
    yente_entities,
)
