"""A reported story as plain SQL tables: claims, statements, conflicts, quotes, entities, mentions.

Built from the report's JSON (the schema contract), written with the report in one transaction,
idempotent, replaced when the story changes, backfilled by the migration, loaded by `storydiff import`.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storydiff.cli import main
from storydiff.store import analysis, connect, transaction
from storydiff.store.schema import MIGRATIONS
from storydiff.store.stories import save_report
from tests.conftest import EXAMPLES

ANALYSIS = analysis.TABLES

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


def rows(db: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return [tuple(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    return {t: rows(db, f"SELECT rowid, * FROM {t} ORDER BY rowid") for t in (*ANALYSIS, "reports")}


def planted_report(db: Path, story: str) -> dict[str, Any]:
    """A report in the schema's shape over the story's stored articles, with known answers: a number
    conflict (The Coastal Ledger's "Twelve" against Northwind Herald's "Fourteen"), a corroborated and a
    single-source claim, a quotation and an entity with two spellings. Written by hand, so the tables
    are checked against answers that do not depend on the analysis."""
    conn = sqlite3.connect(db)
    found = {s: (i, t, x) for i, s, t, x in conn.execute("SELECT id, source, title, text FROM articles")}
    conn.close()
    articles, texts = [], {}
    for outlet in ("The Coastal Ledger", "Northwind Herald", "Meridian Wire"):
        article_id, title, body = found[outlet]
        texts[outlet] = (article_id, f"{title}\n\n{body}")
        articles.append(
            {"id": article_id, "source": outlet, "text": f"{title}\n\n{body}", "body_start": len(title) + 2}
        )

    def span(outlet: str, words: str) -> dict[str, Any]:
        article_id, text = texts[outlet]
        start = text.index(words, text.index("\n\n"))
        return {"article": article_id, "start": start, "end": start + len(words), "text": words}

    toll = {
        "The Coastal Ledger": "Twelve people died when a fire swept through",
        "Northwind Herald": "Fourteen people were killed",
        "Meridian Wire": "At least 12 people were killed",
    }
    return {
        "schema_version": "1",
        "story": {"id": story, "title": "Fire at Vestrahavn"},
        "articles": articles,
        "claims": [
            {
                "id": "g1",
                "status": "disputed",
                "sources": [texts[o][0] for o in toll],
                "independent_sources": 3,
                "statements": [span(o, words) for o, words in toll.items()],
            },
            {
                "id": "g2",
                "status": "single-source",
                "sources": [texts["Northwind Herald"][0]],
                "statements": [span("Northwind Herald", "34 injured")],
            },
        ],
        "conflicts": [
            {
                "id": "c1",
                "kind": "number",
                "claim": "g1",
                "values": [span("The Coastal Ledger", "Twelve"), span("Northwind Herald", "Fourteen")],
                "summary": "The Coastal Ledger: Twelve dead; Northwind Herald: Fourteen dead",
            },
            {
                "id": "c2",
                "kind": "spelling",
                "claim": "g1",
                "values": [span("Meridian Wire", "Vestrahavn"), span("Northwind Herald", "Vestrahaven")],
            },
        ],
        "quotes": [
            {
                "id": "q1",
                "speaker": "Anatoliy Kovalchuk",
                "agreement": "verbatim",
                "truncated": False,
                "occurrences": [span(o, "did everything they could") for o in toll],
                "diff": [],
            }
        ],
        "entities": [
            {
                "id": "e1",
                "name": "Vestrahavn",
                "type": "GPE",
                "variants": ["Vestrahavn", "Vestrahaven"],
                "mentions": [span("Meridian Wire", "Vestrahavn"), span("Northwind Herald", "Vestrahaven")],
            }
        ],
    }


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The harbor-fire example ingested and clustered (one story); (store, story id)."""
    db = str(tmp_path_factory.mktemp("analysis") / "store.db")
    cli("ingest", "--db", db, str(EXAMPLES / "harbor-fire"))
    cli("cluster", "--db", db)
    (story,) = json.loads(cli("stories", "--db", db, "--json"))
    return Path(db), story["id"]


@pytest.fixture
def planted(store: tuple[Path, str], tmp_path: Path) -> tuple[Path, str, dict[str, Any]]:
    """A copy of the store holding the planted report; (store, story id, report)."""
    source, story = store
    db = tmp_path / "planted.db"
    with sqlite3.connect(source) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    report = planted_report(db, story)
    conn = connect(db)
    with transaction(conn):
        assert save_report(conn, story, "fp", json.dumps(report)) is True
    conn.close()
    return db, story, report


@pytest.fixture(scope="module")
def reported(store: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A copy of the store whose story `storydiff report` analysed; (store, story id)."""
    source, story = store
    db = tmp_path_factory.mktemp("reported") / "store.db"
    with sqlite3.connect(source) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    cli("report", story[:6], "--db", str(db), "-o", str(db.with_suffix(".json")))
    return db, story


def test_number_conflicts_of_an_outlet_in_plain_sql(planted: tuple[Path, str, dict[str, Any]]) -> None:
    db, story, _ = planted
    northwind = rows(db, NUMBER_CONFLICTS_OF_OUTLET, "Northwind Herald")
    assert northwind == [(story, "c1", "The Coastal Ledger: Twelve dead; Northwind Herald: Fourteen dead")]
    assert rows(db, NUMBER_CONFLICTS_OF_OUTLET, "The Coastal Ledger") == northwind
    assert rows(db, NUMBER_CONFLICTS_OF_OUTLET, "Meridian Wire") == []  # only in the spelling conflict
    values = rows(
        db,
        "SELECT a.source, v.text FROM conflict_values v JOIN conflicts c USING (story_id, conflict_id)"
        " JOIN articles a ON a.id = v.article_id WHERE c.kind = 'number' ORDER BY v.position",
    )
    assert values == [("The Coastal Ledger", "Twelve"), ("Northwind Herald", "Fourteen")]
    single = rows(
        db,
        "SELECT a.source, s.text FROM claims k JOIN statements s USING (story_id, claim_id)"
        " JOIN articles a ON a.id = s.article_id WHERE k.status = 'single-source'",
    )
    assert single == [("Northwind Herald", "34 injured")]
    speakers = rows(db, "SELECT speaker, agreement, truncated, n_occurrences FROM quotes")
    assert speakers == [("Anatoliy Kovalchuk", "verbatim", 0, 3)]
    (variants,) = rows(db, "SELECT variants FROM entities WHERE name = 'Vestrahavn'")[0]
    assert json.loads(str(variants)) == ["Vestrahavn", "Vestrahaven"]
    (extra,) = rows(db, "SELECT extra FROM quotes")[0]
    assert json.loads(str(extra)) == {"diff": []}  # a field without a column of its own


def assert_tables_hold(db: Path, story: str, report: dict[str, Any]) -> None:
    """The tables hold every item of the report, and every span is its article's text at its offsets."""
    counts = {t: rows(db, f"SELECT count(*) FROM {t} WHERE story_id = ?", story)[0][0] for t in ANALYSIS}
    assert counts["report_articles"] == len(report["articles"])
    assert counts["claims"] == len(report["claims"]) > 0
    assert counts["statements"] == sum(len(c["statements"]) for c in report["claims"])
    assert counts["conflicts"] == len(report["conflicts"]) and counts["quotes"] == len(report["quotes"])
    assert counts["conflict_values"] == sum(len(c["values"]) for c in report["conflicts"])
    assert counts["quote_occurrences"] == sum(len(q["occurrences"]) for q in report["quotes"])
    assert counts["entities"] == len(report["entities"])
    assert counts["mentions"] == sum(len(e["mentions"]) for e in report["entities"])
    statuses = rows(db, "SELECT claim_id, status FROM claims WHERE story_id = ? ORDER BY claim_id", story)
    assert dict(statuses) == {c["id"]: c.get("status") for c in report["claims"]}
    # Spans index the report's text of an article (headline, blank line, articles.text): report_texts.
    texts = rows(db, "SELECT article_id, text FROM report_texts WHERE story_id = ?", story)
    assert dict(texts) == {a["id"]: a["text"] for a in report["articles"]}
    for table in ("statements", "conflict_values", "quote_occurrences", "mentions"):
        wrong = rows(
            db,
            f"SELECT count(*) FROM {table} t JOIN report_texts r USING (story_id, article_id)"
            " WHERE substr(r.text, t.start + 1, t.end - t.start) IS NOT t.text",
        )[0][0]
        assert wrong == 0, table


def test_the_tables_hold_the_planted_report(planted: tuple[Path, str, dict[str, Any]]) -> None:
    assert_tables_hold(*planted)


def test_storydiff_report_fills_the_tables_from_its_json(reported: tuple[Path, str]) -> None:
    db, story = reported
    (text,) = rows(db, "SELECT json FROM reports WHERE story_id = ?", story)[0]
    assert_tables_hold(db, story, json.loads(str(text)))


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
    planted: tuple[Path, str, dict[str, Any]],
) -> None:
    db, story, report = planted
    conn = connect(db)
    changed = json.loads(json.dumps(report))
    changed["conflicts"] = [c for c in changed["conflicts"] if c["kind"] != "number"]
    changed["claims"][0]["statements"][0]["stance"] = "asserts"  # a field the analysis may add later
    changed["claims"][0]["novel_field"] = {"weight": 2}
    text = json.dumps(changed)

    def broken(*args: object) -> None:
        raise RuntimeError("disk full")

    # A failure while writing the rows leaves the old report and all its rows.
    before = snapshot(db)
    original = analysis.write_rows
    analysis.write_rows = broken  # type: ignore[assignment]
    try:
        with pytest.raises(RuntimeError), transaction(conn):
            save_report(conn, story, "fp2", text)
    finally:
        analysis.write_rows = original  # type: ignore[assignment]
    assert snapshot(db) == before
    with transaction(conn):
        assert save_report(conn, story, "fp2", text) is True
    conn.close()
    assert rows(db, NUMBER_CONFLICTS_OF_OUTLET, "Northwind Herald") == []
    assert rows(db, "SELECT conflict_id FROM conflicts") == [("c2",)]
    assert rows(db, "SELECT stance FROM statements WHERE claim_id = 'g1' AND position = 0") == [("asserts",)]
    (extra,) = rows(db, "SELECT extra FROM claims WHERE claim_id = 'g1'")[0]
    assert json.loads(str(extra)) == {"novel_field": {"weight": 2}}
    assert_tables_hold(db, story, changed)


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
    tmp_path: Path, planted: tuple[Path, str, dict[str, Any]]
) -> None:
    source, story, report = planted
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
    conn.execute(
        "INSERT INTO reports (story_id, fingerprint, json) VALUES (?, 'fp', ?)", (story, json.dumps(report))
    )
    conn.commit()
    conn.close()
    migrated = connect(old)
    assert migrated.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 3
    migrated.close()
    assert rows(old, NUMBER_CONFLICTS_OF_OUTLET, "Northwind Herald") == [
        (story, "c1", "The Coastal Ledger: Twelve dead; Northwind Herald: Fourteen dead")
    ]
    assert_tables_hold(old, story, report)


def test_import_of_spark_output_fills_the_tables_once(
    tmp_path: Path, planted: tuple[Path, str, dict[str, Any]]
) -> None:
    """`storydiff import` of a Spark output directory (Parquet tables, written here with pyarrow as the
    Spark engine writes them) stores reports with their analysis tables; a second import writes nothing."""
    pa = pytest.importorskip("pyarrow", reason="pyarrow comes with the spark extra")
    import pyarrow.parquet as pq

    source, story, report = planted
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
    assert rows(Path(db), NUMBER_CONFLICTS_OF_OUTLET, "Northwind Herald") == [
        (story, "c1", "The Coastal Ledger: Twelve dead; Northwind Herald: Fourteen dead")
    ]
    assert_tables_hold(Path(db), story, report)
    before = snapshot(Path(db))
    again = CliRunner().invoke(main, ["import", str(out), "--db", db])
    assert again.exit_code == 0, again.output
    assert snapshot(Path(db)) == before


def test_every_query_of_docs_store_md_runs(planted: tuple[Path, str, dict[str, Any]]) -> None:
    import re

    db, story, _ = planted
    doc = (Path(__file__).resolve().parents[1] / "docs" / "store.md").read_text(encoding="utf-8")
    queries = re.findall(r"```sql\n(.*?)```", doc, flags=re.S)
    assert len(queries) >= 5
    answered = [rows(db, q.replace("s-61ae72820b5143cb", story)) for q in queries]
    assert all(answered), [q[:60] for q, a in zip(queries, answered, strict=True) if not a]
