"""The REST API (/api/v1), the yente-compatible /match endpoint and the health checks, on one
blueprint (`web.api.blueprint`) whose endpoint registry also yields the OpenAPI document.

Importing the route modules registers their endpoints, in this order (the OpenAPI document's)."""

from web.api import articles, audit, entities, health, lookup, yente, yente_entities  # noqa: F401
from web.api.blueprint import bp

__all__ = ["bp"]
