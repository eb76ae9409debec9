"""Fetching article pages and feeds: timeouts, a size cap, a descriptive User-Agent,
conditional GET, redirects checked hop by hop, and no private or loopback addresses unless
the configuration allows them (a server-side request forgery guard).

The guard checks every address a host resolves to, IPv4 addresses carried inside IPv6 ones
included (IPv4-mapped, IPv4-compatible, NAT64, 6to4), and then checks the address each
connection actually reaches, so a host that resolves anew to another address between the
check and the connection (DNS rebinding) is refused too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import socket
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

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
    """A session that sends the service's User-Agent and, unless private addresses are
    allowed, connects only to public ones."""
    session = requests.Session()
    session.headers["User-Agent"] = settings.user_agent
    if not settings.allow_private_addresses:
        session.mount("http://", _PublicOnlyAdapter())
        session.mount("https://", _PublicOnlyAdapter())
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
        _refuse_private(str(info[4][0]), url)


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address is on the public internet, and so is any IPv4 address it carries."""
    if not address.is_global:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        return embedded is None or embedded.is_global
    return True


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for: mapped, compatible, NAT64, 6to4."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in network for network in _IPV4_IN_LOW_BITS):
        return ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF)
    return None


# IPv6 ranges whose last 32 bits are an IPv4 address: IPv4-compatible (::a.b.c.d), and the
# NAT64 well-known and local-use prefixes.
_IPV4_IN_LOW_BITS = (
    ipaddress.IPv6Network("::/96"),
    ipaddress.IPv6Network("64:ff9b::/96"),
    ipaddress.IPv6Network("64:ff9b:1::/48"),
)


def _refuse_private(host: str, url: str) -> None:
    address = ipaddress.ip_address(host.split("%", 1)[0])
    if not is_public(address):
        raise InputError(
            f"{url} resolves to a private or loopback address ({address}); refused "
            "(set intake.allow_private_addresses to fetch from your own network)."
        )


class _PublicOnlyHTTPConnection(urllib3.connection.HTTPConnection):
    """A connection that checks the address it reached before sending anything."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _check_peer(sock, self.host)
        return sock


class _PublicOnlyHTTPSConnection(urllib3.connection.HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _check_peer(sock, self.host)
        return sock


def _check_peer(sock: socket.socket, host: str) -> None:
    try:
        _refuse_private(str(sock.getpeername()[0]), host)
    except InputError:
        sock.close()
        raise


class _PublicOnlyHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _PublicOnlyHTTPConnection


class _PublicOnlyHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _PublicOnlyHTTPSConnection


class _PublicOnlyAdapter(HTTPAdapter):
    """requests' adapter, whose connections check the address they reach."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _PublicOnlyHTTPPool,
            "https": _PublicOnlyHTTPSPool,
        }


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
