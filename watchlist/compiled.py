"""The compiled core: `watchlist.matching` and `watchlist.extract` built with mypyc.

`make compile` (part of `make install`, `make test` and `make run`) compiles the modules of
those two packages in place, from the same typed source: the extension modules sit beside
their `.py` files, and Python imports an extension before its source. They must never run
older than their source, so the two packages check them as they are imported (`guard_core`,
called from their `__init__`, before any of their modules loads: whatever the way in, the
command line, the web server, a spawned scan worker, a test or a benchmark): when any source
is newer than its compiled module, or WATCHLIST_INTERPRETED=1 is set, every module of the
core is imported from source instead (all of them: compiled modules call each other
directly, so a mix would run old code). The core's C modules (`extract/_scan.c`, the text
scanners) are checked against their C sources the same way and, when the core runs from
source, are not imported at all: their callers then run their own Python, which gives the
same results. Nothing is compiled without a C compiler or with WATCHLIST_COMPILE=0; the core
then runs interpreted, with the same results, more slowly.

The core is written for the compiler in a few places, for speed, and this is the one place
that says why:
- Its immutable value classes (tokens, names, words, spans, matches) are marked
  `@mypyc_attr(acyclic=True)`: they cannot form reference cycles, so the cyclic garbage
  collector need not track them (for the interpreter the mark does nothing).
- Those built per name or per text write their `__init__` out
  (`object.__setattr__(self, "field", field)` for each field, which mypyc turns into a plain
  store): the `__init__` that `dataclasses` generates is Python made at run time, so it runs
  in the interpreter, some 20 times slower to build an object, and screening builds hundreds
  of them per article (measured in the README, "Speed: the compiled core"). The dataclass
  decorator still gives them equality, hashing, `repr` and `dataclasses.replace`; a test
  keeps each written `__init__` in step with its fields.
- Sums are written `sum((... for ...), 0.0)` and small merges as loops: mypyc compiles a
  generator given to `sum` with a float start, and a loop, into plain C.
- The scoring rules are called one by one, not taken from a table: mypyc calls a compiled
  function directly, one taken from a table through the interpreter.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import logging
import os
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

COMPILED_PACKAGES = ("matching", "extract")
INTERPRETED_VARIABLE = "WATCHLIST_INTERPRETED"

logger = logging.getLogger(__name__)


def core_modules(package_dir: Path, package: str) -> dict[str, tuple[Path, Path | None]]:
    """Module name -> (its source, its compiled extension or None), for the compiled packages
    under `package_dir` (the directory of the package named `package`)."""
    return _modules(package_dir, package, "*.py")


def native_modules(package_dir: Path, package: str) -> dict[str, tuple[Path, Path | None]]:
    """Module name -> (its C source, its extension or None), for the C modules of the compiled
    packages (the text scanners, `extract/_scan.c`)."""
    return _modules(package_dir, package, "*.c")


def _modules(package_dir: Path, package: str, sources: str) -> dict[str, tuple[Path, Path | None]]:
    found: dict[str, tuple[Path, Path | None]] = {}
    for sub in COMPILED_PACKAGES:
        for source in sorted((package_dir / sub).glob(sources)):
            if source.name == "__init__.py":
                continue
            extensions = [
                source.with_name(source.stem + suffix)
                for suffix in importlib.machinery.EXTENSION_SUFFIXES
            ]
            extension = next((path for path in extensions if path.exists()), None)
            found[f"{package}.{sub}.{source.stem}"] = (source, extension)
    return found


def stale_sources(modules: dict[str, tuple[Path, Path | None]]) -> list[Path]:
    """Sources edited after their module was compiled (none when nothing is compiled)."""
    return [
        source
        for source, extension in modules.values()
        if extension is not None and source.stat().st_mtime > extension.stat().st_mtime
    ]


def is_compiled(module: ModuleType) -> bool:
    """Whether an imported module is a compiled extension rather than Python source."""
    return not (module.__file__ or "").endswith(".py")


class _SourceFinder(importlib.abc.MetaPathFinder):
    """Imports the core's modules from their `.py` files, ahead of their extensions."""

    def __init__(self, sources: dict[str, Path]) -> None:
        self.sources = sources

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        source = self.sources.get(fullname)
        return None if source is None else importlib.util.spec_from_file_location(fullname, source)


def guard_core() -> None:
    """`install_guard` for this package's core, once per process (the core's packages call it
    as they are imported)."""
    global _guarded
    if _guarded:
        return
    _guarded = True
    install_guard(Path(__file__).resolve().parent, __name__.rpartition(".")[0])


_guarded = False


def install_guard(package_dir: Path, package: str) -> None:
    """Run the core from source when asked to, or when its compiled modules are out of date."""
    modules = core_modules(package_dir, package)
    native = native_modules(package_dir, package)
    if not any(extension for _, extension in (modules | native).values()):
        return
    # An installed wheel's modules come from one build, and pip dates its files at installation,
    # in no useful order: only a checkout (a wheel has _shipped/, see watchlist/shipped.py) can
    # hold a source edited after compiling.
    installed = (package_dir / "_shipped").is_dir()
    stale = [] if installed else stale_sources(modules | native)
    if os.environ.get(INTERPRETED_VARIABLE) != "1":
        if not stale:
            return
        logger.warning(
            "the compiled core is older than %s: running it from source (slower) until "
            "`make compile` rebuilds it",
            stale[0].relative_to(package_dir.parent),
        )
    sources = {name: source for name, (source, _) in modules.items()}
    sys.meta_path.insert(0, _SourceFinder(sources))
    for name in native:  # their Python callers fall back on their own code
        sys.modules[name] = None  # type: ignore[assignment]  # importing it raises ImportError
