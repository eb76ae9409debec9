"""`watchlist serve`: gunicorn on loopback, as an operator starts it."""

from __future__ import annotations

import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.web.conftest import (
    COMMAND,
    TEST_SECRET,
    environment,
    free_port,
    get,
    make_key,
    wait_ready,
)
from watchlist.config import Settings


@pytest.fixture
def server(empty_settings: Settings, tmp_path: Path) -> Iterator[tuple[int, Settings, str, Path]]:
    port = free_port()
    home = tmp_path / "home"  # the service must leave the operator's home alone
    home.mkdir()
    env = environment(empty_settings, WATCHLIST_WEB_SECRET_KEY=TEST_SECRET, HOME=str(home))
    env.pop("XDG_RUNTIME_DIR", None)
    args = [*COMMAND, "--port", str(port), "--workers", "1", "--threads", "2"]
    process = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        wait_ready(port, process)
        assert process.stdout is not None
        yield port, empty_settings, process.stdout.readline(), home
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)


def test_serve_answers_over_http_and_becomes_ready_without_a_request(
    server: tuple[int, Settings, str, Path],
) -> None:
    port, settings, announced, home = server
    assert announced.startswith(f"Dashboard: http://127.0.0.1:{port}/   REST API: ")
    assert get(port, "/healthz") == (200, {"status": "ok"})
    headers = {"Authorization": f"Bearer {make_key(settings, 'lookup')}"}
    status, body = get(port, "/api/v1/lookup?name=Nobody+Known", headers)
    assert status == 200 and body["results"] == []  # type: ignore[index]
    assert get(port, "/api/v1/lookup?name=x")[0] == 401
    assert list(home.iterdir()) == []  # no gunicorn control socket under $HOME


def test_a_taken_port_is_one_line_and_exit_73(empty_settings: Settings) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = environment(empty_settings, WATCHLIST_WEB_SECRET_KEY=TEST_SECRET)
        result = subprocess.run([*COMMAND, "--port", str(port)], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 73
    assert result.stderr.strip() == (
        f"error: Port {port} on 127.0.0.1 is in use by another process; choose another with "
        "--port or web.port."
    )


def test_the_development_secret_key_is_refused(empty_settings: Settings) -> None:
    result = subprocess.run([*COMMAND, "--port", str(free_port())], cwd=ROOT,
                            env=environment(empty_settings), capture_output=True, text=True,
                            timeout=60)  # fmt: skip
    assert result.returncode == 78
    assert len(result.stderr.strip().splitlines()) == 1
    assert "web.secret_key" in result.stderr
