"""Downloads: timeouts, retries with back-off, a size cap, conditional GET and a checksum."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from watchlist.errors import FetchError


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


def fetch(
    http: requests.Session,
    url: str,
    policy: FetchPolicy,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """GET `url` within the policy's limits."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        with http.get(url, headers=headers, timeout=policy.timeout_seconds, stream=True) as reply:
            if reply.status_code == 404:
                raise FetchError(f"Download of {url} failed: not found (HTTP 404).")
            if reply.status_code == 304:
                return _fetched(url, None, reply)
            if reply.status_code != 200:
                raise FetchError(f"Download of {url} failed: HTTP {reply.status_code}.")
            return _fetched(url, _read_capped(reply, url, policy.max_bytes), reply)
    except requests.RequestException as exc:
        raise FetchError(f"Download of {url} failed: {_reason(exc)}.") from None


def _read_capped(reply: requests.Response, url: str, limit: int) -> bytes:
    declared = reply.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(f"Download of {url} refused: {declared} bytes is over the size cap.")
    body = bytearray()
    for chunk in reply.iter_content(chunk_size=1 << 16):
        body += chunk
        if len(body) > limit:
            raise FetchError(f"Download of {url} stopped: the body passed the size cap.")
    return bytes(body)


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
