"""Extension build: the compiled core (see watchlist/compiled.py).

With WATCHLIST_COMPILE=1, mypyc compiles every module of watchlist/matching and
watchlist/extract, and the C modules beside them (the text scanners) are built
(`make compile` runs `setup.py build_ext --inplace` so); otherwise, as in a plain
`pip install`, the project installs as pure Python. The rest of the metadata lives in
pyproject.toml.
"""

import os
from pathlib import Path

from setuptools import Extension, setup

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


setup(ext_modules=compiled_core())
