from __future__ import annotations

from pathlib import Path

import pytest

from watchlist.config import Settings, load_settings
from watchlist.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_come_from_default_toml_and_sqlite_path_is_made_absolute() -> None:
    settings = load_settings({})
    assert isinstance(settings, Settings)
    assert settings.database.url.startswith("sqlite:////")
    assert settings.database.url.endswith("/var/watchlist.db")
    assert settings.log.level == "INFO"


def test_config_file_then_environment_override(tmp_path: Path) -> None:
    config = write(tmp_path / "site.toml", '[database]\nurl = "sqlite:////tmp/a.db"\necho = true\n')
    settings = load_settings(
        {"WATCHLIST_CONFIG": str(config), "WATCHLIST_DATABASE_URL": "sqlite:////tmp/b.db"}
    )
    assert settings.database.echo is True
    assert settings.database.url == "sqlite:////tmp/b.db"


def test_environment_values_are_typed() -> None:
    settings = load_settings(
        {"WATCHLIST_DATABASE_BUSY_TIMEOUT_MS": "5", "WATCHLIST_LOG_LEVEL": "debug"}
    )
    assert settings.database.busy_timeout_ms == 5
    assert settings.log.level == "debug"


def test_settings_are_frozen() -> None:
    settings = load_settings({})
    with pytest.raises(AttributeError):
        settings.database.url = "x"  # type: ignore[misc]


def test_unrelated_prefixed_variables_are_ignored() -> None:
    load_settings({"WATCHLIST_TEST_DATABASE_URL": "postgresql://x", "WATCHLIST_DEBUG": "1"})


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"WATCHLIST_DATABASE_URLL": "x"}, "database.urll"),
        ({"WATCHLIST_DATABASE_ECHO": "maybe"}, "database.echo"),
        ({"WATCHLIST_DATABASE_BUSY_TIMEOUT_MS": "soon"}, "database.busy_timeout_ms"),
        ({"WATCHLIST_DATABASE_BUSY_TIMEOUT_MS": "-1"}, "database.busy_timeout_ms"),
        ({"WATCHLIST_LOG_LEVEL": "LOUD"}, "log.level"),
        ({"WATCHLIST_LOG_FORMAT": "xml"}, "log.format"),
        ({"WATCHLIST_WEB_METRICS": "maybe"}, "web.metrics"),
    ],
)
def test_bad_environment_names_the_key(environ: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings(environ)
    assert named in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[databse]\nurl = 'x'\n", "[databse]"),
        ("[database]\nport = 5432\n", "database.port"),
        ("[database]\nurl = 5\n", "database.url"),
        ("[database]\npool_size = 0\n", "database.pool_size"),
        ("[database\n", "not valid TOML"),
    ],
)
def test_bad_config_file_names_the_key(tmp_path: Path, text: str, named: str) -> None:
    config = write(tmp_path / "bad.toml", text)
    with pytest.raises(ConfigError) as error:
        load_settings({"WATCHLIST_CONFIG": str(config)})
    assert named in str(error.value)


def test_missing_config_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings({"WATCHLIST_CONFIG": str(tmp_path / "nope.toml")})


def test_matching_settings_mirror_the_engines_settings() -> None:
    import dataclasses

    from watchlist.config import MatchingSettings
    from watchlist.lookup import match_settings
    from watchlist.matching.model import MatchSettings

    assert dataclasses.asdict(match_settings(MatchingSettings())) == dataclasses.asdict(
        MatchSettings()
    )
    assert dataclasses.asdict(load_settings({}).matching) == dataclasses.asdict(MatchingSettings())
