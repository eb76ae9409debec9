"""`watchlist serve`: the web application under gunicorn, with threaded workers.

Each worker process builds its own application (and so its own database pool and match index)
after the fork, and starts building the match index in the background at once, so it reports
ready on /readyz without waiting for a first request.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from watchlist.config import Settings
from watchlist.errors import BusyError, ConfigError
from web import create_app


class Server(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn, configured from the `[web]` settings instead of its command line."""

    def __init__(self, settings: Settings, *, access_log: bool = False) -> None:
        self.settings = settings
        self.access_log = access_log
        super().__init__()

    def load_config(self) -> None:
        web = self.settings.web
        options: dict[str, Any] = {
            "bind": f"{web.host}:{web.port}",
            "workers": web.workers,
            "threads": web.threads,
            "worker_class": "web.front.BufferingWorker",  # gthread, reading requests whole
            "proc_name": "watchlist",
            "timeout": 120,  # a worker busy building a large index still heartbeats
            "keepalive": 5,
            "loglevel": self.settings.log.level.lower(),
            "errorlog": "-",
            "accesslog": "-" if self.access_log else None,
            "post_worker_init": _warm_up,
        }
        if "control_socket_disable" in self.cfg.settings:
            # gunicorn 24+ would open a control socket under $HOME: this service uses none.
            options["control_socket_disable"] = True
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return create_app(self.settings)


def _warm_up(worker: Any) -> None:
    """gunicorn hook: build the worker's match index in the background."""
    worker.wsgi.extensions["watchlist"].matchers.warm_up()


def serve(
    settings: Settings,
    *,
    access_log: bool = False,
    announce: Callable[[str], None] | None = None,
) -> None:
    """Run the server until it is stopped; refuse at once if the app cannot be built or the
    address is taken. `announce` is given the base URL once those checks pass."""
    create_app(settings).extensions["watchlist"].engine.dispose()  # bad settings fail here
    check_address(settings.web.host, settings.web.port)
    if announce is not None:
        announce(base_url(settings.web.host, settings.web.port))
    Server(settings, access_log=access_log).run()


def base_url(host: str, port: int) -> str:
    """Where a browser on this machine reaches the server (the wildcard as loopback)."""
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def check_address(host: str, port: int) -> None:
    """Refuse, with one sentence, an address another process listens on or that is not ours."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise ConfigError(
            f"Configuration key web.host: {host!r} cannot be resolved ({error})."
        ) from None
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise BusyError(
                    f"Port {port} on {host} is in use by another process; choose another with "
                    "--port or web.port."
                ) from None
            raise ConfigError(f"Cannot listen on {host}:{port}: {error.strerror}.") from None
