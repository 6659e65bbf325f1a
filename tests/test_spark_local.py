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
from storydiff.stories.config import ClusterConfig
from storydiff.stories.vectors import SparseVec

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
        aid, published, seq, shingles.tobytes(), dedup.signature_bytes(dedup.signature(shingles))
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
    buckets: dict[int, list[str]] = {}
    for row in rows:
        for key, aid in sdedup.band_keys(row):
            buckets.setdefault(key, []).append(aid)
    pairs = {p for ids in buckets.values() for p in sdedup.bucket_pairs(ids)}
    index = dedup.new_index()
    local = set()
    for row in rows:
        for cand in index.query(row.signature_array()):
            local.add(tuple(sorted((cand, row.id))))
        index.insert(row.id, row.signature_array())
    assert pairs == local
    assert ("a", "b") in pairs and ("a", "c") not in pairs
    assert sdedup.is_copy_pair(rows[0], rows[1]) and not sdedup.is_copy_pair(rows[0], rows[2])


def test_empty_text_has_no_band_keys() -> None:
    assert sdedup.band_keys(_row("e", "", 1)) == []


def test_components_union_find() -> None:
    family = sdedup.components([("b", "c"), ("a", "b"), ("x", "y")])
    assert family["a"] == family["b"] == family["c"] == "a"
    assert family["x"] == family["y"] == "x"


def test_replay_links_to_earliest_original_and_repoints() -> None:
    early = _row("early", BASE, 9, "2026-03-01")
    late = _row("late", BASE + " More later.", 5, "2026-03-02")
    later = _row("later", BASE + " Even more later on.", 12, "2026-03-03")
    replayed = sdedup.replay([early, late, later], [("late", "early"), ("later", "late")])
    links = replayed.links
    # "late" came first; "early" predates it and becomes the original; "later" matched "late" only
    assert [(c.article, c.original) for c in links] == [("late", "early"), ("later", "early")]
    assert links[0].similarity == dedup.verify(late.shingle_array(), early.shingle_array())
    # Each article's family root when it was linked: whose story a copy joins.
    assert replayed.roots == {"early": "late", "later": "early"}


def test_replay_does_not_merge_families_through_a_bridge() -> None:
    a, b = _row("a", BASE, 1), _row("b", OTHER, 2)
    bridge = _row("x", BASE + " " + OTHER, 3)
    replayed = sdedup.replay([a, b, bridge], [("a", "x"), ("b", "x")])
    assert [(c.article, c.original) for c in replayed.links] == [("x", "a")]


def test_block_of_uses_the_story_time_scale() -> None:
    assert block_of(None, 7) == UNDATED
    monday = date(2026, 3, 2)
    assert block_of(monday, 7) == monday.toordinal() // 7
    assert block_of(date(2026, 3, 20), 7) != block_of(monday, 7)


def test_refinement_points_and_prefix_frequencies_are_the_local_runs() -> None:
    from storydiff.spark.cluster import key_frequencies, refine_point

    # Chunks of 2 placed articles (seqs 1, 3 | 4, 7 | 9): refined after 3, after 7, at the end.
    boundaries = [3, 7, 9]
    assert [refine_point(s, boundaries) for s in (1, 3, 4, 7, 9)] == [3, 3, 7, 7, 9]
    # A key in articles 1 (counted), 4 (a copy: not counted) and 7 (counted).
    rows = sorted(key_frequencies(42, [(1, True), (4, False), (7, True)], boundaries))
    assert rows == [(1, (42, 0, 1)), (4, (42, None, 2)), (7, (42, 1, 2))]


def _state(
    sid: str, seq: int, days: list[str], terms: dict[str, float], names: dict[str, float]
) -> StoryState:
    state = StoryState(
        id=sid,
        created_seq=seq,
        size=len(days),
        terms=SparseVec.from_counts(terms),
        entities=SparseVec.from_counts({"@" + k: v for k, v in names.items()}),
    )
    for day in days:
        state.add_day(date.fromisoformat(day))
    return state


def test_merge_states_keeps_earliest_id_and_joins_days() -> None:
    a = _state("s-a", 3, ["2026-03-01", "2026-03-06"], {"ferry": 1.0}, {"orrin": 1.0})
    b = _state("s-b", 9, ["2026-03-08", "2026-03-09"], {"ferry": 0.5, "cable": 0.5}, {})
    merged = merge_states([b, a], ClusterConfig())
    assert (merged.id, merged.size, merged.first, merged.last) == (
        "s-a",
        4,
        date(2026, 3, 1),
        date(2026, 3, 9),
    )
    assert merged.terms == SparseVec.from_counts({"ferry": 1.5, "cable": 0.5})
    assert merged.keys  # findable by the local index once imported


def test_stories_of_two_blocks_merge_only_for_the_same_event() -> None:
    from storydiff.spark.cluster import best_merges, merge_score, pairs_across_blocks, story_keys

    cfg = ClusterConfig()
    ferry = {"ferry": 0.8, "cable": 0.5, "winch": 0.3}
    early = _state("s-early", 1, ["2026-03-04", "2026-03-07"], ferry, {"orrin": 1.0})
    later = _state("s-later", 8, ["2026-03-25"], {"ferry": 0.7, "cable": 0.6, "inquiry": 0.4}, {"orrin": 1.0})
    choir = _state("s-choir", 9, ["2026-03-09"], {"choir": 0.9, "festival": 0.4}, {"wessby": 1.0})
    old = _state("s-old", 10, ["2028-06-01"], ferry, {"orrin": 1.0})  # the same words two years on
    items = [(block_of(s.first, 7), s.dumps()) for s in (early, later, choir, old)]
    grouped: dict[int, list[tuple[int, bytes]]] = {}
    for item in items:
        for key, value in story_keys(item, cfg):
            grouped.setdefault(key, []).append(value)
    pairs = {p for group in grouped.values() for p in pairs_across_blocks(group)}
    scored = [s for pair in pairs for s in merge_score(pair, cfg)]
    assert best_merges(scored, cfg.threshold) == [("s-later", "s-early")]
    # A later story joins its best earlier one only, as an article joins its best candidate.
    assert best_merges([("b", (0.5, "a")), ("b", (0.7, "c")), ("d", (0.1, "a"))], 0.3) == [("b", "c")]
