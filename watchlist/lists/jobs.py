"""List import and update jobs: read or fetch, parse, apply — each list in its own transaction.

Jobs take a session factory (they own their transactions); the services they call do not.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import requests
from sqlalchemy.orm import Session, sessionmaker

from watchlist import fetch
from watchlist.config import Settings
from watchlist.errors import FetchError, ListRefusedError, WatchlistError
from watchlist.lists import updates
from watchlist.lists.plausibility import RemovalGuard
from watchlist.models import ListVersion, VersionStatus
from watchlist.sources import formats

Stage = Callable[[str], None]


def fetch_policy(settings: Settings) -> fetch.FetchPolicy:
    """The download limits of the [lists] settings."""
    config = settings.lists
    return fetch.FetchPolicy(
        timeout_seconds=config.timeout_seconds,
        retries=config.retries,
        backoff_seconds=config.backoff_seconds,
        max_bytes=config.max_download_mb * 1024 * 1024,
        user_agent=config.user_agent,
    )


def removal_guard(settings: Settings, *, accept_large_change: bool = False) -> RemovalGuard:
    """The plausibility guard of the [lists] settings."""
    return RemovalGuard(settings.lists.max_removal_percent / 100, accept=accept_large_change)


def obtain(
    settings: Settings, list_format: str, location: str, dataset: str | None = None
) -> formats.ListFile:
    """A list from a path or a URL (`dataset`: the FtM dataset the file is)."""
    if not fetch.is_web_url(location):
        return formats.read_local(list_format, Path(location), dataset)
    policy = fetch_policy(settings)
    http = fetch.http_session(policy)
    got = formats.fetch_remote(list_format, location, http, policy, dataset=dataset)
    if got is None:  # no validators were sent, so a 304 would be a server error
        raise FetchError(f"Download of {location} answered 304 to an unconditional request.")
    return got


def import_file(
    sessions: sessionmaker[Session],
    list_file: formats.ListFile,
    guard: RemovalGuard,
    stage: Stage = lambda name: None,
    published_at: dt.datetime | None = None,
) -> ListVersion:
    """Record a byte-identical file as 'no change'; else parse it and apply the differences.

    A version the guard refuses is recorded (committed) as refused, then reported as a
    `ListRefusedError`: the registry keeps the previous version.
    """
    with sessions.begin() as session:
        same = updates.import_if_new(session, list_file)
        if same is not None:
            return same
    stage("parsing")
    parsed = formats.parse(list_file)
    stage(f"applying {len(parsed.entities):,} entities")
    with sessions.begin() as session:
        version = updates.import_parsed(
            session, list_file, parsed, published_at=published_at, guard=guard
        )
    if version.status is VersionStatus.REFUSED:
        raise ListRefusedError(version.refusal or "The list version was refused.")
    return version


@dataclasses.dataclass(frozen=True)
class UpdateOutcome:
    """What updating one configured source did."""

    url: str
    version: ListVersion | None = None
    error: WatchlistError | None = None

    @property
    def status(self) -> str:
        """changed, unchanged, refused (by the plausibility guard) or failed."""
        if self.version is not None:
            return self.version.status.value
        return "refused" if isinstance(self.error, ListRefusedError) else "failed"

    def summary(self) -> dict[str, str | int | None]:
        """The outcome as a scan summary reports it."""
        return {
            "url": self.url,
            "source": self.version.source.code if self.version else None,
            "status": self.status,
            "version": self.version.id if self.version else None,
            "message": self.error.message if self.error else None,
        }


def update_sources(
    sessions: sessionmaker[Session],
    settings: Settings,
    only: tuple[str, ...] = (),
    *,
    accept_large_change: bool = False,
) -> list[UpdateOutcome]:
    """Fetch every enabled configured source (conditional GET) and import what changed.

    One failing source is reported in its outcome and does not stop the others.
    """
    sources = updates.read_sources(Path(settings.lists.sources_file))
    chosen = [s for s in sources if s.enabled and (not only or s.format in only)]
    policy = fetch_policy(settings)
    http = fetch.http_session(policy)
    guard = removal_guard(settings, accept_large_change=accept_large_change)
    outcomes = []
    for configured in chosen:
        try:
            version = _update_one(sessions, configured, http, policy, guard)
            outcomes.append(UpdateOutcome(configured.url, version=version))
        except WatchlistError as error:
            outcomes.append(UpdateOutcome(configured.url, error=error))
    return outcomes


def _update_one(
    sessions: sessionmaker[Session],
    configured: updates.ConfiguredSource,
    http: requests.Session,
    policy: fetch.FetchPolicy,
    guard: RemovalGuard,
) -> ListVersion:
    dataset = formats.remote_dataset(configured.format, configured.url, configured.dataset)
    code = formats.source_code(configured.format, dataset)
    with sessions.begin() as session:
        previous = updates.latest_accepted(session, code) if code else None
        etag, modified = (previous.etag, previous.last_modified) if previous else (None, None)
    got = formats.fetch_remote(
        configured.format, configured.url, http, policy,
        etag=etag, last_modified=modified, dataset=dataset,
    )  # fmt: skip
    if got is not None:
        return import_file(sessions, got, guard)
    if not code:
        raise FetchError(f"Download of {configured.url} answered 304 with nothing to keep.")
    with sessions.begin() as session:
        return updates.record_not_modified(session, code, configured.url)
