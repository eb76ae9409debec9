"""The `watchlist` command with the web layer's own command, `serve`.

The core's commands live in `watchlist.cli`, which never imports the web layer; this module
adds `serve` to the same group and is the console script's entry point.
"""

from __future__ import annotations

import dataclasses

import click

from watchlist.cli import cli
from watchlist.cli.app import AppContext, pass_app
from watchlist.cli.app import main as _main


@cli.command("serve")
@click.option("--host", help="Address to listen on (default: web.host).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default: web.port).")
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Worker processes (default: web.workers)."
)
@click.option(
    "--threads", type=click.IntRange(1, 256), help="Threads per worker (default: web.threads)."
)
@click.option("--access-log", is_flag=True, help="Log every request to standard error.")
@pass_app
def serve(
    app: AppContext,
    host: str | None,
    port: int | None,
    workers: int | None,
    threads: int | None,
    access_log: bool,
) -> None:
    """Serve the REST API (/api/v1), the yente-compatible /match and the dashboard.

    Runs gunicorn with threaded workers; each worker builds its own match index in the
    background as it starts (GET /readyz answers 200 once it has). Stop with Ctrl-C or
    SIGTERM. Refuses to start while web.secret_key has its development value.
    """  # fmt: skip
    from web.server import serve as run_server  # gunicorn only when serving

    settings = app.settings
    web = dataclasses.replace(
        settings.web,
        host=host or settings.web.host,
        port=port or settings.web.port,
        workers=workers or settings.web.workers,
        threads=threads or settings.web.threads,
    )
    base = f"http://{_url_host(web.host)}:{web.port}"
    click.echo(
        f"Dashboard: {base}/   REST API: {base}/api/v1/ (reference: {base}/api-reference, "
        f"OpenAPI: {base}/api/v1/openapi.json)"
    )
    run_server(dataclasses.replace(settings, web=web), access_log=access_log)


def _url_host(host: str) -> str:
    """The host as it is written in a URL: IPv6 in brackets, the wildcard as loopback."""
    if host in ("0.0.0.0", "::", ""):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def main() -> None:
    """Console-script entry point: every core command, and `serve`."""
    _main()


__all__ = ["cli", "main"]
