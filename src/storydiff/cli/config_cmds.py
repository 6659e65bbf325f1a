"""``storydiff config`` and ``storydiff schema``: what the analysis runs with, and the report contract."""

from __future__ import annotations

import json

import click

from storydiff.cli.common import analysis_options, load_config


@click.command("config")
@analysis_options
def config(config_path: str | None, disable: tuple[str, ...]) -> None:
    """Print the effective analysis configuration as TOML: every stage in order and every setting.

    \b
    Save it, edit what you need (a file may set any subset) and use it with --config:
      storydiff config > storydiff.toml
      storydiff compare --config storydiff.toml examples/harbor-fire/
    """
    click.echo(load_config(config_path, disable).to_toml().rstrip("\n"))


@click.command("schema")
def schema() -> None:
    """Print the JSON Schema of a report (the contract of `compare --format json` and `report`)."""
    from storydiff.serialize import report_schema

    click.echo(json.dumps(report_schema(), indent=2, ensure_ascii=False))


COMMANDS: list[click.Command] = [config, schema]
