"""CLI commands: ``storydiff spark ingest|cluster|report`` and ``storydiff import``.

PySpark is an optional extra: nothing here imports it at module level, so the local commands never
load it; a missing PySpark or Java is a usage error (exit 2) with a message saying how to fix it.
"""

from __future__ import annotations

from typing import Any

import click

from storydiff.cli.common import EXIT_SOME_FAILED, db_option, fail, warn
from storydiff.readers.detect import FORMATS
from storydiff.stories.config import ClusterConfig

master_option = click.option(
    "--master",
    default=None,
    envvar="STORYDIFF_SPARK_MASTER",
    help="Spark master (default: spark-submit's, else local[2]; env STORYDIFF_SPARK_MASTER).",
)
out_option = click.option(
    "--out",
    "out",
    required=True,
    help="Output directory of the Parquet tables (local path or Hadoop-compatible URI).",
)
conf_option = click.option(
    "--conf", "conf", multiple=True, metavar="KEY=VALUE", help="Extra Spark configuration (repeatable)."
)


def _session(master: str | None, conf: tuple[str, ...]) -> Any:
    from storydiff.spark.session import SparkUnavailable, get_session

    settings = {}
    for item in conf:
        key, sep, value = item.partition("=")
        if not sep:
            fail(f"--conf expects KEY=VALUE, got {item!r}")
        settings[key.strip()] = value.strip()
    try:
        return get_session(master, conf=settings)
    except SparkUnavailable as exc:
        fail(str(exc))


@click.group()
def spark() -> None:
    """Run ingest, cluster and report on Spark (pip install 'storydiff[spark]'; needs Java 17).

    \b
      storydiff spark ingest crawl/*.warc.gz --out out/
      storydiff spark cluster --out out/
      storydiff spark report --out out/
      storydiff import out/ --db storydiff.db     # browse with 'storydiff serve'
    """


@spark.command("ingest")
@click.argument("inputs", nargs=-1, required=True)
@out_option
@master_option
@conf_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*FORMATS, "parquet"]),
    default=None,
    help="Input format (default: detected per file; Parquet by suffix).",
)
@click.option("--source", default=None, help="Outlet name for every article (default: from each record).")
def ingest_cmd(
    inputs: tuple[str, ...],
    out: str,
    master: str | None,
    conf: tuple[str, ...],
    fmt: str | None,
    source: str | None,
) -> None:
    """Extract articles from INPUT... (files, folders, globs, Parquet; any Hadoop URI) into OUT/articles."""
    session = _session(master, conf)
    from storydiff.spark.ingest import ingest

    summary = ingest(session, list(inputs), out, fmt=fmt, source=source)
    click.echo(
        f"storydiff: ingested {summary.articles}, duplicates skipped {summary.duplicates}, "
        f"failed {summary.errors} (see {out}/errors)",
        err=True,
    )
    if summary.errors:
        raise SystemExit(EXIT_SOME_FAILED)


@spark.command("cluster")
@out_option
@master_option
@conf_option
@click.option(
    "--window-days",
    type=click.FloatRange(min=0, min_open=True),
    default=ClusterConfig().window_days,
    show_default=True,
    help="Time scale of a story, as for 'storydiff cluster'.",
)
@click.option(
    "--block-days",
    type=click.IntRange(min=1),
    default=ClusterConfig().block_days,
    show_default=True,
    help="Days of articles each executor clusters as the local engine does; stories crossing blocks are "
    "joined on their summaries (shorter blocks: more parallel work, more such joins).",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=None,
    help="Similarity needed to join a story (default: the calibrated one).",
)
def cluster_cmd(
    out: str,
    master: str | None,
    conf: tuple[str, ...],
    window_days: float,
    block_days: int,
    threshold: float | None,
) -> None:
    """Find copies and stories among OUT/articles (writes copies, stories, story_articles).

    Each time block runs the local engine; stories crossing blocks are joined on their summaries, and the
    output says how many (those are where the result can differ from 'storydiff cluster')."""
    session = _session(master, conf)
    from storydiff.spark.cluster import cluster

    config = ClusterConfig(window_days=window_days, block_days=block_days)
    if threshold is not None:
        config.threshold = threshold
    summary = cluster(session, out, config=config)
    click.echo(f"storydiff: {summary.line()}", err=True)
    if summary.errors:
        warn(f"failed records are listed in {out}/cluster_errors")
        raise SystemExit(EXIT_SOME_FAILED)


@spark.command("report")
@out_option
@master_option
@conf_option
@click.option("--story", "story_ids", multiple=True, help="Only this story (repeatable; default: all).")
def report_cmd(out: str, master: str | None, conf: tuple[str, ...], story_ids: tuple[str, ...]) -> None:
    """Compare every story claim by claim (writes reports, claims, conflicts, quotes, entities)."""
    session = _session(master, conf)
    from storydiff.spark.report import report

    summary = report(session, out, stories=list(story_ids) or None)
    click.echo(f"storydiff: {summary.stories} reports written, {summary.errors} failed", err=True)
    if summary.errors:
        warn(f"failed stories are listed in {out}/report_errors")
        raise SystemExit(EXIT_SOME_FAILED)


@click.command("import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@db_option
def import_(directory: str, db_path: str) -> None:
    """Load a Spark output DIRECTORY (Parquet tables) into the store, for 'serve' (no Spark needed)."""
    from storydiff.spark.importer import import_dir
    from storydiff.store import StoreError, connect

    try:
        conn = connect(db_path)
    except StoreError as exc:
        fail(str(exc))
    try:
        summary = import_dir(conn, directory)
    except FileNotFoundError as exc:
        fail(str(exc))
    for table in summary.missing:
        warn(f"no {table} table in {directory} (skipped)")
    click.echo(f"storydiff: {summary.line()}", err=True)


COMMANDS: list[click.Command] = [spark, import_]
