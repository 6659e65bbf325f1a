"""The README names every command and option a user can type (walking the click command tree): each
option in a table row or paragraph that also names its command."""

from __future__ import annotations

import re
from collections.abc import Iterator

import click

from storydiff.cli import main
from tests.conftest import ROOT


def commands(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix}{name} ")


def blocks(readme: str) -> list[str]:
    """Paragraphs, list items and table rows: the places an option is documented with its command."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", readme):
        lines = paragraph.splitlines()
        if lines and all(line.startswith("|") for line in lines):
            out.extend(lines)
        else:
            out.extend(re.split(r"\n(?=- )", paragraph))
    return out


def names_command(block: str, name: str) -> bool:
    words = name.split()
    pattern = r"\b" + r"\s+".join(re.escape(w) for w in words) + r"\b"
    return bool(
        re.search(rf"`(storydiff )?{pattern}[ `|]", block) or re.search(rf"storydiff {pattern}", block)
    )


def test_every_command_and_option_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parts = blocks(readme)
    shared = [b for b in parts if "shared by" in b]  # options every store command takes (--db)
    missing = []
    for name, command in commands(main):
        own = shared + [b for b in parts if names_command(b, name)]
        if not any(names_command(b, name) for b in parts):
            missing.append(f"command {name!r}")
        for param in command.params:
            if isinstance(param, click.Option):
                for opt in param.opts + param.secondary_opts:
                    if opt.startswith("--") and not any(re.search(rf"{re.escape(opt)}\b", b) for b in own):
                        missing.append(f"{name} {opt}")
    for opt in ("--version", "--help"):
        if opt not in readme:
            missing.append(opt)
    assert not missing, "not in README.md next to their command: " + ", ".join(missing)
