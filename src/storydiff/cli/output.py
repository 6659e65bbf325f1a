"""Where a report goes and in which format: one rule for ``compare`` and ``report``."""

from __future__ import annotations

from pathlib import Path

import click

from storydiff.cli.common import is_terminal

FORMATS = ("json", "md", "html")
SUFFIX_FORMAT = {".json": "json", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
FORMAT_HELP = "Report format (default: from -o's suffix; md on a terminal, json otherwise)."


def output_format(fmt: str | None, output: str | None) -> str:
    """--format, else the output file's suffix, else md on a terminal and json otherwise.

    An output file whose suffix names no format (``report.txt``) is a usage error rather than a guess.
    """
    if fmt:
        return fmt
    if output and output != "-":
        found = SUFFIX_FORMAT.get(Path(output).suffix.lower())
        if found is None:
            raise click.UsageError(
                f"cannot tell the report format from {output!r}: name it .json, .md or .html, "
                "or give --format json|md|html"
            )
        return found
    return "md" if is_terminal() else "json"


def write_text(text: str, output: str | None) -> None:
    """The report to ``output`` (a file, ending in a newline) or to stdout (None or -)."""
    if output and output != "-":
        Path(output).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        click.echo(text.rstrip("\n"))
