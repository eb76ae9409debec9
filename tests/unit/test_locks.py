"""The one `flock` wrapper of the service."""

from __future__ import annotations

from pathlib import Path

from watchlist.locks import flock_held


def test_a_second_open_file_does_not_get_a_held_lock(tmp_path: Path) -> None:
    path = tmp_path / "db.lock"
    with path.open("a") as first, path.open("a") as second:
        with flock_held(first, wait=False) as held:
            assert held
            with flock_held(second, wait=False) as also:
                assert not also
        with flock_held(second, wait=True) as held_after:
            assert held_after
