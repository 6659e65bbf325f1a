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


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled examples with their own dates (three time blocks: September, October, November) and
    generated wire copies."""
    root = tmp_path_factory.mktemp("corpus")
    for story in ("harbor-fire", "kalvren-bridge", "tessel-flood"):
        shutil.copytree(EXAMPLES / story, root / story)
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
        "scores": dict(conn.execute("SELECT article_id, score FROM story_articles")),
        "stories": {
            r[0]: r[1:] for r in conn.execute("SELECT id, size, first_published, last_published FROM stories")
        },
        "df": dict(conn.execute("SELECT term, df FROM term_df")),
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
    rows = _table(spark_out["out"], "story_articles")
    assert {r["article_id"]: r["story_id"] for r in rows} == local["members"]
    assert {r["article_id"]: r["score"] for r in rows} == local["scores"]
    stories = _table(spark_out["out"], "stories")
    assert {r["id"]: r["title"] for r in stories} == local["titles"]
    assert {r["id"]: (r["size"], r["first_published"], r["last_published"]) for r in stories} == local[
        "stories"
    ]
    # The weights of every later local run start from the same document frequencies.
    assert {r["term"]: r["df"] for r in _table(spark_out["out"], "term_df")} == local["df"]
    summary = spark_out["cluster"]
    assert summary.errors == 0 and summary.blocks == 3 and summary.crossing == 0
    assert "every story fits one of the 3 time blocks" in summary.line()


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


def test_a_follow_up_in_a_later_time_block_is_merged_and_said_so(spark: Any, tmp_path: Path) -> None:
    """The fictional stream whose inquiry report comes three weeks after the capsizing: in another time block
    when blocks are a week. Spark joins it on the stories' summaries, as the local engine does article by
    article, and says so."""
    from storydiff.spark.cluster import cluster
    from storydiff.spark.ingest import ingest
    from storydiff.stories.config import ClusterConfig

    records = json.loads((ROOT / "tests" / "fixtures" / "stories" / "timeline.json").read_text())
    (tmp_path / "in").mkdir()
    with open(tmp_path / "in" / "timeline.jsonl", "w", encoding="utf-8") as fh:
        for i, rec in enumerate(records):
            fh.write(json.dumps({**rec, "url": f"https://timeline.example/{i}"}) + "\n")
    out = str(tmp_path / "out")
    ingest(spark, [str(tmp_path / "in")], out)
    # The default four-week blocks hold the whole stream: the local engine's stories, said so.
    whole = cluster(spark, out)
    assert (whole.blocks, whole.crossing) == (1, 0) and "every story fits" not in whole.line()
    stories_whole = {r["article_id"]: r["story_id"] for r in _table(out, "story_articles")}
    summary = cluster(spark, out, config=ClusterConfig(block_days=7))
    assert summary.blocks >= 2 and summary.crossing == 1 and summary.errors == 0
    assert (
        "span several of the" in summary.line() and "differently from 'storydiff cluster'" in summary.line()
    )
    urls = {r["id"]: r["url"] for r in _table(out, "articles")}
    event = {f"https://timeline.example/{i}": rec["event"] for i, rec in enumerate(records)}
    groups: dict[str, set[str]] = {}
    for row in _table(out, "story_articles"):
        groups.setdefault(row["story_id"], set()).add(event[urls[row["article_id"]]])
    assert sorted(map(sorted, groups.values())) == [
        ["brenna-election"],
        ["oskarhavn-school-fire"],
        ["tovra-ferry"],
    ]
    db = str(tmp_path / "local.db")
    runner = CliRunner()
    for args in (["ingest", str(tmp_path / "in"), "--db", db], ["cluster", "--db", db]):
        assert runner.invoke(main, args).exit_code == 0
    local = dict(sqlite3.connect(db).execute("SELECT article_id, story_id FROM story_articles"))
    assert local == {r["article_id"]: r["story_id"] for r in _table(out, "story_articles")} == stories_whole
