"""Spark report: one ``analyse.pipeline.compare`` per story, on the executors.

Members and copies are joined to their story and grouped by story; each group is compared exactly as
``storydiff report`` compares a story of the store. A story whose comparison raises becomes a row of
``report_errors`` and the other stories' reports are still written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from storydiff import render
from storydiff.spark.cluster import ERRORS, _schema

REPORTS = "story_id:s,fingerprint:s,title:s,json:s"
CLAIMS = "story_id:s,claim_id:s,status:s,sources:s,statements:l,json:s"
CONFLICTS = "story_id:s,conflict_id:s,kind:s,claim_id:s,summary:s,json:s"
QUOTES = "story_id:s,quote_id:s,speaker:s,agreement:s,json:s"
ENTITIES = "story_id:s,entity_id:s,name:s,type:s,json:s"
TABLES = {
    "reports": REPORTS,
    "claims": CLAIMS,
    "conflicts": CONFLICTS,
    "quotes": QUOTES,
    "entities": ENTITIES,
}


@dataclass(slots=True)
class ReportSummary:
    stories: int
    errors: int


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def flatten(story_id: str, report: dict[str, Any]) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """The report's claims, conflicts, quotes and entities as table rows (each with its full JSON)."""
    for c in report.get("claims", []):
        yield (
            "claims",
            (
                story_id,
                c.get("id"),
                c.get("status"),
                _text(c.get("sources")),
                len(c.get("statements", [])),
                _text(c),
            ),
        )
    for c in report.get("conflicts", []):
        yield (
            "conflicts",
            (story_id, c.get("id"), c.get("kind"), _text(c.get("claim")), _text(c.get("summary")), _text(c)),
        )
    for q in report.get("quotes", []):
        yield "quotes", (story_id, q.get("id"), _text(q.get("speaker")), _text(q.get("agreement")), _text(q))
    for e in report.get("entities", []):
        yield "entities", (story_id, e.get("id"), _text(e.get("name")), _text(e.get("type")), _text(e))


def compare_story(
    story_id: str,
    title: str | None,
    members: Iterable[dict[str, Any]],
    copies: Iterable[tuple[str, str, float]],
) -> Iterator[tuple[str, Any]]:
    """One story -> ("reports", row), flattened rows, or a single ("errors", fields); never raises."""
    from storydiff.analyse.pipeline import compare
    from storydiff.model import Copy
    from storydiff.spark.ingest import row_article
    from storydiff.stories.reports import report_key

    try:
        ordered = sorted(members, key=lambda m: m["seq"])
        articles = [row_article({**m, "raw": None}) for m in ordered]
        links = [Copy(article=a, original=o, similarity=s) for a, o, s in sorted(copies)]
        result = compare(articles, copies=links, story_id=story_id, story_title=title)
        data = render.to_dict(result)
        # Serialised as the store caches reports (stories/reports.py), so an import reads the same text.
        text = json.dumps(data, ensure_ascii=False)
        rows = list(flatten(story_id, data))
    except Exception as exc:  # noqa: BLE001 - one story's failure is reported, never fatal
        yield "errors", {"origin": story_id, "stage": "report", "reason": f"{type(exc).__name__}: {exc}"}
        return
    yield "reports", (story_id, report_key([a.id for a in articles]), title, text)
    yield from rows


def report(spark: Any, out: str, *, stories: list[str] | None = None) -> ReportSummary:
    """``out/{articles,stories,story_articles,copies}`` -> ``out/{reports,reports_jsonl,claims,conflicts,
    quotes,entities,report_errors}``."""
    from pyspark import StorageLevel

    wanted = set(stories or [])
    members = spark.read.parquet(f"{out}/story_articles").rdd.map(lambda r: (r["article_id"], r["story_id"]))
    if wanted:
        members = members.filter(lambda kv: kv[1] in wanted)
    articles = spark.read.parquet(f"{out}/articles").drop("raw").rdd.map(lambda r: (r["id"], r.asDict()))
    by_story = members.join(articles).map(lambda kv: (kv[1][0], kv[1][1]))
    copies = (
        spark.read.parquet(f"{out}/copies")
        .rdd.map(lambda r: (r["article_id"], (r["article_id"], r["original_id"], float(r["similarity"]))))
        .join(members)
        .map(lambda kv: (kv[1][1], kv[1][0]))
    )
    titles = spark.read.parquet(f"{out}/stories").rdd.map(lambda r: (r["id"], r["title"]))
    if wanted:
        titles = titles.filter(lambda kv: kv[0] in wanted)
    stories_members = (
        titles.cogroup(by_story)
        .filter(lambda kv: len(kv[1][0]) > 0 and len(kv[1][1]) > 0)
        .mapValues(lambda v: (list(v[0])[0], list(v[1])))
    )
    grouped = stories_members.leftOuterJoin(copies.groupByKey())
    results = grouped.flatMap(
        lambda kv: compare_story(kv[0], kv[1][0][0], kv[1][0][1], kv[1][1] or [])
    ).persist(StorageLevel.MEMORY_AND_DISK)

    for name, spec in TABLES.items():
        rows = results.filter(lambda kv, name=name: kv[0] == name).map(lambda kv: kv[1])
        spark.createDataFrame(rows, _schema(spec)).write.mode("overwrite").parquet(f"{out}/{name}")
    lines = results.filter(lambda kv: kv[0] == "reports").map(lambda kv: (kv[1][3],))
    spark.createDataFrame(lines, "value string").write.mode("overwrite").text(f"{out}/reports_jsonl")
    errors = results.filter(lambda kv: kv[0] == "errors").map(
        lambda kv: (kv[1]["origin"], kv[1]["stage"], kv[1]["reason"])
    )
    spark.createDataFrame(errors, _schema(ERRORS)).write.mode("overwrite").parquet(f"{out}/report_errors")
    summary = ReportSummary(
        stories=spark.read.parquet(f"{out}/reports").count(),
        errors=spark.read.parquet(f"{out}/report_errors").count(),
    )
    results.unpersist()
    return summary
