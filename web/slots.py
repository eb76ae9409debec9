"""How many heavy requests (texts to screen) one worker process takes on at once.

A worker has `web.threads` threads; a text being screened holds one of them for up to the
request budget. Heavy requests get one thread fewer than there are (at least one), so a lookup
always finds a thread free; a heavy request beyond that is turned away at once with 503.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from watchlist.errors import BusyError


class HeavySlots:
    """A fixed number of places for heavy requests in this process."""

    def __init__(self, threads: int) -> None:
        self.count = max(1, threads - 1)
        self._free = threading.BoundedSemaphore(self.count)

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Take a place for the block, or raise `BusyError` when none is free."""
        if not self._free.acquire(blocking=False):
            raise BusyError(
                "This server is screening as many texts at once as it takes; try again shortly."
            )
        try:
            yield
        finally:
            self._free.release()
