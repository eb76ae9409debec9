"""Installed as a package: a real wheel in a fresh virtualenv, run from an unrelated directory.

Building the wheel and installing it takes about half a minute, the commands as long again; the
test needs no network. The wheel is built from a copy of the files the build reads (so the
checkout gets no build/ directory) without the compiled core (WATCHLIST_COMPILE=0). The new
virtualenv reaches the dependencies through a .pth file naming this environment's
site-packages directories, so pip installs the wheel alone (--no-deps --no-index); it does not
process that environment's .pth files, so the checkout itself is not importable from it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.web.conftest import TEST_SECRET, free_port, get, wait_ready

pytestmark = pytest.mark.wheel

# What the build reads: the metadata, the packages, and the shipped config/ and migrations/.
BUILD_INPUTS = (
    *("pyproject.toml", "setup.py", "README.md"),
    *("watchlist", "web"),
    *("config", "migrations"),
)
CONS_LIST = ROOT / "data/ofac/nonsdn_consolidated_legacy_csv"


def build_wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    skip = shutil.ignore_patterns("__pycache__", "*.so", "*.egg-info")
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=skip)
        else:
            shutil.copy2(ROOT / name, source / name)
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index",
         "--no-build-isolation", "--wheel-dir", str(dist), str(source)],
        env=os.environ | {"WATCHLIST_COMPILE": "0"})  # fmt: skip
    (wheel,) = dist.glob("watchlist-*.whl")
    return wheel


def make_virtualenv(tmp_path: Path, wheel: Path) -> Path:
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    purelib = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site_packages = run([str(python), "-c", purelib]).strip()
    here = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    Path(site_packages, "_dependencies.pth").write_text("\n".join(sorted(here)) + "\n")
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
         "--no-index", str(wheel)])  # fmt: skip
    return venv


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh virtualenv with the wheel installed, shared by this module's tests."""
    tmp_path = tmp_path_factory.mktemp("wheel")
    yield make_virtualenv(tmp_path, build_wheel(tmp_path))
    shutil.rmtree(tmp_path)


def run(args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    result = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return result.stdout


def operator_environment(**extra: str) -> dict[str, str]:
    """This environment without any Watchlist setting, nor a way back into the checkout."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("WATCHLIST_") and name not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    return env | extra


def test_the_wheel_installs_and_runs_from_an_unrelated_directory(
    venv: Path, tmp_path: Path
) -> None:
    watchlist = str(venv / "bin" / "watchlist")
    work = tmp_path / "work"
    work.mkdir()
    env = operator_environment()

    where = "import watchlist.shipped, web; print(watchlist.shipped.__file__, web.__file__)"
    imported = run([str(venv / "bin" / "python"), "-c", where], env=env, cwd=work)
    assert all(Path(path).is_relative_to(venv) for path in imported.split())

    run([watchlist, "db", "upgrade"], env=env, cwd=work)
    assert (work / "var" / "watchlist.db").is_file()  # the default data directory: ./var
    assert "programs written" in run([watchlist, "seed"], env=env, cwd=work)
    run([watchlist, "lists", "import", "ofac-cons-csv", str(CONS_LIST)], env=env, cwd=work)
    assert "us_ofac_cons" in run([watchlist, "lists", "status"], env=env, cwd=work)

    (work / "var" / "secret-key").write_text(TEST_SECRET + "\n")
    port = free_port()
    serve_env = env | {"WATCHLIST_WEB_SECRET_KEY_FILE": "secret-key"}  # in the data directory
    args = [watchlist, "serve", "--port", str(port), "--workers", "1", "--threads", "2"]
    server = subprocess.Popen(args, env=serve_env, cwd=work, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        wait_ready(port, server)  # /readyz: the database answers and the index is built
        assert get(port, "/healthz") == (200, {"status": "ok"})
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=30)


def test_the_installed_package_reports_bad_input_in_one_line(venv: Path, tmp_path: Path) -> None:
    watchlist = str(venv / "bin" / "watchlist")
    data_dir = tmp_path / "data"
    env = operator_environment(WATCHLIST_PATHS_DATA_DIR=str(data_dir))
    run([watchlist, "db", "upgrade"], env=env, cwd=tmp_path)
    assert (data_dir / "watchlist.db").is_file()

    missing = subprocess.run([watchlist, "lists", "import", "ofac-cons-csv", "no-such-folder"],
                             env=env, cwd=tmp_path, capture_output=True, text=True,
                             timeout=120)  # fmt: skip
    bad_setting = subprocess.run([watchlist, "db", "current"], cwd=tmp_path,
                                 env=env | {"WATCHLIST_DATABASE_ECHO": "maybe"},
                                 capture_output=True, text=True, timeout=120)  # fmt: skip
    # The import says what it reads on standard error first; then the error, in one line.
    assert missing.returncode == 65
    assert missing.stderr.splitlines()[-1] == "error: List file no-such-folder does not exist."
    assert "Traceback" not in missing.stderr
    assert bad_setting.returncode == 78
    assert bad_setting.stderr == (
        "error: Configuration key database.echo has an invalid value 'maybe'.\n"
    )
