"""CLI commands: cluster, stories, report.

``report`` on an unknown story id exits with status 1 (nothing to report), like a failed input;
status 2 stays for usage errors (bad options, unusable store).
"""

from __future__ import annotations

import json
import sys
from functools import partial

import click

from storydiff import render
from storydiff.cli.common import (
    EXIT_SOME_FAILED,
    analysis_options,
    cut,
    db_option,
    fail,
    is_terminal,
    load_config,
    warn,
)
from storydiff.cli.output import FORMAT_HELP, FORMATS, output_format, write_text
from storydiff.store import StoreError, connect
from storydiff.store import stories as sstore
from storydiff.stories.config import ClusterConfig  # a plain dataclass: no clustering stack loaded

_DEFAULTS = ClusterConfig()


@click.command()
@db_option
@click.option("--rebuild", is_flag=True, help="Forget all stories and copies and cluster everything again.")
@click.option(
    "--window-days",
    type=click.FloatRange(min=0, min_open=True),
    default=_DEFAULTS.window_days,
    show_default=True,
    help="Time scale of a story: further from a story's articles, an article needs more similarity to "
    "join it (no story spans more than a year unless its articles name the same date).",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=None,
    help="Similarity needed to join a story (default: the calibrated one).",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Articles per committed batch.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=None,
    help="Processes preparing articles ahead of the clustering (default: one per core but one, up to 4; 0: none).",
)
def cluster(
    db_path: str,
    rebuild: bool,
    window_days: float,
    threshold: float | None,
    batch_size: int,
    workers: int | None,
) -> None:
    """Find copies and group the stored articles into stories (incremental; --rebuild starts over)."""
    from storydiff.stories.incremental import run_cluster

    try:
        conn = connect(db_path)
    except StoreError as exc:
        fail(str(exc))
    config = ClusterConfig(window_days=window_days)
    if threshold is not None:
        config.threshold = threshold
    after = 0 if rebuild else int(sstore.get_state(conn, sstore.LAST_SEQ, "0") or 0)
    todo = conn.execute("SELECT COUNT(*) FROM articles WHERE seq > ?", (after,)).fetchone()[0]
    run = partial(run_cluster, conn, config, rebuild=rebuild, batch_size=batch_size, workers=workers)
    if is_terminal(sys.stderr) and todo > batch_size:
        with click.progressbar(length=todo, label="clustering", file=sys.stderr) as bar:
            summary = run(progress=bar.update)
    else:
        summary = run()
    for article, reason in summary.skipped:
        warn(f"skipped {article}: {reason}")
    for article, original, days in summary.stale:
        warn(
            f"{article} copies {original}, published {days:.0f} days earlier: clustered on its own "
            "(boilerplate or a re-publication?)"
        )
    click.echo(summary.line(), err=True)


@click.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="JSON with each story's articles (ids, urls, origins).")
def stories(db_path: str, as_json: bool) -> None:
    """List the stories, largest first: id, size, first and last date, outlets, title.

    Long outlet lists and titles are cut with an ellipsis; --json gives them whole.
    """
    try:
        conn = connect(db_path, readonly=True)
    except StoreError as exc:
        fail(str(exc))
    rows, _ = sstore.list_stories(conn)
    if as_json:
        listed = []
        for row in rows:
            item = {
                k: v
                for k, v in row.to_dict().items()
                if k not in ("disputed", "single_source", "corroborated")
            }
            item["articles"] = [
                {
                    "id": m["id"],
                    "url": m["url"],
                    "origin": m["origin"],
                    "source": m["source"],
                    "title": m["title"],
                    "published": m["published"],
                    "copy_of": m["copy_of"],
                }
                for m in sstore.story_members(conn, row.id)
            ]
            listed.append(item)
        click.echo(json.dumps(listed, indent=2, ensure_ascii=False))
        return
    if not rows:
        warn("no stories yet (run 'storydiff cluster')")
        return
    width = max(len(row.id) for row in rows)
    click.echo(f"{'ID':{width}}  {'SIZE':>4}  {'FIRST':10}  {'LAST':10}  {'OUTLETS':30}  TITLE")
    for row in rows:
        click.echo(
            f"{row.id:{width}}  {row.size:>4}  {(row.first_published or '?')[:10]:10}  "
            f"{(row.last_published or '?')[:10]:10}  {cut(', '.join(row.outlets), 30):30}  {cut(row.title or '', 70)}"
        )


@click.command()
@db_option
@click.argument("story_id")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None, help=FORMAT_HELP)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), default=None, help="File to write (default stdout)."
)
@analysis_options
def report(
    db_path: str,
    story_id: str,
    fmt: str | None,
    output: str | None,
    config_path: str | None,
    disable: tuple[str, ...],
) -> None:
    """Compare the articles of story STORY_ID claim by claim (exit 1 when the story does not exist).

    STORY_ID may be a unique prefix (s-61ae, or 61ae). The report is cached in the store, with its claims,
    conflicts, quotes and entities as tables (docs/store.md), until the story's articles change.
    """
    fmt = output_format(fmt, output)
    config = load_config(config_path, disable)
    try:
        conn = connect(db_path)
    except StoreError as exc:
        fail(str(exc))
    from storydiff.stories.reports import UnknownStory, story_report

    full = sstore.resolve_story_id(conn, story_id)
    if full is None:
        fail(str(UnknownStory(story_id)), EXIT_SOME_FAILED)
    # Shared with the web app: the cached report (keyed by member fingerprint) or a fresh one.
    result, data = story_report(conn, full, config)
    if fmt == "json":
        text = json.dumps(data, indent=2, ensure_ascii=False)
    else:
        text = render.to_markdown(result) if fmt == "md" else render.to_html(result)
    write_text(text, output)


COMMANDS: list[click.Command] = [cluster, stories, report]
