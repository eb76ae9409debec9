"""`watchlist serve`: the web application under gunicorn, with threaded workers.

Each worker process builds its own application (and so its own database pool and match index)
after the fork, and starts building the match index in the background at once, so it reports
ready on /readyz without waiting for a first request.

With `web.metrics` on, the server makes a directory of its own for the workers' metrics
(PROMETHEUS_MULTIPROC_DIR), forgets a worker's live figures when it exits, and removes the
directory when it stops. With `log.format = "json"`, gunicorn's own lines and the access log
are JSON too, and the access log goes to standard error with the rest.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from gunicorn import glogging
from gunicorn.app.base import BaseApplication

from watchlist.config import Settings
from watchlist.errors import BusyError, ConfigError
from watchlist.logs import JsonFormatter
from web import create_app
from web.metrics import MULTIPROCESS_VARIABLE, multiprocess_directory


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
            "child_exit": _forget_worker,
        }
        if self.settings.log.format == "json":
            options["logger_class"] = "web.server.JsonLogger"
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


def _forget_worker(server: Any, worker: Any) -> None:
    """gunicorn hook (in the master): drop an exited worker's live figures (its match index's
    list state) from the metrics."""
    if multiprocess_directory() is not None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


class JsonLogger(glogging.Logger):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn's log as JSON lines (`log.format = "json"`), the access log with the request's
    fields and on standard error."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        if cfg.accesslog == "-":
            self._set_handler(self.access_log, "-", JsonFormatter(), stream=sys.stderr)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        status = str(resp.status).split(None, 1)[0]
        fields = {
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "query": environ.get("QUERY_STRING", ""),
            "protocol": environ.get("SERVER_PROTOCOL"),
            "status": int(status) if status.isdigit() else status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 3),
            "remote_addr": environ.get("REMOTE_ADDR"),
            "user_agent": environ.get("HTTP_USER_AGENT"),
        }
        message = f"{fields['method']} {fields['path']} {status}"
        self.access_log.info("%s", message, extra={"fields": fields})


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
    with shared_metrics(settings.web.metrics):
        Server(settings, access_log=access_log).run()


@contextmanager
def shared_metrics(enabled: bool) -> Iterator[None]:
    """A new directory for the workers' metrics, named in PROMETHEUS_MULTIPROC_DIR while the
    server runs and removed when it stops (by the master only: a worker leaves through here
    too, when it exits)."""
    if not enabled:
        yield
        return
    previous = os.environ.get(MULTIPROCESS_VARIABLE)
    directory = tempfile.mkdtemp(prefix="watchlist-metrics-")
    os.environ[MULTIPROCESS_VARIABLE] = directory
    master = os.getpid()
    try:
        yield
    finally:
        if os.getpid() == master:
            shutil.rmtree(directory, ignore_errors=True)
            if previous is None:
                os.environ.pop(MULTIPROCESS_VARIABLE, None)
            else:
                os.environ[MULTIPROCESS_VARIABLE] = previous


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
