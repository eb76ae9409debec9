"""Fetching article pages and feeds: timeouts, a size cap, a descriptive User-Agent,
conditional GET, redirects checked hop by hop, and no private or loopback addresses unless
the configuration allows them (a server-side request forgery guard).

The transport, the redirect walk and the guard are the service's one downloader,
`watchlist.fetch`; here are the intake's settings, its words for a refusal and what a page
keeps (its final URL and content type).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from urllib.parse import urlsplit

import requests

from watchlist.config import IntakeSettings
from watchlist.errors import FetchError, InputError, WatchlistError
from watchlist.fetch import (
    OverCap,
    check_public_host,
    conditional_headers,
    get_checking_redirects,
    guarded_session,
    read_capped,
)


@dataclasses.dataclass(frozen=True)
class Page:
    """A downloaded body (None when not modified) with its final URL and validators."""

    url: str
    body: bytes | None
    content_type: str
    etag: str | None
    last_modified: str | None
    fetched_at: dt.datetime


def http_session(settings: IntakeSettings) -> requests.Session:
    """A session that sends the service's User-Agent and, unless private addresses are
    allowed, connects only to public ones."""
    return guarded_session(settings.user_agent, public_only=not settings.allow_private_addresses)


def check_url(url: str, settings: IntakeSettings) -> None:
    """Refuse non-HTTP URLs, and hosts on private networks unless allowed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{url!r} is not an http(s) URL.")
    if not settings.allow_private_addresses:
        check_public_host(url)


def fetch_page(
    http: requests.Session,
    url: str,
    settings: IntakeSettings,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Page:
    """GET a page, following redirects only to permitted addresses."""
    url, reply = get_checking_redirects(
        http,
        url,
        conditional_headers(etag, last_modified),
        timeout=settings.timeout_seconds,
        max_redirects=settings.max_redirects,
        check=lambda hop: check_url(hop, settings),
    )
    with reply:
        return _page(url, reply, settings)


def _page(url: str, reply: requests.Response, settings: IntakeSettings) -> Page:
    fetched_at = dt.datetime.now(dt.UTC)
    kind = reply.headers.get("Content-Type", "")
    if reply.status_code == 304:
        return Page(
            url,
            None,
            kind,
            reply.headers.get("ETag"),
            reply.headers.get("Last-Modified"),
            fetched_at,
        )
    if reply.status_code != 200:
        raise FetchError(f"Download of {url} failed: HTTP {reply.status_code}.")
    limit = settings.max_download_mb * 1024 * 1024
    try:
        body = read_capped(reply, limit, _over_cap(url, settings.max_download_mb))
    except requests.RequestException as exc:
        raise FetchError(f"Download of {url} was cut off: {type(exc).__name__}.") from None
    return Page(
        url,
        body,
        kind,
        reply.headers.get("ETag"),
        reply.headers.get("Last-Modified"),
        fetched_at,
    )


def _over_cap(url: str, megabytes: int) -> OverCap:
    """A page over the cap is the sender's doing, so it is refused as input, not a failure."""

    def refusal(declared: str | None) -> WatchlistError:
        if declared is None:
            return InputError(f"{url} passed the {megabytes} MB cap; refused.")
        return InputError(f"{url} is {int(declared):,} bytes, over the {megabytes} MB cap.")

    return refusal
