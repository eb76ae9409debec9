"""The analysts' dashboard at `/`: review queue, hits in context, decisions, registry, audit.

Roles (see README "Dashboard"): viewers read everything but the screening audit log; analysts
also decide on hits; admins also remove suppression rules, manage accounts and read the
screening audit log. The API reference (/api-reference) is open to anyone, as the OpenAPI
document it is rendered from is.
"""

from web.dashboard import admin, auth, reference, registry, review  # noqa: F401  (registers views)
from web.dashboard.blueprint import bp

__all__ = ["bp"]
