"""The one error hierarchy of the core.

Every error a user can cause is a `WatchlistError` with a one-sentence message. The CLI maps each
class to an exit code (see `EXIT_CODES`), the web layer to an HTTP status; nothing else does.
"""

from __future__ import annotations


class WatchlistError(Exception):
    """Base of every error the service reports to a user."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(WatchlistError):
    """The settings are invalid: an unknown key, a bad value, an unreadable file."""

    exit_code = 78  # EX_CONFIG


class DatabaseError(WatchlistError):
    """The database cannot be reached or is not in the expected state."""

    exit_code = 69  # EX_UNAVAILABLE


class NotFoundError(WatchlistError):
    """A requested record does not exist."""

    exit_code = 3


class InputError(WatchlistError):
    """Input given by the user (a file, a name, a URL) cannot be used."""

    exit_code = 65  # EX_DATAERR


class ListFormatError(InputError):
    """A sanctions-list file is malformed or of the wrong format."""


class ListRefusedError(InputError):
    """A list version would remove more than is plausible; it was recorded, not applied."""


class FetchError(WatchlistError):
    """A download failed: network error, bad status, oversized body."""

    exit_code = 75  # EX_TEMPFAIL


class UpdateFailedError(WatchlistError):
    """Some configured lists could not be updated; the exit code is the first failure's."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class OverBudgetError(WatchlistError):
    """Work ran past its time budget and was stopped; it may succeed later or when smaller."""

    exit_code = 75  # EX_TEMPFAIL


class BusyError(WatchlistError):
    """Another process holds the lock this operation needs."""

    exit_code = 73  # EX_CANTCREAT


class ConflictError(InputError):
    """The request clashes with what is stored: a name already taken, a rule already there."""


class AuthenticationError(WatchlistError):
    """The credentials are missing, unknown, revoked or wrong."""

    exit_code = 77  # EX_NOPERM


class PermissionDeniedError(WatchlistError):
    """The user or key is known but may not do this."""

    exit_code = 77  # EX_NOPERM
