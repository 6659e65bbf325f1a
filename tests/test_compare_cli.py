"""`storydiff compare` on the bundled fictional stories and on a store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from storydiff.cli import main
from storydiff.cli.compare_cmds import input_files
from storydiff.cli.output import output_format

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
BRIDGE = EXAMPLES / "kalvren-bridge" / "articles.jsonl"


def test_output_format_choice() -> None:
    assert output_format("html", "x.json") == "html"
    assert output_format(None, "r.md") == "md"
    assert output_format(None, "r.HTML") == "html"
    assert output_format("md", "r.txt") == "md"  # an explicit --format writes any file name
    with pytest.raises(click.UsageError, match="cannot tell the report format from 'r.out'"):
        output_format(None, "r.out")
    assert output_format(None, None) == "json"  # not a terminal under pytest


def test_answer_files_are_not_inputs() -> None:
    paths, errors = input_files([str(EXAMPLES / "harbor-fire")])
    assert not errors
    names = sorted(Path(p).name for p in paths)
    assert "answers.json" not in names and "coastal-ledger.html" in names and len(names) == 5


def test_compare_files_to_json_file(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["compare", str(BRIDGE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(a["source"] for a in data["articles"]) == [
        "Central Plains Tribune",
        "Marva Valley Post",
        "Riverside Courier",
    ]
    assert [s["source"] for s in data["skipped"]] == ["Kalvrener Anzeiger"]
    assert "storydiff only analyses English for now: skipped" in result.output  # stderr is mixed in


def test_compare_markdown_to_stdout_and_aliases(tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.txt"
    aliases.write_text("# test\nMarva | Marva river\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["compare", str(BRIDGE), "--format", "md", "--aliases", str(aliases), "--title", "Kalvren bridge"],
    )
    assert result.exit_code == 0, result.output
    assert "# storydiff report: Kalvren bridge" in result.output
    assert "## Disputed claims" in result.output


def test_compare_missing_input_exits_1_but_reports(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["compare", str(BRIDGE), str(tmp_path / "nope.html"), "-o", str(out)])
    assert result.exit_code == 1
    assert "nope.html: no such file or directory" in result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_compare_nothing_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["compare"])
    assert result.exit_code == 2
    assert "nothing to compare" in result.output


def test_compare_articles_from_the_store(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    runner = CliRunner()
    ingested = runner.invoke(main, ["ingest", "--db", str(db), str(BRIDGE)])
    assert ingested.exit_code == 0, ingested.output
    from storydiff.store import connect
    from storydiff.store.articles import list_articles

    conn = connect(db)
    ids = {a.source: a.id for a in list_articles(conn)}
    conn.close()
    wanted = [ids["Riverside Courier"][:8], ids["Marva Valley Post"]]
    result = runner.invoke(main, ["compare", "--db", str(db), "--ids", ",".join(wanted), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{") :])
    assert sorted(a["source"] for a in data["articles"]) == ["Marva Valley Post", "Riverside Courier"]
    missing = runner.invoke(main, ["compare", "--db", str(db), "ffffffff", ids["Riverside Courier"]])
    assert missing.exit_code == 1 and "ffffffff: no such article" in missing.output


@pytest.mark.slow
def test_compare_is_the_same_in_every_process(tmp_path: Path) -> None:
    # Spark workers and the local engine run in processes with different string hashes: a report that
    # depended on set order (a copy and its original tying as a group's representative) differed.
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"r{seed}.json"
        subprocess.run(
            [sys.executable, "-m", "storydiff", "compare", str(EXAMPLES / "harbor-fire"), "-o", str(out)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
            capture_output=True,
        )
        report = json.loads(out.read_text(encoding="utf-8"))
        report.pop("timings", None)
        outputs.append(report)
    assert outputs[0] == outputs[1]
