"""The matcher at the service edge: built from the registry, rebuilt when the lists change, one
result per party."""

from __future__ import annotations

import datetime as dt
import gc
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from watchlist.matching.matcher import Matcher
from watchlist.matching.model import (
    EntityProfile,
    Match,
    MatchSettings,
    NameRecord,
)
from watchlist.models import (
    Designation,
    Entity,
    ListSource,
    ListVersion,
    Program,
    VersionStatus,
)
from watchlist.registry.entities import EntityCard, entity_cards
from watchlist.registry.parties import (
    PartyMap,
    best_per_party,
    keys_of,
    links_state,
    party_map,
)
from watchlist.screening import records
from watchlist.screening.lexicon import build_lexicon
from watchlist.timestamps import iso_date

log = logging.getLogger(__name__)


def list_state(session: Session) -> int:
    """A marker that changes whenever a list version changes the registry (the newest such
    version's id); 'no change' versions leave it as it is."""
    newest = sa.select(sa.func.max(ListVersion.id)).where(
        ListVersion.status == VersionStatus.CHANGED
    )
    return session.scalar(newest) or 0


def build_matcher(session: Session, settings: MatchSettings) -> Matcher:
    """A matcher over every name of every listed (not delisted) entity, kept for the process
    (`keep_for_process`)."""
    return keep_for_process(
        new_matcher(list(records.name_records(session)), records.profiles(session), settings)
    )


def new_matcher(
    records: Sequence[NameRecord],
    profiles: Mapping[int, EntityProfile],
    settings: MatchSettings,
) -> Matcher:
    """A matcher over these names, with the lexicon to weigh their words."""
    return Matcher(records, profiles, settings, build_lexicon())


def keep_for_process(matcher: Matcher) -> Matcher:
    """The matcher, with everything loaded so far moved out of the garbage collector's reach.

    The index lives as long as the process; full collections passing over its objects again
    and again would stall lookups (about 0.1 s each with the SDN list loaded).
    """
    gc.collect()
    gc.freeze()
    return matcher


class MatcherCache:
    """One matcher per process, rebuilt when a new list version appears; thread-safe.

    A web worker warms it up in the background when it starts (`warm_up`), so it is ready
    before the first lookup arrives; until then `loaded` is false. With `recheck_seconds`, the
    list state is read from the database at most that often (a lookup then answers from the
    index it has, and says which list state that is). Entity cards are kept with the matcher:
    they change only with the lists. `on_built` is told each build's duration in seconds and
    the list state built from (the service's metrics).
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        settings: MatchSettings,
        *,
        recheck_seconds: float = 0.0,
        on_built: Callable[[float, int], None] | None = None,
    ) -> None:
        self._sessions = sessions
        self._on_built = on_built
        self._settings = settings
        self._recheck_seconds = recheck_seconds
        self._lock = threading.Lock()
        self._state: int | None = None
        self._matcher: Matcher | None = None
        self._checked_at = 0.0
        self._cards: dict[int, EntityCard] = {}
        self._parties: PartyMap = {}
        self._links: tuple[int, dt.datetime | None] | None = None

    def get(self, session: Session | None = None) -> tuple[Matcher, int]:
        """The current matcher and the list state it was built from, read in the caller's
        session when given (one connection per request), else in a session of its own."""
        matcher, state = self._matcher, self._state
        if matcher is not None and state is not None and self._fresh():
            return matcher, state
        if session is not None:
            return self._current(session)
        with self._sessions() as own:
            return self._current(own)

    def _fresh(self) -> bool:
        return time.monotonic() - self._checked_at < self._recheck_seconds

    def _current(self, session: Session) -> tuple[Matcher, int]:
        state = list_state(session)
        links = links_state(session)
        with self._lock:
            if links != self._links or state != self._state:  # the linker runs on imports
                self._parties, self._links = party_map(session), links
            if self._matcher is None or state != self._state:
                started = time.monotonic()
                self._matcher = build_matcher(session, self._settings)
                self._state = state
                self._cards = listed_cards(session)
                if self._on_built is not None:
                    self._on_built(time.monotonic() - started, state)
            self._checked_at = time.monotonic()
            return self._matcher, state

    def cards(self, session: Session, ids: Iterable[int]) -> dict[int, EntityCard]:
        """`registry.entity_cards`, remembered until the lists change."""
        wanted = set(ids)
        known, state = self._cards, self._state
        missing = [entity_id for entity_id in wanted if entity_id not in known]
        if missing:
            found = entity_cards(session, missing)
            with self._lock:
                if state == self._state:
                    self._cards.update(found)
            known = {**known, **found}
        return {entity_id: known[entity_id] for entity_id in wanted if entity_id in known}

    @property
    def parties(self) -> PartyMap:
        """Every linked entity's party, as of the matcher `get` gave last."""
        return self._parties

    def warm_up(self) -> threading.Thread:
        """Build the matcher in a background thread; a failure is logged, and the next
        request tries again."""
        thread = threading.Thread(target=self._warm_up, name="matcher-warm-up", daemon=True)
        thread.start()
        return thread

    def _warm_up(self) -> None:
        try:
            self.get()
        except Exception:  # noqa: BLE001 - logged; requests retry the build
            log.exception("building the match index failed")

    @property
    def loaded(self) -> bool:
        return self._matcher is not None


def listed_cards(session: Session) -> dict[int, EntityCard]:
    """The card of every listed entity, in two queries (what `entity_cards` gives one by one)."""
    programs: dict[int, list[str]] = defaultdict(list)
    designated: dict[int, list[dt.date]] = defaultdict(list)
    for entity_id, code, designated_on in session.execute(
        sa.select(Designation.entity_id, Program.code, Designation.designated_on)
        .join(Program, Program.id == Designation.program_id)
        .join(Entity, Entity.id == Designation.entity_id)
        .where(Entity.delisted_on.is_(None))
    ):
        programs[entity_id].append(code)
        if designated_on is not None:
            designated[entity_id].append(designated_on)
    rows = session.execute(
        sa.select(
            Entity.id,
            Entity.primary_name,
            Entity.kind,
            Entity.source_key,
            Entity.listing_date,
            ListSource.code,
            ListSource.label,
            ListSource.name,
        )
        .join(ListSource, ListSource.id == Entity.source_id)
        .where(Entity.delisted_on.is_(None))
    )
    return {
        entity_id: EntityCard(
            entity_id,
            name,
            kind.value,
            tuple(sorted(programs[entity_id])),
            source,
            key,
            source_label=label or source_name,
            listed_on=iso_date(min(designated[entity_id], default=listing_date)),
        )
        for entity_id, name, kind, key, listing_date, source, label, source_name in rows
    }


# Extra candidates asked of the matcher, so that folding a party's listings into one result
# still leaves as many results as asked for.
PARTY_SLACK = 8


def one_per_party(matches: Sequence[Match], parties: PartyMap, limit: int) -> list[Match]:
    """The best match of each party (the matches come best first), at most `limit`."""
    keys = keys_of(parties, [m.entity_id for m in matches])
    return best_per_party(matches, keys)[:limit]
