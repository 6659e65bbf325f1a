"""``storydiff serve``: the local web app."""

from __future__ import annotations

import ipaddress

import click

from storydiff.cli.common import db_option, warn


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@db_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind; anything but loopback exposes the app to the network.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
def serve(db_path: str, host: str, port: int) -> None:
    """Browse stories and read comparisons in a local web app.

    \b
      storydiff serve --db storydiff.db      # then open http://127.0.0.1:8000/
    Pages: stories (search, sort), story comparison, article, Compare now; JSON API at /api, docs at /docs.
    """
    import uvicorn

    from storydiff.web.app import create_app

    if not _is_loopback(host):
        warn(f"binding {host}: the app is reachable from the network (it has no login)")
    click.echo(f"storydiff: serving {db_path} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    uvicorn.run(create_app(db_path), host=host, port=port, log_level="warning")


COMMANDS: list[click.Command] = [serve]
