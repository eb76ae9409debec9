"""Text preparation and name finding: pure functions over text; no SQL, no IO."""

from watchlist.compiled import guard_core

guard_core()  # before any module of the compiled core is imported (see watchlist/compiled.py)
