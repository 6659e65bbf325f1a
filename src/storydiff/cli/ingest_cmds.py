"""CLI commands of the ingest path: extract, ingest, fetch, articles, show."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

import click

from storydiff.cli.common import EXIT_OK, EXIT_SOME_FAILED, cut, db_option, fail, is_terminal, warn
from storydiff.readers.detect import FORMATS
from storydiff.readers.files import DEFAULT_MAX_SIZE, ReadError

if TYPE_CHECKING:  # each command imports what it runs (extraction, the store) when it runs
    from storydiff.model import Article

EXIT_HELP = """\b
Exit status: 0 every input was read; 1 some inputs failed (named on stderr, the rest were
processed); 2 usage error.
"""


def _size(value: str) -> int:
    """'20MB', '512k', '1000' -> bytes."""
    text = value.strip().lower().removesuffix("b")
    scale = {"k": 1024, "m": 1024**2, "g": 1024**3}.get(text[-1:], 1)
    number = text[:-1] if text[-1:] in "kmg" else text
    try:
        return int(float(number) * scale)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a size (e.g. 20MB, 512k)") from None


class SizeType(click.ParamType):
    name = "size"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            return _size(str(value))
        except click.BadParameter as exc:
            self.fail(str(exc), param, ctx)


def _input_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option(
        "--errors",
        "errors_file",
        type=click.File("w"),
        default=None,
        help="Write failures as JSON Lines (origin, reason) to this file.",
    )(func)
    func = click.option(
        "--max-size",
        type=SizeType(),
        default=DEFAULT_MAX_SIZE,
        show_default="20MB",
        help="Largest document (after decompression) to read, e.g. 20MB, 512k.",
    )(func)
    func = click.option("--source", default=None, help="Outlet name for every article (else from the page).")(
        func
    )
    return func


_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Force the input format (default: detected by content and extension).",
)


class _ErrorSink:
    """Reports failures on stderr and, with --errors, as JSON Lines."""

    def __init__(self, file: IO[str] | None) -> None:
        self.file = file
        self.count = 0

    def __call__(self, error: ReadError) -> None:
        self.count += 1
        warn(f"{error.origin}: {error.reason}")
        if self.file is not None:
            self.file.write(json.dumps(error.to_dict(), ensure_ascii=False) + "\n")
            self.file.flush()


def _skipped_note() -> None:
    warc_reader = sys.modules.get("storydiff.readers.warc")  # only a run that read a WARC skips records
    if warc_reader is not None and warc_reader.SKIPPED:
        parts = ", ".join(f"{n} {why}" for why, n in sorted(warc_reader.SKIPPED.items()))
        warn(f"skipped WARC records: {parts}")


@click.command(epilog=EXIT_HELP)
@click.argument("inputs", nargs=-1, required=True)
@_format_option
@_input_options
def extract(
    inputs: tuple[str, ...], fmt: str | None, source: str | None, max_size: int, errors_file: IO[str] | None
) -> None:
    """Extract articles from INPUTS (files, folders, globs, - for stdin) and print them as JSON Lines.

    Stateless: nothing is stored. Each line holds every article field except the raw input.
    """
    from storydiff.ingest import extract_inputs

    sink = _ErrorSink(errors_file)
    out = sys.stdout
    for item in extract_inputs(inputs, format=fmt, source=source, max_size=max_size):
        if isinstance(item, ReadError):
            sink(item)
        else:
            out.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
    _skipped_note()
    sys.exit(EXIT_SOME_FAILED if sink.count else EXIT_OK)


def _open_store(db_path: str, *, readonly: bool = False) -> sqlite3.Connection:
    from storydiff.store import StoreError, connect

    try:
        return connect(db_path, readonly=readonly)
    except StoreError as exc:
        fail(str(exc))


def _run_ingest(db_path: str, results: Iterable[Article | ReadError], errors_file: IO[str] | None) -> None:
    from storydiff.ingest import store_results

    conn = _open_store(db_path)
    sink = _ErrorSink(errors_file)
    progress = is_terminal(sys.stderr)
    seen = 0

    def on_item(item: Article | ReadError) -> None:
        nonlocal seen
        seen += 1
        if isinstance(item, ReadError):
            if progress:
                click.echo("\r", nl=False, err=True)
            sink(item)
        if progress and seen % 10 == 0:
            click.echo(f"\r{seen} documents read", nl=False, err=True)

    try:
        summary = store_results(conn, results, on_item=on_item)
    finally:
        conn.close()
    if progress:
        click.echo("\r", nl=False, err=True)
    _skipped_note()
    warn(f"ingested {summary.ingested}, duplicates skipped {summary.duplicates}, failed {summary.failed}")
    sys.exit(EXIT_SOME_FAILED if summary.failed else EXIT_OK)


@click.command(epilog=EXIT_HELP)
@click.argument("inputs", nargs=-1, required=True)
@_format_option
@_input_options
@db_option
def ingest(
    inputs: tuple[str, ...],
    fmt: str | None,
    source: str | None,
    max_size: int,
    errors_file: IO[str] | None,
    db_path: str,
) -> None:
    """Extract articles from INPUTS (files, folders, globs, - for stdin) into the store.

    Ingesting the same input twice is a no-op (articles have stable ids). Formats: HTML pages (.gz too),
    plain text, JSON Lines, WARC (CC-NEWS), RSS/Atom feeds.
    """
    from storydiff.ingest import extract_inputs

    results = extract_inputs(inputs, format=fmt, source=source, max_size=max_size)
    _run_ingest(db_path, results, errors_file)


@click.command(epilog=EXIT_HELP)
@click.argument("urls", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Force the page format (default: from the Content-Type, else HTML).",
)
@_input_options
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=20.0, show_default=True, help="Seconds per URL."
)
@click.option(
    "--allow-private",
    is_flag=True,
    help="Also fetch loopback, private and link-local addresses (refused by default: only for a trusted network).",
)
@db_option
def fetch(
    urls: tuple[str, ...],
    fmt: str | None,
    source: str | None,
    max_size: int,
    errors_file: IO[str] | None,
    timeout: float,
    allow_private: bool,
    db_path: str,
) -> None:
    """Download URLS (one retry each at most) and ingest them into the store.

    Every address a URL or its redirects resolve to must be public: loopback, private, link-local and
    multicast addresses are refused unless --allow-private.
    """
    from storydiff.ingest import extract_raws
    from storydiff.readers.fetch import fetch_urls

    def raws() -> Iterator[Any]:
        for item in fetch_urls(urls, max_size=max_size, timeout=timeout, allow_private=allow_private):
            if fmt and not isinstance(item, ReadError):
                item.format = "text" if fmt == "text" else "html"
            yield item

    _run_ingest(db_path, extract_raws(raws(), source=source), errors_file)


@click.command()
@click.option(
    "--source", default=None, help="Only outlets whose name contains this, ignoring case ('ledger')."
)
@click.option("--language", default=None, help="Only this language (ISO 639-1, e.g. en).")
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines instead of a table.")
@db_option
def articles(
    source: str | None, language: str | None, limit: int, offset: int, as_json: bool, db_path: str
) -> None:
    """List stored articles (ingest order)."""
    from storydiff.store.articles import count, list_articles

    conn = _open_store(db_path, readonly=True)
    rows = list_articles(conn, source_contains=source, language=language, limit=limit, offset=offset)
    total = count(conn, source_contains=source, language=language)
    conn.close()
    if as_json:
        for article in rows:
            click.echo(json.dumps(article.to_dict(), ensure_ascii=False))
        return
    click.echo(f"{'ID':16}  {'PUBLISHED':10}  {'LANG':4}  {'SOURCE':20}  TITLE")
    for a in rows:
        title = cut(a.title or a.text.split("\n", 1)[0], 70)
        click.echo(
            f"{a.id:16}  {(a.published or '')[:10]:10}  {(a.language or '-'):4}  {cut(a.source, 20):20}  {title}"
        )
    click.echo(f"({len(rows)} of {total} shown)", err=True)


@click.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="The article as one JSON object.")
@db_option
def show(article_id: str, as_json: bool, db_path: str) -> None:
    """Show one stored article: metadata and clean text. ARTICLE_ID may be an unambiguous prefix."""
    from storydiff.store.articles import AmbiguousId, get_article, resolve_id

    conn = _open_store(db_path, readonly=True)
    try:
        full = resolve_id(conn, article_id)
    except AmbiguousId as exc:
        fail(str(exc))
    article = get_article(conn, full) if full else None
    conn.close()
    if article is None:
        fail(f"no article with id {article_id!r}", EXIT_SOME_FAILED)
    if as_json:
        click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))
        return
    for label, value in (
        ("id", article.id),
        ("source", article.source),
        ("title", article.title),
        ("url", article.url),
        ("byline", article.byline),
        ("published", article.published),
        ("language", article.language),
        ("origin", article.origin),
    ):
        if value:
            click.echo(f"{label + ':':11}{value}")
    click.echo()
    click.echo(article.text)


COMMANDS: list[click.Command] = [extract, ingest, fetch, articles, show]
