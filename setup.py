"""Extension build: the compiled core (see watchlist/compiled.py).

With WATCHLIST_COMPILE=1, mypyc compiles every module of watchlist/matching and
watchlist/extract, and the C modules beside them (the text scanners) are built
(`make compile` runs `setup.py build_ext --inplace` so); otherwise, as in a plain
`pip install`, the project installs as pure Python.

The files the service reads at run time live at the top of the project, `config/` (the default
settings, the list sources, the seed) and `migrations/`; a wheel carries them inside the
package as `watchlist/_shipped/config` and `watchlist/_shipped/migrations`, which
watchlist/shipped.py finds through importlib.resources. The rest of the metadata, and which of
their files are shipped (package-data), lives in pyproject.toml.
"""

import os
from pathlib import Path

from setuptools import Extension, find_packages, setup

# Shipped package -> its directory in the project.
SHIPPED = {
    "watchlist._shipped.config": "config",
    "watchlist._shipped.config.seed": "config/seed",
    "watchlist._shipped.migrations": "migrations",
    "watchlist._shipped.migrations.versions": "migrations/versions",
}

COMPILED = [
    str(path)
    for package in ("matching", "extract")
    for path in sorted(Path("watchlist", package).glob("*.py"))
    if path.name != "__init__.py"
]
# The core's C modules: watchlist/extract/_scan.c -> watchlist.extract._scan
NATIVE = [
    path
    for package in ("matching", "extract")
    for path in sorted(Path("watchlist", package).glob("*.c"))
]


def compiled_core() -> list[object]:
    if os.environ.get("WATCHLIST_COMPILE") != "1":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        raise SystemExit("compiling the core needs mypy (pip install -e '.[dev]')") from None
    native = [
        Extension(".".join(path.with_suffix("").parts), [str(path)], extra_compile_args=["-O3"])
        for path in NATIVE
    ]
    return list(mypycify(COMPILED, group_name="watchlist._core", opt_level="3")) + native


setup(
    packages=find_packages(include=["watchlist*", "web*"]) + list(SHIPPED),
    package_dir=SHIPPED,
    ext_modules=compiled_core(),
)
