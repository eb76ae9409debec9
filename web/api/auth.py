"""API keys on requests: `Authorization: Bearer KEY` (or `ApiKey KEY`, as yente clients send)."""

from __future__ import annotations

from flask import request

from watchlist.access import KeyHolder, authenticate_key, require_scope
from watchlist.db import Session
from watchlist.errors import AuthenticationError
from watchlist.models import Scope

SCHEMES = ("bearer", "apikey")


def presented_secret() -> str:
    """The key the request carries; an error saying how to send one if it carries none."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.strip().partition(" ")
    if not header:
        raise AuthenticationError("this request needs an API key: send Authorization: Bearer KEY.")
    if scheme.lower() not in SCHEMES or not secret.strip():
        raise AuthenticationError("send the API key as Authorization: Bearer KEY.")
    return secret.strip()


def authenticate(session: Session, scope: Scope | None) -> KeyHolder:
    """The request's key, checked to be active and to have `scope` (when one is needed)."""
    key = authenticate_key(session, presented_secret())
    if scope is not None:
        require_scope(key, scope)
    return key
