from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from watchlist import shipped
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


def test_in_a_checkout_the_data_directory_is_the_projects_var() -> None:
    settings = load_settings({})
    assert settings.paths.data_dir == str(ROOT / "var")
    assert settings.database.url == f"sqlite:///{(ROOT / 'var' / 'watchlist.db').as_posix()}"
    assert Path(settings.lists.sources_file) == ROOT / "config" / "sources.toml"


def test_the_database_is_kept_in_the_data_directory(tmp_path: Path) -> None:
    settings = load_settings({"WATCHLIST_PATHS_DATA_DIR": str(tmp_path / "data")})
    assert settings.paths.data_dir == str(tmp_path / "data")
    assert settings.database.url == f"sqlite:///{(tmp_path / 'data/watchlist.db').as_posix()}"


def test_relative_paths_are_taken_from_the_base_directory(tmp_path: Path) -> None:
    environ = {
        "WATCHLIST_DATABASE_URL": "sqlite:///other/registry.db",
        "WATCHLIST_LISTS_SOURCES_FILE": "site/sources.toml",
    }
    settings = load_settings(environ, base_dir=tmp_path)
    assert settings.paths.data_dir == str(tmp_path / "var")
    assert settings.database.url == f"sqlite:///{(tmp_path / 'other/registry.db').as_posix()}"
    assert settings.lists.sources_file == str(tmp_path / "site/sources.toml")


def test_a_database_url_other_than_a_relative_sqlite_path_is_kept(tmp_path: Path) -> None:
    for url in ("postgresql+psycopg://watchlist@db/watchlist", "sqlite:///:memory:"):
        settings = load_settings({"WATCHLIST_DATABASE_URL": url}, base_dir=tmp_path)
        assert settings.database.url == url


def test_the_secret_key_file_is_read_from_the_data_directory(tmp_path: Path) -> None:
    write(tmp_path / "secret-key", "a-long-random-key\n")
    environ = {
        "WATCHLIST_PATHS_DATA_DIR": str(tmp_path),
        "WATCHLIST_WEB_SECRET_KEY_FILE": "secret-key",
    }
    settings = load_settings(environ)
    assert settings.web.secret_key == "a-long-random-key"
    assert settings.web.secret_key_file == str(tmp_path / "secret-key")


@pytest.mark.parametrize(("text", "says"), [(None, "does not exist"), ("\n", "is empty")])
def test_a_missing_or_empty_secret_key_file_is_a_clear_error(
    tmp_path: Path, text: str | None, says: str
) -> None:
    if text is not None:
        write(tmp_path / "secret-key", text)
    environ = {"WATCHLIST_WEB_SECRET_KEY_FILE": str(tmp_path / "secret-key")}
    with pytest.raises(ConfigError) as error:
        load_settings(environ)
    assert str(error.value) == (
        f"Secret key file {tmp_path / 'secret-key'} (web.secret_key_file) {says}."
    )


def test_the_shipped_files_are_the_checkouts_config_and_migrations() -> None:
    assert shipped.checkout_dir() == ROOT
    assert shipped.config_dir() == ROOT / "config"
    assert shipped.migrations_dir() == ROOT / "migrations"


def test_matching_settings_are_the_engines_settings() -> None:
    """The [matching] section is read into the matcher's own settings class, and the shipped
    config leaves every default to it."""
    from watchlist.matching.model import MatchSettings

    settings = load_settings({}).matching
    assert type(settings) is MatchSettings
    assert settings == MatchSettings()


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"WATCHLIST_MATCHING_THRESHOLD": "high"},
            "Configuration key matching.threshold has an invalid value 'high'.",
        ),
        (
            {"WATCHLIST_MATCHING_MAX_CANDIDATES": "0"},
            "Configuration key matching.max_candidates is out of range.",
        ),
        (
            {"WATCHLIST_MATCHING_THRESHOLDS": "0.8"},
            "Unknown configuration key matching.thresholds in the environment.",
        ),
    ],
)
def test_bad_matching_settings_are_one_sentence_config_errors(
    environ: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings(environ)
    assert str(error.value) == message


def test_settings_cross_to_a_worker_process_unchanged() -> None:
    """The scan hands its settings to spawned workers by pickling them; the matcher's settings
    class is compiled with the core and frozen, so it must say how it is rebuilt."""
    import pickle

    settings = load_settings({"WATCHLIST_MATCHING_THRESHOLD": "0.75"})
    assert pickle.loads(pickle.dumps(settings)) == settings
    assert pickle.loads(pickle.dumps(settings.matching)).threshold == 0.75
