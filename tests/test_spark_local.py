"""The Spark engine's pure parts and its CLI without Spark: no pyspark import in the local engine,
band keys equal to datasketch's candidates, the family union-find, missing-Java message."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from storydiff.spark import dedup as sdedup
from storydiff.spark.cluster import UNDATED, block_of, merge_states
from storydiff.stories import dedup
from storydiff.stories.cluster import StoryState

ROOT = Path(__file__).resolve().parents[1]

NO_PYSPARK = """
import sys
from click.testing import CliRunner
import storydiff.cli as cli
runner = CliRunner()
db = sys.argv[1]
for args in (["ingest", sys.argv[2], "--db", db], ["cluster", "--db", db], ["stories", "--db", db],
             ["spark", "--help"], ["import", "--help"]):
    result = runner.invoke(cli.main, args)
    assert result.exit_code == 0, (args, result.output)
loaded = sorted(m for m in sys.modules if m == "pyspark" or m.startswith("pyspark."))
print("PYSPARK", loaded)
"""


def test_local_commands_never_import_pyspark(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", NO_PYSPARK, str(tmp_path / "s.db"), str(ROOT / "examples" / "kalvren-bridge")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "PYSPARK []" in proc.stdout


def test_spark_command_without_java_exits_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"}
    env["PATH"] = str(tmp_path)  # no java on it
    proc = subprocess.run(
        [sys.executable, "-m", "storydiff", "spark", "cluster", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert "Java" in proc.stderr


def _row(aid: str, text: str, seq: int, published: str | None = None) -> sdedup.DedupRow:
    shingles = dedup.shingles(text)
    return sdedup.DedupRow(
        aid, published, seq, frozenset(shingles), dedup.signature_bytes(dedup.signature(shingles))
    )


BASE = (
    "The Orrin valley ferry stopped running on Tuesday after a cable snapped near the north landing, "
    "leaving about two hundred commuters to take the long road around the lake, the operator said. "
    "Engineers from Castel Marine will inspect the winch house on Thursday and expect to publish "
    "a report within a fortnight, according to a spokeswoman for the harbour board."
)
OTHER = (
    "A choir from Wessby won the regional festival on Sunday with a programme of folk songs arranged "
    "by its conductor, who founded the group nine years ago in a disused chapel near the station."
)


def test_band_keys_give_the_local_index_candidates() -> None:
    rows = [_row("a", BASE, 1), _row("b", BASE + " Services resume next week.", 2), _row("c", OTHER, 3)]
    ranges = sdedup.band_ranges()
    buckets: dict[tuple[int, bytes], list[str]] = {}
    for row in rows:
        for key, aid in sdedup.band_keys(row, ranges):
            buckets.setdefault(key, []).append(aid)
    pairs = {p for ids in buckets.values() for p in sdedup.bucket_pairs(ids)}
    index = dedup.new_index()
    local = set()
    for row in rows:
        for cand in index.query(dedup.signature_from_bytes(row.signature)):
            local.add(tuple(sorted((cand, row.id))))
        index.insert(row.id, dedup.signature_from_bytes(row.signature))
    assert pairs == local
    assert ("a", "b") in pairs and ("a", "c") not in pairs


def test_empty_text_has_no_band_keys() -> None:
    assert sdedup.band_keys(_row("e", "", 1), sdedup.band_ranges()) == []


def test_components_union_find() -> None:
    family = sdedup.components([("b", "c"), ("a", "b"), ("x", "y")])
    assert family["a"] == family["b"] == family["c"] == "a"
    assert family["x"] == family["y"] == "x"


def test_replay_links_to_earliest_original_and_repoints() -> None:
    early = _row("early", BASE, 9, "2026-03-01")
    late = _row("late", BASE + " More later.", 5, "2026-03-02")
    later = _row("later", BASE + " Even more later on.", 12, "2026-03-03")
    links = sdedup.replay([early, late, later], [("late", "early"), ("later", "late")])
    # "late" came first; "early" predates it and becomes the original; "later" matched "late" only
    assert [(c.article, c.original) for c in links] == [("late", "early"), ("later", "early")]
    assert links[0].similarity == dedup.verify(set(late.shingles), set(early.shingles))


def test_replay_does_not_merge_families_through_a_bridge() -> None:
    a, b = _row("a", BASE, 1), _row("b", OTHER, 2)
    bridge = _row("x", BASE + " " + OTHER, 3)
    links = sdedup.replay([a, b, bridge], [("a", "x"), ("b", "x")])
    assert [(c.article, c.original) for c in links] == [("x", "a")]


def test_block_of_uses_window_sized_buckets() -> None:
    assert block_of(None, 7) == UNDATED
    monday = date(2026, 3, 2)
    assert block_of(monday, 7) == monday.toordinal() // 7
    assert block_of(date(2026, 3, 20), 7) != block_of(monday, 7)


def test_merge_states_keeps_earliest_id_and_widens_dates() -> None:
    a = StoryState(
        id="s-a",
        created_seq=3,
        size=2,
        terms={"ferry": 1.0},
        entities={"orrin": 1.0},
        first=date(2026, 3, 1),
        last=date(2026, 3, 6),
    )
    b = StoryState(
        id="s-b",
        created_seq=9,
        size=1,
        terms={"ferry": 0.5, "cable": 0.5},
        entities={},
        first=date(2026, 3, 8),
        last=date(2026, 3, 9),
    )
    merged = merge_states([b, a], top_terms=300)
    assert (merged.id, merged.size, merged.first, merged.last) == (
        "s-a",
        3,
        date(2026, 3, 1),
        date(2026, 3, 9),
    )
    assert merged.terms == {"ferry": 1.5, "cable": 0.5}


def test_adjacent_blocks_merge_only_the_same_event() -> None:
    from storydiff.spark.cluster import adjacent_merges
    from storydiff.stories.cluster import ClusterConfig

    ferry = {"ferry": 0.8, "cable": 0.5, "orrin": 0.3}
    early = StoryState(
        id="s-early",
        created_seq=1,
        size=3,
        terms=ferry,
        entities={"orrin": 1.0},
        first=date(2026, 3, 4),
        last=date(2026, 3, 7),
    )
    later = StoryState(
        id="s-later",
        created_seq=8,
        size=2,
        terms={"ferry": 0.7, "cable": 0.6, "winch": 0.2},
        entities={"orrin": 1.0},
        first=date(2026, 3, 9),
        last=date(2026, 3, 10),
    )
    choir = StoryState(
        id="s-choir",
        created_seq=9,
        size=1,
        terms={"choir": 0.9, "festival": 0.4},
        entities={"wessby": 1.0},
        first=date(2026, 3, 9),
        last=date(2026, 3, 9),
    )
    tagged = [("L", early.dumps()), ("R", later.dumps()), ("R", choir.dumps())]
    assert adjacent_merges(0, tagged, ClusterConfig()) == [("s-later", "s-early")]
