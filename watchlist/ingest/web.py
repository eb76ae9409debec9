"""Fetching article pages and feeds: timeouts, a size cap, a descriptive User-Agent,
conditional GET, redirects checked hop by hop, and no private or loopback addresses unless
the configuration allows them (a server-side request forgery guard)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import socket
from urllib.parse import urljoin, urlsplit

import requests

from watchlist.config import IntakeSettings
from watchlist.errors import FetchError, InputError


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
    """A session that sends the service's User-Agent."""
    session = requests.Session()
    session.headers["User-Agent"] = settings.user_agent
    return session


def check_url(url: str, settings: IntakeSettings) -> None:
    """Refuse non-HTTP URLs, and hosts on private networks unless allowed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{url!r} is not an http(s) URL.")
    if settings.allow_private_addresses:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError(f"Cannot resolve {parts.hostname}: {exc.strerror}.") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise InputError(
                f"{url} resolves to a private or loopback address ({address}); refused "
                "(set intake.allow_private_addresses to fetch from your own network)."
            )


def fetch_page(
    http: requests.Session,
    url: str,
    settings: IntakeSettings,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Page:
    """GET a page, following redirects only to permitted addresses."""
    headers = {
        k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v
    }
    for _ in range(settings.max_redirects + 1):
        check_url(url, settings)
        reply = _get(http, url, headers, settings)
        with reply:
            if reply.is_redirect and reply.headers.get("Location"):
                url = urljoin(url, reply.headers["Location"])
                continue
            return _page(url, reply, settings)
    raise FetchError(f"Too many redirects fetching {url}.")


def _get(
    http: requests.Session, url: str, headers: dict[str, str], settings: IntakeSettings
) -> requests.Response:
    try:
        return http.get(
            url,
            headers=headers,
            timeout=settings.timeout_seconds,
            stream=True,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise FetchError(f"Download of {url} failed: {reason.rstrip('.')}.") from None


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
    declared = reply.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise InputError(
            f"{url} is {int(declared):,} bytes, over the {settings.max_download_mb} MB cap."
        )
    body = bytearray()
    try:
        for chunk in reply.iter_content(chunk_size=1 << 16):
            body += chunk
            if len(body) > limit:
                raise InputError(f"{url} passed the {settings.max_download_mb} MB cap; refused.")
    except requests.RequestException as exc:
        raise FetchError(f"Download of {url} was cut off: {type(exc).__name__}.") from None
    return Page(
        url,
        bytes(body),
        kind,
        reply.headers.get("ETag"),
        reply.headers.get("Last-Modified"),
        fetched_at,
    )
