"""``storydiff compare``: compare the articles of files (any supported format) or of the store."""

from __future__ import annotations

import os
import re
import sys

import click

from storydiff import render
from storydiff.cli.common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    analysis_options,
    db_option,
    fail,
    load_config,
    warn,
)
from storydiff.cli.output import FORMAT_HELP, FORMATS, output_format, write_text
from storydiff.model import Article, Report

_ID = re.compile(r"^[0-9a-f]{4,16}$")
# Answer files of the bundled examples sit next to their inputs; they are not articles.
NOT_INPUTS = frozenset({"answers.json"})


def input_files(inputs: list[str]) -> tuple[list[str], list[str]]:
    """(paths to read, errors) for file/dir/glob/- arguments; answer files inside folders are left out."""
    from storydiff.readers import ReadError
    from storydiff.readers.files import expand_inputs

    paths: list[str] = []
    errors: list[str] = []
    for item in expand_inputs(inputs):
        if isinstance(item, ReadError):
            errors.append(str(item))
        elif item == "-" or item in inputs or os.path.basename(item) not in NOT_INPUTS:
            paths.append(item)
    return paths, errors


def read_articles(paths: list[str], source: str | None = None) -> tuple[list[Article], list[str]]:
    """Articles of the inputs through the same readers and extraction as ``storydiff ingest``; ``source``
    names their outlet (else it comes from each page, as for ingest)."""
    from storydiff.ingest import extract_inputs
    from storydiff.readers import ReadError

    articles: list[Article] = []
    errors: list[str] = []
    for item in extract_inputs(paths, source=source):
        if isinstance(item, ReadError):
            errors.append(str(item))
        else:
            articles.append(item)
    return articles, errors


def input_sources(options: tuple[str, ...], inputs: list[str]) -> dict[str, str]:
    """--source values -> {input argument: outlet}. ``INPUT=NAME`` names one input (a file, a folder: all
    its files, or - for stdin); a bare NAME is allowed when there is a single input."""
    named: dict[str, str] = {}
    for option in options:
        # The input is the part before an "=" that is one of the inputs (names may hold "=" too).
        arg = next((option[:i] for i, c in enumerate(option) if c == "=" and option[:i] in inputs), None)
        if arg is not None:
            named[arg] = option[len(arg) + 1 :].strip()
        elif len(inputs) == 1 and inputs[0] not in named:
            named[inputs[0]] = option.strip()
        else:
            raise click.BadParameter(
                f"{option!r} names no input: write INPUT=NAME with INPUT one of the inputs as given "
                f"({', '.join(inputs) or 'none'})",
                param_hint="--source",
            )
    for arg, name in named.items():
        if not name:
            raise click.BadParameter(f"empty outlet name for {arg!r}", param_hint="--source")
    return named


def store_articles(db_path: str, ids: list[str]) -> tuple[list[Article], list[str]]:
    """Articles of the store by id or unambiguous id prefix."""
    from storydiff.store import StoreError, connect
    from storydiff.store.articles import AmbiguousId, articles_by_ids, resolve_id

    try:
        conn = connect(db_path, readonly=True)
    except StoreError as exc:
        fail(str(exc))
    errors: list[str] = []
    full: list[str] = []
    try:
        for prefix in ids:
            try:
                found = resolve_id(conn, prefix)
            except AmbiguousId as exc:
                errors.append(str(exc))
                continue
            if found is None:
                errors.append(f"{prefix}: no such article in {db_path}")
            else:
                full.append(found)
        return articles_by_ids(conn, full), errors
    finally:
        conn.close()


def write_report(report: Report, fmt: str, output: str | None) -> None:
    write_text(render.render(report, fmt), output)


@click.command("compare")
@click.argument("inputs", nargs=-1)
@click.option("--ids", default=None, help="Comma-separated article ids (or prefixes) from the store.")
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help=FORMAT_HELP,
)
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False), help="Write the report here.")
@click.option(
    "--aliases",
    "aliases_path",
    default=None,
    type=click.Path(exists=True, dir_okay=False),
    help='Entity alias groups, one per line: "Kyiv | Kiev".',
)
@click.option("--title", "story_title", default=None, help="Title of the story in the report.")
@click.option(
    "--source",
    "sources",
    multiple=True,
    metavar="[INPUT=]NAME",
    help="Outlet of an input's articles, e.g. --source radio.txt='Harbour Radio' or --source -='Rail Daily' "
    "for stdin (repeatable; a bare NAME when there is one input). Default: from each page, else the file name.",
)
@analysis_options
def compare(
    inputs: tuple[str, ...],
    ids: str | None,
    db_path: str,
    fmt: str | None,
    output: str | None,
    aliases_path: str | None,
    story_title: str | None,
    sources: tuple[str, ...],
    config_path: str | None,
    disable: tuple[str, ...],
) -> None:
    """Compare how the articles in INPUT... report the same story, claim by claim.

    INPUT is a file (HTML, text, JSONL, WARC, RSS/Atom), a folder, a glob, - for stdin, or the id of an
    article in the store (--db). Non-English articles are listed but not analysed.

    \b
    Examples:
      storydiff compare examples/harbor-fire/ -o report.html
      storydiff compare a.html b.txt --format md
      storydiff compare --db store.db --ids 3f2a9c,77b01e --format json
    """
    from storydiff.analyse.pipeline import compare as run_compare

    fmt = output_format(fmt, output)  # a bad -o fails now, not after the analysis
    config = load_config(config_path, disable)
    path_args = [a for a in inputs if a == "-" or os.path.exists(a) or not _ID.match(a.lower())]
    id_args = [a for a in inputs if a not in path_args] + [
        i.strip() for i in (ids or "").split(",") if i.strip()
    ]
    if not path_args and not id_args:
        fail("nothing to compare: give input files or article ids (see storydiff compare --help)")

    errors: list[str] = []
    articles: list[Article] = []
    named = input_sources(sources, path_args)
    for arg in path_args:
        paths, failed = input_files([arg])
        errors += failed
        found, failed = read_articles(paths, source=named.get(arg))
        articles += found
        errors += failed
    if id_args:
        found, failed = store_articles(db_path, id_args)
        articles += found
        errors += failed
    for error in errors:
        warn(error)
    if not articles:
        fail("no article could be read from the inputs", EXIT_SOME_FAILED if errors else 2)

    aliases = None
    if aliases_path:
        from storydiff.analyse.entities import load_aliases

        aliases = load_aliases(aliases_path)
    from storydiff.stories.reports import mixed_stories_warning

    mixed = mixed_stories_warning(articles)
    if mixed:
        warn(mixed)
    report = run_compare(articles, config=config, aliases=aliases, story_title=story_title)
    for message in report.warnings:
        warn(message)
    write_report(report, fmt, output)
    sys.exit(EXIT_SOME_FAILED if errors else EXIT_OK)


COMMANDS: list[click.Command] = [compare]
