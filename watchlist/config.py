"""Settings: the shipped `config/default.toml`, then the file named by WATCHLIST_CONFIG, then
environment.

Environment variables are named `WATCHLIST_<SECTION>_<KEY>` (for example
`WATCHLIST_DATABASE_URL`). Everything is loaded once into a frozen `Settings` object that callers
pass around; nothing reads settings at import time.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from watchlist import shipped
from watchlist.errors import ConfigError
from watchlist.matching.model import MatchSettings

# The shipped config/ (see watchlist.shipped): in a checkout, the project's own.
CONFIG_DIR = shipped.config_dir()
DEFAULT_CONFIG = CONFIG_DIR / "default.toml"
ENV_PREFIX = "WATCHLIST_"
# Variables with the prefix that are not settings of a section.
RESERVED_ENV = frozenset({"WATCHLIST_CONFIG"})


# The dashboard refuses to start with this key outside debug mode.
DEV_SECRET_KEY = "development-only-change-me"


@dataclasses.dataclass(frozen=True)
class DatabaseSettings:
    """Where the registry lives and how to talk to it."""

    url: str = ""  # empty: the SQLite file watchlist.db in paths.data_dir
    echo: bool = False
    busy_timeout_ms: int = 30_000
    pool_size: int = 5


@dataclasses.dataclass(frozen=True)
class PathsSettings:
    """Where the service keeps the files it writes (the SQLite database unless told otherwise)."""

    data_dir: str = "var"


@dataclasses.dataclass(frozen=True)
class LogSettings:
    """How much the service says."""

    level: str = "INFO"
    format: str = "text"


@dataclasses.dataclass(frozen=True)
class ListsSettings:
    """Where `watchlist lists update` fetches from, and how patiently."""

    sources_file: str = ""  # empty: the shipped config/sources.toml
    timeout_seconds: float = 60.0
    retries: int = 3
    backoff_seconds: float = 2.0
    max_download_mb: int = 512
    user_agent: str = "Watchlist/0.1 (sanctions list update)"
    max_removal_percent: float = 5.0


@dataclasses.dataclass(frozen=True)
class IntakeSettings:
    """How articles and feeds are fetched and how big they may be."""

    timeout_seconds: float = 20.0
    max_download_mb: int = 10
    max_text_chars: int = 1_000_000
    max_redirects: int = 5
    max_feed_items: int = 200
    allow_private_addresses: bool = False
    user_agent: str = "Watchlist/0.1 (sanctions news screening)"
    story_window_days: int = 7
    # Share of copy in common that makes a rewrite (see config/default.toml for the measurements).
    story_similarity: float = 0.4


@dataclasses.dataclass(frozen=True)
class ScanSettings:
    """The nightly scan job."""

    update_lists: bool = False
    fetch_feeds: bool = True
    rescreen_days: int = 30
    batch_size: int = 100
    workers: int = 1


@dataclasses.dataclass(frozen=True)
class NotifySettings:
    """Where new hits are reported after a scan (nothing is sent when left empty)."""

    smtp_host: str = ""
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_username: str = ""
    smtp_password: str = ""
    mail_from: str = "watchlist@localhost"
    mail_to: tuple[str, ...] = ()
    webhook_url: str = ""
    webhook_secret: str = ""
    timeout_seconds: float = 15.0


@dataclasses.dataclass(frozen=True)
class WebSettings:
    """The web service: REST API and dashboard, served by `watchlist serve`."""

    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 4
    threads: int = 2
    secret_key: str = DEV_SECRET_KEY
    secret_key_file: str = ""  # when set, replaces secret_key (relative: in paths.data_dir)
    debug: bool = False
    secure_cookies: bool = True
    session_hours: int = 12
    max_body_kb: int = 1024
    max_text_chars: int = 200_000
    max_batch: int = 100
    max_page_size: int = 200
    max_results: int = 50
    recheck_lists_seconds: float = 1.0
    request_budget_seconds: float = 10.0
    request_read_seconds: float = 10.0
    sign_in_failures: int = 5
    sign_in_address_failures: int = 20
    sign_in_window_minutes: int = 15
    proxy_count: int = 0
    metrics: bool = True
    metrics_token: str = ""


@dataclasses.dataclass(frozen=True)
class Settings:
    """All settings of the service; built by `load_settings`."""

    database: DatabaseSettings = dataclasses.field(default_factory=DatabaseSettings)
    paths: PathsSettings = dataclasses.field(default_factory=PathsSettings)
    log: LogSettings = dataclasses.field(default_factory=LogSettings)
    lists: ListsSettings = dataclasses.field(default_factory=ListsSettings)
    # The matcher's own settings class: its fields, defaults and their meaning live with it.
    matching: MatchSettings = dataclasses.field(default_factory=MatchSettings)
    intake: IntakeSettings = dataclasses.field(default_factory=IntakeSettings)
    scan: ScanSettings = dataclasses.field(default_factory=ScanSettings)
    notify: NotifySettings = dataclasses.field(default_factory=NotifySettings)
    web: WebSettings = dataclasses.field(default_factory=WebSettings)


_LOG_LEVELS = frozenset({"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"})
LOG_FORMATS = ("text", "json")


def load_settings(
    environ: Mapping[str, str] | None = None, *, base_dir: Path | None = None
) -> Settings:
    """Build settings from the default file, the WATCHLIST_CONFIG file and the environment.

    Relative paths in them are taken from `base_dir`: by default the project directory in a
    source checkout, the working directory when the package is installed.
    """
    env = os.environ if environ is None else environ
    raw: dict[str, dict[str, Any]] = {}
    _merge(raw, _read_toml(CONFIG_DIR / "default.toml"), "config/default.toml")
    if env.get("WATCHLIST_CONFIG"):
        path = Path(env["WATCHLIST_CONFIG"])
        _merge(raw, _read_toml(path), str(path))
    _merge(raw, _from_environment(env), "the environment")
    settings = _build(Settings, raw)
    _validate(settings)
    return _resolve_paths(settings, base_dir or shipped.checkout_dir() or Path.cwd())


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"Configuration file {path} does not exist.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Configuration file {path} is not valid TOML: {exc}.") from None
    except OSError as exc:
        raise ConfigError(f"Configuration file {path} cannot be read: {exc.strerror}.") from None


def _section_types() -> dict[str, type]:
    hints = typing.get_type_hints(Settings)
    return {field.name: hints[field.name] for field in dataclasses.fields(Settings)}


def _merge(into: dict[str, dict[str, Any]], layer: Mapping[str, Any], origin: str) -> None:
    sections = _section_types()
    for section, values in layer.items():
        if section not in sections:
            raise ConfigError(f"Unknown configuration section [{section}] in {origin}.")
        if not isinstance(values, Mapping):
            raise ConfigError(f"Configuration section [{section}] in {origin} must be a table.")
        known = {field.name for field in dataclasses.fields(sections[section])}
        for key, value in values.items():
            if key not in known:
                raise ConfigError(f"Unknown configuration key {section}.{key} in {origin}.")
            into.setdefault(section, {})[key] = value


def _from_environment(env: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Map WATCHLIST_<SECTION>_<KEY> variables onto sections; others are left alone."""
    layer: dict[str, dict[str, str]] = {}
    for name, value in env.items():
        if not name.startswith(ENV_PREFIX) or name in RESERVED_ENV:
            continue
        rest = name[len(ENV_PREFIX) :].lower()
        for section in _section_types():
            if rest.startswith(section + "_"):
                layer.setdefault(section, {})[rest[len(section) + 1 :]] = value
                break
    return layer


def _build(cls: type[Any], raw: Mapping[str, Any]) -> Any:
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        hint = hints[field.name]
        if dataclasses.is_dataclass(hint):
            values[field.name] = _build(typing.cast(type, hint), raw.get(field.name, {}))
        elif field.name in raw:
            values[field.name] = _coerce(cls, field.name, hint, raw[field.name])
    return cls(**values)


def _coerce(cls: type[Any], key: str, hint: Any, value: Any) -> Any:
    """Turn a TOML or environment value into the field's type, or say which key is wrong."""
    name = f"{_section_name(cls)}.{key}"
    origin = typing.get_origin(hint)
    try:
        if hint is bool:
            return _to_bool(value)
        if hint is int and not isinstance(value, bool):
            return int(value)
        if hint is float and not isinstance(value, bool):
            return float(value)
        if hint is str and isinstance(value, str):
            return value
        if origin is tuple:
            items = value.split(",") if isinstance(value, str) else list(value)
            return tuple(str(item).strip() for item in items if str(item).strip())
        if origin in (typing.Union, types.UnionType) and value in ("", None):
            return None
        if origin in (typing.Union, types.UnionType):
            inner = next(arg for arg in typing.get_args(hint) if arg is not type(None))
            return _coerce(cls, key, inner, value)
    except (TypeError, ValueError):
        pass
    raise ConfigError(f"Configuration key {name} has an invalid value {value!r}.")


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ValueError(value)


def _section_name(cls: type[Any]) -> str:
    for section, section_cls in _section_types().items():
        if section_cls is cls:
            return section
    return cls.__name__


def _validate(settings: Settings) -> None:
    if settings.log.level.upper() not in _LOG_LEVELS:
        raise ConfigError(
            f"Configuration key log.level has an invalid value {settings.log.level!r}; "
            f"use one of {', '.join(sorted(_LOG_LEVELS))}."
        )
    if settings.log.format not in LOG_FORMATS:
        raise ConfigError(
            f"Configuration key log.format has an invalid value {settings.log.format!r}; "
            f"use {' or '.join(LOG_FORMATS)}."
        )
    checks = {
        "database.busy_timeout_ms": settings.database.busy_timeout_ms >= 0,
        "database.pool_size": settings.database.pool_size >= 1,
        "lists.timeout_seconds": settings.lists.timeout_seconds > 0,
        "lists.retries": 0 <= settings.lists.retries <= 10,
        "lists.backoff_seconds": settings.lists.backoff_seconds >= 0,
        "lists.max_download_mb": settings.lists.max_download_mb >= 1,
        "lists.max_removal_percent": 0 <= settings.lists.max_removal_percent <= 100,
        "matching.threshold": 0 <= settings.matching.threshold <= 1,
        "matching.query_weight": 0 <= settings.matching.query_weight <= 1,
        "matching.max_candidates": settings.matching.max_candidates >= 1,
        "intake.timeout_seconds": settings.intake.timeout_seconds > 0,
        "intake.max_download_mb": settings.intake.max_download_mb >= 1,
        "intake.max_text_chars": settings.intake.max_text_chars >= 1000,
        "intake.story_similarity": 0 < settings.intake.story_similarity <= 1,
        "scan.rescreen_days": settings.scan.rescreen_days >= 0,
        "scan.batch_size": 1 <= settings.scan.batch_size <= 10_000,
        "scan.workers": 1 <= settings.scan.workers <= 64,
        "notify.smtp_port": 0 < settings.notify.smtp_port < 65536,
        "web.port": 0 < settings.web.port < 65536,
        "web.workers": 1 <= settings.web.workers <= 64,
        "web.threads": 1 <= settings.web.threads <= 256,
        "web.session_hours": settings.web.session_hours >= 1,
        "web.max_body_kb": settings.web.max_body_kb >= 1,
        "web.max_text_chars": settings.web.max_text_chars >= 1000,
        "web.max_batch": settings.web.max_batch >= 1,
        "web.max_page_size": settings.web.max_page_size >= 1,
        "web.max_results": settings.web.max_results >= 1,
        "web.recheck_lists_seconds": 0 <= settings.web.recheck_lists_seconds <= 3600,
        "web.request_budget_seconds": settings.web.request_budget_seconds > 0,
        "web.request_read_seconds": settings.web.request_read_seconds > 0,
        "web.sign_in_failures": settings.web.sign_in_failures >= 1,
        "web.sign_in_address_failures": settings.web.sign_in_address_failures >= 1,
        "web.sign_in_window_minutes": settings.web.sign_in_window_minutes >= 1,
        "web.proxy_count": 0 <= settings.web.proxy_count <= 5,
    }
    for key, ok in checks.items():
        if not ok:
            raise ConfigError(f"Configuration key {key} is out of range.")


def _resolve_paths(settings: Settings, base_dir: Path) -> Settings:
    """Make relative paths absolute, from `base_dir`; fill in the paths left empty."""
    data_dir = base_dir / Path(settings.paths.data_dir).expanduser()
    paths = dataclasses.replace(settings.paths, data_dir=str(data_dir))
    sources = settings.lists.sources_file
    sources_file = base_dir / sources if sources else CONFIG_DIR / "sources.toml"
    lists = dataclasses.replace(settings.lists, sources_file=str(sources_file))
    url = _database_url(settings.database.url, data_dir, base_dir)
    database = dataclasses.replace(settings.database, url=url)
    web = settings.web
    if web.secret_key_file:
        key_file = data_dir / Path(web.secret_key_file).expanduser()
        key = _read_secret_key(key_file)
        web = dataclasses.replace(web, secret_key=key, secret_key_file=str(key_file))
    return dataclasses.replace(settings, paths=paths, lists=lists, database=database, web=web)


def _read_secret_key(path: Path) -> str:
    try:
        key = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise ConfigError(f"Secret key file {path} (web.secret_key_file) does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise ConfigError(
            f"Secret key file {path} (web.secret_key_file) cannot be read: {reason}."
        ) from None
    if not key:
        raise ConfigError(f"Secret key file {path} (web.secret_key_file) is empty.")
    return key


def _database_url(url: str, data_dir: Path, base_dir: Path) -> str:
    """The URL with an absolute SQLite path; left empty, the SQLite file data_dir/watchlist.db."""
    prefix = "sqlite:///"
    if not url:
        return f"{prefix}{(data_dir / 'watchlist.db').as_posix()}"
    if url.startswith(prefix) and not url.startswith(prefix + "/"):
        relative = url[len(prefix) :]
        if relative and not relative.startswith(":memory:"):
            return f"{prefix}{(base_dir / relative).as_posix()}"
    return url
