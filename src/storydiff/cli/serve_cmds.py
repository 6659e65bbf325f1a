"""CLI commands: serve_cmds (placeholder until the owning module lands)."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
