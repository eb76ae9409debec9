"""The Flask application: REST API and analysts' dashboard, built by `create_app`."""

from __future__ import annotations

from flask import Flask, jsonify
from flask.typing import ResponseReturnValue

from watchlist.config import Settings
from web.state import WebState


def create_app(settings: Settings) -> Flask:
    """Build the web application for the given settings."""
    app = Flask(__name__)
    app.config["WATCHLIST_SETTINGS"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings.web.max_body_kb * 1024
    app.extensions["watchlist"] = WebState.create(settings)

    @app.get("/healthz")
    def healthz() -> ResponseReturnValue:
        """The process is up."""
        return jsonify({"status": "ok"})

    return app
