"""Watchlist: a registry of sanctioned people and organisations, screened against the news."""

from pathlib import Path

from watchlist.compiled import install_guard

install_guard(Path(__file__).resolve().parent, __name__)
