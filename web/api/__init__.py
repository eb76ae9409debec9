"""The REST API (/api/v1), the yente-compatible /match endpoint and the health checks, on one
blueprint whose endpoint registry also yields the OpenAPI document."""

from __future__ import annotations

from flask import Blueprint

from web.api.endpoint import Api

blueprint = Blueprint("api", __name__)
api = Api(blueprint)

from web.api import (  # noqa: E402, F401  (registers the endpoints)
    articles,
    audit,
    entities,
    health,
    lookup,
    yente,
)
