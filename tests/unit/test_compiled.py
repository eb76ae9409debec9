"""The compiled core never runs older than its source, and runs exactly like it."""

from __future__ import annotations

import ast
import importlib
import importlib.machinery
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from watchlist.compiled import (
    core_modules,
    install_guard,
    is_compiled,
    native_modules,
    stale_sources,
)

SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]


def _package(root: Path, name: str) -> Path:
    """A package `name` whose core module `matching.rules` has source and an 'extension'.

    The extension is junk: importing it fails, so an import that succeeds came from source.
    """
    package = root / name
    (package / "matching").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "matching" / "__init__.py").write_text("")
    (package / "matching" / "rules.py").write_text("ORIGIN = 'source'\n")
    (package / "matching" / f"rules{SUFFIX}").write_bytes(b"not a shared object")
    return package


def _age(path: Path, seconds: int) -> None:
    stat = path.stat()
    os.utime(path, (stat.st_atime - seconds, stat.st_mtime - seconds))


def test_a_source_edited_after_compiling_is_stale(tmp_path: Path) -> None:
    package = _package(tmp_path, "fresh_core")
    modules = core_modules(package, "fresh_core")
    source, extension = modules["fresh_core.matching.rules"]
    assert extension is not None and extension.name == f"rules{SUFFIX}"
    _age(source, 60)
    assert stale_sources(modules) == []
    _age(extension, 120)
    assert stale_sources(modules) == [source]


def test_a_stale_core_is_imported_from_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    package = _package(tmp_path, "stale_core")
    _age(package / "matching" / f"rules{SUFFIX}", 120)
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("WATCHLIST_INTERPRETED", raising=False)

    install_guard(package, "stale_core")

    module = importlib.import_module("stale_core.matching.rules")
    assert module.ORIGIN == "source" and not is_compiled(module)
    assert "older than stale_core/matching/rules.py" in caplog.text


def test_a_fresh_core_is_left_to_the_extensions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _package(tmp_path, "fresh_core_junk")
    _age(package / "matching" / "rules.py", 120)
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("WATCHLIST_INTERPRETED", raising=False)

    install_guard(package, "fresh_core_junk")

    with pytest.raises(ImportError):  # the junk extension wins over the source
        importlib.import_module("fresh_core_junk.matching.rules")


def test_an_installed_core_is_left_to_the_extensions_whatever_the_file_dates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _package(tmp_path, "installed_core")
    (package / "_shipped").mkdir()  # as in a wheel: pip dates the files as it writes them
    _age(package / "matching" / f"rules{SUFFIX}", 120)
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("WATCHLIST_INTERPRETED", raising=False)

    install_guard(package, "installed_core")

    with pytest.raises(ImportError):  # the junk extension wins over the source
        importlib.import_module("installed_core.matching.rules")


def test_interpreted_on_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = _package(tmp_path, "asked_core")
    _age(package / "matching" / "rules.py", 120)
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("WATCHLIST_INTERPRETED", "1")

    install_guard(package, "asked_core")

    assert importlib.import_module("asked_core.matching.rules").ORIGIN == "source"


def _with_native(package: Path) -> tuple[Path, Path]:
    """A C module `extract._scan` of the package: its source and a junk 'extension'."""
    (package / "extract").mkdir()
    (package / "extract" / "__init__.py").write_text("")
    source = package / "extract" / "_scan.c"
    source.write_text("/* C */\n")
    extension = package / "extract" / f"_scan{SUFFIX}"
    extension.write_bytes(b"not a shared object")
    return source, extension


def test_a_c_module_edited_after_compiling_makes_the_core_run_from_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    package = _package(tmp_path, "stale_native")
    _age(package / "matching" / "rules.py", 120)
    source, extension = _with_native(package)
    _age(extension, 60)
    assert native_modules(package, "stale_native") == {
        "stale_native.extract._scan": (source, extension)
    }
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("WATCHLIST_INTERPRETED", raising=False)
    try:
        install_guard(package, "stale_native")
        assert "older than stale_native/extract/_scan.c" in caplog.text
        assert importlib.import_module("stale_native.matching.rules").ORIGIN == "source"
        assert sys.modules["stale_native.extract._scan"] is None  # never imported
        with pytest.raises(ImportError):
            importlib.import_module("stale_native.extract._scan")
    finally:
        sys.modules.pop("stale_native.extract._scan", None)


def test_a_c_module_is_not_imported_when_the_core_runs_from_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _package(tmp_path, "asked_native")
    _age(package / "matching" / "rules.py", 120)
    source, _ = _with_native(package)
    _age(source, 120)
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("WATCHLIST_INTERPRETED", "1")
    try:
        install_guard(package, "asked_native")
        assert sys.modules["asked_native.extract._scan"] is None
    finally:
        sys.modules.pop("asked_native.extract._scan", None)


_GUARD_PLACE = """
import json, sys
import watchlist, watchlist.errors, watchlist.timestamps
before = [type(finder).__name__ for finder in sys.meta_path]
import watchlist.matching.model as model
from watchlist.compiled import is_compiled
after = [type(finder).__name__ for finder in sys.meta_path]
print(json.dumps({"before": before, "after": after, "compiled": is_compiled(model)}))
"""


def test_the_core_guards_itself_and_importing_watchlist_leaves_imports_alone() -> None:
    """The guard is installed as the core's packages are imported, before any of their modules
    (whatever the way in: a spawned scan worker runs no entry point), and only then."""
    env = os.environ | {"WATCHLIST_INTERPRETED": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _GUARD_PLACE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout)
    assert "_SourceFinder" not in found["before"]
    assert not found["compiled"]
    compiled = any(
        extension for _, extension in core_modules(ROOT / "watchlist", "watchlist").values()
    )
    assert ("_SourceFinder" in found["after"]) == compiled


_SCREEN_SEEDS = """
import dataclasses, json, sys
from pathlib import Path
from watchlist.compiled import is_compiled
from watchlist.extract.screen import screen_text
from watchlist.matching.model import MatchSettings
from watchlist.screening.matchers import new_matcher
from watchlist.screening.records import records_from_list
from watchlist.sources import formats
import watchlist.matching.scoring as scoring
listed = formats.parse(formats.read_local("ofac-csv", Path(sys.argv[1])))
matcher = new_matcher(*records_from_list(listed), MatchSettings())
hits = [dataclasses.asdict(h) for p in sys.argv[2:] for h in screen_text(open(p).read(), matcher)]
print(json.dumps({"compiled": is_compiled(scoring), "hits": hits}))
"""


@pytest.mark.slow
@pytest.mark.skipif(
    not any(extension for _, extension in core_modules(ROOT / "watchlist", "watchlist").values()),
    reason="the core is not compiled here (no C compiler, or WATCHLIST_COMPILE=0)",
)
def test_compiled_and_interpreted_cores_screen_alike() -> None:
    articles = sorted(str(p) for p in (ROOT / "tests/fixtures/articles").glob("*.txt"))
    runs = {}
    for interpreted in ("0", "1"):
        env = os.environ | {"WATCHLIST_INTERPRETED": interpreted}
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                _SCREEN_SEEDS,
                str(ROOT / "data/ofac/sdn_legacy_csv"),
                *articles,
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        runs[interpreted] = json.loads(done.stdout)
    assert runs["0"]["compiled"], "the compiled core is out of date: run `make compile`"
    assert not runs["1"]["compiled"]
    assert runs["0"]["hits"] == runs["1"]["hits"]
    assert len(runs["0"]["hits"]) >= 5


# Built once per matcher or per request: the interpreter's constructor costs nothing there.
_BUILT_ONCE = {"MatchSettings", "Rarity"}


def _dataclasses_of(source: Path) -> list[ast.ClassDef]:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    return [
        node
        for node in tree.body
        if isinstance(node, ast.ClassDef)
        and any("dataclass" in ast.unparse(d) for d in node.decorator_list)
    ]


def _fields(cls: ast.ClassDef) -> list[tuple[str, str | None]]:
    """(name, default as written) of each field, in order."""
    return [
        (node.target.id, ast.unparse(node.value) if node.value else None)
        for node in cls.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    ]


def _parameters(init: ast.FunctionDef) -> list[tuple[str, str | None]]:
    """(name, default as written) of each parameter after `self`, in order."""
    names = [arg.arg for arg in init.args.args[1:]]
    defaults = [None] * (len(names) - len(init.args.defaults))
    defaults += [ast.unparse(d) for d in init.args.defaults]
    return list(zip(names, defaults, strict=True))


def _assigned(init: ast.FunctionDef) -> list[str]:
    """The fields `object.__setattr__(self, "field", field)` sets, in order."""
    return [
        call.args[1].value
        for statement in init.body
        if isinstance(statement, ast.Expr) and isinstance(call := statement.value, ast.Call)
        if ast.unparse(call.func) == "object.__setattr__"
        and isinstance(call.args[1], ast.Constant)
        and ast.unparse(call.args[2]) == call.args[1].value
    ]


def test_core_value_classes_write_their_constructor_out() -> None:
    """mypyc compiles a written `__init__`, while the one `dataclasses` generates runs in the
    interpreter, some 25 times slower: every value class of the core built per name or per
    text writes it out, taking and setting every field, with the field's default."""
    checked = []
    for source, _ in core_modules(ROOT / "watchlist", "watchlist").values():
        for cls in _dataclasses_of(source):
            if cls.name in _BUILT_ONCE:
                continue
            inits = [n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"]
            assert inits, f"{source.name}: {cls.name} leaves its __init__ to dataclasses"
            fields = _fields(cls)
            assert _parameters(inits[0]) == fields, f"{cls.name}.__init__ differs from its fields"
            assert _assigned(inits[0]) == [name for name, _ in fields], f"{cls.name}.__init__"
            checked.append(cls.name)
    assert {"Token", "Word", "Span", "Match", "TextHit"} <= set(checked)
