"""Options and helpers shared by the CLI commands."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

import click

from storydiff.errors import EXIT_CRASH, EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE
from storydiff.store import DEFAULT_DB

if TYPE_CHECKING:
    from storydiff.config import Config

__all__ = [
    "EXIT_CRASH",
    "EXIT_OK",
    "EXIT_SOME_FAILED",
    "EXIT_USAGE",
    "analysis_options",
    "cut",
    "db_option",
    "fail",
    "is_terminal",
    "load_config",
    "warn",
]

db_option = click.option(
    "--db",
    "db_path",
    default=DEFAULT_DB,
    show_default=True,
    envvar="STORYDIFF_DB",
    type=click.Path(dir_okay=False),
    help="SQLite store (env STORYDIFF_DB).",
)


def analysis_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--config FILE`` and ``--disable STAGE`` for the commands that analyse (they get ``config``)."""
    func = click.option(
        "--disable",
        "disable",
        multiple=True,
        metavar="STAGE",
        help="Skip an analysis stage (repeatable), e.g. --disable quotes; see 'storydiff config'.",
    )(func)
    return click.option(
        "--config",
        "config_path",
        default=None,
        type=click.Path(dir_okay=False),
        help="Analysis settings (TOML); 'storydiff config' prints the effective ones.",
    )(func)


def load_config(config_path: str | None, disable: tuple[str, ...] = ()) -> Config:
    """The configuration of --config and --disable, checked (a ConfigError is a usage error)."""
    from storydiff.analyse.pipeline import plan
    from storydiff.config import Config

    config = (Config.load(config_path) if config_path else Config()).with_disabled(disable)
    plan(config)  # an unknown or impossible stage list fails here, before any input is read
    return config


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print ``storydiff: error: message`` on stderr and exit with ``code``."""
    click.echo(f"storydiff: error: {message}", err=True)
    sys.exit(code)


def warn(message: str) -> None:
    # Report warnings already name storydiff ("storydiff only analyses English..."): no double prefix.
    click.echo(message if message.startswith("storydiff") else f"storydiff: {message}", err=True)


def is_terminal(stream: Any = None) -> bool:
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def cut(text: str, width: int) -> str:
    """``text`` on one line, at most ``width`` characters: a longer one ends in an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1].rstrip() + "\u2026"
