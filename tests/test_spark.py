"""Spark local[2] gives the local engine's articles, copies, stories and reports; bad records and
failing stories become error rows. One SparkSession for the whole module (start-up is slow)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storydiff.cli import main

pytestmark = pytest.mark.spark

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def spark() -> Any:
    from storydiff.spark.session import SparkUnavailable, get_session

    try:
        session = get_session("local[2]", conf={"spark.sql.shuffle.partitions": "4"})
    except SparkUnavailable as exc:
        pytest.skip(f"Spark tests need PySpark and Java: {exc}")
    yield session
    session.stop()


def _copy_records() -> list[dict[str, Any]]:
    """Fictional wire copies of the Kalvren example: one lightly edited, one truncated, other outlets."""
    records = [
        json.loads(line)
        for line in (EXAMPLES / "kalvren-bridge" / "articles.jsonl").read_text().splitlines()
        if line.strip()
    ]
    base = records[0]
    paragraphs = base["text"].split("\n\n")
    edited = dict(
        base,
        source="Lakeshore Evening Star",
        url="https://lakeshore-star.example/kalvren",
        published="2026-11-15T11:30:00+00:00",
        text=base["text"] + "\n\nMore to follow.",
    )
    truncated = dict(
        base,
        source="Hill Country Bulletin",
        url="https://hill-bulletin.example/kalvren",
        published="2026-11-15T12:00:00+00:00",
        text="\n\n".join(paragraphs[: max(3, len(paragraphs) - 2)]),
    )
    return [edited, truncated]


# Publication dates moved into the Kalvren bridge story's week (2026-11-15..21), so the whole corpus is one
# time block of the Spark engine: only then is it the local run exactly (each block weighs terms by its own
# articles; see spark/cluster.py). The example files keep their formats (HTML, text, RSS, JSON Lines).
SAME_WEEK = {
    "harbor-fire": [
        ("2026-10-28", "2026-11-17"),
        ("2026/10/28", "2026/11/17"),
        ("28 October 2026", "17 November 2026"),
    ],
    "tessel-flood": [("Wed, 09 Sep 2026", "Wed, 18 Nov 2026"), ("2026/09/09", "2026/11/18")],
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    for story in ("harbor-fire", "kalvren-bridge", "tessel-flood"):
        shutil.copytree(EXAMPLES / story, root / story)
        for path in (root / story).iterdir():
            text = path.read_text(encoding="utf-8")
            for old, new in SAME_WEEK.get(story, []):
                text = text.replace(old, new)
            path.write_text(text, encoding="utf-8")
    # In a folder that sorts after the examples: the copies are ingested after their original.
    (root / "wire").mkdir()
    with open(root / "wire" / "copies.jsonl", "w", encoding="utf-8") as fh:
        for record in _copy_records():
            fh.write(json.dumps(record) + "\n")
    return root


@pytest.fixture(scope="module")
def local(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The local engine through its CLI: ingest, cluster, report every story."""
    db = str(tmp_path_factory.mktemp("local") / "local.db")
    runner = CliRunner()
    for args in (["ingest", str(corpus), "--db", db], ["cluster", "--db", db]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db)
    days = {row[0][:10] for row in conn.execute("SELECT published FROM articles")}
    assert min(days) >= "2026-11-15" and max(days) <= "2026-11-21", days  # one Spark time block
    stories = dict(conn.execute("SELECT id, title FROM stories"))
    reports = {}
    for sid in stories:
        result = runner.invoke(main, ["report", sid, "--db", db])
        assert result.exit_code == 0, result.output
        reports[sid] = json.loads(result.output)
    return {
        "articles": dict(conn.execute("SELECT id, seq FROM articles")),
        "copies": {
            (a, o): s for a, o, s in conn.execute("SELECT article_id, original_id, similarity FROM copies")
        },
        "members": dict(conn.execute("SELECT article_id, story_id FROM story_articles")),
        "titles": stories,
        "reports": reports,
    }


@pytest.fixture(scope="module")
def spark_out(spark: Any, corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from storydiff.spark.cluster import cluster
    from storydiff.spark.ingest import ingest
    from storydiff.spark.report import report

    out = str(tmp_path_factory.mktemp("spark") / "out")
    summaries = {
        "ingest": ingest(spark, [str(corpus)], out),
        "cluster": cluster(spark, out),
        "report": report(spark, out),
    }
    return {"out": out, **summaries}


def _table(out: str, name: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    return pq.read_table(f"{out}/{name}").to_pylist()


def _comparable(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k not in ("timings", "articles")} | {
        "articles": [{k: v for k, v in a.items() if k != "origin"} for a in report["articles"]]
    }


def test_same_articles_in_the_same_order(local: dict[str, Any], spark_out: dict[str, Any]) -> None:
    rows = _table(spark_out["out"], "articles")
    assert {r["id"]: r["seq"] for r in rows} == local["articles"]
    assert spark_out["ingest"].errors == 0


def test_same_copies(local: dict[str, Any], spark_out: dict[str, Any]) -> None:
    copies = {
        (r["article_id"], r["original_id"]): r["similarity"] for r in _table(spark_out["out"], "copies")
    }
    assert len(local["copies"]) >= 2  # the generated wire copies are found
    assert copies.keys() == local["copies"].keys()
    for pair, sim in copies.items():
        assert sim == pytest.approx(local["copies"][pair])


def test_same_stories(local: dict[str, Any], spark_out: dict[str, Any]) -> None:
    members = {r["article_id"]: r["story_id"] for r in _table(spark_out["out"], "story_articles")}
    assert members == local["members"]
    titles = {r["id"]: r["title"] for r in _table(spark_out["out"], "stories")}
    assert titles == local["titles"]
    assert spark_out["cluster"].errors == 0


def test_same_reports(local: dict[str, Any], spark_out: dict[str, Any]) -> None:
    reports = {r["story_id"]: json.loads(r["json"]) for r in _table(spark_out["out"], "reports")}
    assert reports.keys() == local["reports"].keys()
    for sid, rep in reports.items():
        assert _comparable(rep) == _comparable(local["reports"][sid]), sid
    claims = _table(spark_out["out"], "claims")
    assert len(claims) == sum(len(r["claims"]) for r in reports.values())
    conflicts = {(r["story_id"], r["conflict_id"]) for r in _table(spark_out["out"], "conflicts")}
    assert conflicts == {(sid, c["id"]) for sid, r in reports.items() for c in r["conflicts"]}
    assert spark_out["report"].errors == 0


def test_import_loads_store_that_report_reads_as_fresh(
    spark_out: dict[str, Any], local: dict[str, Any], tmp_path: Path
) -> None:
    db = str(tmp_path / "imported.db")
    runner = CliRunner()
    first = runner.invoke(main, ["import", spark_out["out"], "--db", db])
    assert first.exit_code == 0, first.output
    conn = sqlite3.connect(db)
    snapshot = [
        conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
        for t in ("articles", "copies", "stories", "story_articles", "reports")
    ]
    assert dict(conn.execute("SELECT article_id, story_id FROM story_articles")) == local["members"]
    # The cached report is served as is (no re-analysis): its timings are Spark's.
    sid = next(iter(local["titles"]))
    shown = runner.invoke(main, ["report", sid, "--db", db])
    cached = conn.execute("SELECT json FROM reports WHERE story_id = ?", (sid,)).fetchone()[0]
    assert shown.exit_code == 0 and json.loads(shown.output) == json.loads(cached)
    again = runner.invoke(main, ["import", spark_out["out"], "--db", db])
    assert again.exit_code == 0
    assert snapshot == [
        conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
        for t in ("articles", "copies", "stories", "story_articles", "reports")
    ]


def _write_articles(path: Path, rows: list[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from storydiff.spark.ingest import ARTICLE_FIELDS

    path.mkdir(parents=True)
    table = pa.table(
        {f: [r.get(f) for r in rows] for f in ARTICLE_FIELDS},
        schema=pa.schema(
            [
                (f, pa.int64() if f == "seq" else pa.binary() if f == "raw" else pa.string())
                for f in ARTICLE_FIELDS
            ]
        ),
    )
    pq.write_table(table, path / "part-0.parquet")


def test_bad_records_and_failing_stories_become_error_rows(spark: Any, tmp_path: Path) -> None:
    from storydiff.spark.cluster import cluster
    from storydiff.spark.report import report

    records = [
        json.loads(line)
        for line in (EXAMPLES / "kalvren-bridge" / "articles.jsonl").read_text().splitlines()
        if line.strip()
    ][:3]
    rows = [
        {
            "id": f"good{i}",
            "seq": i + 1,
            "source": r["source"],
            "title": r["title"],
            "text": r["text"],
            "published": r["published"],
            "language": "en",
        }
        for i, r in enumerate(records)
    ]
    rows.append(
        {"id": "noseq", "seq": None, "source": "Broken Feed", "title": "Orphan", "text": "Some text here."}
    )
    out = tmp_path / "out"
    _write_articles(out / "articles", rows)
    summary = cluster(spark, str(out))
    errors = _table(str(out), "cluster_errors")
    assert "noseq" in {e["origin"] for e in errors}
    assert summary.articles == 3  # the good articles are all clustered
    # A story whose comparison raises (a member with a non-text body) is an error row; others still report.
    import pyarrow.parquet as pq

    stories = _table(str(out), "stories")
    members = _table(str(out), "story_articles")
    bad = dict(rows[0], id="badtext", seq=99, text=None, title="Unreadable")
    shutil.rmtree(out / "articles")
    _write_articles(out / "articles", rows[:3] + [bad])
    import pyarrow as pa

    pq.write_table(
        pa.Table.from_pylist([dict(stories[0], id="s-badtext", title="Unreadable")]),
        out / "stories" / "part-extra.parquet",
    )
    pq.write_table(
        pa.Table.from_pylist([{"article_id": "badtext", "story_id": "s-badtext", "score": 1.0}]),
        out / "story_articles" / "part-extra.parquet",
    )
    result = report(spark, str(out))
    failed = _table(str(out), "report_errors")
    assert [e["origin"] for e in failed] == ["s-badtext"]
    written = {r["story_id"] for r in _table(str(out), "reports")}
    assert written == {m["story_id"] for m in members}
    assert result.stories == len(written) and result.errors == 1
