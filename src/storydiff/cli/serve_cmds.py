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
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Another Host name the app answers to (repeatable); besides --host and localhost names, requests "
    "for other names are refused (DNS rebinding).",
)
@click.option(
    "--compare-seconds",
    type=click.FloatRange(min=1),
    default=120.0,
    show_default=True,
    help="Compare now: time budget of one comparison (extraction and analysis); past it, 503.",
)
@click.option(
    "--compare-memory",
    default="4GB",
    show_default=True,
    help="Compare now: memory budget of the comparison worker, e.g. 4GB, 1500MB; past it, 503.",
)
@click.option(
    "--allow-private",
    is_flag=True,
    help="Compare now may fetch URLs on loopback, private and link-local addresses (refused by default).",
)
def serve(
    db_path: str,
    host: str,
    port: int,
    allow_hosts: tuple[str, ...],
    compare_seconds: float,
    compare_memory: str,
    allow_private: bool,
) -> None:
    """Browse stories and read comparisons in a local web app.

    \b
      storydiff serve --db storydiff.db      # then open http://127.0.0.1:8000/
    Pages: stories (search, sort), story comparison, article, Compare now; JSON API at /api, docs at /docs.
    Compare now runs in a worker process within --compare-seconds and --compare-memory; one comparison
    at a time, others get 503 (busy) after a few seconds.
    """
    from storydiff.cli.ingest_cmds import SizeType
    from storydiff.web.app import create_app
    from storydiff.web.inputs import Budget
    from storydiff.web.security import allowed_hosts
    from storydiff.web.server import server_config

    memory = SizeType().convert(compare_memory, None, None)
    if not _is_loopback(host):
        warn(f"binding {host}: the app is reachable from the network (it has no login)")
    budget = Budget(seconds=compare_seconds, memory_bytes=memory, allow_private_urls=allow_private)
    app = create_app(
        db_path, budget=budget, hosts=allowed_hosts(host, allow_hosts), any_address=host in ("0.0.0.0", "::")
    )
    click.echo(f"storydiff: serving {db_path} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    import uvicorn

    uvicorn.Server(server_config(app, host, port, log_level="warning")).run()


COMMANDS: list[click.Command] = [serve]
