"""Watchlist: a registry of sanctioned people and organisations, screened against the news."""
