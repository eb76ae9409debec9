"""The files the service ships besides its code: default settings, list sources, seed, migrations.

In a source checkout they are the project's own `config/` and `migrations/` directories. An
installed wheel carries them inside the package, as `watchlist/_shipped/config` and
`watchlist/_shipped/migrations` (setup.py maps them there), found through importlib.resources.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from watchlist.errors import ConfigError

# The directory holding pyproject.toml, config/ and migrations/ in a source checkout; in an
# installed package, the site-packages directory (which holds none of them).
_PARENT_DIR = Path(__file__).resolve().parent.parent


def checkout_dir() -> Path | None:
    """The source checkout the package runs from, or None when it is installed as a wheel."""
    if (_PARENT_DIR / "pyproject.toml").is_file() and (_PARENT_DIR / "config").is_dir():
        return _PARENT_DIR
    return None


def config_dir() -> Path:
    """The shipped `config/`: default.toml, sources.toml and the seed."""
    return _shipped("config")


def migrations_dir() -> Path:
    """The shipped `migrations/`: Alembic's environment and the schema's revisions."""
    return _shipped("migrations")


def _shipped(name: str) -> Path:
    packaged = resources.files("watchlist") / "_shipped" / name
    if packaged.is_dir():
        if not isinstance(packaged, Path):
            raise ConfigError(
                f"Watchlist's {name} files are inside an archive; install the package as files."
            )
        return packaged
    checkout = checkout_dir()
    if checkout is not None and (checkout / name).is_dir():
        return checkout / name
    raise ConfigError(f"Watchlist's {name} files are missing from its installation; reinstall it.")
