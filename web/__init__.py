"""The Flask application: REST API and analysts' dashboard, built by `create_app`."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from watchlist.config import DEV_SECRET_KEY, Settings
from watchlist.errors import ConfigError
from web import errors, metrics
from web.api import bp as api_blueprint
from web.dashboard import bp as dashboard
from web.dashboard import security
from web.state import WebState


def create_app(settings: Settings) -> Flask:
    """Build the web application for the given settings."""
    if settings.web.secret_key == DEV_SECRET_KEY and not settings.web.debug:
        raise ConfigError(
            "Configuration key web.secret_key still has its development value: set "
            "WATCHLIST_WEB_SECRET_KEY to a long random secret (or turn on web.debug)."
        )
    app = Flask(__name__)
    if settings.web.proxy_count:
        # Client address and scheme as the proxies in front saw them (sign-in throttling
        # counts failures per address).
        hops = settings.web.proxy_count
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    app.config["WATCHLIST_SETTINGS"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings.web.max_body_kb * 1024
    app.extensions["watchlist"] = WebState.create(settings)
    if settings.web.metrics:
        metrics.install(app)  # first: its clock starts before any other hook runs
    app.before_request(errors.refuse_nul_characters)
    app.after_request(security.add_headers)  # every answer, unrouted addresses' too
    app.register_blueprint(dashboard)
    app.register_blueprint(api_blueprint)
    errors.register(app)
    return app
