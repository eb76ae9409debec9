"""Name matching: pure functions over names and settings; no SQL, no IO."""

from watchlist.compiled import guard_core

guard_core()  # before any module of the compiled core is imported (see watchlist/compiled.py)
