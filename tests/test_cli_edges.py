"""The CLI's rough edges of issue 13, each on fictional inputs whose right answer is known."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from storydiff.cli import main
from tests.conftest import EXAMPLES

FIRE = EXAMPLES / "harbor-fire"
BRIDGE = EXAMPLES / "kalvren-bridge" / "articles.jsonl"
RAIL_A = (
    "Freight train derails near Brindlecombe\n\n"
    "A freight train derailed near Brindlecombe on Friday, spilling 20 tonnes of grain across the tracks.\n\n"
    "Rail operator Norhaven Lines said nobody was hurt. The line will reopen on Monday, the company said."
)
RAIL_B = (
    "Grain spill closes Brindlecombe line\n\n"
    "Twenty tonnes of grain spilled when a freight train left the tracks near Brindlecombe on Friday.\n\n"
    "Norhaven Lines said two workers were hurt. The company expects the line to reopen on Monday."
)


def invoke(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("edges") / "store.db")
    for args in (["ingest", "--db", db, str(FIRE), str(BRIDGE)], ["cluster", "--db", db]):
        result = invoke(*args)
        assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def rail(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "rail-a.txt", tmp_path / "rail-b.txt"
    a.write_text(RAIL_A, encoding="utf-8")
    b.write_text(RAIL_B, encoding="utf-8")
    return a, b


def outlets(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output
    return sorted(a["source"] for a in json.loads(result.stdout)["articles"])


# --------------------------------------------------------------------------- compare --source


def test_compare_source_names_the_outlet_of_each_input(rail: tuple[Path, Path]) -> None:
    a, b = (str(p) for p in rail)
    assert outlets(invoke("compare", a, b, "--format", "json")) == ["rail-a", "rail-b"]  # file stems
    named = invoke(
        "compare", a, b, "--format", "json", "--source", f"{a}=Rail Daily", "--source", f"{b}=Valley Times"
    )
    assert outlets(named) == ["Rail Daily", "Valley Times"]


def test_compare_source_names_stdin(rail: tuple[Path, Path]) -> None:
    _, b = (str(p) for p in rail)
    assert "unknown" in outlets(invoke("compare", "-", b, "--format", "json", stdin=RAIL_A))
    named = invoke("compare", "-", b, "--format", "json", "--source", "-=Rail Daily", stdin=RAIL_A)
    assert outlets(named) == ["Rail Daily", "rail-b"]


def test_compare_source_of_a_folder_and_bad_values(rail: tuple[Path, Path]) -> None:
    a, b = rail
    folder = str(a.parent)
    assert (
        outlets(invoke("compare", folder, "--format", "json", "--source", "Rail Daily")) == ["Rail Daily"] * 2
    )
    ambiguous = invoke("compare", str(a), str(b), "--source", "Rail Daily")
    assert (
        ambiguous.exit_code == 2 and "names no input" in ambiguous.output and "INPUT=NAME" in ambiguous.output
    )


# --------------------------------------------------------------------------- two stories in one compare


def test_compare_warns_when_the_articles_are_two_stories(tmp_path: Path) -> None:
    mixed = invoke("compare", str(FIRE), str(BRIDGE), "--format", "json")
    assert mixed.exit_code == 0, mixed.output
    warning = next(line for line in mixed.stderr.splitlines() if "different stories" in line)
    # The bridge story's three English articles are named; the fire articles are the main story.
    for outlet in ("Riverside Courier", "Marva Valley Post", "Central Plains Tribune"):
        assert outlet in warning
    assert "The Coastal Ledger" not in warning.split("):", 1)[1]
    one_story = invoke("compare", str(FIRE), "--format", "json")
    assert one_story.exit_code == 0 and "different stories" not in one_story.stderr
    bridge = invoke("compare", str(BRIDGE), "--format", "json")  # one spells it Kalwren: still one story
    assert bridge.exit_code == 0 and "different stories" not in bridge.stderr


# --------------------------------------------------------------------------- output formats


def test_an_output_file_without_a_known_suffix_is_refused(rail: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = (str(p) for p in rail)
    out = tmp_path / "report.txt"
    refused = invoke("compare", a, b, "-o", str(out))
    assert refused.exit_code == 2 and "cannot tell the report format from" in refused.output
    assert not out.exists()
    written = invoke("compare", a, b, "-o", str(out), "--format", "md")
    assert written.exit_code == 0 and out.read_text(encoding="utf-8").startswith("# storydiff report")


def test_report_picks_its_format_as_compare_does(store: str, tmp_path: Path) -> None:
    story = json.loads(invoke("stories", "--db", store, "--json").stdout)[0]["id"]
    md = tmp_path / "story.md"
    assert invoke("report", story, "--db", store, "-o", str(md)).exit_code == 0
    assert md.read_text(encoding="utf-8").startswith("# storydiff report")
    piped = invoke("report", story, "--db", store)  # not a terminal: JSON
    assert json.loads(piped.stdout)["schema_version"] == "1"
    refused = invoke("report", story, "--db", store, "-o", str(tmp_path / "story.txt"))
    assert refused.exit_code == 2 and "cannot tell the report format" in refused.output


# --------------------------------------------------------------------------- story id prefixes


def test_story_ids_take_a_unique_prefix(store: str, tmp_path: Path) -> None:
    story = json.loads(invoke("stories", "--db", store, "--json").stdout)[0]["id"]
    full = invoke("report", story, "--db", store, "--format", "json")
    for prefix in (story[:8], story[2:10]):  # with or without the "s-"
        short = invoke("report", prefix, "--db", store, "--format", "json")
        assert short.exit_code == 0, short.output
        assert json.loads(short.stdout)["story"]["id"] == json.loads(full.stdout)["story"]["id"] == story
    copy = tmp_path / "ambiguous.db"
    with sqlite3.connect(store) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
        dst.executemany(
            "INSERT INTO stories (id, title, size) VALUES (?, 'x', 0)", [("s-abc1",), ("s-abc2",)]
        )
    ambiguous = invoke("report", "s-abc", "--db", str(copy))
    assert ambiguous.exit_code == 2 and "s-abc1" in ambiguous.output and "s-abc2" in ambiguous.output
    missing = invoke("report", "s-ffffffffff", "--db", store)
    assert missing.exit_code == 1 and "no story with id 's-ffffffffff'" in missing.output


# --------------------------------------------------------------------------- listings


def test_stories_prints_a_header_and_its_help_lists_the_columns_in_order(store: str) -> None:
    listing = invoke("stories", "--db", store)
    assert listing.exit_code == 0, listing.output
    header, *lines = listing.stdout.splitlines()
    assert header.split() == ["ID", "SIZE", "FIRST", "LAST", "OUTLETS", "TITLE"]
    # fire, bridge, and the German bridge article (not English: its own story)
    assert len(lines) == 3 and all(line.startswith("s-") for line in lines)
    help_text = " ".join(invoke("stories", "--help").stdout.split())
    listed = help_text[help_text.index("largest first:") + len("largest first:") :]
    positions = [listed.index(word) for word in ("id", "size", "first", "last date", "outlets", "title")]
    assert positions == sorted(positions), listed


def test_articles_source_matches_part_of_the_name_in_any_case(store: str) -> None:
    for term in ("ledger", "LEDGER", "Coastal"):
        result = invoke("articles", "--db", store, "--source", term, "--json")
        assert result.exit_code == 0, result.output
        assert [json.loads(line)["source"] for line in result.stdout.splitlines()] == ["The Coastal Ledger"]
    assert "ignoring case" in invoke("articles", "--help").stdout
    assert invoke("articles", "--db", store, "--source", "zzz", "--json").stdout == ""


def test_long_columns_are_cut_with_an_ellipsis(tmp_path: Path) -> None:
    long_title = (
        "Harbour authority of Vestrahavn publishes its long-awaited and much-delayed report on the fire"
    )
    record = {
        "source": "The Extraordinarily Long-Named Vestrahavn Evening Chronicle",
        "title": long_title,
        "text": "The harbour authority published its report on Tuesday. It blames faulty wiring.",
        "published": "2026-11-03",
    }
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = str(tmp_path / "long.db")
    assert invoke("ingest", "--db", db, str(path)).exit_code == 0
    assert invoke("cluster", "--db", db).exit_code == 0
    (row,) = invoke("articles", "--db", db).stdout.splitlines()[1:]
    assert "The Extraordinarily\u2026" in row and long_title not in row and row.endswith("\u2026")
    (story,) = invoke("stories", "--db", db).stdout.splitlines()[1:]
    assert "The Extraordinarily Long-Name\u2026" in story and story.endswith("\u2026")
