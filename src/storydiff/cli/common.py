"""Options and helpers shared by the CLI commands."""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import click

from storydiff.errors import EXIT_CRASH, EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE
from storydiff.store import DEFAULT_DB

__all__ = [
    "EXIT_CRASH",
    "EXIT_OK",
    "EXIT_SOME_FAILED",
    "EXIT_USAGE",
    "cut",
    "db_option",
    "fail",
    "is_terminal",
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
