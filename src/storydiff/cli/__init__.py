"""The ``storydiff`` command line: a thin driver over the library (like trafilatura's CLI).

Exit status: 0 when every input was read, 1 when some inputs failed (the rest were processed),
2 on usage errors (unknown option, missing argument, unreadable store).
"""

from __future__ import annotations

import traceback
from typing import Any

import click

from storydiff import __version__
from storydiff.cli import compare_cmds, config_cmds, ingest_cmds, serve_cmds, spark_cmds, stories_cmds
from storydiff.cli.common import fail
from storydiff.errors import EXIT_CRASH, Error

EPILOG = """\b
Exit status:
  0  every input was read
  1  some inputs failed (each named on stderr; the rest were processed)
  2  usage error (bad option or argument, unusable store, missing model)
  3  internal error (a bug in storydiff: please report it)
"""


class _Group(click.Group):
    """Every storydiff error becomes one line on stderr and its exit status, never a traceback; any
    other exception is a bug and exits with EXIT_CRASH (distinct from "some inputs failed")."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Error as exc:
            fail(str(exc), exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            click.echo(traceback.format_exc(), err=True)
            fail(f"internal error ({type(exc).__name__}: {exc}); this is a bug in storydiff", EXIT_CRASH)


@click.group(cls=_Group, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storydiff")
def main() -> None:
    """Compare how different outlets report the same news, claim by claim.

    Typical flow: ingest articles, cluster them into stories, report on a story:

    \b
      storydiff ingest examples/harbor-fire/
      storydiff cluster
      storydiff stories
      storydiff report STORY_ID --format html -o story.html

    Or compare a few files directly: storydiff compare a.html b.txt c.jsonl
    """


for _module in (ingest_cmds, compare_cmds, stories_cmds, serve_cmds, spark_cmds, config_cmds):
    for _command in _module.COMMANDS:
        main.add_command(_command)
