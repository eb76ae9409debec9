"""Downloads, the one HTTP client of the service: timeouts, retries with back-off, a size cap,
conditional GET, redirects checked hop by hop, a checksum, and a guard that keeps a download
off private and loopback addresses (a server-side request forgery guard).

The lists (`fetch`) and the article intake (`watchlist.articles.web`) both download through
here; each keeps its own patience (retries for the lists, none for pages) and its own words
for a refusal.

The guard checks every address a host resolves to, IPv4 addresses carried inside IPv6 ones
included (IPv4-mapped, IPv4-compatible, NAT64, 6to4), and then checks the address each
connection actually reaches, so a host that resolves anew to another address between the
check and the connection (DNS rebinding) is refused too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import ipaddress
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from watchlist.errors import FetchError, InputError, WatchlistError

# What to raise when a body is over the cap: given the declared Content-Length text, or None
# when the body passed the cap while streaming.
OverCap = Callable[[str | None], WatchlistError]


@dataclasses.dataclass(frozen=True)
class FetchPolicy:
    """How patient and how trusting a download is."""

    timeout_seconds: float = 30.0
    retries: int = 3
    backoff_seconds: float = 1.0
    max_bytes: int = 512 * 1024 * 1024
    user_agent: str = "Watchlist/0.1 (sanctions screening)"


@dataclasses.dataclass(frozen=True)
class Fetched:
    """A response body (None when the server said 304 Not Modified) and its validators."""

    url: str
    body: bytes | None
    etag: str | None
    last_modified: str | None
    fetched_at: dt.datetime

    @property
    def not_modified(self) -> bool:
        return self.body is None


def is_web_url(location: str) -> bool:
    """True for http(s) addresses (in any case), which are downloaded rather than read."""
    return location.lower().startswith(("http://", "https://"))


# --- sessions --------------------------------------------------------------------------------


def http_session(policy: FetchPolicy) -> requests.Session:
    """A session that retries idempotent requests on connection errors and 429/5xx."""
    retry = Retry(
        total=policy.retries,
        backoff_factor=policy.backoff_seconds,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=("GET", "HEAD"),
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = policy.user_agent
    return session


def guarded_session(user_agent: str, *, public_only: bool) -> requests.Session:
    """A session without retries that sends `user_agent` and, when `public_only`, connects
    only to public addresses."""
    session = requests.Session()
    session.headers["User-Agent"] = user_agent
    if public_only:
        session.mount("http://", _PublicOnlyAdapter())
        session.mount("https://", _PublicOnlyAdapter())
    return session


# --- requests --------------------------------------------------------------------------------


def fetch(
    http: requests.Session,
    url: str,
    policy: FetchPolicy,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """GET `url` within the policy's limits."""
    reply = send_get(
        http, url, conditional_headers(etag, last_modified), timeout=policy.timeout_seconds
    )
    try:
        with reply:
            if reply.status_code == 404:
                raise FetchError(f"Download of {url} failed: not found (HTTP 404).")
            if reply.status_code == 304:
                return _fetched(url, None, reply)
            if reply.status_code != 200:
                raise FetchError(f"Download of {url} failed: HTTP {reply.status_code}.")
            return _fetched(url, read_capped(reply, policy.max_bytes, _list_over_cap(url)), reply)
    except requests.RequestException as exc:
        raise FetchError(f"Download of {url} failed: {_reason(exc)}.") from None


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """The headers of a conditional GET: the validators a previous download returned."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def send_get(
    http: requests.Session,
    url: str,
    headers: dict[str, str],
    *,
    timeout: float,
    allow_redirects: bool = True,
) -> requests.Response:
    """The streamed reply to a GET (its body not yet read); a failure to get one is a
    `FetchError` whose one sentence names the URL and the first line of the reason."""
    try:
        return http.get(
            url, headers=headers, timeout=timeout, stream=True, allow_redirects=allow_redirects
        )
    except requests.RequestException as exc:
        raise FetchError(f"Download of {url} failed: {_reason(exc)}.") from None


def get_checking_redirects(
    http: requests.Session,
    url: str,
    headers: dict[str, str],
    *,
    timeout: float,
    max_redirects: int,
    check: Callable[[str], None],
) -> tuple[str, requests.Response]:
    """The final URL and its streamed reply, following at most `max_redirects` redirects one
    by one and calling `check` on each URL before asking it, so a redirect cannot lead where a
    first request could not go."""
    for _ in range(max_redirects + 1):
        check(url)
        reply = send_get(http, url, headers, timeout=timeout, allow_redirects=False)
        if reply.is_redirect and reply.headers.get("Location"):
            with reply:
                url = urljoin(url, reply.headers["Location"])
            continue
        return url, reply
    raise FetchError(f"Too many redirects fetching {url}.")


def read_capped(reply: requests.Response, limit: int, over_cap: OverCap) -> bytes:
    """The body, refused by `over_cap` when its declared length or the bytes streamed so far
    pass `limit`, so an endless or huge body never fills memory."""
    declared = reply.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise over_cap(declared)
    body = bytearray()
    for chunk in reply.iter_content(chunk_size=1 << 16):
        body += chunk
        if len(body) > limit:
            raise over_cap(None)
    return bytes(body)


def _list_over_cap(url: str) -> OverCap:
    def refusal(declared: str | None) -> WatchlistError:
        if declared is None:
            return FetchError(f"Download of {url} stopped: the body passed the size cap.")
        return FetchError(f"Download of {url} refused: {declared} bytes is over the size cap.")

    return refusal


def _fetched(url: str, body: bytes | None, reply: requests.Response) -> Fetched:
    return Fetched(
        url=url,
        body=body,
        etag=reply.headers.get("ETag"),
        last_modified=reply.headers.get("Last-Modified"),
        fetched_at=dt.datetime.now(dt.UTC),
    )


def _reason(exc: requests.RequestException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text.rstrip(".")


def sha256(*parts: bytes) -> str:
    """Checksum of one body (as `sha256sum` prints it) or of several, as `sha256:<hex>`."""
    if len(parts) == 1:
        return "sha256:" + hashlib.sha256(parts[0]).hexdigest()
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return "sha256:" + digest.hexdigest()


# --- the private-address guard ---------------------------------------------------------------


def check_public_host(url: str) -> None:
    """Refuse a URL whose host resolves to any private or loopback address."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        infos = socket.getaddrinfo(host, parts.port or 80, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError(f"Cannot resolve {host}: {exc.strerror}.") from None
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
