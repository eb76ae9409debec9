"""Time budgets: a deadline checked between the steps of a request, and work run in a
disposable child process that is stopped when its budget runs out.

The compiled matching core holds the GIL for as long as one call runs: a thread screening a
long text can neither be interrupted nor even waited for with a timeout by another thread of
the same process. A forked child can be killed. It starts as a copy of this process (the match
index comes with it, shared copy-on-write), runs at the lowest CPU priority so the requests
around it (lookups) come first, sends its result back through a pipe and exits; the parent
waits without holding the GIL, so its other threads go on answering.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
import warnings
from collections.abc import Callable
from typing import NoReturn, TypeVar

from watchlist.errors import OverBudgetError, WatchlistError

T = TypeVar("T")

# Screening in a child yields the CPU to everything else (lookups above all) when both want it;
# tests/web/test_stress.py measures lookups while such children run.
CHILD_NICENESS = 19
# Signals the child must not handle as its parent does (a server's shutdown handlers).
_RESET_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT, signal.SIGHUP, signal.SIGUSR1,
                  signal.SIGUSR2, signal.SIGWINCH)  # fmt: skip


class Deadline:
    """A point in time a request's steps must finish by."""

    def __init__(self, seconds: float, what: str) -> None:
        self.seconds = seconds
        self.what = what
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left, never below zero."""
        return max(0.0, self.at - time.monotonic())

    def check(self) -> None:
        """Raise `OverBudgetError` once the deadline has passed."""
        if time.monotonic() >= self.at:
            raise self.exceeded()

    def exceeded(self) -> OverBudgetError:
        """The error saying the budget ran out."""
        return OverBudgetError(
            f"{self.what} took longer than its budget of {self.seconds:g} s "
            "(web.request_budget_seconds) and was stopped; try again later, or send less."
        )


def run_within(work: Callable[[], T], deadline: Deadline) -> T:
    """`work()` in a child process; its result, or `OverBudgetError` (the child killed) when
    the deadline passes first. `work` must return a picklable value."""
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns about forking a threaded process: the child may inherit a lock
        # another thread held. It runs only `work` (pure computation) and leaves by os._exit.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(work, write_end)
    os.close(write_end)
    try:
        payload = _receive(read_end, deadline)
    except OverBudgetError:
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    outcome, value = pickle.loads(payload)
    if outcome == "error":
        raise value
    return value  # type: ignore[no-any-return]


def _child(work: Callable[[], object], write_end: int) -> NoReturn:
    """Run `work`, send ("ok", result) or ("error", exception), and exit without cleanup."""
    code = 0
    try:
        for number in _RESET_SIGNALS:
            signal.signal(number, signal.SIG_DFL)
        os.nice(CHILD_NICENESS)
        payload = pickle.dumps(("ok", work()))
    except BaseException as error:  # whatever happens, the parent must hear of it
        payload = pickle.dumps(("error", _portable(error)))
        code = 1
    try:
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(code)


def _portable(error: BaseException) -> Exception:
    """The error as the parent can receive it (a core error as itself, anything else as text)."""
    if isinstance(error, WatchlistError) and type(error).__init__ is WatchlistError.__init__:
        return error
    return RuntimeError(f"{type(error).__name__}: {error}")


def _receive(read_end: int, deadline: Deadline) -> bytes:
    """Everything the child writes, until it closes the pipe or the deadline passes."""
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([read_end], [], [], deadline.remaining())
        if not ready:
            raise deadline.exceeded()
        chunk = os.read(read_end, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    if not chunks:
        raise RuntimeError("the screening process ended without an answer")
    return b"".join(chunks)
