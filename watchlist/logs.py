"""How the service writes its log: plain lines, or one JSON object per line (`log.format`).

A JSON line holds `timestamp` (RFC 3339 in UTC with `Z`, to the millisecond), `level`,
`logger`, `message` and `process`, `exception` when there is a traceback, and whatever fields
the call passed in `extra={"fields": {...}}` (the access log's request fields).
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from watchlist.config import LogSettings

TEXT_FORMAT = "%(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "timestamp": timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update({k: v for k, v in fields.items() if k not in line})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            line["exception"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def timestamp(created: float) -> str:
    """`2026-12-05T16:01:28.123Z`: a record's time, RFC 3339 in UTC to the millisecond."""
    moment = dt.datetime.fromtimestamp(created, dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def formatter(settings: LogSettings) -> logging.Formatter:
    """The formatter `log.format` asks for."""
    return JsonFormatter() if settings.format == "json" else logging.Formatter(TEXT_FORMAT)


def configure(settings: LogSettings) -> None:
    """Send the log to standard error at `log.level`, in `log.format`."""
    handler = logging.StreamHandler()
    handler.setFormatter(formatter(settings))
    logging.basicConfig(level=settings.level.upper(), handlers=[handler])
    logging.getLogger("alembic").setLevel(logging.WARNING)
