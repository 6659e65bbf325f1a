"""A reported story as plain SQL tables: claims, statements, conflicts, quotes, entities, mentions.

Built from the report's JSON (the schema contract), written with the report in one transaction,
idempotent, replaced when the story changes, backfilled by the migration, loaded by `storydiff import`.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from storydiff.cli import main
from storydiff.store import analysis, connect, transaction
from storydiff.store.schema import MIGRATIONS
from storydiff.store.stories import save_report
from tests.conftest import EXAMPLES

ANALYSIS = (
    "report_articles",
    "claims",
    "statements",
    "conflicts",
    "conflict_values",
    "quotes",
    "quote_occurrences",
    "entities",
    "mentions",
)

# "All number conflicts involving outlet X", as a user types it in sqlite3 or Datasette.
NUMBER_CONFLICTS_OF_OUTLET = """
SELECT DISTINCT c.story_id, c.conflict_id, c.summary
FROM conflicts c
JOIN conflict_values v ON v.story_id = c.story_id AND v.conflict_id = c.conflict_id
JOIN articles a ON a.id = v.article_id
WHERE c.kind = 'number' AND a.source = ?
ORDER BY c.story_id, c.conflict_id
"""


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A store of the harbor-fire example, clustered, with the story reported; (store, story id)."""
    db = str(tmp_path_factory.mktemp("analysis") / "store.db")
    cli("ingest", "--db", db, str(EXAMPLES / "harbor-fire"))
    cli("cluster", "--db", db)
    (story,) = json.loads(cli("stories", "--db", db, "--json"))
    cli("report", story["id"][:6], "--db", db, "-o", str(Path(db).with_suffix(".json")))
    return Path(db), story["id"]


def rows(db: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return [tuple(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    return {t: rows(db, f"SELECT rowid, * FROM {t} ORDER BY rowid") for t in (*ANALYSIS, "reports")}


def test_number_conflicts_of_an_outlet_in_plain_sql(reported: tuple[Path, str]) -> None:
    db, story = reported
    # The example's planted number conflict: The Coastal Ledger's "Twelve dead" against Northwind
    # Herald's "Fourteen" (answers.json); Meridian Wire says "at least 12", which agrees with both.
    northwind = rows(db, NUMBER_CONFLICTS_OF_OUTLET, "Northwind Herald")
    assert len(northwind) == 1 and northwind[0][0] == story and "Fourteen" in str(northwind[0][2])
    assert rows(db, NUMBER_CONFLICTS_OF_OUTLET, "The Coastal Ledger") == northwind
    assert rows(db, NUMBER_CONFLICTS_OF_OUTLET, "Meridian Wire") == []
    values = rows(
        db,
        "SELECT a.source, v.text FROM conflict_values v JOIN conflicts c USING (story_id, conflict_id)"
        " JOIN articles a ON a.id = v.article_id WHERE c.kind = 'number' ORDER BY v.position",
    )
    assert ("Northwind Herald", "Fourteen") in values and ("The Coastal Ledger", "Twelve") in values


def test_the_tables_hold_the_whole_report(reported: tuple[Path, str]) -> None:
    db, story = reported
    (text,) = rows(db, "SELECT json FROM reports WHERE story_id = ?", story)[0]
    report = json.loads(str(text))
    counts = {t: rows(db, f"SELECT count(*) FROM {t} WHERE story_id = ?", story)[0][0] for t in ANALYSIS}
    assert counts["claims"] == len(report["claims"]) > 10
    assert counts["statements"] == sum(len(c["statements"]) for c in report["claims"])
    assert counts["conflicts"] == len(report["conflicts"]) and counts["quotes"] == len(report["quotes"])
    assert counts["conflict_values"] == sum(len(c["values"]) for c in report["conflicts"])
    assert counts["quote_occurrences"] == sum(len(q["occurrences"]) for q in report["quotes"])
    assert counts["entities"] == len(report["entities"])
    assert counts["mentions"] == sum(len(e["mentions"]) for e in report["entities"])
    disputed = rows(db, "SELECT count(*) FROM claims WHERE story_id = ? AND status = 'disputed'", story)[0][0]
    assert disputed == sum(c.get("status") == "disputed" for c in report["claims"]) > 0
    # Every span points at its article's text in the report (headline, blank line, articles.text).
    texts = rows(db, "SELECT article_id, text FROM report_texts WHERE story_id = ?", story)
    assert dict(texts) == {a["id"]: a["text"] for a in report["articles"]}
    for table in ("statements", "conflict_values", "quote_occurrences", "mentions"):
        wrong = rows(
            db,
            f"SELECT count(*) FROM {table} t JOIN report_texts r USING (story_id, article_id)"
            " WHERE substr(r.text, t.start + 1, t.end - t.start) IS NOT t.text",
        )[0][0]
        assert wrong == 0, table
    speakers = {r[0] for r in rows(db, "SELECT speaker FROM quotes WHERE story_id = ?", story)}
    assert "Anatoliy Kovalchuk" in speakers
    variants = rows(db, "SELECT variants FROM entities WHERE name = 'Vestrahavn'")
    assert variants and "Vestrahaven" in json.loads(str(variants[0][0]))


def test_re_reporting_an_unchanged_story_changes_nothing(reported: tuple[Path, str]) -> None:
    db, story = reported
    before = snapshot(db)
    cli("report", story, "--db", str(db), "--format", "json")
    conn = connect(db)
    (fp, text) = conn.execute("SELECT fingerprint, json FROM reports WHERE story_id = ?", (story,)).fetchone()
    with transaction(conn):
        assert save_report(conn, story, fp, text) is False  # the same report: nothing written
    conn.close()
    assert snapshot(db) == before


def test_a_changed_report_replaces_its_rows_in_one_transaction(
    tmp_path: Path, reported: tuple[Path, str]
) -> None:
    source, story = reported
    db = tmp_path / "copy.db"
    with sqlite3.connect(source) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    conn = connect(db)
    fp, text = conn.execute("SELECT fingerprint, json FROM reports WHERE story_id = ?", (story,)).fetchone()
    report = json.loads(text)
    report["conflicts"] = [c for c in report["conflicts"] if c["kind"] != "number"]
    report["claims"][0]["statements"][0]["stance"] = "asserts"  # a field the analysis may add later
    report["claims"][0]["novel_field"] = {"weight": 2}
    changed = json.dumps(report)

    def broken(*args: object) -> None:
        raise RuntimeError("disk full")

    # A failure while writing the rows leaves the old report and all its rows.
    before = snapshot(db)
    original = analysis.write_rows
    analysis.write_rows = broken  # type: ignore[assignment]
    try:
        with pytest.raises(RuntimeError), transaction(conn):
            save_report(conn, story, fp + "x", changed)
    finally:
        analysis.write_rows = original  # type: ignore[assignment]
    assert snapshot(db) == before
    with transaction(conn):
        assert save_report(conn, story, fp + "x", changed) is True
    conn.close()
    assert rows(db, NUMBER_CONFLICTS_OF_OUTLET, "Northwind Herald") == []
    assert rows(db, "SELECT count(*) FROM conflicts WHERE story_id = ?", story)[0][0] == len(
        report["conflicts"]
    )
    stance = rows(
        db,
        "SELECT stance FROM statements WHERE story_id = ? AND claim_id = ? AND position = 0",
        story,
        report["claims"][0]["id"],
    )
    assert stance == [("asserts",)]
    (extra,) = rows(
        db, "SELECT extra FROM claims WHERE story_id = ? AND claim_id = ?", story, report["claims"][0]["id"]
    )[0]
    assert json.loads(str(extra)) == {"novel_field": {"weight": 2}}


def test_a_story_whose_members_change_loses_its_stale_report(tmp_path: Path) -> None:
    db = str(tmp_path / "grow.db")
    fire = EXAMPLES / "harbor-fire"
    cli("ingest", "--db", db, str(fire / "coastal-ledger.html"), str(fire / "meridian-wire.html"))
    cli("cluster", "--db", db)
    (story,) = json.loads(cli("stories", "--db", db, "--json"))
    cli("report", story["id"], "--db", db, "--format", "json")
    assert rows(Path(db), "SELECT count(*) FROM claims")[0][0] > 0
    cli("ingest", "--db", db, str(fire / "northwind-herald.html"))
    cli("cluster", "--db", db)
    (grown,) = json.loads(cli("stories", "--db", db, "--json"))
    assert grown["id"] == story["id"] and grown["size"] == 3
    # The old report described two articles: it and its rows are gone until the story is reported again.
    assert rows(Path(db), "SELECT count(*) FROM reports")[0][0] == 0
    assert rows(Path(db), "SELECT count(*) FROM claims")[0][0] == 0
    cli("report", story["id"], "--db", db, "--format", "json")
    assert rows(Path(db), "SELECT count(DISTINCT article_id) FROM statements")[0][0] == 3


def test_the_migration_fills_the_tables_from_reports_already_stored(
    tmp_path: Path, reported: tuple[Path, str]
) -> None:
    source, story = reported
    (text,) = rows(source, "SELECT json FROM reports WHERE story_id = ?", story)[0]
    old = tmp_path / "v2.db"
    conn = sqlite3.connect(old)
    for migration in MIGRATIONS[:2]:
        conn.executescript(migration)
    conn.execute("PRAGMA user_version = 2")
    with sqlite3.connect(source) as src:
        for table in ("articles", "stories", "story_articles"):
            columns = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
            marks = ", ".join("?" * len(columns))
            conn.executemany(f"INSERT INTO {table} VALUES ({marks})", src.execute(f"SELECT * FROM {table}"))
    conn.execute("INSERT INTO reports (story_id, fingerprint, json) VALUES (?, 'fp', ?)", (story, text))
    conn.commit()
    conn.close()
    migrated = connect(old)
    assert migrated.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 3
    migrated.close()
    assert rows(old, NUMBER_CONFLICTS_OF_OUTLET, "Northwind Herald") == rows(
        source, NUMBER_CONFLICTS_OF_OUTLET, "Northwind Herald"
    )


def test_import_of_spark_output_fills_the_tables_once(tmp_path: Path, reported: tuple[Path, str]) -> None:
    """`storydiff import` of a Spark output directory (Parquet tables, written here with pyarrow as the
    Spark engine writes them) stores reports with their analysis tables; a second import writes nothing."""
    pa = pytest.importorskip("pyarrow", reason="pyarrow comes with the spark extra")
    import pyarrow.parquet as pq

    source, story = reported
    out = tmp_path / "spark"
    with sqlite3.connect(source) as src:
        src.row_factory = sqlite3.Row
        for table, sql in (
            (
                "articles",
                "SELECT seq, id, source, url, title, byline, published, language, text, origin, raw, raw_format FROM articles",
            ),
            (
                "stories",
                "SELECT id, title, first_published, last_published, size, state, created_seq FROM stories",
            ),
            ("story_articles", "SELECT article_id, story_id, score FROM story_articles"),
            ("reports", "SELECT story_id, fingerprint, json FROM reports"),
        ):
            records = [dict(r) for r in src.execute(sql)]
            (out / table).mkdir(parents=True)
            pq.write_table(pa.Table.from_pylist(records), out / table / "part-0.parquet")
    db = str(tmp_path / "imported.db")
    first = CliRunner().invoke(main, ["import", str(out), "--db", db])
    assert first.exit_code == 0, first.output
    assert rows(Path(db), NUMBER_CONFLICTS_OF_OUTLET, "Northwind Herald") == rows(
        source, NUMBER_CONFLICTS_OF_OUTLET, "Northwind Herald"
    )
    before = snapshot(Path(db))
    again = CliRunner().invoke(main, ["import", str(out), "--db", db])
    assert again.exit_code == 0, again.output
    assert snapshot(Path(db)) == before


def test_every_query_of_docs_store_md_runs(reported: tuple[Path, str]) -> None:
    import re

    db, story = reported
    doc = (Path(__file__).resolve().parents[1] / "docs" / "store.md").read_text(encoding="utf-8")
    queries = re.findall(r"```sql\n(.*?)```", doc, flags=re.S)
    assert len(queries) >= 5
    answered = [rows(db, q.replace("s-61ae72820b5143cb", story)) for q in queries]
    assert all(answered), [q[:60] for q, a in zip(queries, answered, strict=True) if not a]
