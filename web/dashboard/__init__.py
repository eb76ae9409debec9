"""The analysts' dashboard at `/`: review queue, hits in context, decisions, registry, audit.

Roles (see README "Dashboard"): viewers read everything but the screening audit log; analysts
also decide on hits; admins also remove suppression rules, manage accounts and read the
screening audit log.
"""

from web.dashboard import admin, auth, registry, review  # noqa: F401  (registers the views)
from web.dashboard.blueprint import bp

__all__ = ["bp"]
